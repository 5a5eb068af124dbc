"""`web.store.statements` keeps the guarantees of the ORM path it replaces: a statement
run through `run` belongs to the write transaction (all or nothing), a timestamp passed through
`stamp` reads back as the ORM's own, `read_now` sees what was committed, a borrowed write stores its
statements all or none, and a failed statement leaves the pooled connection usable."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlmodel import select

from web.store import db, statements
from web.store.tables.play import Attempt, Player

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


def _guesses(engine: Engine) -> list[str]:
    return [row[0] for row in statements.read_now(engine, GUESSES, {"c": "balade"})]


def _attempt(engine: Engine, guess: str, at: datetime) -> dict[str, object]:
    row = {"player_id": None, "campaign": "balade", "step": "tour", "guess": guess}
    return {**row, "correct": False, "at": statements.stamp(engine, at)}


def test_a_statement_run_in_a_failed_write_transaction_is_not_stored(engine: Engine) -> None:
    moment = datetime(2026, 9, 19, 15, 0, tzinfo=ZoneInfo("UTC"))
    with db.writing(engine) as session:
        statements.run(session, INSERT, _attempt(engine, "stored", moment))
    with pytest.raises(RuntimeError), db.writing(engine) as session:
        statements.run(session, INSERT, _attempt(engine, "lost", moment))
        raise RuntimeError("the answer failed after its insert")
    assert _guesses(engine) == ["stored"]


def test_run_takes_a_list_of_parameter_sets_as_one_executemany(engine: Engine) -> None:
    moment = datetime(2026, 9, 19, 15, 0, tzinfo=ZoneInfo("UTC"))
    with db.writing(engine) as session:
        statements.run(
            session, INSERT, [_attempt(engine, guess, moment) for guess in ("a", "b", "c")]
        )
    assert [row[0] for row in statements.read_now(engine, GUESSES, {"c": "balade"})] == [
        "a",
        "b",
        "c",
    ]


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "Pacific/Noumea"])
def test_a_stamped_time_reads_back_as_the_orm_writes_it(engine: Engine, zone: str) -> None:
    moment = datetime(2026, 9, 19, 15, 4, 5, 123456, tzinfo=ZoneInfo(zone))
    with db.writing(engine) as session:
        session.add(Player(id="p" * 32, resume_code="ABCD1234"))
        session.flush()
        statements.run(session, INSERT, {**_attempt(engine, "fast", moment), "player_id": "p" * 32})
        orm = {"campaign": "balade", "step": "tour", "guess": "orm", "correct": False}
        session.add(Attempt(player_id="p" * 32, at=moment, **orm))
    with db.reading(engine) as session:
        rows = {a.guess: a.at for a in session.exec(select(Attempt))}
    assert rows["fast"] == rows["orm"]


def test_a_borrowed_write_stores_its_statements_together_or_not_at_all(engine: Engine) -> None:
    moment = datetime(2026, 9, 19, 15, 0, tzinfo=ZoneInfo("UTC"))
    no_such_player = {**_attempt(engine, "orphan", moment), "player_id": "nobody"}
    with statements.borrowed(engine) as connection:
        connection.write([(INSERT, _attempt(engine, "one", moment))])
        connection.write(
            [(INSERT, _attempt(engine, "two", moment)), (INSERT, [_attempt(engine, "3", moment)])]
        )
        with pytest.raises(IntegrityError):
            connection.write([(INSERT, _attempt(engine, "lost", moment)), (INSERT, no_such_player)])
        with pytest.raises(IntegrityError):  # alone: PostgreSQL's autocommit path
            connection.write([(INSERT, no_such_player)])
        connection.write([(INSERT, _attempt(engine, "after", moment))])  # still usable
    assert _guesses(engine) == ["3", "after", "one", "two"]


def test_a_bad_statement_leaves_the_connection_usable(engine: Engine) -> None:
    with pytest.raises(ProgrammingError if engine.dialect.name != "sqlite" else OperationalError):
        statements.read_now(engine, text("SELECT nothing FROM nowhere"), {})
    assert _guesses(engine) == []
