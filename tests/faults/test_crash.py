"""`kill -9` in the middle of a load run: every acknowledged answer survives, nothing is torn.

Residents keep sending answers while the server is killed with SIGKILL (no shutdown, no flush).
After a restart on the same database, every answer that received a response is there (an
answer is committed, with synchronous=FULL on SQLite, before its response is built), SQLite
passes `PRAGMA integrity_check`, and the same residents play on with their old cookies.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable

import httpx
from sqlmodel import select

from campaigns.matching import normalise
from tests.faults.conftest import long_form
from tests.faults.servers import Resident, Server
from web import db
from web.tables import Attempt


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


def test_kill_9_during_load_loses_no_acknowledged_answer(
    database_url: str, make_server: Callable[..., Server]
) -> None:
    server = make_server(database_url, BALISES_ANSWERS_PER_MINUTE="1000000").start()
    residents = [Resident(server.url, timeout=10) for _ in range(8)]
    for resident in residents:
        resident.open_step("tour")
    acknowledged: list[str] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=keep_answering, args=(r, f"joueur{i}", acknowledged, stop))
        for i, r in enumerate(residents)
    ]
    for thread in threads:
        thread.start()
    time.sleep(8.0 if long_form() else 1.5)
    server.kill()
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert len(acknowledged) > 20, "the load did not get going before the kill"

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
    # The residents play on after the restart, with the cookies and tokens they had.
    for resident in residents:
        again = resident.answer("tour", "Tour Saint-Aubin")
        assert again.status_code == 200
        assert "Bravo, vous avez trouvé" in again.text
        resident.close()
