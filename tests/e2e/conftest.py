"""The installed `balises serve` that the end-to-end tests of one feature talk to: the example
campaigns copied into the test's folder, SQLite, one worker, stopped after the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.servers import Server, copy_campaigns


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    var = tmp_path / "var"
    running = Server(f"sqlite:///{var / 'balises.db'}", var, copy_campaigns(tmp_path / "site"))
    running.start()
    try:
        yield running
    finally:
        running.stop()
