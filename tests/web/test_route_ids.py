"""Ids in URLs: a test generated from the app's own route table.

`str.isdigit()` accepts "²" (`%C2%B2`) and Arabic-Indic digits, which `int()` refuses, and
`int()` accepts 23 digits that no INTEGER column holds: each was a 500. Every route that takes a
database id takes it through the one `{name:id}` converter, and whatever else is in its place is
the plain 404 of an unknown URL, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher
from starlette.routing import Route

from tests.web.conftest import World, csrf_of
from tests.web.staff.conftest import CM_PASSWORD, add_user, login
from web.routeids import MAX_ID, DatabaseId, at_most, parse_id
from web.staff import accounts

# The path parameters that are not database ids, with a value each that the route accepts.
TEXT_PARAMS = {
    "campaign": "ou-sommes-nous",
    "step": "tour",
    "token": "abcdefgh",
    "stage": "0",
    "width": "480",
    "fmt": "jpg",
    "archive": "val-de-loir.pmtiles",
    "size": "192",
    "photo": "abcdefghijkl",  # a library photo id: 12 letters and digits, not a number
    "link": "a" * 64,  # a preview link: the SHA-256 of its token
    "card": "campagne",  # a card of the publication kit: the campaign's, or a step id
    "part": "tour",  # a story's file: of a step, or of the finale (`merci`)
    "kind": "audio",
    "ext": "mp3",
}
# Not ids a database holds: they pass `str.isdigit()` or `int()`, or both.
BAD_IDS = [
    "%C2%B2",  # "²": isdigit() is True, int() raises
    "%D9%A1%D9%A2",  # "١٢", Arabic-Indic digits: int() takes them, the URL must not
    "1" * 23,  # int() takes it, SQLite overflows
    str(MAX_ID + 1),  # past PostgreSQL's INTEGER
    "99999999999999999999",
    "-1",
    "01",
    "1.0",
    "%201",
    "1%00",
]
# The routes the issue found answering 500 (at least these must be in the table).
EXPECTED = {
    ("GET", "/c/{campaign}/galerie/{item:id}-{width:int}.{fmt}"),
    ("POST", "/c/{campaign}/galerie/{item:id}/signaler"),
    ("POST", "/staff/moderation/{item:id}"),
    ("GET", "/staff/moderation/{item:id}/photo.jpg"),
    ("POST", "/staff/merci/{thanks:id}/supprimer"),
    ("POST", "/staff/signalements/{report:id}/resolu"),
    ("GET", "/staff/signalements/{report:id}/photo.webp"),
}
PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def id_routes(app: object) -> list[tuple[str, str, str]]:
    """(method, path template, id parameter) of every route that takes a database id.

    Any parameter not in TEXT_PARAMS is an id, and must use the id converter.
    """
    found = []
    for route in app.routes:  # type: ignore[attr-defined]
        if not isinstance(route, Route):
            continue
        for name, convertor in route.param_convertors.items():
            if name in TEXT_PARAMS:
                continue
            assert isinstance(convertor, DatabaseId), f"{route.path}: {{{name}}} is not an id"
            for method in sorted(route.methods or ()):
                if method != "HEAD":
                    found.append((method, route.path, name))
    return found


def _path(template: str, id_name: str, value: str) -> str:
    def fill(match: re.Match[str]) -> str:
        return value if match.group(1) == id_name else TEXT_PARAMS[match.group(1)]

    return PARAM.sub(fill, template)


def test_every_id_route_answers_404_to_what_is_not_a_database_id(world: World) -> None:
    add_user(world, "camille", "cm", CM_PASSWORD)
    cm = login(world.client(raise_server_exceptions=False), "camille", CM_PASSWORD)
    staff_token = csrf_of(cm.get("/staff/photos/nouvelle").text)
    player = world.client(raise_server_exceptions=False)
    player_token = csrf_of(player.get("/c/ou-sommes-nous/tour").text)
    routes = id_routes(world.app)
    assert {(method, path) for method, path, _name in routes} >= EXPECTED
    answers = []
    for method, template, name in routes:
        staff = template.startswith("/staff")
        client, token = (cm, staff_token) if staff else (player, player_token)
        form = {"csrf": token} if method == "POST" else None
        for bad in BAD_IDS:
            path = _path(template, name, bad)
            response = client.request(method, path, data=form)
            answers.append((method, path, response.status_code))
    assert [a for a in answers if a[2] != 404] == []


def test_an_id_that_could_exist_still_reaches_the_handler(world: World) -> None:
    """The converter lets real ids through: an unknown one is the handler's own 404, a known
    one works (here a thank-you the cm deletes)."""
    add_user(world, "camille", "cm", CM_PASSWORD)
    cm = login(world.client(), "camille", CM_PASSWORD)
    token = csrf_of(cm.get("/staff/merci").text)
    gone = cm.post(f"/staff/merci/{MAX_ID}/supprimer", data={"csrf": token})
    assert gone.status_code == 303
    assert cm.get(f"/staff/moderation/{MAX_ID}/photo.jpg").status_code == 404


@pytest.mark.parametrize("stage", ["%C2%B2", "%D9%A1", "1" * 23, "-1", "01", "full0"])
def test_a_photo_stage_that_is_not_one_of_the_step_answers_404(world: World, stage: str) -> None:
    client = world.client(raise_server_exceptions=False)
    client.get("/c/ou-sommes-nous/tour")
    assert client.get(f"/p/ou-sommes-nous/tour/{stage}-480.jpg").status_code == 404
    assert client.get("/p/ou-sommes-nous/tour/0-480.jpg").status_code == 200


def test_the_id_pattern_is_exactly_the_numbers_from_1_to_the_limit() -> None:
    for limit in (1, 9, 10, 99, 100, 2147, 4000):
        pattern = re.compile(at_most(limit))
        accepted = {n for n in range(0, 11000) if pattern.fullmatch(str(n))}
        assert accepted == set(range(1, limit + 1)), limit
    pattern = re.compile(at_most(MAX_ID))
    assert pattern.fullmatch(str(MAX_ID)) and pattern.fullmatch("1999999999")
    assert not pattern.fullmatch(str(MAX_ID + 1)) and not pattern.fullmatch("3000000000")
    assert not pattern.fullmatch("²") and not pattern.fullmatch("١")


def test_an_id_in_a_query_is_read_by_the_same_rule(world: World) -> None:
    """`?deja=<id>` (a decision someone else made first) with "²" was a 500 on staff pages."""
    add_user(world, "camille", "cm", CM_PASSWORD)
    cm = login(world.client(), "camille", CM_PASSWORD)
    for page in ("/staff/moderation", "/staff/merci", "/staff/signalements"):
        for bad in BAD_IDS:
            assert cm.get(f"{page}?deja={bad}").status_code == 200, (page, bad)
    assert parse_id("42") == 42 and parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id("²") is None and parse_id(str(MAX_ID + 1)) is None and parse_id("") is None
