"""A browser's very first answers, sent at once: one browser is one player, and every "Bravo"
it was told is in its progress.

A new resident opens the riddle (the session cookie comes with the page, no player yet) and
sends three answers at the same instant (a double tap on the right answer, one with htmx and
one without, and a wrong one): a real two-worker server, SQLite and PostgreSQL. Exactly one
player row is made, every response carries its id, exactly one answer says "Bravo" and the
campaign page then counts the step done.
"""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import func, select

from tests.concurrency.barrier import posts_at_once
from tests.concurrency.conftest import QUARTIER, Town
from tests.concurrency.phones import Phone, new_address
from tests.concurrency.traces import player_id_in
from web.store import db
from web.store.tables.play import Player, Solve

SHORT, LONG = 8, 50  # new residents: in CI, and under `-m slow`
BRAVO = "Bravo, vous avez trouvé !"
ALREADY = "Déjà trouvé ! Cette étape est faite."


def _players(town: Town) -> int:
    with db.reading(town.engine) as session:
        return session.exec(select(func.count()).select_from(Player)).one()


def _told(phone: Phone, response: httpx.Response) -> str:
    """What the resident read after this response: the fragment, or the page it led to."""
    if response.status_code == 200:
        return response.text
    assert response.status_code == 303, response.text[:300]
    cookies = httpx.Cookies(phone.client.cookies)
    cookies.update(response.cookies)
    with httpx.Client(base_url=str(phone.client.base_url), cookies=cookies) as browser:
        page = browser.get(response.headers["location"], headers=phone.headers)
    assert page.status_code == 200
    return page.text


def _first_answers_at_once(town: Town, residents: int) -> None:
    before = _players(town)
    for resident in range(residents):
        phone = Phone(town, new_address(town, 31))
        phone.get(f"/c/{QUARTIER}/halle")
        right = "Halle aux grains"
        responses = posts_at_once(
            town.url,
            [
                phone.form(f"/c/{QUARTIER}/halle", htmx=True, answer=right),
                phone.form(f"/c/{QUARTIER}/halle", answer=right),
                phone.form(f"/c/{QUARTIER}/halle", htmx=True, answer="La gare"),
            ],
        )
        pids = {player_id_in(response.cookies) for response in responses}
        assert len(pids) == 1, f"resident {resident}: {len(pids)} players for one browser"
        [pid] = pids
        told = [_told(phone, response) for response in responses]
        assert sum(BRAVO in text for text in told) == 1, told
        assert sum(ALREADY in text for text in told) >= 1
        with db.reading(town.engine) as session:
            solves = session.exec(select(Solve).where(Solve.player_id == pid)).all()
            assert [(s.campaign, s.step) for s in solves] == [(QUARTIER, "halle")]
        phone.client.cookies.update(responses[2].cookies)
        page = phone.client.get(f"/c/{QUARTIER}")
        assert "1 étape faite sur 3" in page.text
        phone.close()
    assert _players(town) - before == residents
    assert "Traceback" not in town.server.log()


def test_first_answers_sent_at_once_make_one_player(town: Town) -> None:
    _first_answers_at_once(town, SHORT)


@pytest.mark.slow
def test_first_answers_sent_at_once_make_one_player_long(town: Town) -> None:
    _first_answers_at_once(town, LONG)
