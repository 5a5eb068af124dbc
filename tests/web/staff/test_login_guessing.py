"""Failed logins slow guessing, but no stranger locks a named account out, and one person's typos
never lock out the colleagues behind the same town-hall address (`web.staff.guessing`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from tests.web.conftest import World, csrf_of
from tests.web.staff.conftest import CM_PASSWORD, PASSWORD, add_user
from web.staff import guessing
from web.staff.auth import COOKIE

TOWN_HALL = "192.0.2.10"
SLOWED = re.compile(r"Trop d'essais de connexion\. Réessayez dans (\d+) min\.")
OWN_BROWSER = (
    "Depuis un navigateur où vous vous êtes déjà connecté·e avec ce compte, la connexion reste"
    " possible."
)


@pytest.fixture
def town_hall(make_world: Callable[..., World]) -> World:
    """Staff accounts on a site behind a trusted proxy (the test client), so each browser says
    which address it comes from."""
    world = make_world(trusted_proxies=("testclient",))
    add_user(world, "lea", "staff")
    add_user(world, "marc", "staff")
    add_user(world, "camille", "cm", CM_PASSWORD)
    return world


def slowed(text: str) -> bool:
    """The 429 page's message, with a wait within the 15-minute window."""
    found = SLOWED.search(text)
    return found is not None and 1 <= int(found.group(1)) <= 16


def browser(world: World, address: str) -> TestClient:
    return world.client(headers={"X-Forwarded-For": address})


def attempt(client: TestClient, name: str, password: str) -> tuple[int, str]:
    token = csrf_of(client.get("/staff/login").text)
    sent = client.post("/staff/login", data={"csrf": token, "name": name, "password": password})
    return sent.status_code, sent.text.replace("&#39;", "'")


def log_out(client: TestClient) -> None:
    token = csrf_of(client.get("/staff/motdepasse").text)
    assert client.post("/staff/logout", data={"csrf": token}).status_code == 303
    client.cookies.delete(COOKIE, path="/staff")


def test_a_stranger_cannot_lock_the_cm_out_of_her_own_browser(town_hall: World) -> None:
    camille = browser(town_hall, TOWN_HALL)
    assert attempt(camille, "camille", CM_PASSWORD)[0] == 303  # she logged in here before
    log_out(camille)
    statuses = [
        attempt(browser(town_hall, f"203.0.113.{n}"), "camille", "une devinette")[0]
        for n in range(guessing.UNTRUSTED_PER_ACCOUNT + 5)
    ]
    assert statuses == [400] * guessing.UNTRUSTED_PER_ACCOUNT + [429] * 5
    assert attempt(camille, "camille", CM_PASSWORD)[0] == 303
    assert camille.get("/staff").status_code == 200


def test_a_guesser_on_one_address_is_slowed_there_only(town_hall: World) -> None:
    stranger = browser(town_hall, "203.0.113.66")
    statuses = [attempt(stranger, "camille", f"essai {n}")[0] for n in range(7)]
    assert statuses == [400] * 5 + [429] * 2
    status, text = attempt(stranger, "camille", CM_PASSWORD)  # even the right one, from there
    assert status == 429 and slowed(text)
    # The cm on a new computer at the town hall is not concerned.
    assert attempt(browser(town_hall, TOWN_HALL), "camille", CM_PASSWORD)[0] == 303


def test_one_persons_typos_do_not_lock_out_colleagues_behind_the_same_address(
    town_hall: World,
) -> None:
    lea = browser(town_hall, TOWN_HALL)
    assert [attempt(lea, "lea", "faute de frappe")[0] for _ in range(5)] == [400] * 5
    status, text = attempt(lea, "lea", PASSWORD)
    assert status == 429 and slowed(text) and OWN_BROWSER in text
    marc = browser(town_hall, TOWN_HALL)
    assert attempt(marc, "marc", PASSWORD)[0] == 303
    camille = browser(town_hall, TOWN_HALL)
    assert attempt(camille, "camille", CM_PASSWORD)[0] == 303


def test_unknown_browsers_wait_after_many_guesses_spread_over_addresses(
    town_hall: World,
) -> None:
    for n in range(guessing.UNTRUSTED_PER_ACCOUNT):
        assert attempt(browser(town_hall, f"198.51.100.{n}"), "lea", "devinette")[0] == 400
    status, text = attempt(browser(town_hall, TOWN_HALL), "lea", PASSWORD)
    assert status == 429
    assert slowed(text) and OWN_BROWSER in text
    town_hall.clock.now += timedelta(seconds=guessing.WINDOW + 1)
    assert attempt(browser(town_hall, TOWN_HALL), "lea", PASSWORD)[0] == 303


def test_a_known_browser_is_slowed_by_its_own_failures(town_hall: World) -> None:
    lea = browser(town_hall, TOWN_HALL)
    assert attempt(lea, "lea", PASSWORD)[0] == 303
    log_out(lea)
    statuses = [attempt(lea, "lea", "oubli")[0] for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    status, text = attempt(lea, "lea", PASSWORD)
    assert status == 429 and slowed(text) and OWN_BROWSER not in text


def test_a_right_password_does_not_count(town_hall: World) -> None:
    lea = browser(town_hall, TOWN_HALL)
    for _ in range(guessing.MAX_FAILURES + 3):
        assert attempt(lea, "lea", PASSWORD)[0] == 303
        log_out(lea)
    for _ in range(guessing.MAX_FAILURES - 1):
        assert attempt(lea, "lea", "oubli")[0] == 400
    assert attempt(lea, "lea", PASSWORD)[0] == 303


def test_a_device_cookie_forged_or_of_another_account_counts_as_unknown(
    town_hall: World,
) -> None:
    lea = browser(town_hall, TOWN_HALL)
    assert attempt(lea, "lea", PASSWORD)[0] == 303
    leas_device = lea.cookies.get(guessing.DEVICE_COOKIE)
    assert leas_device
    for n in range(guessing.UNTRUSTED_PER_ACCOUNT):
        attempt(browser(town_hall, f"198.51.100.{n}"), "camille", "devinette")
    for cookie in (leas_device, leas_device[:-2] + "xx", "n'importe quoi"):
        holder = browser(town_hall, TOWN_HALL)
        holder.cookies.set(guessing.DEVICE_COOKIE, cookie, path="/staff/login")
        assert attempt(holder, "camille", CM_PASSWORD)[0] == 429, cookie


def test_the_device_cookie_is_httponly_and_only_sent_to_the_login(town_hall: World) -> None:
    lea = browser(town_hall, TOWN_HALL)
    token = csrf_of(lea.get("/staff/login").text)
    sent = lea.post("/staff/login", data={"csrf": token, "name": "lea", "password": PASSWORD})
    cookies = [v for k, v in sent.headers.multi_items() if k == "set-cookie"]
    [device] = [c for c in cookies if c.startswith(f"{guessing.DEVICE_COOKIE}=")]
    assert "HttpOnly" in device and "Path=/staff/login" in device
    assert "SameSite=strict" in device and "Max-Age=31536000" in device
