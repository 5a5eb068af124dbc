"""A player's progress in a campaign, read from and written to the database.

Everything is keyed on the campaign's and the step's stable slugs. "Done" is one `Solve` row
per step (solved, read, contributed to, or scanned); hints asked are counted per step, and one
hint asked shows the next hint text and the next reveal crop together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from campaigns.model import Step
from web.store.asyncreads import AsyncReads
from web.store.db import insert_once
from web.store.statements import Borrowed, read_now, run
from web.store.tables.play import ANSWER_SEEN, PASSED, Checkin, Solve, StepProgress, utcnow


@dataclass
class Progress:
    done: set[str] = field(default_factory=set)
    checked_in: set[str] = field(default_factory=set)
    hints: dict[str, int] = field(default_factory=dict)  # step id -> hints asked
    hints_used: dict[str, int] = field(default_factory=dict)  # step id -> hints when solved
    # Steps left unsolved after the last hint: passed (still open), or their answer seen.
    passed: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)

    def asked(self, step_id: str) -> int:
        return self.hints.get(step_id, 0)


# Performance: every page and answer reads the player's progress; one prepared
# UNION ALL instead of three ORM queries (which cost more to build than to run). A step's
# hints come as kind 2 while the player plays it, 5 once passed, 8 once its answer is seen
# (2 + 3 × `moved_on`).
_PROGRESS = text(
    "SELECT 0, step, hints_used FROM solve WHERE player_id = :p AND campaign = :c"
    " UNION ALL SELECT 1, step, 0 FROM checkin WHERE player_id = :p AND campaign = :c"
    " UNION ALL SELECT 2 + moved_on * 3, step, hints_shown FROM stepprogress"
    " WHERE player_id = :p AND campaign = :c"
)


# The answer POST also needs to know that the player's row exists: one more branch of the same
# query spares it a round trip.
_PROGRESS_AND_PLAYER = text(_PROGRESS.text + " UNION ALL SELECT 3, id, 0 FROM player WHERE id = :p")


def load(session: Session, player_id: str | None, campaign: str) -> Progress:
    progress = Progress()
    if player_id is None:
        return progress
    _fill(progress, run(session, _PROGRESS, {"p": player_id, "c": campaign}))
    return progress


def load_now(engine: Engine, player_id: str | None, campaign: str) -> Progress:
    """`load` outside any transaction (`statements.read_now`): the step page's one query."""
    progress = Progress()
    if player_id is not None:
        _fill(progress, read_now(engine, _PROGRESS, {"p": player_id, "c": campaign}))
    return progress


async def load_awaited(
    reads: AsyncReads | None, player_id: str | None, campaign: str
) -> Progress | None:
    """`load_now` awaited on the event loop (PostgreSQL, `web.store.asyncreads`); None when no pool
    serves this loop, and the caller reads synchronously."""
    if reads is None:
        return None
    progress = Progress()
    if player_id is None:
        return progress
    rows = await reads.read(_PROGRESS, {"p": player_id, "c": campaign})
    if rows is None:
        return None
    _fill(progress, rows)
    return progress


def load_if_player(session: Session, player_id: str, campaign: str) -> Progress | None:
    """The progress of `player_id`, or None when no such player exists (any more)."""
    progress = Progress()
    rows = run(session, _PROGRESS_AND_PLAYER, {"p": player_id, "c": campaign})
    return progress if _fill(progress, rows) else None


@lru_cache(maxsize=16)
def _with_counts(counts_sql: str) -> TextClause:
    return text(f"{_PROGRESS_AND_PLAYER.text} UNION ALL SELECT 4, r.* FROM ({counts_sql}) AS r")


def load_for_answer(
    source: Session | Borrowed,
    player_id: str,
    campaign: str,
    counts_sql: str,
    params: dict[str, object],
) -> tuple[Progress | None, dict[str, int]]:
    """`load_if_player`, and the rows (name, count) of `counts_sql` in the same round trip.

    The answer POST reads its rate-limit counters here (`counters.counts_query`), one query
    fewer per answer; through `Borrowed`, outside any transaction.
    """
    progress = Progress()
    counts: dict[str, int] = {}
    query = _with_counts(counts_sql)
    values = {"p": player_id, "c": campaign, **params}
    rows = (
        source.read(query, values) if isinstance(source, Borrowed) else run(source, query, values)
    )
    return (progress if _fill(progress, rows, counts) else None), counts


