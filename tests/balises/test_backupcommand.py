"""`balises backup`: the command line around `balises.backupcommand.run_backup`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from balises.cli import main


def test_backup_on_postgresql_points_to_pg_dump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BALISES_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("BALISES_DATABASE_URL", "postgresql://balises@db.internal/balises")

    assert main(["backup", str(tmp_path / "backup.db")]) == 2

    assert "utilisez pg_dump" in capsys.readouterr().err
    assert not (tmp_path / "backup.db").exists()


def test_backup_copies_a_sqlite_database_and_checks_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "var" / "balises.db"
    database.parent.mkdir()
    live = sqlite3.connect(database)
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE player (id TEXT PRIMARY KEY)")
    live.execute("INSERT INTO player VALUES ('abc')")
    live.commit()  # left open, with its -wal file, like a running site
    monkeypatch.setenv("BALISES_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("BALISES_DATABASE_URL", raising=False)
    out = tmp_path / "backup.db"
    try:
        assert main(["backup", str(out)]) == 0
    finally:
        live.close()

    assert "integrity_check : ok" in capsys.readouterr().err
    copy = sqlite3.connect(out)
    assert copy.execute("SELECT id FROM player").fetchall() == [("abc",)]
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copy.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.db", "var"]


def test_backup_of_a_missing_database_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BALISES_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("BALISES_DATABASE_URL", raising=False)

    assert main(["backup", str(tmp_path / "backup.db")]) == 1

    assert "pas d'instance dans" in capsys.readouterr().err
    assert not (tmp_path / "var" / "balises.db").exists()
