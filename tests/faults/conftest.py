"""Fixtures of the fault tests: real servers (see `servers.py`) on SQLite and on PostgreSQL.

Each test gets its own var dir and campaign copy under `tmp_path`, its own free port, and on
PostgreSQL its own schema (as `tests/web/conftest.py` does), dropped at the end.
`BALISES_LONG_TESTS=1` lengthens the tests that have a long form (more players, longer runs).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.databases import postgres_schema
from tests.faults.servers import Server, copy_campaigns


def long_form() -> bool:
    return os.environ.get("BALISES_LONG_TESTS", "") in ("1", "true", "yes")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema of this test."""
    with postgres_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'var' / 'balises.db'}"
    url = request.getfixturevalue("postgres_url")
    assert isinstance(url, str)
    return url


@pytest.fixture
def campaigns_file(tmp_path: Path) -> Path:
    return copy_campaigns(tmp_path / "campaigns")


@pytest.fixture
def make_server(tmp_path: Path, campaigns_file: Path) -> Iterator[Callable[..., Server]]:
    """Build (not start) servers; every one still running is killed at the end of the test."""
    made: list[Server] = []

    def make(database_url: str, *, workers: int = 1, **env: str) -> Server:
        server = Server(database_url, tmp_path / "var", campaigns_file, workers, env)
        made.append(server)
        return server

    yield make
    for server in made:
        server.kill()
