"""nginx in front of two workers, configured as the README says, tested as a city deploys it.

One real nginx (the README's server block, see `nginx.py`) terminates TLS in front of
`balises serve --workers 2` on PostgreSQL, with `BALISES_ENV=production`,
`BALISES_BASE_URL=https://jeu.example.fr` and `BALISES_TRUSTED_PROXIES=127.0.0.1`. Residents
connect from distinct loopback addresses (127.0.0.2, 127.0.0.3…), which nginx sees as their
own and appends to `X-Forwarded-For`; each has their own answer limit, and an address a script
writes into `X-Forwarded-For` itself changes nothing. Then the body limits (nginx's 413 over
25 MB, Balises' own over 20 MB, a 10 MB photo stored), nginx's 400 for oversized headers, and the
security headers, cookies and redirects a phone gets through the proxy. Without the trusted
proxy setting every resident shares one limit, as the README warns.
"""

from __future__ import annotations

import html
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from io import BytesIO

import httpx
import pytest
from PIL import Image
from sqlalchemy import func
from sqlmodel import select

from tests.databases import postgres_schema
from tests.faults.nginx import HOSTNAME, Nginx
from tests.faults.servers import (
    SLUG,
    STAFF_PASSWORD,
    Resident,
    Server,
    add_staff,
    copy_campaigns,
)
from web.store import db
from web.store.tables.staff import MediaPhoto

# One deployment for the whole module: its tests run on one xdist worker (`--dist loadgroup`).
pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("nginx")]

BASE_URL = f"https://{HOSTNAME}"
WRONG = "Pas tout à fait"
NGINX_413 = "<title>413 Request Entity Too Large</title>"
NGINX_400 = "<title>400 Request Header Or Cookie Too Large</title>"


@dataclass
class City:
    """One deployment: Balises (two workers, PostgreSQL) and nginx in front of it."""

    balises: Server
    nginx: Nginx
    bypassed: bool = False  # phones reach Balises' own port, not nginx (a misconfigured firewall)

    def resident(self, address: str, **headers: str) -> Resident:
        """A phone at `address`, talking to nginx over TLS for jeu.example.fr."""
        if self.bypassed:
            return Resident(self.balises.url, headers=headers, address=address)
        sent = {"Host": HOSTNAME, **headers}
        return Resident(self.nginx.url, headers=sent, address=address, verify=self.nginx.trust())

    def bypassing_nginx(self) -> City:
        return replace(self, bypassed=True)

    def __repr__(self) -> str:  # what a failed assertion prints
        return f"City({self.balises.url if self.bypassed else self.nginx.url})"


@pytest.fixture(scope="module")
def deployments(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, City]]:
    """Both cities, started side by side: one that set BALISES_TRUSTED_PROXIES, one that did not.

    One answer a minute per player and step, so an address meets its limit (six times that) in
    a few answers.
    """
    folder = tmp_path_factory.mktemp("nginx")
    env = {"BALISES_ENV": "production", "BALISES_BASE_URL": BASE_URL}
    env["BALISES_ANSWERS_PER_MINUTE"] = "1"
    with postgres_schema() as trusting_url, postgres_schema() as naive_url:
        servers = {
            "trusted": Server(
                trusting_url,
                folder / "trusted" / "var",
                copy_campaigns(folder / "trusted" / "campaigns"),
                workers=2,
                env={**env, "BALISES_TRUSTED_PROXIES": "127.0.0.1"},
            ),
            "untrusted": Server(
                naive_url,
                folder / "untrusted" / "var",
                copy_campaigns(folder / "untrusted" / "campaigns"),
                workers=2,
                env=env,
            ),
        }
        cities: dict[str, City] = {}
        try:
            with ThreadPoolExecutor(len(servers)) as pool:
                for started in [pool.submit(server.start) for server in servers.values()]:
                    started.result()
            for name, server in servers.items():
                cities[name] = City(server, Nginx(folder / name / "nginx", server.port).start())
            yield cities
        finally:
            for city in cities.values():
                city.nginx.stop()
            for server in servers.values():
                server.kill()


@pytest.fixture
def city(deployments: dict[str, City]) -> City:
    return deployments["trusted"]


def room_in_this_minute(seconds: float = 5.0) -> None:
    """The limits count in fixed one-minute windows: start with `seconds` left in this one, so
    a count begun in a window is not reset halfway through the test."""
    left = 60.0 - time.time() % 60.0
    if left < seconds:
        time.sleep(left + 0.2)


def wrong_answer(city: City, address: str, **headers: str) -> int:
    """A new player at `address` opens the first riddle and answers it wrong: the status (200
    "Pas tout à fait" or 429)."""
    player = city.resident(address, **headers)
    try:
        player.open_step("tour")
        response = player.answer("tour", "Zanzibar")
        if response.status_code == 200:
            assert WRONG in response.text, response.text[:300]
        return response.status_code
    finally:
        player.close()


def missed_scan(city: City, address: str, **headers: str) -> int:
    """A phone at `address` scans a QR code whose token is wrong: the status (404 or 429)."""
    phone = city.resident(address, **headers)
    try:
        return phone.client.get(f"/k/{SLUG}/tour/pas-un-jeton").status_code
    finally:
        phone.close()


Attempt = Callable[..., int]
ALLOWED = {wrong_answer: 200, missed_scan: 404}


def exhaust(attempt: Attempt, city: City, address: str) -> int:
    """`attempt` from `address` until one is refused (429); how many got through."""
    for allowed in range(40):
        status = attempt(city, address)
        if status == 429:
            return allowed
        assert status == ALLOWED[attempt]
    raise AssertionError(f"40 tries from {address} and no limit")


