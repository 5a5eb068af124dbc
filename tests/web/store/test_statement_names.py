"""The hand-written SQL of the hot path names only tables and columns the schema has.

The driver statements (`web.store.statements`) bypass the ORM, so a column renamed in
`web/store/tables/` and its migration would only fail when a resident's request ran the
statement. Every such statement is compiled here (`EXPLAIN`, nothing runs) against the
migrated schema, on SQLite and PostgreSQL: a name the schema lacks fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import TextClause
from sqlalchemy.engine import Engine

from web import players
from web.play import answers
from web.store import counters, db, progress, statements

# The statements handed to the driver (`statements.run`, `Borrowed`); those SQLAlchemy runs
# itself (`progress_counts`, with an expanding IN) are compiled by it on every call.
MODULES: tuple[ModuleType, ...] = (players, answers, progress, counters)
SIZE = 4  # the answer's limits: built per number of limits


def _built() -> list[tuple[str, TextClause, set[str]]]:
    """Every statement of the modules, (name, statement, dialects it runs on)."""
    both = {"sqlite", "postgresql"}
    found = [
        (f"{module.__name__}.{name}", value, both)
        for module in MODULES
        for name, value in vars(module).items()
        if isinstance(value, TextClause)
    ]
    found += [
        ("counters._counts_query", counters._counts_query(SIZE), both),
        ("counters._bump_returning", counters._bump_returning(SIZE), both),
        ("counters._give_back", counters._give_back(SIZE), both),
        ("counters._insert", counters._insert("attempt", _ATTEMPT_COLUMNS), both),
        (
            "counters._bump_then_store",
            counters._bump_then_store(SIZE, "attempt", _ATTEMPT_COLUMNS),
            {"postgresql"},
        ),
        ("progress._with_counts", progress._with_counts(counters._counts_query(SIZE).text), both),
    ]
    return found


_ATTEMPT_COLUMNS = ("player_id", "campaign", "step", "guess", "correct", "at")


@pytest.fixture
def engine(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    engine = db.make_engine(database_url)
    db.migrate(engine, tmp_path / "var")
    yield engine
    engine.dispose()


def test_there_are_statements_to_check() -> None:
    names = {name for name, _statement, _dialects in _built()}
    assert {"web.store.progress._PROGRESS", "web.play.answers._ATTEMPT"} <= names
    assert "web.store.progress._ONE_MORE_HINT" in names
    assert len(names) >= 12


def test_every_hot_path_statement_names_what_the_schema_has(engine: Engine) -> None:
    dialect = engine.dialect.name
    failures = []
    with statements.borrowed(engine) as connection:
        for name, statement, dialects in _built():
            if dialect not in dialects:
                continue
            params = dict.fromkeys(re.findall(r"(?<![:\w]):(\w+)", statement.text))
            try:
                connection.read(_explained(statement), params)
            except Exception as error:
                failures.append(f"{name}: {str(error).splitlines()[0]}")
    assert failures == []


def test_a_misspelt_column_is_caught(engine: Engine) -> None:
    wrong = TextClause("SELECT hints_showed FROM stepprogress WHERE player_id = :p")
    with statements.borrowed(engine) as connection, pytest.raises(Exception, match="hints_showed"):
        connection.read(_explained(wrong), {"p": None})


def _explained(statement: TextClause) -> TextClause:
    return TextClause("EXPLAIN " + statement.text)
