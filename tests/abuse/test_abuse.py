"""Scripts against the game: brute force, token guessing, new-player floods, oversized requests.

Limits count per player and per address, in the database (so every worker shares them). The
address is the TCP peer, or the `X-Forwarded-For` entry added by a proxy listed in
`BALISES_TRUSTED_PROXIES`; from anyone else the header is ignored, so rotating a spoofed header
gains nothing. The in-process client's address is "testclient".
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select
from starlette.testclient import TestClient

from campaigns.checkpoints import checkpoint_path
from tests.faults.servers import Server, copy_campaigns
from tests.web.conftest import World, csrf_of
from web.store import db
from web.store.tables.play import Player

URL = "/c/ou-sommes-nous/tour"
HTMX = {"HX-Request": "true"}


def phone(world: World, forwarded_for: str | None = None) -> tuple[TestClient, str]:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    client = world.client(headers=headers)
    return client, csrf_of(client.get(URL).text)


def wrong(client: TestClient, token: str, n: int = 0) -> int:
    return client.post(
        URL, data={"csrf": token, "answer": f"Zanzibar {n}"}, headers=HTMX
    ).status_code


def players(world: World) -> int:
    with db.reading(world.site.engine) as session:
        return int(session.exec(select(func.count()).select_from(Player)).one())


def test_brute_force_is_slowed_per_player_then_per_address(world: World) -> None:
    client, token = phone(world)
    assert [wrong(client, token, n) for n in range(11)] == [200] * 10 + [429]
    slowed = client.post(URL, data={"csrf": token, "answer": "Tour Saint-Aubin"}, headers=HTMX)
    assert slowed.status_code == 429 and 1 <= int(slowed.headers["retry-after"]) <= 61
    assert "Beaucoup d'essais d'un coup" in slowed.text.replace("&#39;", "'")
    # New cookies do not reset the address: 60 wrong answers a minute from one address.
    statuses = []
    for _ in range(5):
        other, other_token = phone(world)
        statuses += [wrong(other, other_token, n) for n in range(10)]
    assert statuses == [200] * 50
    last, last_token = phone(world)
    assert wrong(last, last_token) == 429


def test_spoofed_forwarded_for_from_an_untrusted_client_is_ignored(world: World) -> None:
    statuses = []
    for i in range(7):
        client, token = phone(world, forwarded_for=f"203.0.113.{i}")
        statuses += [wrong(client, token, n) for n in range(10)]
    assert statuses[:60] == [200] * 60
    assert set(statuses[60:]) == {429}


def test_forwarded_for_from_a_trusted_proxy_counts_each_resident(
    make_world: Callable[..., World],
) -> None:
    world = make_world(trusted_proxies=("testclient",))
    statuses = []
    for i in range(7):
        client, token = phone(world, forwarded_for=f"203.0.113.{i}")
        statuses += [wrong(client, token, n) for n in range(10)]
    assert statuses == [200] * 70  # seven residents behind the proxy, ten tries each
    # …while one resident still meets the per-address limit through the proxy.
    for _ in range(6):
        client, token = phone(world, forwarded_for="198.51.100.7")
        [wrong(client, token, n) for n in range(10)]
    client, token = phone(world, forwarded_for="198.51.100.7")
    assert wrong(client, token) == 429


def test_guessing_checkpoint_tokens_is_slowed_per_address(make_world: Callable[..., World]) -> None:
    world = make_world(trusted_proxies=("testclient",))
    real = checkpoint_path(world.settings.secret_key, "voie-verte", "borne-1")
    guess = real[:-6] + ("000000" if not real.endswith("000000") else "111111")
    guesser = world.client(headers={"X-Forwarded-For": "198.51.100.9"})
    statuses = [guesser.get(guess).status_code for _ in range(21)]
    assert statuses == [404] * 20 + [429]
    assert guesser.get(real).status_code == 429  # even the right token waits now
    # Rotating a cookie changes nothing; another resident behind the proxy is not blocked.
    assert world.client(headers={"X-Forwarded-For": "198.51.100.9"}).get(guess).status_code == 429
    honest = world.client(headers={"X-Forwarded-For": "198.51.100.10"})
    assert honest.get(real).status_code == 200


def test_a_flood_of_new_players_from_one_address_is_limited(world: World) -> None:
    for n in range(40):
        client, token = phone(world)  # a new cookie each time
        right = client.post(URL, data={"csrf": token, "answer": "Tour Saint-Aubin"}, headers=HTMX)
        assert right.status_code == 200
        assert "Bravo" in right.text or "Déjà trouvé" in right.text, n
    assert players(world) == 30  # new players per address and minute


def test_oversized_forms_are_refused_before_being_read(world: World) -> None:
    client, token = phone(world)
    big = client.post(URL, data={"csrf": token, "answer": "x" * 70_000}, headers=HTMX)
    assert big.status_code == 413
    declared = client.post(
        URL,
        content=b"csrf=x",
        headers={"Content-Length": str(50 * 1024 * 1024), **HTMX},
    )
    assert declared.status_code == 413
    assert players(world) == 0


def test_oversized_headers_are_refused_by_the_real_server(tmp_path: Path) -> None:
    campaigns = copy_campaigns(tmp_path / "campaigns")
    server = Server(f"sqlite:///{tmp_path / 'var' / 'balises.db'}", tmp_path / "var", campaigns)
    server.start()
    try:
        replies = []
        for size in (40_000, 1_000_000):
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
                request = b"GET /c/ou-sommes-nous HTTP/1.1\r\nHost: x\r\nX-Big: "
                connection.sendall(request + b"a" * size + b"\r\n\r\n")
                replies.append(connection.recv(64).split(b"\r\n")[0])
        assert replies == [b"HTTP/1.1 431 Request Header Fields Too Large"] * 2
        assert "Traceback" not in server.log()
    finally:
        server.kill()