def _fill(
    progress: Progress, rows: Iterable[Sequence[Any]], counts: dict[str, int] | None = None
) -> bool:
    """Add the rows of `_PROGRESS` to `progress`; whether a player row came with them."""
    player = False
    for kind, step, number in rows:
        if kind == 4 and counts is not None:
            counts[step] = number
        elif kind == 0:
            progress.done.add(step)
            progress.hints_used[step] = number
        elif kind == 1:
            progress.checked_in.add(step)
        elif kind in (2, 5, 8):
            progress.hints[step] = number
            if kind == 5:
                progress.passed.add(step)
            elif kind == 8:
                progress.seen.add(step)
        elif kind == 3:
            player = True
    return player


def max_hints(step: Step) -> int:
    """How many times a player can usefully ask for a hint on this step."""
    return max(len(step.hints), len(step.reveal) - 1, 0)


def reveal_index(step: Step, asked: int) -> int:
    """Which reveal crop a player who asked `asked` hints sees (0 when the step has none)."""
    return min(asked, _last_reveal(step))


def _last_reveal(step: Step) -> int:
    return max(len(step.reveal) - 1, 0)


def record_solve(session: Session, player_id: str, campaign: str, step: str, hints: int) -> bool:
    """Mark a step done; False when it already was (a double tap is one solve)."""
    return insert_once(
        session,
        Solve,
        ["player_id", "campaign", "step"],
        player_id=player_id,
        campaign=campaign,
        step=step,
        hints_used=hints,
        at=utcnow(),
    )


def record_checkin(session: Session, player_id: str, campaign: str, step: str) -> bool:
    return insert_once(
        session,
        Checkin,
        ["player_id", "campaign", "step"],
        player_id=player_id,
        campaign=campaign,
        step=step,
        at=utcnow(),
    )


# An atomic conditional increment: hint requests sent at once each count one (up to what the
# step has), where reading the row then writing it back lost all but one of them.
def _ensure_row(session: Session, player_id: str, campaign: str, step: str) -> None:
    """The player's row for `step`, created once (concurrent first taps make one), so the
    conditional UPDATE that follows has a row to act on."""
    insert_once(
        session,
        StepProgress,
        ["player_id", "campaign", "step"],
        player_id=player_id,
        campaign=campaign,
        step=step,
        hints_shown=0,
        reveal_stage=0,
    )


_ONE_MORE_HINT = text(
    "UPDATE stepprogress SET hints_shown = hints_shown + 1,"
    " reveal_stage = CASE WHEN hints_shown + 1 < :top THEN hints_shown + 1 ELSE :top END"
    " WHERE player_id = :p AND campaign = :c AND step = :s AND hints_shown < :most"
    " RETURNING hints_shown"
)
_HINTS_SHOWN = text(
    "SELECT hints_shown FROM stepprogress WHERE player_id = :p AND campaign = :c AND step = :s"
)


def ask_hint(session: Session, player_id: str, campaign: str, step: Step) -> int:
    """One more hint on `step` (up to what it has); the new number of hints asked."""
    _ensure_row(session, player_id, campaign, step.id)
    where = {"p": player_id, "c": campaign, "s": step.id}
    top = {"top": _last_reveal(step), "most": max_hints(step)}
    counted = list(run(session, _ONE_MORE_HINT, {**where, **top}))
    rows = counted or list(run(session, _HINTS_SHOWN, where))
    return int(rows[0][0])


# Seeing the answer outranks passing: a step whose answer was seen is never "passed" again.
_MOVE_ON = text(
    "UPDATE stepprogress SET moved_on = :how"
    " WHERE player_id = :p AND campaign = :c AND step = :s AND moved_on < :how"
)


def move_on(session: Session, player_id: str, campaign: str, step: str, *, answer: bool) -> None:
    """Record that the player passed `step`, or saw its answer (`answer`), without solving it."""
    _ensure_row(session, player_id, campaign, step)
    how = ANSWER_SEEN if answer else PASSED
    run(session, _MOVE_ON, {"p": player_id, "c": campaign, "s": step, "how": how})
