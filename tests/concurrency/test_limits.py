"""Limits and quotas hit by requests sent at once: exactly as many go through as the rule says.

Each rule is checked and counted in one statement (`web.store.counters.take`), so a burst released
through a barrier against a real two-worker server, on SQLite and PostgreSQL, gets exactly the
limit's worth of tries and a 429 for the rest, and the database holds exactly that many rows.
The limits are per minute or per day in fixed windows: a burst is sent well inside one minute.
"""

from __future__ import annotations

import time
from collections import Counter

import httpx
from sqlmodel import func, select

from tests.concurrency.barrier import Post, posts_at_once
from tests.concurrency.conftest import QUARTIER, Town
from tests.concurrency.phones import Phone, new_address
from tests.concurrency.traces import player_id_in
from web import players
from web.store import db
from web.store.tables.participation import Proposal, Submission
from web.store.tables.play import Attempt, Player

HALLE = f"/c/{QUARTIER}/halle"


def _inside_one_minute(needed: float = 20.0) -> None:
    """Wait for the next minute when the current one has less than `needed` seconds left."""
    left = 60 - time.time() % 60
    if left < needed:
        time.sleep(left + 0.5)


def _statuses(responses: list[httpx.Response]) -> Counter[int]:
    return Counter(response.status_code for response in responses)


def _player(town: Town, address: str) -> tuple[Phone, str]:
    """A resident with a player row (one hint asked), at `address`."""
    phone = Phone(town, address)
    phone.get(HALLE)
    phone.post(f"{HALLE}/indice")
    return phone, player_id_in(phone.client.cookies)


def _count(town: Town, query: object) -> int:
    with db.reading(town.engine) as session:
        return int(session.exec(query).one())  # type: ignore[call-overload]


def _attempts(town: Town, pid: str) -> int:
    query = select(func.count()).select_from(Attempt).where(Attempt.player_id == pid)
    return _count(town, query)


def test_wrong_answers_of_one_player_at_once_stop_at_the_limit(town: Town) -> None:
    phone, pid = _player(town, new_address(town, 41))
    _inside_one_minute()
    sends = [phone.form(HALLE, htmx=i % 2 == 0, answer=f"Le moulin {i}") for i in range(20)]
    responses = posts_at_once(town.url, sends)
    accepted = sum(r.status_code in (200, 303) for r in responses)
    assert (accepted, _statuses(responses)[429]) == (10, 10), _statuses(responses)
    assert _attempts(town, pid) == 10
    assert all(r.headers.get("retry-after") for r in responses if r.status_code == 429)


def test_wrong_answers_from_one_address_at_once_stop_at_its_limit(town: Town) -> None:
    address = new_address(town, 42)
    phones = [_player(town, address) for _ in range(8)]
    _inside_one_minute()
    sends = [
        phone.form(HALLE, htmx=True, answer=f"La poste {n}")
        for phone, _pid in phones
        for n in range(10)
    ]
    responses = posts_at_once(town.url, sends)
    assert _statuses(responses) == {200: 60, 429: 20}, town.server.log()[-3000:]
    assert sum(_attempts(town, pid) for _phone, pid in phones) == 60


def test_unknown_resume_codes_at_once_stop_at_the_limit(town: Town) -> None:
    phone = Phone(town, new_address(town, 43))
    phone.get("/moi")
    _inside_one_minute()
    sends = [phone.form("/reprendre", code=players.new_resume_code()) for _ in range(40)]
    responses = posts_at_once(town.url, sends)
    assert _statuses(responses) == {422: 20, 429: 20}
    unknown = "Ce code ne correspond à aucun parcours."
    assert all(unknown in r.text for r in responses if r.status_code == 422)


def test_contributions_at_once_stop_at_the_daily_quota(town: Town) -> None:
    phone = Phone(town, new_address(town, 44))
    phone.get(f"/c/{QUARTIER}/souvenirs")
    text = f"Le kiosque {time.time()}"
    sends = [
        phone.form(f"/c/{QUARTIER}/souvenirs", htmx=i % 2 == 0, text=text, licence="cc-by-sa-4.0")
        for i in range(10)
    ]
    responses = posts_at_once(town.url, sends)
    assert _statuses(responses)[429] == 5, _statuses(responses)
    assert len({player_id_in(r.cookies) for r in responses}) == 1
    query = select(func.count()).select_from(Submission).where(Submission.text == text)
    assert _count(town, query) == 5


def test_identification_proposals_at_once_stop_at_the_daily_quota(town: Town) -> None:
    phone, pid = _player(town, new_address(town, 45))
    phone.get(f"/c/{QUARTIER}/mystere")
    sends = [
        phone.form(f"/c/{QUARTIER}/mystere", htmx=i % 2 == 0, text=f"Rue {i}") for i in range(15)
    ]
    responses = posts_at_once(town.url, sends)
    assert _statuses(responses)[429] == 5, _statuses(responses)
    query = select(func.count()).select_from(Proposal).where(Proposal.player_id == pid)
    assert _count(town, query) == 10


def test_new_players_from_one_address_at_once_stop_at_the_limit(town: Town) -> None:
    address = new_address(town, 46)
    phones = [Phone(town, address) for _ in range(40)]
    for phone in phones:
        phone.get(HALLE)
    before = _count(town, select(func.count()).select_from(Player))
    _inside_one_minute()
    sends: list[Post] = [phone.form(f"{HALLE}/indice", htmx=True) for phone in phones]
    responses = posts_at_once(town.url, sends)
    assert _statuses(responses) == {200: 40}  # the hint is shown to everyone
    made = {pid for r in responses if (pid := _player_of(r)) is not None}
    assert len(made) == 30
    refused = [r for r in responses if _player_of(r) is None]
    crowd = "Beaucoup de nouveaux joueurs arrivent en ce moment depuis votre réseau"
    assert len(refused) == 10 and all(crowd in r.text for r in refused)
    assert _count(town, select(func.count()).select_from(Player)) - before == 30


def _player_of(response: httpx.Response) -> str | None:
    """The player id the response's cookie holds, None when it holds none."""
    try:
        return player_id_in(response.cookies)
    except KeyError:
        return None
