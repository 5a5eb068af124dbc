"""The load script itself, as CI runs it (short) and as it is run by hand (`-m slow`).

The short form plays residents against Balises and the reference apps for a second each on
SQLite and checks that no request failed; the ratios are only recorded (a 2-core CI machine
shared with other jobs makes them too noisy to gate on). The long form runs both databases,
three rounds of ten seconds, and fails when a median ratio misses the issue's target (by hand,
on a quiet machine: `scripts/test.sh -m slow tests/faults/test_load.py`).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.faults.servers import ROOT

LOAD = ROOT / "benchmarks" / "load.py"


def run_load(*args: str, timeout: float) -> str:
    done = subprocess.run(
        [sys.executable, str(LOAD), "--check", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_load_short_form_has_no_bad_response() -> None:
    out = run_load(
        "--duration",
        "1",
        "--warmup",
        "0.3",
        "--connections",
        "8",
        "--databases",
        "sqlite",
        timeout=180,
    )
    for scenario in ("sessions", "step GET", "answer POST", "ref page", "ref answer", "hello"):
        assert f"| {scenario} |" in out
    assert "| sqlite | 1 | answer POST | ref answer |" in out


@pytest.mark.slow
@pytest.mark.postgres
def test_load_long_form_on_both_databases() -> None:
    out = run_load(
        "--duration", "10", "--connections", "32", "--rounds", "3", "--targets", timeout=1500
    )
    assert "| postgres | 2 | answer POST | ref answer |" in out
