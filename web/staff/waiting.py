"""The work waiting for the staff, counted for the staff home, each with the queue it is in.

A staff member who opens the home at a desk sees at once what needs a decision: residents'
contributions to moderate (and published ones hidden by reports), identification proposals no
one has decided yet, damaged-marker reports not resolved, and files with problems. The counts
are cheap (`COUNT(*)` on indexed columns, the proposals grouped as the queue groups them).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from web.i18n import ngettext
from web.participation.groups import groups, identify_steps
from web.site import Site
from web.store import db
from web.store.tables.markers import MarkerReport
from web.store.tables.participation import ACCEPTED, PENDING, Submission


@dataclass(frozen=True)
class Waiting:
    """One queue with work in it: how many, said as a sentence, and where to do it."""

    count: int
    label: str
    url: str


def _count(session: Session, *where: object) -> int:
    return int(session.exec(select(func.count()).select_from(Submission).where(*where)).one())  # type: ignore[arg-type]


def _counts(current: Site, cm: bool) -> dict[str, int]:
    with db.reading(current.engine) as session:
        found = {
            "proposals": sum(
                1
                for campaign, step in identify_steps(current)
                for group in groups(session, campaign.slug, step.id)
                if group.status == PENDING
            )
        }
        if cm:
            found["contributions"] = _count(session, col(Submission.status) == PENDING)
            found["hidden"] = _count(
                session, col(Submission.status) == ACCEPTED, col(Submission.hidden).is_(True)
            )
            reports = select(func.count()).select_from(MarkerReport)
            found["reports"] = int(
                session.exec(reports.where(col(MarkerReport.resolved_at).is_(None))).one()
            )
    return found


def waiting(current: Site, cm: bool, problem_files: int, site_problems: int) -> list[Waiting]:
    """The queues with something in them, for a cm (all of them) or a staff member."""
    counts = _counts(current, cm)
    found: list[Waiting] = []

    def add(count: int, label: str, url: str) -> None:
        if count:
            found.append(Waiting(count, label % {"num": count}, url))

    if cm:
        add(
            counts["contributions"],
            ngettext(
                "%(num)s contribution à modérer",
                "%(num)s contributions à modérer",
                counts["contributions"],
            ),
            "/staff/moderation",
        )
        add(
            counts["hidden"],
            ngettext(
                "%(num)s contribution masquée par des signalements",
                "%(num)s contributions masquées par des signalements",
                counts["hidden"],
            ),
            "/staff/moderation",
        )
    add(
        counts["proposals"],
        ngettext(
            "%(num)s proposition d'identification à examiner",
            "%(num)s propositions d'identification à examiner",
            counts["proposals"],
        ),
        "/staff/identifications",
    )
    if cm:
        add(
            counts["reports"],
            ngettext(
                "%(num)s balise signalée abîmée",
                "%(num)s balises signalées abîmées",
                counts["reports"],
            ),
            "/staff/signalements",
        )
        add(
            problem_files,
            ngettext(
                "%(num)s fichier de campagne avec des problèmes",
                "%(num)s fichiers de campagne avec des problèmes",
                problem_files,
            ),
            "/staff/campagnes",
        )
        add(
            site_problems,
            ngettext(
                "%(num)s problème dans site.yaml", "%(num)s problèmes dans site.yaml", site_problems
            ),
            "/staff#identite",
        )
    return found
