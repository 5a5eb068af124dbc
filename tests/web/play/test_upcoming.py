"""A campaign is hidden before it opens: every public URL of it is the 404 of an unknown one.

The example file says so (`opens: … before it the campaign is hidden`), yet its start page
showed the intro, its steps their titles and photos, its cards the riddle's title. A test
generated from the route table asks every public route that names a campaign, for an upcoming
campaign and for one that does not exist, and wants the same 404 page. Staff still prepare it:
the cm prints its QR codes and follows its figures before the opening day.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from starlette.routing import Route

from campaigns.checkpoints import checkpoint_token
from tests.web.conftest import PARIS, World, csrf_of
from tests.web.staff.conftest import CM_PASSWORD, add_user, cheap_argon2, login

__all__ = ["cheap_argon2"]  # the staff tests' fast password hashing

BEFORE = datetime(2026, 4, 1, 12, 0, tzinfo=PARIS)  # both example campaigns open later
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
# For each example campaign, a step of it (with a photo for the riddles, a checkpoint for /k/).
STEPS = {"ou-sommes-nous": "tour", "voie-verte": "borne-1"}
VALUES = {
    "stage": "0",
    "width": "480",
    "fmt": "jpg",
    "item": "1",
    "part": "tour",
    "kind": "audio",
    "ext": "mp3",
}


def campaign_routes(app: object) -> list[tuple[str, str]]:
    """(method, path template) of every public route that names a campaign."""
    found = []
    for route in app.routes:  # type: ignore[attr-defined]
        if isinstance(route, Route) and "campaign" in route.param_convertors:
            if route.path.startswith("/staff"):
                continue
            found += [(m, route.path) for m in sorted(route.methods or ()) if m != "HEAD"]
    return found


def _path(world: World, template: str, slug: str, step: str) -> str:
    token = checkpoint_token(world.settings.secret_key, slug, step)
    values = {**VALUES, "campaign": slug, "step": step, "token": token}
    return PARAM.sub(lambda m: values[m.group(1)], template)


@pytest.mark.parametrize("slug", sorted(STEPS))
def test_every_public_url_of_an_upcoming_campaign_is_the_404_of_an_unknown_one(
    world: World, slug: str
) -> None:
    world.clock.now = BEFORE
    campaign = world.campaign(slug)
    step = STEPS[slug]
    client = world.client()
    token = csrf_of(client.get("/moi").text)
    routes = campaign_routes(world.app)
    assert len(routes) >= 12, routes  # the table really holds the player site
    leaks = []
    for method, template in routes:
        data = {"csrf": token, "answer": "x"} if method == "POST" else None
        hidden = client.request(method, _path(world, template, slug, step), data=data)
        unknown = client.request(method, _path(world, template, "nulle-part", step), data=data)
        if (hidden.status_code, hidden.text) != (404, unknown.text) or unknown.status_code != 404:
            leaks.append((method, template, hidden.status_code))
    assert leaks == []
    for text in (campaign.title, campaign.steps[0].title):
        for shown in text.values() if isinstance(text, dict) else [text]:
            assert str(shown) not in client.get(f"/c/{slug}").text


def test_the_home_page_lists_only_open_and_closed_campaigns(world: World) -> None:
    world.clock.now = BEFORE
    page = world.client().get("/").text
    assert "/c/voie-verte" not in page and "/c/ou-sommes-nous" not in page
    assert "La voie verte" not in page
    world.clock.now = datetime(2026, 5, 1, 8, 0, tzinfo=PARIS)  # voie-verte opens
    page = world.client().get("/").text
    assert "/c/voie-verte" in page and "/c/ou-sommes-nous" not in page
    assert world.client().get("/c/voie-verte").status_code == 200


def test_the_cm_prepares_an_upcoming_campaign(world: World) -> None:
    world.clock.now = BEFORE
    add_user(world, "camille", "cm", CM_PASSWORD)
    cm = login(world.client(), "camille", CM_PASSWORD)
    sheet = cm.get("/staff/impression/voie-verte/balises.pdf")
    assert sheet.status_code == 200
    assert sheet.headers["content-type"] == "application/pdf"
    assert cm.get("/staff/chiffres/voie-verte").status_code == 200
    assert "La voie verte" in cm.get("/staff/impression").text
