"""The migrations build exactly the tables the code declares, on both databases.

An upgrade must keep every player's progress, so the schema only ever changes through Alembic;
a model edited without its migration would work in tests and break on a city's server.
"""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from web.store import db


def test_migrations_match_the_models(database_url: str, tmp_path: Path) -> None:
    engine = db.make_engine(database_url)
    db.migrate(engine, tmp_path)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_migrating_twice_changes_nothing(database_url: str, tmp_path: Path) -> None:
    engine = db.make_engine(database_url)
    db.migrate(engine, tmp_path)
    tables = sorted(inspect(engine).get_table_names())
    db.migrate(engine, tmp_path)
    assert sorted(inspect(engine).get_table_names()) == tables
    assert {"player", "attempt", "solve", "alembic_version"} <= set(tables)
