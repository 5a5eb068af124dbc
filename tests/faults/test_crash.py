"""`kill -9` in the middle of a load run, and what a power cut would find on the disk.

Residents keep sending answers to two workers while the server is killed with SIGKILL (no
shutdown, no flush). After a restart on the same database, every answer that received a
response is there, wrong ones and solves alike (an answer is committed, with synchronous=FULL on
SQLite, before its response is built), SQLite passes `PRAGMA integrity_check`, and the same
residents play on with their old cookies.

A power cut also loses what the kernel had not yet written to the disk. Under `strace`, every
SQLite commit of both workers (the answer's ORM transactions and the fast path of
`web.store.statements`) is followed by an fsync of the write-ahead log before the response leaves:
with synchronous=NORMAL the log is synced only at checkpoints, and a power cut would lose answers
the residents were told were saved.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from campaigns.matching import normalise
from tests.faults.conftest import long_form
from tests.faults.servers import SLUG, Resident, Server, one_connection_per_worker, raw_request
from web.store import db
from web.store.tables.play import Attempt

UNKEPT = "votre progression ne sera pas conservée"


def keep_answering(
    resident: Resident, name: str, acknowledged: list[str], stop: threading.Event
) -> None:
    for n in range(100_000):
        if stop.is_set():
            return
        guess = f"essai {name} numero {n}"
        try:
            response = resident.answer("tour", guess)
        except httpx.HTTPError:
            return  # the server is gone: this answer got no response, it may or may not be kept
        if response.status_code == 200 and "Pas tout à fait" in response.text:
            acknowledged.append(normalise(guess))


def keep_solving(url: str, solvers: list[Resident], stop: threading.Event) -> None:
    """New residents one after another, each solving the first riddle; `solvers` gets those
    told "Bravo"."""
    while not stop.is_set():
        resident = Resident(url, timeout=10, fresh_connections=True)
        try:
            resident.get("/c/ou-sommes-nous/tour")
            response = resident.answer("tour", "Tour Saint-Aubin")
        except httpx.HTTPError:
            resident.close()
            return  # the server is gone
        told = response.text
        if response.status_code == 200 and "Bravo, vous avez trouvé" in told and UNKEPT not in told:
            solvers.append(resident)
        else:
            resident.close()


def test_kill_9_during_load_loses_no_acknowledged_answer(
    database_url: str, make_server: Callable[..., Server]
) -> None:
    lenient = {"BALISES_ANSWERS_PER_MINUTE": "1000000", "BALISES_NEW_PLAYERS_PER_MINUTE": "100000"}
    server = make_server(database_url, workers=2, **lenient).start()
    residents = [Resident(server.url, timeout=10, fresh_connections=True) for _ in range(8)]
    for resident in residents:
        resident.open_step("tour")
    acknowledged: list[str] = []
    solvers: list[Resident] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=keep_answering, args=(r, f"joueur{i}", acknowledged, stop))
        for i, r in enumerate(residents)
    ]
    threads += [
        threading.Thread(target=keep_solving, args=(server.url, solvers, stop)) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    time.sleep(8.0 if long_form() else 1.5)
    server.kill()
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert len(acknowledged) > 20, "the load did not get going before the kill"
    assert len(solvers) > 2, "no resident solved the riddle before the kill"

    server.start()
    engine = db.make_engine(database_url)
    try:
        with db.reading(engine) as session:
            stored = set(session.exec(select(Attempt.guess)))
    finally:
        engine.dispose()
    missing = [guess for guess in acknowledged if guess not in stored]
    assert missing == []
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    # Every resident told "Bravo" still has the riddle solved, on whichever worker answers.
    for solver in solvers:
        again = solver.answer("tour", "Tour Saint-Aubin")
        assert again.status_code == 200
        assert "Déjà trouvé ! Cette étape est faite." in again.text
        solver.close()
    # The residents play on after the restart, with the cookies and tokens they had.
    for resident in residents:
        again = resident.answer("tour", "Tour Saint-Aubin")
        assert again.status_code == 200
        assert "Bravo, vous avez trouvé" in again.text
        resident.close()


# One line of `strace -f -yy -s 12`: thread id, call, descriptor with what it is, arguments.
TRACED = re.compile(
    r"^(?P<tid>\d+) +(?P<call>\w+)\((?P<fd>\d+)<(?P<what>.*?)>(?:, |\))(?P<rest>.*)$"
)
SYNCS = ("fsync", "fdatasync")
WRITES = ("write", "pwrite64", "writev", "sendto", "sendmsg")


def strace_binary() -> str:
    """strace from the Debian package; missing, skip on a laptop and fail in CI (`CI=true`)."""
    found = shutil.which("strace")
    if found is None:
        reason = "strace is missing: scripts/setup.sh --test installs the Debian package"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"{reason} (CI=true: the power-cut test must run)", pytrace=False)
        pytest.skip(reason)
    return found


@contextmanager
def traced(pids: list[int], out: Path) -> Iterator[None]:
    """`strace` attached to every thread of these processes (writes and syncs only) meanwhile."""
    command = [strace_binary(), "-f", "-yy", "-s", "12", "-o", str(out)]
    command += ["-e", f"trace={','.join(SYNCS + WRITES)}"]
    for pid in pids:
        command += ["-p", str(pid)]
    tracer = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    assert tracer.stderr is not None
    attached = 0
    while attached < len(pids):  # strace says so on stderr once each process is traced
        line = tracer.stderr.readline()
        assert line, f"strace exited: {tracer.wait()}"
        attached += "attached" in line
    try:
        yield
    finally:
        tracer.terminate()
        tracer.wait(timeout=10)


def responses(trace: str, threads: set[str], wal: str, client_port: int) -> list[bool]:
    """Each response sent on this client's connection, in order: True when the WAL bytes these
    threads wrote since the previous response were synced before it left (False when unsynced
    bytes remained, or nothing was written at all)."""
    sent: list[bool] = []
    written = synced = False
    for line in trace.splitlines():
        match = TRACED.match(line)
        if match is None or match["tid"] not in threads:
            continue
        call, what = match["call"], match["what"]
        if what == wal:
            if call in SYNCS:
                synced = written
            elif call in WRITES:
                written, synced = True, False
        elif what.endswith(f"->127.0.0.1:{client_port}]") and '"HTTP/1.1 ' in match["rest"][:40]:
            sent.append(written and synced)
            written = synced = False
    return sent


def test_every_commit_is_on_disk_before_its_answer_leaves(
    make_server: Callable[..., Server], tmp_path: Path
) -> None:
    database = tmp_path / "var" / "balises.db"
    server = make_server(f"sqlite:///{database}", workers=2).start()
    connections = one_connection_per_worker(server)
    residents = {pid: Resident(server.url) for pid in connections}
    for resident in residents.values():
        resident.open_step("tour")  # a cookie and a token; the player row comes with the answer
    guesses = ["Zanzibar", "Zanzibar 2", "Zanzibar 3", "Tour Saint-Aubin"]
    solved: dict[int, bool] = {}
    trace = tmp_path / "strace.log"
    with traced(sorted(connections), trace):
        for pid, connection in connections.items():
            resident = residents[pid]
            headers = {"Cookie": f"balises={resident.cookie}", "HX-Request": "true"}
            for guess in guesses:
                # The first answer makes the player (an ORM transaction), the next two are the
                # fast path of web.store.statements, the right one a solve (an ORM transaction
                # again).
                body = f"csrf={resident.token}&answer={guess}"
                status, text = raw_request(
                    connection, "POST", f"/c/{SLUG}/tour", body=body, headers=headers
                )
                assert status == 200
            solved[pid] = "Bravo, vous avez trouvé" in text
        threads = {
            pid: {task.name for task in Path(f"/proc/{pid}/task").iterdir()} for pid in solved
        }
    assert solved == dict.fromkeys(connections, True)
    log = trace.read_text()
    for pid, connection in connections.items():
        assert connection.sock is not None
        port = connection.sock.getsockname()[1]
        synced = responses(log, threads[pid], f"{database}-wal", port)
        assert synced == [True] * len(guesses), f"worker {pid}, see {trace}"
        connection.close()
    for resident in residents.values():
        resident.close()
