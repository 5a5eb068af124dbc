"""Retiring players' rows: on "forget me" and when a closed campaign's retention period is over.

Player data of a closed campaign is kept `settings.retention_days` (90 by default) after the
campaign's `closes`, then purged by `balises purge` and at every start of the site. Purging a
campaign replaces its players' rows by anonymous `RetiredJourney`/`RetiredStep` rows (so the
community manager's figures stay right), unlinks its answers from the players (the wrong answers
are still counted, attached to no one), anonymises the thanks given to its residents, and then
deletes the players it leaves with nothing at all. Marker reports resolved longer ago than the
same period go too, with their photos.

Only campaigns the registry loaded are purged: a campaign missing from the files (removed, or
refused by a broken edit at start) is left alone and logged, since its closing date cannot be
known and a typo must never destroy data.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from campaigns.model import Campaign
from campaigns.unlocks import is_finished
from media import library
from web.participation.sent import purge_campaign
from web.site import Site
from web.store import db, player_rows
from web.store.journeys import journeys
from web.store.tables.ledger import RetiredJourney, RetiredStep, Thanks
from web.store.tables.markers import PHOTO_FOLDER, MarkerReport
from web.store.tables.play import (
    Attempt,
    Checkin,
    Journey,
    Player,
    RateCounter,
    Solve,
    StepProgress,
)

log = logging.getLogger("balises.retention")

ANONYMOUS = "anonyme"


@dataclass
class PurgeReport:
    campaigns: list[str] = field(default_factory=list)
    players: int = 0  # player rows deleted because nothing was left of them
    reports: int = 0  # marker reports resolved before the retention period, with their photos

    def summary(self) -> str:
        names = ", ".join(self.campaigns) or "none"
        text = f"purged campaigns: {names}; players deleted: {self.players}"
        return text + (f"; resolved marker reports deleted: {self.reports}" if self.reports else "")


def retire(session: Session, slug: str, campaign: Campaign | None, player_ids: set[str]) -> int:
    """Replace the rows of `player_ids` in campaign `slug` by anonymous ones; how many retired.

    Answers stay (the wrong answers are figures) but lose their player.
    """
    if not player_ids:
        return 0
    found = journeys(session, slug, player_ids)
    for mine in found.values():
        finished = campaign is not None and is_finished(campaign, mine.done)
        session.add(RetiredJourney(campaign=slug, finished=finished))
        for step in sorted(mine.done | set(mine.hints)):
            solved = step in mine.done
            session.add(
                RetiredStep(
                    campaign=slug,
                    step=step,
                    solved=solved,
                    hints=mine.hints.get(step, 0),
                    seconds=mine.seconds.get(step) if solved else None,
                )
            )
    ids = list(player_ids)
    for table in (Solve, StepProgress, Checkin, Journey):
        session.execute(
            delete(table).where(col(table.campaign) == slug, col(table.player_id).in_(ids))
        )
    session.execute(
        update(Attempt)
        .where(col(Attempt.campaign) == slug, col(Attempt.player_id).in_(ids))
        .values(player_id=None)
    )
    session.flush()
    return len(found)


def anonymise_thanks(session: Session, where: Any) -> None:
    """Thanks stay in the ledger (a gift was sent) but no longer say to whom."""
    session.execute(
        update(Thanks)
        .where(where)
        .values(player_id=None, recipient=ANONYMOUS, recipient_key=None, note="")
    )


def forget_rate_counters(session: Session, player_id: str) -> None:
    """Rate-limit counters are keyed on the player id (`answer:<id>:…`)."""
    session.execute(delete(RateCounter).where(col(RateCounter.key).contains(f":{player_id}:")))


def _campaign_players(session: Session, slug: str) -> list[str]:
    """Every live player with a row in the campaign: its journeys (`web.store.tables.play.
    Journey`, one per player, written by the database with each of their rows)."""
    statement = select(Journey.player_id).where(Journey.campaign == slug)
    return sorted(session.exec(statement))


def _purge_contributions(session: Session, slug: str, media_dir: Path | None) -> None:
    """The participation tables purge their own rows (and photo files no longer used)."""

    purge_campaign(session, slug, media_dir)


def _orphans(session: Session, candidates: set[str]) -> list[str]:
    """Those of `candidates` whom no row of any table points at any more."""
    if not candidates:
        return []
    statement = select(Player.id).where(col(Player.id).in_(list(candidates)))
    referenced = [
        select(column).where(column.is_not(None)) for _table, column in player_rows.foreign_keys()
    ]
    if referenced:
        statement = statement.where(~or_(*(col(Player.id).in_(query) for query in referenced)))
    return list(session.exec(statement))


def due(campaign: Campaign, now: datetime, retention_days: int) -> bool:
    """Whether the campaign closed more than `retention_days` ago."""
    closes = campaign.closes_at
    return closes is not None and now >= closes + timedelta(days=retention_days)


# Players retired per transaction: a season's campaign has tens of thousands, and one
# transaction for all of them held the database's write lock (SQLite) for seconds while
# residents waited to answer, and passed more ids than a statement may bind (65,535 on
# PostgreSQL). Stopped in the middle, the next purge retires the rest.
BATCH = 500


def _retire_batch(engine: Engine, campaign: Campaign, pids: set[str]) -> int:
    """Retire these players' rows of the campaign, then delete the players it leaves with
    nothing at all (their id and resume code go too); how many were deleted."""
    with db.writing(engine) as session:
        retire(session, campaign.slug, campaign, pids)
        orphans = _orphans(session, pids)
        for pid in orphans:
            forget_rate_counters(session, pid)
        if orphans:
            session.execute(delete(Player).where(col(Player.id).in_(orphans)))
    return len(orphans)


def purge(
    engine: Engine,
    campaigns: Iterable[Campaign],
    now: datetime,
    retention_days: int,
    media_dir: Path | None = None,
) -> PurgeReport:
    """Purge the player data of every campaign past its retention period."""
    campaigns = list(campaigns)
    report = PurgeReport()
    known = {campaign.slug for campaign in campaigns}
    for campaign in campaigns:
        if not due(campaign, now, retention_days):
            continue
        with db.writing(engine) as session:
            anonymise_thanks(
                session,
                (col(Thanks.campaign) == campaign.slug) & col(Thanks.player_id).is_not(None),
            )
            _purge_contributions(session, campaign.slug, media_dir)
        with db.reading(engine) as session:
            pids = _campaign_players(session, campaign.slug)
        for start in range(0, len(pids), BATCH):
            report.players += _retire_batch(engine, campaign, set(pids[start : start + BATCH]))
        if pids:
            report.campaigns.append(campaign.slug)
    report.reports = _purge_resolved_reports(engine, now, retention_days, media_dir)
    with db.reading(engine) as session:
        _warn_unknown(session, known)
    if report.campaigns or report.players or report.reports:
        log.info("%s", report.summary())
    return report


def _purge_resolved_reports(
    engine: Engine, now: datetime, retention_days: int, media_dir: Path | None
) -> int:
    """Delete the marker reports resolved more than `retention_days` ago, and their photos
    (taken in the street, they may show passers-by; once the marker is repaired and the period
    over, nothing needs them). Unresolved reports stay, however old. How many went."""
    cutoff = now - timedelta(days=retention_days)
    with db.writing(engine) as session:
        old = col(MarkerReport.resolved_at) < cutoff
        count = len(session.exec(select(MarkerReport.id).where(old)).all())
        if count:
            session.execute(delete(MarkerReport).where(old))
        keep = {sha for sha in session.exec(select(MarkerReport.photo_sha256)) if sha}
    if count and media_dir is not None:
        library.sweep(media_dir / PHOTO_FOLDER, keep)
    return count


def _warn_unknown(session: Session, known: set[str]) -> None:
    """Say which campaigns in the database no file holds (read off the journeys' index)."""
    statement = select(Journey.campaign).distinct()
    for slug in session.exec(statement):
        if slug not in known:
            players = session.exec(
                select(func.count()).select_from(Journey).where(Journey.campaign == slug)
            ).one()
            log.warning(
                "campaign %r is in no loaded file: its %d players' rows are not purged",
                slug,
                players,
            )


def purge_on_start(site: Site) -> None:
    """Purge at start; a failure is logged and the site starts anyway (the data stays)."""
    try:
        purge(
            site.engine,
            site.registry.campaigns(),
            site.now(),
            site.settings.retention_days,
            site.settings.media_dir,
        )
    except SQLAlchemyError:
        log.exception("purge at start failed; run `balises purge` once the database is back")