@pytest.mark.parametrize("attempt", [wrong_answer, missed_scan], ids=["answers", "scans"])
def test_each_resident_behind_nginx_has_their_own_limit(city: City, attempt: Attempt) -> None:
    room_in_this_minute()
    assert exhaust(attempt, city, "127.0.0.2") >= 2
    # Inventing addresses changes nothing: nginx appends the real peer, Balises takes it.
    for invented in ("198.51.100.7", "198.51.100.8, 203.0.113.9", "127.0.0.3"):
        assert attempt(city, "127.0.0.2", **{"X-Forwarded-For": invented}) == 429
    # Another resident, at another address, plays on.
    assert attempt(city, "127.0.0.3") == ALLOWED[attempt]
    # Straight to Balises (not through nginx), the header is not believed: a peer that is not
    # the trusted proxy naming the limited address is counted as itself.
    bypassed = city.bypassing_nginx()
    assert attempt(bypassed, "127.0.0.4", **{"X-Forwarded-For": "127.0.0.2"}) == ALLOWED[attempt]


def test_without_trusted_proxies_every_resident_shares_one_limit(
    deployments: dict[str, City],
) -> None:
    naive = deployments["untrusted"]
    room_in_this_minute()
    assert exhaust(wrong_answer, naive, "127.0.0.2") >= 2
    assert wrong_answer(naive, "127.0.0.3") == 429  # all of them are "127.0.0.1", nginx's


def logged_in_staff(city: City) -> Resident:
    add_staff(city.balises)
    staff = city.resident("127.0.0.5")
    staff.get("/staff/login")
    logged = staff.post(
        "/staff/login", {"name": "lea", "password": STAFF_PASSWORD, "next": "/staff"}, htmx=False
    )
    assert logged.status_code == 303, logged.text[:300]
    staff.get("/staff/photos/nouvelle")
    return staff


def photo_of_at_least(size: int) -> bytes:
    """A JPEG of random pixels, as heavy as a phone's photo: no compression can shrink noise."""
    width, height = 3600, 2700
    while True:
        image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
        out = BytesIO()
        image.save(out, "JPEG", quality=95)
        if out.tell() >= size:
            return out.getvalue()
        width, height = width * 5 // 4, height * 5 // 4


def test_body_limits_behind_nginx(city: City) -> None:
    staff = logged_in_staff(city)

    def upload(payload: bytes) -> httpx.Response:
        fields = {"csrf": staff.token, "title": "Tour", "licence": "cc-by-sa-4.0"}
        files = [("files", ("tour.jpg", payload, "image/jpeg"))]
        return staff.client.post("/staff/photos", data=fields, files=files)

    mb = 1024 * 1024
    try:
        refused_by_nginx = upload(b"\xff" * (30 * mb))
        assert refused_by_nginx.status_code == 413
        assert NGINX_413 in refused_by_nginx.text
        refused_by_balises = upload(b"\xff" * (22 * mb))  # under nginx's 25 MB, over our 20 MB
        assert refused_by_balises.status_code == 413
        assert NGINX_413 not in refused_by_balises.text
        assert "fichier trop lourd : au plus 20 Mo" in html.unescape(refused_by_balises.text)
        photo = photo_of_at_least(10 * mb)
        stored = upload(photo)
        assert stored.status_code == 200, stored.text[:500]
    finally:
        staff.close()
    engine = db.make_engine(city.balises.database_url)
    try:
        with db.reading(engine) as session:
            rows = session.exec(select(func.count()).select_from(MediaPhoto)).one()
    finally:
        engine.dispose()
    assert rows == 1


def test_oversized_headers_get_nginx_400(city: City) -> None:
    phone = city.resident("127.0.0.6")
    straight = Resident(city.balises.url)
    try:
        for header in ({"X-Note": "a" * 9000}, {"Cookie": "balises=" + "b" * 9000}):
            refused = phone.client.get(f"/c/{SLUG}/tour", headers=header)
            assert refused.status_code == 400
            assert NGINX_400 in refused.text
            # Balises alone would have taken it (its own limit is 32 KB): nginx refused it.
            assert straight.client.get(f"/c/{SLUG}/tour", headers=header).status_code == 200
    finally:
        phone.close()
        straight.close()


def test_security_headers_cookies_and_origin_through_nginx(city: City) -> None:
    phone = city.resident("127.0.0.7")
    try:
        page = phone.open_step("tour")
        headers = page.headers
        assert headers["strict-transport-security"] == "max-age=31536000"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["cache-control"] == "private, no-cache"
        cookie = headers["set-cookie"].lower()
        assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
        # The phone's browser names the site it is on: https://jeu.example.fr, the base URL.
        mine = phone.client.post(
            f"/c/{SLUG}/tour",
            data={"csrf": phone.token, "answer": "Zanzibar"},
            headers={"Origin": BASE_URL, "HX-Request": "true"},
        )
        assert mine.status_code == 200 and WRONG in mine.text
        foreign = phone.client.post(
            f"/c/{SLUG}/tour",
            data={"csrf": phone.token, "answer": "Zanzibar"},
            headers={"Origin": "https://evil.example.com", "HX-Request": "true"},
        )
        assert foreign.status_code == 403
    finally:
        phone.close()


def test_redirects_through_nginx_stay_on_the_https_base_url(city: City) -> None:
    """Behind TLS, a redirect to http:// would send the phone off the encrypted site (and the
    Host header is the phone's to write)."""
    phone = city.resident("127.0.0.8")
    try:
        for host in (HOSTNAME, "evil.example.com"):
            for path in ("/staff", "/staff/", f"/c/{SLUG}/", "/static"):
                moved = phone.client.get(path, headers={"Host": host})
                assert moved.is_redirect, (path, moved.status_code)
                location = moved.headers["location"]
                assert location.startswith(("/", BASE_URL + "/")), (host, path, location)
    finally:
        phone.close()
