"""Players' journeys through a campaign: what each live player did, read from their rows.

The CM's figures (`web.staff.figures`), a player's own data page (`web.privacy.mydata`) and the
retention purge (`web.privacy.retention`) all count a journey the same way: a step is done when
solved, read, contributed to or scanned; its time is from the first answer to the right one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from web.store.tables.play import Attempt, Checkin, Solve, StepProgress


@dataclass
class Journey:
    """One live player's rows in one campaign."""

    done: set[str] = field(default_factory=set)
    hints: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, int] = field(default_factory=dict)


def _seconds(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds()))


def journeys(session: Session, slug: str, only: set[str] | None = None) -> dict[str, Journey]:
    """Every live player's journey in campaign `slug` (or only those of the players `only`)."""
    found: dict[str, Journey] = {}

    def journey(pid: str) -> Journey:
        return found.setdefault(pid, Journey())

    def narrowed(statement: Any, column: Any) -> Any:
        return statement if only is None else statement.where(col(column).in_(only))

    first: dict[tuple[str, str], datetime] = {}
    statement = select(Attempt.player_id, Attempt.step, func.min(Attempt.at)).where(
        Attempt.campaign == slug, col(Attempt.player_id).is_not(None)
    )
    statement = narrowed(statement, Attempt.player_id).group_by(Attempt.player_id, Attempt.step)
    for pid, step, at in session.exec(statement):
        assert pid is not None
        journey(pid)
        first[(pid, step)] = at
    solves = narrowed(select(Solve).where(Solve.campaign == slug), Solve.player_id)
    for solve in session.exec(solves):
        mine = journey(solve.player_id)
        mine.done.add(solve.step)
        started = first.get((solve.player_id, solve.step))
        if started is not None:
            mine.seconds[solve.step] = _seconds(started, solve.at)
    checkins = narrowed(select(Checkin).where(Checkin.campaign == slug), Checkin.player_id)
    for checkin in session.exec(checkins):
        journey(checkin.player_id).done.add(checkin.step)
    asked = narrowed(
        select(StepProgress).where(StepProgress.campaign == slug), StepProgress.player_id
    )
    for row in session.exec(asked):
        journey(row.player_id).hints[row.step] = row.hints_shown
    return found
