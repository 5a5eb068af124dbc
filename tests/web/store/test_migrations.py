"""The migrations build exactly the tables the code declares, on both databases.

An upgrade must keep every player's progress, so the schema only ever changes through Alembic;
a model edited without its migration would work in tests and break on a city's server.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, select

from web.participation import sent
from web.store import db
from web.store.tables.participation import REJECTED, Submission


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


def _upgrade(engine: Engine, revision: str) -> None:
    config = Config(str(db.ALEMBIC_INI))
    config.set_main_option("script_location", str(db.MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_the_first_versions_contributions_are_kept_as_the_residents_unpublished_submissions(
    database_url: str, tmp_path: Path
) -> None:
    engine = db.make_engine(database_url)
    _upgrade(engine, "0009")
    at = datetime(2026, 5, 1, 10, 30, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO player (id, created_at, resume_code) VALUES ('p1', :at, 'ABCDEFGH')"),
            {"at": at},
        )
        connection.execute(
            text(
                "INSERT INTO contribution (player_id, campaign, step, text, at)"
                " VALUES ('p1', 'balade', 'souvenir', 'Le bal du 14 juillet', :at)"
            ),
            {"at": at},
        )

    db.migrate(engine, tmp_path)

    assert "contribution" not in inspect(engine).get_table_names()
    with db.reading(engine) as session:
        [row] = session.exec(select(Submission)).all()
        mine = sent.player_contributions(session, "p1")
    assert (row.player_id, row.campaign, row.step, row.text) == (
        "p1",
        "balade",
        "souvenir",
        "Le bal du 14 juillet",
    )
    assert (row.status, row.credit_kind, row.licence) == (REJECTED, "anonymous", "")
    assert row.message.startswith("Envoyée avant l'ouverture de la galerie")
    assert [item["text"] for item in mine] == ["Le bal du 14 juillet"]
    engine.dispose()
