"""`web.db`'s fast paths (issue 7) keep the guarantees of the ORM path they replace: a statement
run through `run` belongs to the write transaction (all or nothing), a timestamp passed through
`stamp` reads back as the ORM's own, and `read_now` sees what was committed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import select

from web import db
from web.tables import Attempt, Player

INSERT = text(
    "INSERT INTO attempt (player_id, campaign, step, guess, correct, at)"
    " VALUES (:player_id, :campaign, :step, :guess, :correct, :at)"
)
GUESSES = text("SELECT guess FROM attempt WHERE campaign = :c ORDER BY guess")


@pytest.fixture
def engine(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    engine = db.make_engine(database_url)
    db.migrate(engine, tmp_path / "var")
    yield engine
    engine.dispose()


def _attempt(engine: Engine, guess: str, at: datetime) -> dict[str, object]:
    row = {"player_id": None, "campaign": "balade", "step": "tour", "guess": guess}
    return {**row, "correct": False, "at": db.stamp(engine, at)}


def test_a_statement_run_in_a_failed_write_transaction_is_not_stored(engine: Engine) -> None:
    moment = datetime(2026, 9, 19, 15, 0, tzinfo=ZoneInfo("UTC"))
    with db.writing(engine) as session:
        db.run(session, INSERT, _attempt(engine, "stored", moment))
    with pytest.raises(RuntimeError), db.writing(engine) as session:
        db.run(session, INSERT, _attempt(engine, "lost", moment))
        raise RuntimeError("the answer failed after its insert")
    assert [row[0] for row in db.read_now(engine, GUESSES, {"c": "balade"})] == ["stored"]


def test_run_takes_a_list_of_parameter_sets_as_one_executemany(engine: Engine) -> None:
    moment = datetime(2026, 9, 19, 15, 0, tzinfo=ZoneInfo("UTC"))
    with db.writing(engine) as session:
        db.run(session, INSERT, [_attempt(engine, guess, moment) for guess in ("a", "b", "c")])
    assert [row[0] for row in db.read_now(engine, GUESSES, {"c": "balade"})] == ["a", "b", "c"]


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "Pacific/Noumea"])
def test_a_stamped_time_reads_back_as_the_orm_writes_it(engine: Engine, zone: str) -> None:
    moment = datetime(2026, 9, 19, 15, 4, 5, 123456, tzinfo=ZoneInfo(zone))
    with db.writing(engine) as session:
        session.add(Player(id="p" * 32, resume_code="ABCD1234"))
        session.flush()
        db.run(session, INSERT, {**_attempt(engine, "fast", moment), "player_id": "p" * 32})
        orm = {"campaign": "balade", "step": "tour", "guess": "orm", "correct": False}
        session.add(Attempt(player_id="p" * 32, at=moment, **orm))
    with db.reading(engine) as session:
        rows = {a.guess: a.at for a in session.exec(select(Attempt))}
    assert rows["fast"] == rows["orm"]
