"""Logging in and out of the staff area: passwords, server-side sessions, rate limit, CSRF."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.web.conftest import World, csrf_of
from tests.web.staff.conftest import PASSWORD, add_user, login
from web.staff import accounts, guessing
from web.staff.auth import COOKIE
from web.store import db


def test_login_opens_the_staff_home(staff_world: World) -> None:
    client = login(staff_world.client())
    home = client.get("/staff")
    assert home.status_code == 200
    assert "Connecté·e : lea" in home.text
    assert client.cookies.get(COOKIE)


def test_the_cookie_is_opaque_and_only_its_hash_is_stored(staff_world: World) -> None:
    client = login(staff_world.client())
    token = client.cookies.get(COOKIE)
    assert token is not None
    from sqlmodel import select

    from web.store.tables.staff import StaffSession

    with db.reading(staff_world.site.engine) as session:
        ids = [row.id for row in session.exec(select(StaffSession))]
    assert ids == [accounts.token_id(token)]
    assert token not in ids


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    staff_world: World,
) -> None:
    client = staff_world.client()
    token = csrf_of(client.get("/staff/login").text)
    wrong_password = client.post(
        "/staff/login", data={"csrf": token, "name": "lea", "password": "pas le bon mdp"}
    )
    wrong_name = client.post(
        "/staff/login", data={"csrf": token, "name": "personne", "password": PASSWORD}
    )
    for response in (wrong_password, wrong_name):
        assert response.status_code == 400
        assert "Nom ou mot de passe incorrect." in response.text
    assert COOKIE not in client.cookies
    assert client.get("/staff").status_code == 302


def test_five_failures_in_15_minutes_give_429_with_a_countdown(staff_world: World) -> None:
    client = staff_world.client()
    token = csrf_of(client.get("/staff/login").text)
    form = {"csrf": token, "name": "lea", "password": "mauvais mot de passe"}
    for _ in range(5):
        assert client.post("/staff/login", data=form).status_code == 400
    blocked = client.post("/staff/login", data={**form, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Trop d'essais de connexion. Réessayez dans" in blocked.text
    assert 0 < int(blocked.headers["retry-after"]) <= 15 * 60 + 1
    # The right password does not get through while blocked; later it does.
    assert client.cookies.get(COOKIE) is None
    staff_world.clock.now += timedelta(minutes=16)
    login(client)


def test_the_address_limit_applies_to_every_name(staff_world: World) -> None:
    client = staff_world.client()
    token = csrf_of(client.get("/staff/login").text)
    for index in range(guessing.PER_ADDRESS):
        data = {"csrf": token, "name": f"inconnu{index}", "password": "mauvais mot de passe"}
        assert client.post("/staff/login", data=data).status_code == 400
    data = {"csrf": token, "name": "lea", "password": PASSWORD}
    assert client.post("/staff/login", data=data).status_code == 429


def test_logout_kills_a_copied_cookie(staff_world: World) -> None:
    client = login(staff_world.client())
    copied = client.cookies.get(COOKIE)
    thief = staff_world.client()
    thief.cookies.set(COOKIE, copied or "", path="/staff")
    assert thief.get("/staff").status_code == 200
    token = csrf_of(client.get("/staff").text)
    out = client.post("/staff/logout", data={"csrf": token})
    assert out.status_code == 303 and out.headers["location"] == "/staff/login"
    assert client.get("/staff").status_code == 302
    replay = thief.get("/staff")
    assert replay.status_code == 302
    assert replay.headers["location"].startswith("/staff/login")


def test_a_password_change_ends_the_other_sessions(staff_world: World) -> None:
    phone = login(staff_world.client())
    desk = login(staff_world.client())
    token = csrf_of(desk.get("/staff/motdepasse").text)
    new = "une toute nouvelle phrase"
    changed = desk.post(
        "/staff/motdepasse", data={"csrf": token, "old": PASSWORD, "new": new, "again": new}
    )
    assert changed.status_code == 303
    assert desk.get("/staff").status_code == 200  # this browser got a new session
    assert phone.get("/staff").status_code == 302
    login(staff_world.client(), password=new)


def test_a_short_new_password_is_refused(staff_world: World) -> None:
    client = login(staff_world.client())
    token = csrf_of(client.get("/staff/motdepasse").text)
    response = client.post(
        "/staff/motdepasse", data={"csrf": token, "old": PASSWORD, "new": "court", "again": "court"}
    )
    assert response.status_code == 400
    assert "mot de passe trop court : 10 caractères au moins" in response.text


def test_a_disabled_account_old_cookie_goes_back_to_login(staff_world: World) -> None:
    client = login(staff_world.client())
    with db.writing(staff_world.site.engine) as session:
        user = accounts.find_user(session, "lea")
        assert user is not None
        accounts.set_active(session, user, False)
    response = client.get("/staff/photos")
    assert response.status_code == 302
    assert response.headers["location"] == "/staff/login?next=/staff/photos"


def test_a_disabled_account_cannot_log_in(staff_world: World) -> None:
    with db.writing(staff_world.site.engine) as session:
        user = accounts.find_user(session, "lea")
        assert user is not None
        accounts.set_active(session, user, False)
    client = staff_world.client()
    token = csrf_of(client.get("/staff/login").text)
    refused = client.post("/staff/login", data={"csrf": token, "name": "lea", "password": PASSWORD})
    assert refused.status_code == 400


def test_a_session_expires_after_12_hours(staff_world: World) -> None:
    client = login(staff_world.client())
    staff_world.clock.now += timedelta(hours=11, minutes=59)
    assert client.get("/staff").status_code == 200
    staff_world.clock.now += timedelta(minutes=2)
    assert client.get("/staff").status_code == 302


def test_login_without_csrf_token_is_refused(staff_world: World) -> None:
    client = staff_world.client()
    client.get("/staff/login")
    response = client.post("/staff/login", data={"name": "lea", "password": PASSWORD})
    assert response.status_code == 403
    assert COOKIE not in client.cookies
    # the staff area's own page (its stylesheet, never cached), not the residents' error page
    assert re.search(
        r'<link rel="stylesheet" href="/static/staff\.[0-9a-f]{10}\.css">', response.text
    )
    assert "<h1>Action refusée</h1>" in response.text
    assert response.headers["cache-control"] == "no-store"


def test_a_cross_site_form_is_refused_even_with_a_token(staff_world: World) -> None:
    client = login(staff_world.client())
    token = csrf_of(client.get("/staff").text)
    response = client.post(
        "/staff/logout", data={"csrf": token}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert client.get("/staff").status_code == 200  # still logged in


def test_login_next_never_leaves_the_staff_area(staff_world: World) -> None:
    client = staff_world.client()
    page = client.get("/staff/login?next=//evil.example/")
    data = {
        "csrf": csrf_of(page.text),
        "name": "lea",
        "password": PASSWORD,
        "next": "https://evil.example/",
    }
    response = client.post("/staff/login", data=data)
    assert response.status_code == 303
    assert response.headers["location"] == "/staff"


@pytest.mark.postgres
def test_login_and_logout_on_postgresql(staff_world: World) -> None:
    add_user(staff_world, "pg-user", "staff")
    client = login(staff_world.client(), "pg-user")
    copied = client.cookies.get(COOKIE)
    token = csrf_of(client.get("/staff").text)
    assert client.post("/staff/logout", data={"csrf": token}).status_code == 303
    thief = staff_world.client()
    thief.cookies.set(COOKIE, copied or "", path="/staff")
    assert thief.get("/staff").status_code == 302
