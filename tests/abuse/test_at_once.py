"""Reports and staff logins sent at the same instant to a real server with two workers.

A gallery item's reports and a login's failures are decided in the database, so requests that
arrive together on different workers must count exactly as if they came one by one: the report
that makes three addresses hides the item, and twenty wrong passwords sent at once get five
password checks, not twenty. Every request goes out on its own connection, released together
by a `threading.Barrier`; the server trusts 127.0.0.1 as its proxy so each resident or staff
member says its address in `X-Forwarded-For`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import httpx
from sqlmodel import select

from tests.concurrency import barrier
from tests.faults.servers import CSRF, SLUG, Server
from web.staff import accounts, guessing
from web.store import db
from web.store.tables.participation import ACCEPTED, Submission, SubmissionReport

PASSWORD = "correct horse battery"
TOWN_HALL = "192.0.2.10"


def _client(server: Server, address: str) -> httpx.Client:
    return httpx.Client(
        base_url=server.url,
        follow_redirects=False,
        timeout=60,
        headers={"X-Forwarded-For": address},
        limits=httpx.Limits(max_keepalive_connections=1, max_connections=1),
    )


def _token(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    found = CSRF.search(page.text)
    assert found is not None
    return found.group(1)


def at_once(sends: list[Callable[[], int]]) -> Counter[int]:
    """Every `send` in its own thread, all released together (`tests.concurrency.barrier`);
    how many got each status."""
    return Counter(barrier.at_once(sends))


def _serve(make_server: Callable[..., Server], database_url: str) -> Server:
    return make_server(database_url, workers=2, BALISES_TRUSTED_PROXIES="127.0.0.1").start()


def _accepted_items(database_url: str, count: int) -> list[int]:
    engine = db.make_engine(database_url)
    try:
        with db.writing(engine) as session:
            rows = [
                Submission(
                    campaign=SLUG, step="vos-souvenirs", text=f"Souvenir {n}", status=ACCEPTED
                )
                for n in range(count)
            ]
            session.add_all(rows)
            session.flush()
            return [row.id or 0 for row in rows]
    finally:
        engine.dispose()


def _state(database_url: str, item: int) -> tuple[bool, int]:
    engine = db.make_engine(database_url)
    try:
        with db.reading(engine) as session:
            row = session.get(Submission, item)
            reports = session.exec(
                select(SubmissionReport).where(SubmissionReport.submission_id == item)
            ).all()
            assert row is not None
            return row.hidden, len(reports)
    finally:
        engine.dispose()


def _reporters(server: Server, item: int, addresses: list[str]) -> list[Callable[[], int]]:
    """Residents with their own cookie and token, ready to report `item` on a signal."""
    sends = []
    for address in addresses:
        client = _client(server, address)
        token = _token(client, f"/c/{SLUG}/galerie")

        def send(client: httpx.Client = client, token: str = token) -> int:
            try:
                url = f"/c/{SLUG}/galerie/{item}/signaler"
                return client.post(url, data={"csrf": token}).status_code
            finally:
                client.close()

        sends.append(send)
    return sends


def test_reports_sent_at_once_are_counted_by_address_exactly(
    database_url: str, make_server: Callable[..., Server]
) -> None:
    server = _serve(make_server, database_url)
    one_house, three_homes, two_homes = _accepted_items(database_url, 3)
    assert at_once(_reporters(server, one_house, ["203.0.113.5"] * 6)) == {303: 6}
    assert at_once(_reporters(server, three_homes, [f"198.51.100.{n}" for n in (1, 2, 3)])) == {
        303: 3
    }
    assert at_once(_reporters(server, two_homes, ["198.51.100.7", "198.51.100.8"])) == {303: 2}
    assert _state(database_url, one_house) == (False, 6)  # six cookies, one address
    assert _state(database_url, three_homes) == (True, 3)
    assert _state(database_url, two_homes) == (False, 2)
    gallery = httpx.get(f"{server.url}/c/{SLUG}/galerie").text
    assert "Souvenir 0" in gallery and "Souvenir 2" in gallery and "Souvenir 1" not in gallery
    assert "Traceback" not in server.log()


def _add_staff(database_url: str) -> None:
    engine = db.make_engine(database_url)
    try:
        with db.writing(engine) as session:
            for name, role in (("lea", "staff"), ("marc", "staff"), ("camille", "cm")):
                accounts.create_user(session, name, role, PASSWORD)
    finally:
        engine.dispose()


def _login(client: httpx.Client, name: str, password: str) -> Callable[[], int]:
    token = _token(client, "/staff/login")

    def send() -> int:
        data = {"csrf": token, "name": name, "password": password}
        return client.post("/staff/login", data=data).status_code

    return send


def test_wrong_passwords_sent_at_once_get_exactly_the_allowed_checks(
    database_url: str, make_server: Callable[..., Server]
) -> None:
    server = _serve(make_server, database_url)
    _add_staff(database_url)
    # The cm logged in from her own browser once; then strangers guess at her account.
    camille = _client(server, TOWN_HALL)
    assert _login(camille, "camille", PASSWORD)() == 303
    camille.cookies.delete("balises_staff")
    clients = [_client(server, TOWN_HALL) for _ in range(20)]
    strangers = [_client(server, f"203.0.113.{n}") for n in range(25)]
    try:
        typos = at_once([_login(c, "lea", "faute de frappe") for c in clients])
        guesses = at_once([_login(c, "camille", "une devinette") for c in strangers])
        assert typos == {400: guessing.MAX_FAILURES, 429: 20 - guessing.MAX_FAILURES}
        per_account = guessing.UNTRUSTED_PER_ACCOUNT
        assert guesses == {400: per_account, 429: 25 - per_account}
        # Lea waits at the town hall; her colleague beside her does not, nor does the cm.
        assert _login(_client(server, TOWN_HALL), "lea", PASSWORD)() == 429
        assert _login(_client(server, TOWN_HALL), "marc", PASSWORD)() == 303
        assert _login(camille, "camille", PASSWORD)() == 303
        assert _login(_client(server, TOWN_HALL), "camille", PASSWORD)() == 429  # unknown browser
    finally:
        for client in [camille, *clients, *strangers]:
            client.close()
    assert "Traceback" not in server.log()
