"""No player ever reaches a staff page: a test generated from the app's own router table."""

from __future__ import annotations

import re

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.web.conftest import World, csrf_of
from tests.web.staff.conftest import CM_PASSWORD, login, upload
from tests.web.staff.samples import photo
from web.staff.routes import PUBLIC

PARAM = re.compile(r"\{(\w+)(:\w+)?\}")


def staff_endpoints(app: object) -> list[tuple[str, str]]:
    """(method, path template) of every staff route the app serves, except the login form."""
    found = []
    for route in app.routes:  # type: ignore[attr-defined]
        if isinstance(route, Route) and route.path.startswith("/staff"):
            if route.path in PUBLIC:
                continue
            for method in sorted(route.methods or ()):
                if method != "HEAD":
                    found.append((method, route.path))
    return found


def _player(world: World) -> TestClient:
    """A resident who played: they carry the player site's session cookie."""
    player = world.client()
    page = player.get("/c/ou-sommes-nous/tour")
    assert page.status_code == 200
    player.post("/c/ou-sommes-nous/tour", data={"csrf": csrf_of(page.text), "answer": "non"})
    assert player.cookies.get("balises")
    return player


@pytest.mark.parametrize("who", ["anonymous", "player"])
def test_every_staff_route_refuses_players_and_strangers(staff_world: World, who: str) -> None:
    staff = login(staff_world.client())
    assert upload(staff, [("a.jpg", photo("JPEG"))]).status_code == 200  # type: ignore[attr-defined]
    photo_id = re.search(r"media:([a-z0-9]{12})", staff.get("/staff/photos").text)
    assert photo_id is not None
    endpoints = staff_endpoints(staff_world.app)
    assert len(endpoints) >= 10, endpoints  # the table really holds the staff area

    visitor = staff_world.client() if who == "anonymous" else _player(staff_world)
    token = csrf_of(visitor.get("/staff/login").text)  # a valid token: refusal is not CSRF's
    for method, template in endpoints:
        # a number where the route takes a database id (`{name:id}`), else the photo's id
        path = PARAM.sub(lambda m: "1" if m.group(2) == ":id" else photo_id.group(1), template)
        if method == "GET":
            response = visitor.get(path)
            assert response.status_code == 302, (method, path, response.status_code)
            assert response.headers["location"].startswith("/staff/login?next=/staff")
        else:
            response = visitor.request(method, path, data={"csrf": token})
            assert response.status_code == 403, (method, path, response.status_code)
    assert staff.get("/staff/photos").status_code == 200  # staff's own session untouched


def test_a_staff_member_cannot_open_cm_pages(staff_world: World) -> None:
    staff = login(staff_world.client())
    assert staff.get("/staff/campagnes").status_code == 403
    assert "/staff/campagnes" not in staff.get("/staff").text


def test_the_cm_sees_the_last_problems_of_each_campaign_file(
    staff_world: World, campaign_dir: object
) -> None:
    from pathlib import Path

    folder = Path(str(campaign_dir))
    yaml_file = folder / "campaigns.yaml"
    yaml_file.write_text(
        yaml_file.read_text(encoding="utf-8").replace("order: sequential", "order: sequentiel", 1),
        encoding="utf-8",
    )
    staff_world.site.registry.refresh(force=True)
    problems = staff_world.site.registry.last_problems
    assert problems, "the edit should break the file"
    [first] = next(iter(problems.values()))[:1]
    cm = login(staff_world.client(), "camille", CM_PASSWORD)
    home = cm.get("/staff")
    assert "Problèmes des fichiers de campagne" in home.text
    assert first.message.replace("'", "&#39;") in home.text or first.message in home.text
    assert cm.get("/staff/campagnes").status_code == 200
    staff = login(staff_world.client())
    assert "Problèmes des fichiers de campagne" not in staff.get("/staff").text
