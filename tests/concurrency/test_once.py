"""What happens once, asked for several times at the same instant: a known player's right
answer double-tapped is one solve, and the second tap says "déjà trouvé"; hint requests sent
together each show one more hint, up to what the step has.

Real two-worker server, SQLite and PostgreSQL, requests released through a barrier.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.concurrency.barrier import posts_at_once
from tests.concurrency.conftest import QUARTIER, Town
from tests.concurrency.phones import Phone, new_address
from tests.concurrency.traces import player_id_in
from web.store import db
from web.store.tables.play import Solve, StepProgress

HALLE = f"/c/{QUARTIER}/halle"
BRAVO = "Bravo, vous avez trouvé !"
ALREADY = "Déjà trouvé ! Cette étape est faite."
SHORT, LONG = 5, 30  # double taps: in CI, and under `-m slow`
MOST = 6  # hints of `halle` (conftest): what the step has


def _known_player(town: Town) -> tuple[Phone, str]:
    phone = Phone(town, new_address(town, 51))
    phone.get(HALLE)
    phone.post(HALLE, answer="La gare")  # a wrong answer makes the player
    return phone, player_id_in(phone.client.cookies)


def _double_taps(town: Town, trials: int) -> None:
    for _trial in range(trials):
        phone, pid = _known_player(town)
        tap = phone.form(HALLE, htmx=True, answer="Halle aux grains")
        responses = posts_at_once(town.url, [tap, tap])
        assert [r.status_code for r in responses] == [200, 200]
        told = sorted(
            "bravo" if BRAVO in r.text else "already" if ALREADY in r.text else r.text
            for r in responses
        )
        assert told == ["already", "bravo"]
        with db.reading(town.engine) as session:
            solves = session.exec(select(Solve).where(Solve.player_id == pid)).all()
        assert [s.step for s in solves] == ["halle"]
        phone.close()


def test_a_right_answer_double_tapped_is_one_solve_and_one_bravo(town: Town) -> None:
    _double_taps(town, SHORT)


@pytest.mark.slow
def test_a_right_answer_double_tapped_is_one_solve_and_one_bravo_long(town: Town) -> None:
    _double_taps(town, LONG)


def _hints_shown(town: Town, pid: str) -> int:
    with db.reading(town.engine) as session:
        row = session.exec(
            select(StepProgress).where(StepProgress.player_id == pid, StepProgress.step == "halle")
        ).one()
        return row.hints_shown


@pytest.mark.parametrize("together", [2, 3, 4])
def test_hints_asked_at_once_each_count_once(town: Town, together: int) -> None:
    phone, pid = _known_player(town)
    phone.post(f"{HALLE}/indice")
    assert _hints_shown(town, pid) == 1

    asks = [phone.form(f"{HALLE}/indice", htmx=i % 2 == 0) for i in range(together)]
    responses = posts_at_once(town.url, asks)

    assert {r.status_code for r in responses} <= {200, 303}
    assert _hints_shown(town, pid) == 1 + together
    more = posts_at_once(town.url, asks)  # past what the step has: capped, never an error
    assert {r.status_code for r in more} <= {200, 303}
    assert _hints_shown(town, pid) == min(1 + 2 * together, MOST)
