"""Every redirect stays on the site, whatever the `Host` header says.

Starlette's trailing-slash redirect was built from the Host header: `Host: evil.example.com`
on `/staff/` answered `Location: http://evil.example.com/staff`. Each kind of redirect the site
sends is made here with a foreign Host, and its Location must be relative (one leading slash) or
on `BALISES_BASE_URL`.
"""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.testclient import TestClient

from campaigns.checkpoints import checkpoint_path
from tests.web.conftest import World, csrf_of
from tests.web.staff.conftest import CM_PASSWORD, add_user, cheap_argon2, login
from web.privacy.mydata import CONFIRM
from web.redirects import on_site

__all__ = ["cheap_argon2"]  # the staff tests' fast password hashing

EVIL = {"Host": "evil.example.com"}
BASE = "http://localhost:8000"  # the settings' default base URL


def stays_on_site(response: httpx.Response) -> str:
    assert response.is_redirect, (response.status_code, response.text[:300])
    location = response.headers["location"]
    relative = location.startswith("/") and not location.startswith(("//", "/\\"))
    assert relative or location.startswith(BASE + "/"), location
    assert "evil" not in location, location
    return location


def _client(world: World) -> TestClient:
    return world.client(headers=EVIL)


def _token(client: TestClient, path: str) -> str:
    return csrf_of(client.get(path).text)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/staff/"),
        ("GET", "/c/ou-sommes-nous/"),
        ("GET", "/c/ou-sommes-nous/tour/"),
        ("GET", "/moi/"),
        ("GET", "/staff/photos/?q=tour"),
        ("POST", "/c/ou-sommes-nous/tour/"),
    ],
)
def test_the_trailing_slash_redirect_stays_on_the_site(
    world: World, method: str, path: str
) -> None:
    location = stays_on_site(_client(world).request(method, path))
    assert location == path.replace("/?", "?").rstrip("/")


def test_the_players_redirects_stay_on_the_site(world: World) -> None:
    client = _client(world)
    token = _token(client, "/c/ou-sommes-nous/tour")
    answered = client.post("/c/ou-sommes-nous/tour", data={"csrf": token, "answer": "Zanzibar"})
    assert stays_on_site(answered) == "/c/ou-sommes-nous/tour#play"
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", client.get("/moi").text)
    assert code is not None
    other = _client(world)
    resumed = other.post("/reprendre", data={"csrf": _token(other, "/moi"), "code": code.group()})
    assert stays_on_site(resumed) == "/moi"
    scanner = _client(world)
    scanner.get(checkpoint_path(world.settings.secret_key, "voie-verte", "borne-2"))
    token = _token(scanner, "/c/voie-verte/borne-2")
    reported = scanner.post("/c/voie-verte/borne-2/signaler", data={"csrf": token})
    assert stays_on_site(reported).startswith("/c/voie-verte/borne-2?")
    forget = {"csrf": _token(other, "/moi"), "confirm": CONFIRM}
    forgotten = other.post("/moi/oubli", data=forget)
    assert stays_on_site(forgotten).startswith("/moi")


def test_the_staff_redirects_stay_on_the_site(world: World) -> None:
    add_user(world, "camille", "cm", CM_PASSWORD)
    client = _client(world)
    guarded = client.get("/staff/photos")
    assert stays_on_site(guarded).startswith("/staff/login?next=")
    token = _token(client, "/staff/login")
    data = {"csrf": token, "name": "camille", "password": CM_PASSWORD, "next": "/staff/photos"}
    assert stays_on_site(client.post("/staff/login", data=data)) == "/staff/photos"
    assert stays_on_site(client.get("/staff/login")) == "/staff"
    deleted = client.post("/staff/merci/1/supprimer", data={"csrf": _token(client, "/staff/merci")})
    assert stays_on_site(deleted) == "/staff/merci"
    out = client.post("/staff/logout", data={"csrf": _token(client, "/staff")})
    assert stays_on_site(out) == "/staff/login"


def test_a_redirect_on_the_base_url_is_kept_and_one_elsewhere_keeps_only_its_path() -> None:
    assert on_site("https://balises.ville.fr/staff", "https://balises.ville.fr") == (
        "https://balises.ville.fr/staff"
    )
    assert on_site("http://evil.example.com/staff?x=1#y", BASE) == "/staff?x=1#y"
    assert on_site("http://evil.example.com", BASE) == "/"
    assert on_site("//evil.example.com/staff", BASE) == "/staff"
    assert on_site("/\\evil.example.com/staff", BASE) == "/evil.example.com/staff"
    assert on_site("///evil.example.com", BASE) == "/evil.example.com"
    assert on_site("javascript:alert(1)", BASE) == "/alert(1)"
    assert on_site("/c/ou-sommes-nous/tour#play", BASE) == "/c/ou-sommes-nous/tour#play"


def test_the_login_of_a_logged_in_cm_keeps_its_own_redirects(world: World) -> None:
    """The check does not touch redirects that were already right (no Host trick)."""
    add_user(world, "camille", "cm", CM_PASSWORD)
    client = login(world.client(), "camille", CM_PASSWORD)
    assert client.get("/staff/login").headers["location"] == "/staff"
