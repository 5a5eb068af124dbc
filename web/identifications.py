"""The archives' "photos mystères": residents' proposals, staff's decisions, the catalogue CSV.

A resident proposes what they recognise on an `identify` step (free text, optionally a place
and a date). Proposals are grouped by the campaign's answer normalisation
(`campaigns.matching.normalise`), so "Pont Wilson", "pont wilson !" and "le Pont-Wilson" are one
group and staff read "3 habitants disent : Pont Wilson" (the most common spelling). `staff` and
`cm` accept or decline a group once; an accepted group credits every proposer, the first one
marked, under the photo and in the CSV the archive imports into its catalogue.

The CSV is opened in spreadsheets: a cell a resident typed that starts like a formula (`=`,
`+`, `-`, `@`, tab, carriage return) is prefixed with a quote so it stays text.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from campaigns.matching import normalise
from campaigns.model import Campaign, Step, StepType, localise
from web import db, ratelimit
from web.contributions import (
    FormState,
    clean,
    done,
    over_quota,
    page,
    quota,
    read_credit,
    receive,
    step_state,
    store,
    who,
)
from web.i18n import gettext as _
from web.participation_tables import ACCEPTED, DECLINED, PENDING, Identification, Proposal
from web.site import Site, site
from web.staff.auth import forbidden, staff_language, staff_of, staff_page
from web.templating import render

MAX_PROPOSAL = 200
MAX_PLACE = 200
MAX_DATE = 100
PER_PLAYER_PER_DAY = 10
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Group:
    """The proposals of one step that say the same thing, and staff's decision on them."""

    campaign: str
    step: str
    key: str
    proposals: list[Proposal] = field(default_factory=list)
    status: str = PENDING

    @property
    def label(self) -> str:
        """The spelling most residents used (the earliest one on a tie)."""
        spellings = Counter(p.text for p in self.proposals)
        return spellings.most_common(1)[0][0] if spellings else self.key

    @property
    def count(self) -> int:
        return len(self.proposals)

    @property
    def credits(self) -> list[tuple[str, bool]]:
        """(name as chosen, '' when anonymous; whether first proposer), in proposal order."""
        return [
            ("" if p.credit_kind == "anonymous" else p.credit_name, i == 0)
            for i, p in enumerate(self.proposals)
        ]

    @property
    def places(self) -> list[tuple[str, int]]:
        return Counter(p.place for p in self.proposals if p.place).most_common()

    @property
    def dates(self) -> list[tuple[str, int]]:
        return Counter(p.date_text for p in self.proposals if p.date_text).most_common()


def groups(session: Session, campaign: str, step: str | None = None) -> list[Group]:
    """Every group of proposals of a campaign (or of one step), biggest first."""
    query = select(Proposal).where(Proposal.campaign == campaign)
    if step is not None:
        query = query.where(Proposal.step == step)
    found: dict[tuple[str, str], Group] = {}
    for proposal in session.exec(query.order_by(Proposal.created_at, Proposal.id)):  # type: ignore[arg-type]
        where = (proposal.step, proposal.key)
        found.setdefault(where, Group(campaign, proposal.step, proposal.key)).proposals.append(
            proposal
        )
    decisions = select(Identification).where(Identification.campaign == campaign)
    for decision in session.exec(decisions):
        group = found.get((decision.step, decision.key))
        if group is not None:
            group.status = decision.status
    return sorted(found.values(), key=lambda g: (g.step, -g.count, g.proposals[0].id or 0))


def accepted_groups(session: Session, campaign: str, step: str | None) -> list[Group]:
    return [g for g in groups(session, campaign, step) if g.status == ACCEPTED]


def own_proposals(session: Session, pid: str, campaign: str, step: str) -> list[dict[str, Any]]:
    """A resident's proposals on a step, with the status of their group."""
    status = {(g.step, g.key): g.status for g in groups(session, campaign, step)}
    rows = session.exec(
        select(Proposal)
        .where(Proposal.player_id == pid, Proposal.campaign == campaign, Proposal.step == step)
        .order_by(Proposal.id)  # type: ignore[arg-type]
    )
    return [
        {
            "text": p.text,
            "place": p.place,
            "date": p.date_text,
            "status": status.get((p.step, p.key), PENDING),
            "created_at": p.created_at,
        }
        for p in rows
    ]


def _check(fields: dict[str, str]) -> FormState | dict[str, str]:
    values = {k: fields.get(k, "") for k in ("text", "place", "date", "credit", "credit_name")}
    text = clean(fields.get("text", ""), MAX_PROPOSAL)
    if not fields.get("text", "").strip() or (text and not normalise(text)):
        return FormState("empty-text", values=values)
    place = clean(fields.get("place", ""), MAX_PLACE)
    date_text = clean(fields.get("date", ""), MAX_DATE)
    too_long = not text or (fields.get("place", "").strip() and not place)
    if too_long or (fields.get("date", "").strip() and not date_text):
        return FormState("too-long", values=values)
    kind, name, error = read_credit(fields)
    if error:
        return FormState(error, values=values)
    return {
        "text": text,
        "key": normalise(text)[:200],
        "place": place,
        "date_text": date_text,
        "credit_kind": kind,
        "credit_name": name,
    }


