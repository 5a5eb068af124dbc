"""The accepted identifications as catalogue records: what the OAI-PMH repository
(`web.staff.oai`) and the Dublin Core download (`web.staff.dublincore`) both describe.

One record per accepted group of proposals, named by its staff decision (`Identification.id`,
stable whatever staff change later) and dated by that decision. It says what residents
recognised, where and when, the photo's archive reference (fonds and cote of a library
upload) and licence, and the residents who chose to be credited, never the others. Records are
read a page at a time, in decision-id order, so a harvest resumes after the last one it got.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, and_, false, or_
from sqlmodel import Session, col, func, select

from campaigns.model import Campaign, Step, localise
from web.library.catalogue import LICENCES
from web.library.resolver import media_id_of
from web.participation.groups import Group, identify_steps
from web.site import Site
from web.store.tables.participation import ACCEPTED, Identification, Proposal, shown_credit
from web.store.tables.staff import MediaPhoto


@dataclass(frozen=True)
class Record:
    """One accepted identification, as a catalogue describes it."""

    id: int
    campaign: Campaign
    step: Step
    label: str
    decided_at: datetime  # aware, UTC
    residents: int
    places: list[str]
    dates: list[str]
    contributors: list[str]  # the names residents chose to be credited under, first first
    fonds: str
    cote: str
    licence: str  # the licence's label, "" when the photo has none on record
    url: str  # the step's page, where the photo and its identification are shown

    @property
    def source(self) -> str:
        """The archive's reference of the photo: "fonds, cote", or whichever it has."""
        return ", ".join(part for part in (self.fonds, self.cote) if part)


@dataclass(frozen=True)
class Query:
    """Which records a harvester asked for: a campaign (set), a window of decision times."""

    campaign: str | None = None
    since: datetime | None = None  # decided at or after, UTC
    before: datetime | None = None  # decided before, UTC


def _served(current: Site, wanted: str | None) -> ColumnElement[bool]:
    """Only identifications of an identify step of a loaded campaign (as the CSV export)."""
    steps: dict[str, list[str]] = {}
    for campaign, step in identify_steps(current):
        if wanted is None or campaign.slug == wanted:
            steps.setdefault(campaign.slug, []).append(step.id)
    if not steps:
        return false()
    return or_(
        *(
            and_(col(Identification.campaign) == slug, col(Identification.step).in_(ids))
            for slug, ids in steps.items()
        )
    )


def _where(current: Site, query: Query) -> list[ColumnElement[bool]]:
    found = [col(Identification.status) == ACCEPTED, _served(current, query.campaign)]
    if query.since is not None:
        found.append(col(Identification.decided_at) >= query.since)
    if query.before is not None:
        found.append(col(Identification.decided_at) < query.before)
    return found


def count(current: Site, session: Session, query: Query) -> int:
    statement = select(func.count()).select_from(Identification).where(*_where(current, query))
    return int(session.exec(statement).one())


def page(
    current: Site, session: Session, query: Query, after: int, size: int
) -> tuple[list[Record], bool]:
    """Up to `size` records with an id above `after`, and whether more follow."""
    statement = (
        select(Identification)
        .where(*_where(current, query), col(Identification.id) > after)
        .order_by(col(Identification.id))
        .limit(size + 1)
    )
    rows = list(session.exec(statement))
    return [_record(current, session, row) for row in rows[:size]], len(rows) > size


def one(current: Site, session: Session, record_id: int) -> Record | None:
    row = session.exec(
        select(Identification).where(*_where(current, Query()), Identification.id == record_id)
    ).first()
    return _record(current, session, row) if row is not None else None


def earliest(current: Site, session: Session) -> datetime | None:
    """When the first record still served was decided (Identify's earliestDatestamp)."""
    statement = select(func.min(Identification.decided_at)).where(*_where(current, Query()))
    found = session.exec(statement).one()
    return utc(found) if found is not None else None


def utc(value: datetime) -> datetime:
    """An aware UTC time (SQLite gives naive UTC back from an aggregate)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _record(current: Site, session: Session, row: Identification) -> Record:
    campaign = current.registry.get(row.campaign)
    step = campaign.step(row.step) if campaign else None
    assert campaign is not None and step is not None  # `_served` lets through loaded steps only
    proposals = session.exec(
        select(Proposal)
        .where(
            Proposal.campaign == row.campaign, Proposal.step == row.step, Proposal.key == row.key
        )
        .order_by(col(Proposal.created_at), col(Proposal.id))
    ).all()
    group = Group(row.campaign, row.step, row.key, list(proposals), row.status)
    names = [shown_credit(p.credit_kind, p.credit_name) for p in group.proposals]
    media_id = media_id_of(step.photo or "")
    upload = session.get(MediaPhoto, media_id) if media_id else None
    return Record(
        id=row.id or 0,
        campaign=campaign,
        step=step,
        label=row.label,  # the spelling staff accepted
        decided_at=utc(row.decided_at),
        residents=group.residents,
        places=[place for place, _n in group.places],
        dates=[date for date, _n in group.dates],
        contributors=list(dict.fromkeys(name for name in names if name)),
        fonds=upload.fonds if upload else "",
        cote=upload.cote if upload else "",
        licence=LICENCES.get(upload.licence, "") if upload else "",
        url=f"{current.settings.base_url}/c/{campaign.slug}/{step.id}",
    )


def title_of(record: Record) -> str:
    """The step's title, in French (the archive's catalogue language)."""
    return localise(record.step.title, "fr")
