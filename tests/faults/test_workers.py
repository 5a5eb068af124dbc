"""Two uvicorn workers on one database: no lost or doubled answers, shared limits and sessions.

`balises serve --workers 2` forks two processes that accept on one socket. Everything a player
relies on must hold whichever worker answers: the session cookie and CSRF token made by one are
good on the other, a brute force split across both meets the limit at the same count, a
campaign file edit is seen by both, and many concurrent answers give exact solve counts with no
"database is locked". Connections are pinned to a worker by keeping them alive and asking `ss`
which process holds the server end.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from tests.faults.conftest import long_form
from tests.faults.servers import (
    SLUG,
    Resident,
    Server,
    one_connection_per_worker,
    raw_request,
)
from web.store import db
from web.store.tables.play import Attempt, Solve


def play(url: str, index: int) -> list[int]:
    """A resident: open the riddle, one wrong answer, then the right one twice at once."""
    resident = Resident(url, fresh_connections=True, headers={"X-Player": str(index)})
    try:
        statuses = [resident.open_step("tour").status_code]
        wrong = resident.answer("tour", f"Zanzibar {index}")
        statuses.append(wrong.status_code)
        assert "Pas tout à fait" in wrong.text, wrong.text[:300]
        with ThreadPoolExecutor(2) as pool:
            taps = list(pool.map(lambda _: resident.answer("tour", "Tour Saint-Aubin"), [1, 2]))
        statuses += [tap.status_code for tap in taps]
        texts = " ".join(tap.text for tap in taps)
        assert "Bravo, vous avez trouvé" in texts or "Déjà trouvé" in texts
        return statuses
    finally:
        resident.close()


def test_many_players_on_two_workers_exact_counts(
    database_url: str, make_server: Callable[..., Server]
) -> None:
    server = make_server(database_url, workers=2).start()
    players = 200 if long_form() else 24
    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(lambda i: play(server.url, i), range(players)))
    statuses = [status for result in results for status in result]
    assert set(statuses) == {200}, sorted(set(statuses))
    assert "database is locked" not in server.log()
    assert "Traceback" not in server.log()
    engine = db.make_engine(database_url)
    try:
        with db.reading(engine) as session:
            solves = session.exec(
                select(func.count()).select_from(Solve).where(Solve.campaign == SLUG)
            ).one()
            solvers = session.exec(select(func.count(func.distinct(Solve.player_id)))).one()
            wrong = session.exec(
                select(func.count()).select_from(Attempt).where(Attempt.correct == False)  # noqa: E712
            ).one()
    finally:
        engine.dispose()
    assert (solves, solvers, wrong) == (players, players, players)


def test_limits_sessions_and_reloads_hold_across_workers(
    database_url: str, make_server: Callable[..., Server], campaigns_file: Path
) -> None:
    server = make_server(database_url, workers=2).start()
    resident = Resident(server.url)
    resident.open_step("tour")
    assert "Pas tout à fait" in resident.answer("tour", "Zanzibar").text  # the player row exists
    cookie = {"Cookie": f"balises={resident.cookie}", "HX-Request": "true"}
    (pid_a, first), (pid_b, second) = sorted(one_connection_per_worker(server).items())
    body = f"csrf={resident.token}&answer=Zanzibar"
    statuses = []
    for attempt in range(11):
        connection = first if attempt % 2 == 0 else second
        status, text = raw_request(connection, "POST", f"/c/{SLUG}/tour", body=body, headers=cookie)
        statuses.append(status)
        if status == 200:  # the session and token made by one worker are good on the other
            assert "Pas tout à fait" in text
    # answers_per_minute = 10 per player and step, counted in the database both workers share
    assert statuses == [200] * 9 + [429] * 2

    # The campaign file is edited: both workers publish the new version once it stopped
    # changing (the quiet period of web.publication.registry, then at most a second to look).
    text = campaigns_file.read_text(encoding="utf-8")
    edited = text.replace("Cette tour vous dit quelque chose ?", "Cette tour, vous la voyez ?", 1)
    assert edited != text
    campaigns_file.write_text(edited, encoding="utf-8")
    deadline = time.monotonic() + 10
    pages: list[str] = []
    while time.monotonic() < deadline:
        pages = []
        for connection in (first, second):
            status, page = raw_request(connection, "GET", f"/c/{SLUG}/tour")
            assert status == 200
            pages.append(page)
        if all("Cette tour, vous la voyez ?" in page for page in pages):
            break
        time.sleep(0.2)
    for page in pages:
        assert "Cette tour, vous la voyez ?" in page
        assert "Cette tour vous dit quelque chose ?" not in page
    first.close()
    second.close()
    resident.close()
    assert pid_a != pid_b
