"""The example campaigns served by the installed `balises serve` for the page benchmarks
(Lighthouse, the transfer budget): production settings, the tests' map tiles, one worker on a
free loopback port, ready when `/healthz` answers, stopped when the block ends."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.web.maparchive import build_archive

BALISES = Path(sys.executable).with_name("balises")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def example_site(folder: Path, campaigns: Path, **settings: str) -> Iterator[str]:
    """The base URL of a site serving `campaigns` from `folder` (its var/ and tiles), with
    `settings` (BALISES_* variables) added."""
    tiles = build_archive(folder / "val-de-loir.pmtiles")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BALISES_")}
    environ.update(
        BALISES_ENV="production",
        BALISES_SECRET_KEY=secrets.token_urlsafe(48),
        BALISES_VAR_DIR=str(folder / "var"),
        BALISES_CAMPAIGNS=str(campaigns),
        BALISES_MAP_TILES=str(tiles),
        BALISES_BASE_URL=base,
        **settings,
    )
    server = subprocess.Popen(
        [str(BALISES), "serve", "--port", str(port)],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
