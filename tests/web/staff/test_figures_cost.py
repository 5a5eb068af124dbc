"""The figures read counts, not players: the same statements and rows at 1,000 and at 10,000.

A season fills the database with tens of thousands of players; figures that load each player's
rows into Python took seconds on the worker that serves the residents. Here players are seeded
through the app's tables (the database's triggers keeping the tallies, as when residents
play), and every statement the figures send, with the rows it brings back, is counted: ten
times the players must cost the same, so the cost cannot creep back unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert
from sqlalchemy.engine import Result
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session

from tests.web.conftest import World
from web.staff import figures
from web.store.tables.play import Attempt, Player, Solve, StepProgress

SLUG = "ou-sommes-nous"
WRONG = ("tour wilson", "clocher", "eglise saint martin", "beffroi", "chateau")
START = datetime(2026, 9, 19, 10, tzinfo=UTC)


class Counting(Session):
    """A session that counts the statements it executes and the rows they return, and keeps
    them to be explained (every execution, `exec` or `execute`, goes through the ORM's
    `do_orm_execute` hook)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statements = 0
        self.rows = 0
        self.sent: list[Any] = []
        event.listen(self, "do_orm_execute", self._count)

    def _count(self, state: ORMExecuteState) -> Result[Any]:
        frozen = state.invoke_statement().freeze()
        self.statements += 1
        self.rows += len(frozen.data)
        self.sent.append(state.statement)
        return frozen()


# The tables that hold a row per answer, hint, solve or scan: the figures must not read them.
PER_ANSWER = ("attempt", "solve", "checkin", "stepprogress")


def _seed(world: World, first: int, count: int) -> None:
    """Players `first`…`first + count - 1`, 500 to a transaction (PostgreSQL's tally rows,
    updated by each row's trigger, keep every version of one transaction until it ends):
    two wrong answers and a right one on the first riddle, a hint, its solve; one in three
    also solves the second riddle."""
    for chunk in range(first, first + count, 500):
        _seed_chunk(world, range(chunk, min(chunk + 500, first + count)))


def _seed_chunk(world: World, numbers: range) -> None:
    players, attempts, solves, hints = [], [], [], []
    for n in numbers:
        pid = f"cost{n:08d}"
        at = START + timedelta(seconds=n)
        players.append({"id": pid, "resume_code": f"{n:08d}", "created_at": at})
        for k in range(2):
            guess = WRONG[(n + k) % len(WRONG)]
            attempts.append(_attempt(pid, "tour", guess, False, at + timedelta(seconds=k)))
        attempts.append(_attempt(pid, "tour", "tour saint aubin", True, at + timedelta(seconds=30)))
        hints.append({"player_id": pid, "campaign": SLUG, "step": "tour", "hints_shown": 1})
        solves.append(_solve(pid, "tour", at + timedelta(seconds=30 + n % 90)))
        if n % 3 == 0:
            attempts.append(_attempt(pid, "pont", "sept arches", True, at + timedelta(seconds=600)))
            solves.append(_solve(pid, "pont", at + timedelta(seconds=600)))
    with Session(world.site.engine) as session:
        for table, rows in ((Player, players), (StepProgress, hints)):
            session.execute(insert(table), rows)
        session.execute(insert(Attempt), attempts)
        session.execute(insert(Solve), solves)
        session.commit()


def _attempt(pid: str, step: str, guess: str, correct: bool, at: datetime) -> dict[str, Any]:
    return {"player_id": pid, "campaign": SLUG, "step": step, "guess": guess,
            "correct": correct, "at": at}  # fmt: skip


def _solve(pid: str, step: str, at: datetime) -> dict[str, Any]:
    return {"player_id": pid, "campaign": SLUG, "step": step, "hints_used": 1, "at": at}


def _measure(world: World) -> tuple[figures.CampaignFigures, int, int]:
    with Counting(world.site.engine) as session:
        numbers = figures.compute(session, world.campaign(SLUG))
        return numbers, session.statements, session.rows


def _plans(world: World) -> list[str]:
    """The database's own plan of every statement the figures send (EXPLAIN)."""
    engine = world.site.engine
    with Counting(engine) as session:
        figures.compute(session, world.campaign(SLUG))
        sent = session.sent
    postgres = engine.dialect.name == "postgresql"
    plans = []
    with engine.connect() as connection:
        for statement in sent:
            sql = str(statement.compile(engine, compile_kwargs={"literal_binds": True}))
            explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
            rows = connection.exec_driver_sql(explain + sql).all()
            plans.append("\n".join(str(row[-1]) for row in rows))
    return plans


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, make_world: Callable[..., World]) -> World:
    """The example campaigns, on each database (the staff tests' default is SQLite only)."""
    return make_world()


def test_ten_times_the_players_cost_the_figures_the_same_statements_and_rows(
    world: World,
) -> None:
    _seed(world, 0, 1_000)
    small, statements, rows = _measure(world)
    _seed(world, 1_000, 9_000)
    large, statements_large, rows_large = _measure(world)

    assert (small.started, large.started) == (1_000, 10_000)
    tour = {step.step: step for step in large.steps}["tour"]
    assert (tour.done, tour.answers, tour.wrong, tour.hints) == (10_000, 30_000, 20_000, 10_000)
    assert tour.wrong_answers[0] == ("beffroi", 4_000)
    assert (statements_large, rows_large) == (statements, rows)
    assert rows < 100  # a few rows per step, not one per player


def test_the_figures_plans_read_tallies_and_journeys_never_the_answers(world: World) -> None:
    _seed(world, 0, 1_000)
    plans = _plans(world)
    assert plans
    for plan in plans:
        for table in PER_ANSWER:
            assert not re.search(rf"\b{table}\b", plan, re.IGNORECASE), plan
    joined = "\n".join(plans)
    if world.site.engine.dialect.name == "sqlite":
        assert "ix_wrongtally_top" in joined  # the most given wrong answers, in index order
        assert "ix_journey_campaign_done" in joined  # players who finished, counted off it