async def propose(request: Request, current: Site, campaign: Campaign, step: Step) -> Response:
    """Receive what a resident recognised on a mystery photo."""
    received = await receive(request, current, photos=False)
    engine = current.engine
    state = await db.call(engine, step_state, current, request, campaign, step)
    if state not in ("open", "done"):
        return await db.call(
            engine, page, current, request, campaign, step, status=403, kind="locked"
        )
    draft = _check(received.fields)
    if isinstance(draft, FormState):
        return await db.call(
            engine, page, current, request, campaign, step, status=422, state=draft
        )
    ip = ratelimit.client_ip(request, current.settings.trusted_proxies)

    def limits(player: str) -> list[ratelimit.Limit]:
        return quota("propose", player, campaign.slug, ip, PER_PLAYER_PER_DAY)

    def row(pid: str | None) -> Proposal:
        return Proposal(player_id=pid, campaign=campaign.slug, step=step.id, **draft)  # type: ignore[arg-type]

    wait = await db.call(engine, over_quota, current, request, limits(who(request, current)))
    if not wait:
        wait = await db.call(engine, store, current, request, campaign, step, limits, row)
    if wait:
        return await db.call(
            engine,
            page,
            current,
            request,
            campaign,
            step,
            status=429,
            state=FormState("quota"),
            headers={"Retry-After": str(wait)},
        )
    return await db.call(engine, done, current, request, campaign, step)


def _identify_steps(current: Site) -> list[tuple[Campaign, Step]]:
    return [
        (campaign, step)
        for campaign in current.registry.campaigns()
        for step in campaign.steps
        if step.type is StepType.identify
    ]


def _overview(current: Site) -> list[tuple[Campaign, Step, list[Group]]]:
    with db.reading(current.engine) as session:
        return [
            (campaign, step, groups(session, campaign.slug, step.id))
            for campaign, step in _identify_steps(current)
        ]


@staff_page()
async def identifications_page(request: Request) -> Response:
    current = site(request)
    context = {
        "staff": staff_of(request),
        "steps": await db.call(current.engine, _overview, current),
        "decided": request.query_params.get("fait") == "1",
    }
    return render(request, "staff/identifications.html", context, lang=staff_language(request))


def _decide(current: Site, user_id: int, fields: dict[str, str]) -> bool:
    campaign = current.registry.get(fields.get("campaign", ""))
    step = campaign.step(fields.get("step", "")) if campaign else None
    decision = {"accept": ACCEPTED, "decline": DECLINED}.get(fields.get("decision", ""))
    if campaign is None or step is None or step.type is not StepType.identify or not decision:
        return False
    key = fields.get("key", "")
    with db.writing(current.engine) as session:
        found = [g for g in groups(session, campaign.slug, step.id) if g.key == key]
        if not found:
            return False
        row = session.exec(
            select(Identification).where(
                Identification.campaign == campaign.slug,
                Identification.step == step.id,
                Identification.key == key,
            )
        ).first() or Identification(
            campaign=campaign.slug, step=step.id, key=key, label="", status=""
        )
        row.label, row.status = found[0].label, decision
        row.decided_by, row.decided_at = user_id, current.now()
        session.add(row)
    return True


@staff_page()
async def decide(request: Request) -> Response:
    from web import csrf
    from web.forms import read_form, text_field

    current = site(request)
    form = await read_form(request)
    if not csrf.valid(request, form, current.settings):
        return forbidden(request)
    fields = {k: text_field(form, k) for k in ("campaign", "step", "key", "decision")}
    if not await db.call(current.engine, _decide, current, staff_of(request).id, fields):
        return forbidden(request, _("Cette proposition n'existe pas (ou plus)."))
    return RedirectResponse("/staff/identifications?fait=1", status_code=303)


def cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _archive_reference(current: Site, session: Session, step: Step) -> tuple[str, str, str]:
    """(photo, fonds, cote) of a step's photo; fonds and cote only for a `media:` upload."""
    from web.staff.mediaresolver import media_id_of
    from web.staff_tables import MediaPhoto

    photo = step.photo or ""
    media_id = media_id_of(photo)
    upload = session.get(MediaPhoto, media_id) if media_id else None
    return photo, (upload.fonds if upload else ""), (upload.cote if upload else "")


HEADER = [
    "campagne", "etape", "titre_etape", "photo", "fonds", "cote", "identification",
    "nombre_de_propositions", "lieux", "dates", "credits", "premier_proposant",
    "date_identification",
]  # fmt: skip


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
        for campaign, step in _identify_steps(current):
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


def identification_routes() -> list[Route]:
    return [
        Route("/staff/identifications", identifications_page, name="staff-identifications"),
        Route("/staff/identifications", decide, methods=["POST"], name="staff-identify"),
        Route("/staff/identifications.csv", export_csv, name="staff-identifications-csv"),
    ]
