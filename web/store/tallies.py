"""The figures' counts, read off the tallies the database keeps (`web.store.tables.tallies`).

Each read is a few rows per step or one count, whatever the number of players: the figures of a
campaign with a million answers cost what they cost on the first day (benchmarks/scale.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import func, union
from sqlmodel import Session, col, select

from web.store.tables.ledger import RetiredJourney
from web.store.tables.play import Checkin, Journey, Solve
from web.store.tables.tallies import SolveTime, StepTally, WrongTally


@dataclass(frozen=True)
class Players:
    started: int
    finished: int


def steps(session: Session, campaign: str) -> dict[str, StepTally]:
    """Every step's counts, live and retired players together."""
    statement = select(StepTally).where(StepTally.campaign == campaign)
    return {row.step: row for row in session.exec(statement)}


def top_wrong(session: Session, campaign: str, step: str, limit: int) -> list[tuple[str, int]]:
    """The most given wrong answers of a step, ties in code-point order (index order)."""
    statement = (
        select(WrongTally.guess, WrongTally.count)
        .where(WrongTally.campaign == campaign, WrongTally.step == step, WrongTally.count > 0)
        .order_by(col(WrongTally.count).desc(), col(WrongTally.guess))
        .limit(limit)
    )
    return [(answer, int(count)) for answer, count in session.exec(statement)]


def wrong_guesses(session: Session, campaign: str) -> list[tuple[str, str]]:
    """(step, guess) of every wrong answer some live or forgotten player gave and that is still
    wrong: one row per distinct answer, however many times it was given."""
    statement = select(WrongTally.step, WrongTally.guess).where(
        WrongTally.campaign == campaign, WrongTally.count > 0
    )
    return [(step, guess) for step, guess in session.exec(statement)]


def medians(session: Session, campaign: str) -> dict[str, float]:
    """Each step's median time to solve by answering: the one or two counts that hold the middle
    position(s), found by the database from running totals."""
    step, seconds, count = col(SolveTime.step), col(SolveTime.seconds), col(SolveTime.count)
    upto = func.sum(count).over(partition_by=step, order_by=seconds)
    total = func.sum(count).over(partition_by=step)
    ranked = (
        sa.select(step, seconds, upto.label("upto"), total.label("total"), count)
        .where(col(SolveTime.campaign) == campaign, count > 0)
        .subquery()
    )
    low = (ranked.c.total + 1) // 2
    high = ranked.c.total // 2 + 1
    statement = (
        select(ranked.c.step, ranked.c.seconds, ranked.c.upto, ranked.c.total)
        .where(ranked.c.upto >= low, ranked.c.upto - ranked.c.count < high)
        .order_by(ranked.c.step, ranked.c.seconds)
    )
    middle: dict[str, list[tuple[int, int, int]]] = {}
    for name, at, reached, players in session.execute(statement):
        middle.setdefault(name, []).append((int(at), int(reached), int(players)))
    return {name: _median(rows) for name, rows in middle.items()}


def _median(rows: Sequence[tuple[int, int, int]]) -> float:
    """The median from the rows (seconds, running total, total) covering the middle."""
    total = rows[0][2]
    low, high = (total + 1) // 2, total // 2 + 1
    at_low = next(seconds for seconds, reached, _ in rows if reached >= low)
    at_high = next(seconds for seconds, reached, _ in rows if reached >= high)
    return (at_low + at_high) / 2


def players(session: Session, campaign: str, step_ids: Sequence[str]) -> Players:
    """Players who started and finished `campaign` (of steps `step_ids`), live and retired."""
    live = session.exec(
        select(func.count()).select_from(Journey).where(Journey.campaign == campaign)
    ).one()
    retired, retired_finished = session.exec(
        select(func.count(), func.count().filter(col(RetiredJourney.finished)))
        .select_from(RetiredJourney)
        .where(RetiredJourney.campaign == campaign)
    ).one()
    return Players(
        started=int(live) + int(retired),
        finished=_finished(session, campaign, step_ids) + int(retired_finished or 0),
    )


def _finished(session: Session, campaign: str, step_ids: Sequence[str]) -> int:
    """Live players who have done every step. A journey's count of steps done equals the
    campaign's number of steps exactly when they did them all, as long as no step outside the
    campaign was ever done (a step removed from a live campaign): then the rows are counted."""
    if not step_ids:
        everyone = select(func.count()).select_from(Journey).where(Journey.campaign == campaign)
        return int(session.exec(everyone).one())
    done_elsewhere = session.exec(
        select(func.count())
        .select_from(StepTally)
        .where(
            StepTally.campaign == campaign,
            StepTally.done > 0,
            col(StepTally.step).not_in(list(step_ids)),
        )
    ).one()
    if not done_elsewhere:
        statement = (
            select(func.count())
            .select_from(Journey)
            .where(Journey.campaign == campaign, Journey.done >= len(step_ids))
        )
        return int(session.exec(statement).one())
    done = union(
        select(Solve.player_id, Solve.step).where(
            Solve.campaign == campaign, col(Solve.step).in_(list(step_ids))
        ),
        select(Checkin.player_id, Checkin.step).where(
            Checkin.campaign == campaign, col(Checkin.step).in_(list(step_ids))
        ),
    ).subquery()
    complete = (
        select(done.c.player_id)
        .group_by(done.c.player_id)
        .having(func.count() == len(step_ids))
        .subquery()
    )
    return int(session.exec(select(func.count()).select_from(complete)).one())
