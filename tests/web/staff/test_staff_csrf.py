"""A staff POST needs a token of that very staff session, and no foreign Referer.

A token taken from an anonymous page (or from another staff member's page) belongs to another
session: with the staff cookie alone it is refused, as a browser that dropped the player
cookie, or a script, would send it. When the browser sends no `Origin`, a `Referer` naming
another site is evidence enough that the form was posted from there.
"""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.web.conftest import World, csrf_of
from tests.web.staff.conftest import CM_PASSWORD, login
from web.staff.auth import COOKIE


def _staff_cookie_only(world: World, name: str = "lea", password: str | None = None) -> TestClient:
    """A logged-in staff browser holding the staff cookie and nothing else."""
    client = login(world.client(), name, password) if password else login(world.client(), name)
    cookie = client.cookies.get(COOKIE)
    assert cookie
    client.cookies.clear()
    client.cookies.set(COOKIE, cookie, path="/staff")
    return client


def _logged_in(client: TestClient) -> bool:
    return client.get("/staff").status_code == 200


def test_a_token_from_an_anonymous_page_is_refused_on_a_staff_form(staff_world: World) -> None:
    staff = _staff_cookie_only(staff_world)
    anonymous = csrf_of(staff_world.client().get("/staff/login").text)
    refused = staff.post("/staff/logout", data={"csrf": anonymous})
    assert refused.status_code == 403
    assert "<h1>Action refusée</h1>" in refused.text
    assert _logged_in(staff)


def test_a_token_of_another_staff_session_is_refused(staff_world: World) -> None:
    lea = _staff_cookie_only(staff_world)
    camille = login(staff_world.client(), "camille", CM_PASSWORD)
    theirs = csrf_of(camille.get("/staff/motdepasse").text)
    refused = lea.post("/staff/logout", data={"csrf": theirs})
    assert refused.status_code == 403
    assert _logged_in(lea) and _logged_in(camille)


def test_a_token_of_an_ended_session_is_refused_after_a_new_login(staff_world: World) -> None:
    client = login(staff_world.client())
    old = csrf_of(client.get("/staff/motdepasse").text)
    client.post("/staff/logout", data={"csrf": old})
    login(client)
    assert client.post("/staff/logout", data={"csrf": old}).status_code == 403
    assert _logged_in(client)


def test_the_staff_sessions_own_token_is_accepted(staff_world: World) -> None:
    staff = _staff_cookie_only(staff_world)
    token = csrf_of(staff.get("/staff/motdepasse").text)
    out = staff.post("/staff/logout", data={"csrf": token})
    assert out.status_code == 303
    assert not _logged_in(staff)


def test_a_foreign_referer_without_origin_is_refused(staff_world: World) -> None:
    staff = login(staff_world.client())
    token = csrf_of(staff.get("/staff/motdepasse").text)
    for referer in ("https://evil.example/piege.html", "http://testserver.evil.example/staff"):
        refused = staff.post("/staff/logout", data={"csrf": token}, headers={"Referer": referer})
        assert refused.status_code == 403, referer
    assert _logged_in(staff)


def test_a_same_origin_referer_or_none_is_accepted(staff_world: World) -> None:
    for headers in ({"Referer": "http://testserver/staff/motdepasse"}, {}):
        staff = login(staff_world.client())
        token = csrf_of(staff.get("/staff/motdepasse").text)
        assert staff.post("/staff/logout", data={"csrf": token}, headers=headers).status_code == 303
        assert not _logged_in(staff)


def test_an_origin_of_this_site_wins_over_a_foreign_referer_never(staff_world: World) -> None:
    """Origin, when sent, is what decides: a matching one is accepted, a foreign one refused."""
    staff = login(staff_world.client())
    token = csrf_of(staff.get("/staff/motdepasse").text)
    foreign = {"Origin": "https://evil.example", "Referer": "http://testserver/staff"}
    assert staff.post("/staff/logout", data={"csrf": token}, headers=foreign).status_code == 403
    own = {"Origin": "http://testserver"}
    assert staff.post("/staff/logout", data={"csrf": token}, headers=own).status_code == 303


def test_a_foreign_referer_is_refused_on_the_player_site_too(world: World) -> None:
    client = world.client()
    url = "/c/ou-sommes-nous/tour"
    token = csrf_of(client.get(url).text)
    refused = client.post(
        url, data={"csrf": token, "answer": "x"}, headers={"Referer": "https://evil.example/"}
    )
    assert refused.status_code == 403
