"""The accepted identifications as a CSV the archive imports into its catalogue.

One line per accepted group of proposals: the step's photo and, for a library upload, its fonds
and cote; the most common spelling; places, dates and every proposer's credit, the first one
marked. The CSV is opened in spreadsheets: a cell a resident typed that starts like a formula
(`=`, `+`, `-`, `@`, tab, carriage return) is prefixed with a quote so it stays text.
"""

from __future__ import annotations

import csv
import io

from sqlmodel import Session, select
from starlette.requests import Request
from starlette.responses import Response

from campaigns.model import Step, localise
from web.library.resolver import media_id_of
from web.participation.groups import accepted_groups, identify_steps
from web.site import Site, site
from web.staff.auth import staff_page
from web.store import db
from web.store.tables.participation import ACCEPTED, Identification
from web.store.tables.staff import MediaPhoto

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER = [
    "campagne", "etape", "titre_etape", "photo", "fonds", "cote", "identification",
    "nombre_de_propositions", "lieux", "dates", "credits", "premier_proposant",
    "date_identification",
]  # fmt: skip


def cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _archive_reference(current: Site, session: Session, step: Step) -> tuple[str, str, str]:
    """(photo, fonds, cote) of a step's photo; fonds and cote only for a `media:` upload."""

    photo = step.photo or ""
    media_id = media_id_of(photo)
    upload = session.get(MediaPhoto, media_id) if media_id else None
    return photo, (upload.fonds if upload else ""), (upload.cote if upload else "")


def _credit_text(name: str, first: bool) -> str:
    shown = name or "anonyme"
    return f"{shown} (premier·e)" if first else shown


def export_rows(current: Site) -> list[list[str]]:
    """The accepted identifications, one line per group, for the archive's catalogue."""
    rows: list[list[str]] = []
    with db.reading(current.engine) as session:
        decided = {
            (d.campaign, d.step, d.key): d.decided_at
            for d in session.exec(select(Identification).where(Identification.status == ACCEPTED))
        }
        for campaign, step in identify_steps(current):
            photo, fonds, cote = _archive_reference(current, session, step)
            for group in accepted_groups(session, campaign.slug, step.id):
                first = group.credits[0][0] or "anonyme"
                when = decided.get((campaign.slug, step.id, group.key))
                line = [
                    campaign.slug, step.id, localise(step.title, "fr"), photo, fonds, cote,
                    group.label, str(group.count),
                    "; ".join(place for place, _n in group.places),
                    "; ".join(date for date, _n in group.dates),
                    ", ".join(_credit_text(name, first) for name, first in group.credits),
                    first, when.date().isoformat() if when else "",
                ]  # fmt: skip
                rows.append([cell(value) for value in line])
    return rows


@staff_page()
async def export_csv(request: Request) -> Response:
    current = site(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(await db.call(current.engine, export_rows, current))
    return Response(
        "\ufeff" + buffer.getvalue(),  # the BOM tells spreadsheets it is UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="identifications.csv"'},
    )
