"""What a campaign's residents did together, counted in the database: how many played, how
many mystery photos they identified, how many memories they shared, how many markers they
scanned lately.

Each figure is one aggregate statement (`COUNT`, `COUNT(DISTINCT …)`), never a player's rows
brought into Python, so the campaign page and the finale can show them to every visitor; the
page's view (`web.play.together`) keeps them a minute and hides the small ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, func, select

from web.store.tables.participation import ACCEPTED, Identification, Submission
from web.store.tables.play import Checkin, Journey

# A resident played when they left any trace in the campaign: an answer, a step done, a
# checkpoint scanned, a hint asked. Their journey row is kept by the database's triggers from
# the first such row (`web.store.tallies`) and goes with them when they are forgotten or purged,
# so counting journeys counts them without reading their rows: a COUNT over the journey index,
# 5 ms at 100,000 players where the union of their rows took 0.98 s (benchmarks/README.md).
# Answers sent without a cookie name no one and count no one.
_PLAYED = select(func.count()).select_from(Journey)


@dataclass(frozen=True)
class Tally:
    """A campaign's collective counts, as the database has them (before any rounding)."""

    players: int
    identified: int  # identify steps with at least one accepted identification
    memories: int  # contributions accepted and shown
    scans_this_week: int


def tally(session: Session, campaign: str, identify_steps: list[str], since: datetime) -> Tally:
    """The counts of `campaign`; scans from `since` on (a week ago, the caller says)."""
    players = session.exec(_PLAYED.where(Journey.campaign == campaign)).one()
    identified = 0
    if identify_steps:
        identified = session.exec(
            select(func.count(func.distinct(Identification.step))).where(
                Identification.campaign == campaign,
                Identification.status == ACCEPTED,
                col(Identification.step).in_(identify_steps),
            )
        ).one()
    memories = session.exec(
        select(func.count())
        .select_from(Submission)
        .where(
            Submission.campaign == campaign,
            Submission.status == ACCEPTED,
            Submission.hidden == False,  # noqa: E712
        )
    ).one()
    scans = session.exec(
        select(func.count())
        .select_from(Checkin)
        # in UTC, as scans are stored (SQLite compares the text)
        .where(Checkin.campaign == campaign, col(Checkin.at) >= since.astimezone(UTC))
    ).one()
    return Tally(int(players), int(identified), int(memories), int(scans))
