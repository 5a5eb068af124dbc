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

from campaigns.loading import load_file
from tests.web.balade import write_balade
from web.participation import sent
from web.store import db, progress, tallies
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


def test_the_figures_still_count_hints_after_the_upgrade_that_lets_players_move_on(
    database_url: str, tmp_path: Path
) -> None:
    """Migration 0014 adds a column to `stepprogress` without rebuilding it: a rebuild on
    SQLite drops the triggers 0011 put on it, and the figures would stop counting hints."""
    engine = db.make_engine(database_url)
    _upgrade(engine, "0013")
    at = datetime(2026, 5, 1, 10, 30, tzinfo=UTC)
    with engine.begin() as connection:
        for player in ("p1", "p2"):
            connection.execute(
                text("INSERT INTO player (id, created_at, resume_code) VALUES (:p, :at, :code)"),
                {"p": player, "at": at, "code": f"ABCDEF{player.upper()}"},
            )
        connection.execute(
            text(
                "INSERT INTO stepprogress (player_id, campaign, step, hints_shown, reveal_stage)"
                " VALUES ('p1', 'balade', 'tour', 1, 0)"
            )
        )

    db.migrate(engine, tmp_path)

    [balade, _] = load_file(write_balade(tmp_path / "campaigns")).campaigns
    tour = balade.step("tour")
    assert tour is not None
    with db.writing(engine) as session:
        assert progress.ask_hint(session, "p1", "balade", tour) == 2
        assert progress.ask_hint(session, "p2", "balade", tour) == 1
        progress.move_on(session, "p1", "balade", "tour", answer=True)
        progress.move_on(session, "p2", "balade", "pont", answer=False)
    with db.reading(engine) as session:
        counted = tallies.steps(session, "balade")
        seen = progress.load(session, "p1", "balade").seen
    assert (counted["tour"].hints, counted["tour"].hinted, counted["tour"].done) == (3, 2, 0)
    assert (counted["pont"].hints, counted["pont"].hinted, counted["pont"].done) == (0, 0, 0)
    assert seen == {"tour"}
    engine.dispose()
