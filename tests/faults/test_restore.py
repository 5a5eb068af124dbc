"""The README's PostgreSQL backup and restore, run as written, and the forgotten stay forgotten.

The commands are read from the README itself (the `pg_dump` of "Backups" and the block after the
`restore-postgresql` marker), so the test fails as soon as the documented procedure stops
working. The site's database and role are both called `balises` there; here both get the same
fresh name on the test server, and `systemctl stop/start balises` stop and start a real server.
A resident who pressed "forget me" after the dump must not come back with it.
"""

from __future__ import annotations

import re
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.concurrency.traces import player_id_in, rows_holding
from tests.databases import postgres_admin_url
from tests.faults.servers import RIDDLES, ROOT, Resident, Server
from web.privacy import tombstones
from web.store import db

MARKER = "<!-- restore-postgresql"


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def dump_command() -> str:
    found = re.search(r"`(pg_dump [^`]+)`", _readme())
    assert found, "the README's Backups paragraph has no pg_dump command"
    return found.group(1)


def restore_procedure() -> list[str]:
    """The command lines of the README's restore block, without their comments."""
    text = _readme()
    assert MARKER in text, "the README has no PostgreSQL restore procedure to run"
    block = text.split(MARKER, 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [re.sub(r"\s+#.*$", "", line).strip() for line in block.splitlines()]
    return [line for line in lines if line]


def here(line: str, name: str) -> str:
    """A README line for this test's database and role (`balises` in the README)."""
    line = line.replace("sudo -u postgres ", "").replace("balises_old", f"{name}_old")
    return re.sub(r"\bbalises\b", name, line)


def _major(version_text: str) -> int:
    found = re.search(r"(\d+)(?:\.\d+)?", version_text)
    assert found, version_text
    return int(found.group(1))


@pytest.fixture
def database() -> Iterator[str]:
    """A fresh database and its owner role, of one random name, dropped afterwards."""
    admin_url = postgres_admin_url()
    try:
        admin = psycopg.connect(admin_url, connect_timeout=5, autocommit=True)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL unreachable: {error}")
    name = f"balises_{secrets.token_hex(4)}"
    admin.execute(f'CREATE ROLE "{name}" LOGIN')
    admin.execute(f'CREATE DATABASE "{name}" OWNER "{name}"')
    try:
        yield name
    finally:
        for db_name in (name, f"{name}_old"):
            admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        admin.execute(f'DROP ROLE IF EXISTS "{name}"')
        admin.close()


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    parts = urlsplit(postgres_admin_url())
    environ = {
        "PATH": "/usr/bin:/bin",
        "PGHOST": parts.hostname or "127.0.0.1",
        "PGPORT": str(parts.port or 5432),
        "PGUSER": parts.username or "postgres",
        "PGDATABASE": "postgres",
    }
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=environ, capture_output=True, text=True, timeout=120
    )


@pytest.mark.postgres
def test_the_readme_restore_keeps_a_resident_forgotten_after_the_dump(
    database: str, tmp_path: Path, campaigns_file: Path
) -> None:
    client = subprocess.run(["pg_restore", "--version"], capture_output=True, text=True)
    assert client.returncode == 0, "pg_restore missing: scripts/setup.sh --test installs it"
    with psycopg.connect(postgres_admin_url()) as admin:
        server_version = str(admin.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    assert _major(client.stdout) >= _major(server_version), (
        f"{client.stdout.strip()} cannot restore dumps of PostgreSQL {server_version}"
    )
    parts = urlsplit(postgres_admin_url())
    url = f"postgresql://{database}@{parts.hostname}:{parts.port or 5432}/{database}"
    server = Server(url, tmp_path / "var", campaigns_file).start()
    anne, bruno = Resident(server.url), Resident(server.url)
    try:
        for resident in (anne, bruno):
            resident.open_step("tour")
            assert "Bravo" in resident.answer(*RIDDLES[0]).text
        assert anne.answer("pont", "Le pont Neuf").status_code == 200
        assert anne.hint("pont").status_code == 200
        engine = db.make_engine(url)
        pid, kept = (player_id_in(r.client.cookies) for r in (anne, bruno))

        dumped = _shell(here(dump_command(), database), tmp_path)
        assert dumped.returncode == 0, dumped.stderr

        anne.get("/moi")  # forgotten after the dump: the dump still holds her
        forgotten = anne.post("/moi/oubli", {"confirm": "oui"}, htmx=False)
        assert forgotten.headers["location"] == "/moi?oubli=fait"
        assert rows_holding(engine, pid) == {}
        assert tombstones.read(server.var_dir) == [pid]

        # What the README used to say, onto the database in use: it fails and restores nothing.
        [dump] = tmp_path.glob(f"{database}-*.dump")
        onto_live = _shell(f"pg_restore --exit-on-error --dbname={database} {dump.name}", tmp_path)
        assert onto_live.returncode != 0

        engine.dispose()
        for line in restore_procedure():
            if line.startswith("systemctl stop"):
                server.stop()
            elif line.startswith("systemctl start"):
                assert "player.id" in rows_holding(engine, pid)  # the restore brought her back
                engine.dispose()
                server.start()
            else:
                command = here(line, database)
                wanted = re.search(r"(\S+\.dump)\b", command)
                if wanted and not (tmp_path / wanted.group(1)).exists():
                    dump.rename(tmp_path / wanted.group(1))  # the dated name the README uses
                    dump = tmp_path / wanted.group(1)
                done = _shell(command, tmp_path)
                assert done.returncode == 0, (command, done.stderr)
        assert server.process is not None, "the procedure starts the site again"
        with engine.connect() as connection:  # the restored tables were analysed, as told
            analysed = connection.exec_driver_sql(
                "SELECT relname FROM pg_stat_user_tables"
                " WHERE relname IN ('attempt', 'solve', 'journey') AND last_analyze IS NOT NULL"
            ).scalars()
            assert sorted(analysed) == ["attempt", "journey", "solve"]

        # forgotten again once the site answers (its start's housekeeping), from the tombstone
        deadline = time.monotonic() + 30
        while rows_holding(engine, pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert rows_holding(engine, pid) == {}
        with engine.connect() as connection:  # the restore did bring the rest back
            restored = connection.exec_driver_sql(
                "SELECT count(*) FROM solve WHERE player_id = %(p)s", {"p": kept}
            ).scalar_one()
        assert restored == 1
        assert 'name="answer"' in bruno.get("/c/ou-sommes-nous/pont").text
    finally:
        anne.close()
        bruno.close()
        server.kill()
