"""A resident forgotten after the last backup stays forgotten when that backup is restored."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from balises.backupcommand import run_backup
from tests.web.balade import Walker, rows_mentioning, write_balade
from tests.web.conftest import World
from web.privacy import tombstones
from web.staff import figures
from web.store import db
from web.store.tables.participation import Submission, SubmissionReport
from web.store.tables.play import Player, RateCounter


@pytest.fixture
def town(make_world: Callable[..., World], tmp_path: Path) -> World:
    return make_world(campaigns_path=write_balade(tmp_path / "balade"))


def _figures(world: World) -> dict[str, object]:
    with db.reading(world.site.engine) as session:
        return figures.compute(session, world.campaign("balade")).as_json()


def _play(world: World) -> tuple[Walker, Walker]:
    anne, bruno = Walker(world), Walker(world)
    anne.visit("balade")
    anne.answer("balade", "pont", "Pont Neuf")
    anne.hint("balade", "pont")
    anne.answer("balade", "pont", "Pont des Sept Arches")
    anne.answer("balade", "tour", "tour saint aubin")
    bruno.visit("balade")
    bruno.answer("balade", "tour", "Tour Saint-Aubin")
    return anne, bruno


def _forget(walker: Walker) -> None:
    walker.get("/moi")
    response = walker.post("/moi/oubli", {"confirm": "oui"})
    assert response.status_code == 303
    assert response.headers["location"] == "/moi?oubli=fait"


def _has_player(world: World, pid: str) -> bool:
    with db.reading(world.site.engine) as session:
        return session.get(Player, pid) is not None


def _sqlite_path(world: World) -> Path:
    database = make_url(world.settings.database_url).database
    assert database
    return Path(database)


def _stop(world: World) -> None:
    """No app runs on the database any more (its last connection closed, WAL checkpointed)."""
    world.site.engine.dispose()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_restored_backup_does_not_bring_a_forgotten_resident_back(
    town: World, make_world: Callable[..., World], tmp_path: Path
) -> None:
    anne, bruno = _play(town)
    pid = anne.player_id
    backup = tmp_path / "sauvegardes" / "balises-2026-10-01.db"
    backup.parent.mkdir()

    assert run_backup(town.settings, backup) == 0

    copy = sqlite3.connect(backup)
    assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert copy.execute("SELECT count(*) FROM player WHERE id = ?", (pid,)).fetchone() == (1,)
    copy.close()
    assert sorted(p.name for p in backup.parent.iterdir()) == [backup.name]  # no temp left

    before = _figures(town)
    _forget(anne)
    assert not _has_player(town, pid)
    assert tombstones.read(town.settings.var_dir) == [pid]

    # The site is stopped and the backup copied over the database.
    _stop(town)
    database = _sqlite_path(town)
    for sidecar in (Path(f"{database}-wal"), Path(f"{database}-shm")):
        sidecar.unlink(missing_ok=True)
    shutil.copy(backup, database)
    restored = sqlite3.connect(database)
    assert restored.execute("SELECT count(*) FROM player WHERE id = ?", (pid,)).fetchone() == (1,)
    restored.close()

    again = make_world(campaigns_path=town.settings.campaigns_path)

    assert not _has_player(again, pid)
    assert rows_mentioning(again, pid) == []
    assert _has_player(again, bruno.player_id)
    assert _figures(again) == before
    log = (again.settings.var_dir / "tombstones.log").read_text(encoding="ascii")
    assert log.splitlines() == [pid]
    # A further start has nothing left to forget and logs nothing more.
    assert tombstones.reapply(again.site.engine, again.settings.var_dir, [], None) == 0
    assert log == (again.settings.var_dir / "tombstones.log").read_text(encoding="ascii")


def test_start_forgets_a_logged_resident_still_in_the_database(
    town: World, make_world: Callable[..., World], caplog: pytest.LogCaptureFixture
) -> None:
    """What a restore leaves behind, on both databases: the player back, their tombstone kept."""
    anne, bruno = _play(town)
    pid = anne.player_id
    before = _figures(town)
    tombstones.record(town.settings.var_dir, pid)
    _stop(town)

    with caplog.at_level("INFO", logger="balises.tombstones"):
        again = make_world(campaigns_path=town.settings.campaigns_path)

    assert "deletion tombstones re-applied: 1" in caplog.text
    assert not _has_player(again, pid)
    assert rows_mentioning(again, pid) == []
    assert _has_player(again, bruno.player_id)
    assert _figures(again) == before


def test_start_forgets_rows_of_a_logged_resident_whose_player_row_is_gone(
    town: World, make_world: Callable[..., World], caplog: pytest.LogCaptureFixture
) -> None:
    """Rows a request in flight wrote during the forget (a report, counters), found by id."""
    anne, bruno = _play(town)
    pid = anne.player_id
    _forget(anne)
    with db.writing(town.site.engine) as session:
        item = Submission(campaign="balade", step="pont", text="Le pont", status="accepted")
        session.add(item)
        session.flush()
        assert item.id is not None
        session.add(SubmissionReport(submission_id=item.id, reporter=pid))
        session.add(RateCounter(key=f"answer:{pid}:balade/pont@60", bucket=0, count=3))
    assert {table for table, _row in rows_mentioning(town, pid)} == {
        "submissionreport",
        "ratecounter",
    }
    _stop(town)

    with caplog.at_level("INFO", logger="balises.tombstones"):
        again = make_world(campaigns_path=town.settings.campaigns_path)

    assert "deletion tombstones re-applied: 1" in caplog.text
    assert rows_mentioning(again, pid) == []
    assert _has_player(again, bruno.player_id)


def test_two_workers_starting_together_forget_the_resident_once(town: World) -> None:
    anne, _bruno = _play(town)
    before = _figures(town)
    tombstones.record(town.settings.var_dir, anne.player_id)
    campaigns = town.site.registry.campaigns()
    counts: list[int] = []

    def start() -> None:
        counts.append(tombstones.reapply(town.site.engine, town.settings.var_dir, campaigns))

    workers = [threading.Thread(target=start) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(counts) == [0, 1]
    assert _figures(town) == before


def test_the_log_holds_ids_only_and_only_its_owner_reads_it(town: World) -> None:
    anne, _bruno = _play(town)
    pid = anne.player_id
    _forget(anne)
    path = town.settings.var_dir / "tombstones.log"
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_text(encoding="ascii") == f"{pid}\n"


def test_a_forget_whose_tombstone_cannot_be_written_deletes_nothing(
    town: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    anne, _bruno = _play(town)
    pid = anne.player_id

    def full_disk(var_dir: Path, player_id: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tombstones, "record", full_disk)
    anne.get("/moi")
    with pytest.raises(OSError, match="No space left"):  # the resident gets the 500 page
        anne.post("/moi/oubli", {"confirm": "oui"})

    assert _has_player(town, pid)  # refused as a whole: the resident can try again


def test_read_skips_blank_lines_and_repeats(tmp_path: Path) -> None:
    assert tombstones.read(tmp_path) == []
    tombstones.record(tmp_path, "a" * 32)
    tombstones.record(tmp_path, "b" * 32)
    tombstones.record(tmp_path, "a" * 32)
    with open(tmp_path / "tombstones.log", "a", encoding="ascii") as log:
        log.write("\n")
    assert tombstones.read(tmp_path) == ["a" * 32, "b" * 32]
    with pytest.raises(ValueError):
        tombstones.record(tmp_path, "x\ny")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_backup_to_an_unwritable_place_fails_cleanly(
    town: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "fichier"
    not_a_folder.write_text("x", encoding="utf-8")

    assert run_backup(town.settings, not_a_folder / "backup.db") == 1
    assert "balises backup : impossible d'écrire dans" in capsys.readouterr().err
    assert not_a_folder.read_text(encoding="utf-8") == "x"

    missing = tmp_path / "absent" / "backup.db"
    assert run_backup(town.settings, missing) == 1
    assert not missing.parent.exists()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_copy_failing_integrity_check_is_not_kept(
    town: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _play(town)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr("web.store.backup.check_integrity", lambda path: "row 3 missing from index")

    assert run_backup(town.settings, out / "backup.db") == 1
    assert "échoue à PRAGMA integrity_check" in capsys.readouterr().err
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_backup_never_overwrites_the_database_itself(
    town: World, capsys: pytest.CaptureFixture[str]
) -> None:
    database = _sqlite_path(town)
    assert run_backup(town.settings, database) == 1
    assert "est la base de données elle-même" in capsys.readouterr().err
