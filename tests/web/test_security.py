"""CSRF, cookies, rate limits, bad answers, headers and error pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from tests.web.conftest import World, csrf_of
from tests.web.playing import Resident
from web.store import db
from web.store.tables.play import Attempt, Player, Solve


def _attempts(world: World) -> int:
    with Session(world.site.engine) as session:
        return session.exec(select(func.count()).select_from(Attempt)).one()


@pytest.fixture
def riddle(world: World) -> str:
    campaign = world.campaign()
    return f"/c/{campaign.slug}/{campaign.steps[0].id}"


def test_a_post_without_token_is_refused_and_changes_nothing(world: World, riddle: str) -> None:
    client = world.client()
    client.get(riddle)
    refused = client.post(riddle, data={"answer": "x"})
    assert refused.status_code == 403
    assert "Action refusée" in refused.text
    assert _attempts(world) == 0


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}],
)
def test_a_cross_site_post_is_refused_even_with_a_token(
    world: World, riddle: str, headers: dict[str, str]
) -> None:
    client = world.client()
    token = csrf_of(client.get(riddle).text)
    refused = client.post(riddle, data={"csrf": token, "answer": "x"}, headers=headers)
    assert refused.status_code == 403
    assert _attempts(world) == 0


def test_a_same_origin_post_is_accepted(world: World, riddle: str) -> None:
    client = world.client()
    token = csrf_of(client.get(riddle).text)
    headers = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    answered = client.post(riddle, data={"csrf": token, "answer": "x"}, headers=headers)
    assert answered.status_code == 303
    assert _attempts(world) == 1


def test_a_token_of_another_session_is_refused(world: World, riddle: str) -> None:
    alice, mallory = world.client(), world.client()
    alice.get(riddle)
    stolen = csrf_of(mallory.get(riddle).text)
    assert alice.post(riddle, data={"csrf": stolen, "answer": "x"}).status_code == 403


def test_a_tampered_cookie_gets_a_fresh_session_not_an_error(world: World, riddle: str) -> None:
    client = world.client()
    client.cookies.set("balises", "eyJzaWQiOiAiaGFja2VkIn0=.forged.signature")
    page = client.get(riddle)
    assert page.status_code == 200
    assert "balises=" in page.headers["set-cookie"]
    assert "forged" not in page.headers["set-cookie"]
    answered = client.post(riddle, data={"csrf": csrf_of(page.text), "answer": "x"})
    assert answered.status_code == 303


def test_blocked_cookies_still_get_answers_and_a_warning(world: World, riddle: str) -> None:
    client = world.client()
    token = csrf_of(client.get(riddle).text)
    client.cookies.clear()
    answered = client.post(riddle, data={"csrf": token, "answer": "Zanzibar"})
    assert answered.status_code == 200
    assert "Pas tout à fait" in answered.text
    assert "progression ne sera pas conservée" in answered.text
    with Session(world.site.engine) as session:
        attempt = session.exec(select(Attempt)).one()
        players = session.exec(select(func.count()).select_from(Player)).one()
    assert attempt.player_id is None
    assert players == 0


def test_the_session_cookie_is_httponly_and_lax(world: World, riddle: str) -> None:
    cookie = world.client().get(riddle).headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # http base URL: a Secure cookie would never come back


def test_mere_visits_create_no_player(world: World) -> None:
    client = world.client()
    for url in ("/", "/c/ou-sommes-nous", "/c/ou-sommes-nous/tour", "/moi"):
        client.get(url)
    with Session(world.site.engine) as session:
        assert session.exec(select(func.count()).select_from(Player)).one() == 0


def test_empty_and_too_long_answers_are_refused_and_not_counted(world: World, riddle: str) -> None:
    resident = Resident(world)
    resident.get(riddle)
    empty = resident.post(riddle, {"answer": "   "})
    assert empty.status_code == 422
    assert "Saisissez une réponse" in empty.text
    long = resident.post(riddle, {"answer": "a" * 100_000})
    assert long.status_code in (413, 422)
    assert "trop long" in long.text.lower()
    assert _attempts(world) == 0


def test_a_huge_body_is_refused_with_413(world: World, riddle: str) -> None:
    resident = Resident(world)
    resident.get(riddle)
    huge = resident.post(riddle, {"answer": "a" * 200_000})
    assert huge.status_code == 413


def test_brute_force_gets_429_with_a_countdown(make_world: object, clock: object) -> None:
    world = make_world(answers_per_minute=3)  # type: ignore[operator]
    campaign = world.campaign()
    url = f"/c/{campaign.slug}/{campaign.steps[0].id}"
    resident = Resident(world)
    resident.get(url)
    for _ in range(3):
        assert resident.post(url, {"answer": "Zanzibar"}).status_code == 303
    slow = resident.post(url, {"answer": campaign.steps[0].answers[0]})
    assert slow.status_code == 429
    assert int(slow.headers["retry-after"]) > 0
    seconds = f"<span data-seconds>{slow.headers['retry-after']}</span>"
    assert f"Réessayez dans {seconds} s" in slow.text  # counting down with JavaScript
    fragment = resident.post(url, {"answer": "Zanzibar"}, htmx=True)
    assert fragment.status_code == 429
    seconds = f"<span data-seconds>{fragment.headers['retry-after']}</span>"
    assert f"Réessayez dans {seconds} s" in fragment.text
    # Only the message comes: the answer form, with what the player typed, stays on the page.
    assert fragment.headers["hx-retarget"] == "#feedback" and 'name="answer"' not in fragment.text
    assert _attempts(world) == 3  # refused tries are not judged
    with Session(world.site.engine) as session:
        assert session.exec(select(func.count()).select_from(Solve)).one() == 0
    world.clock.now = world.clock.now.replace(minute=world.clock.now.minute + 2)  # type: ignore[attr-defined]
    assert resident.post(url, {"answer": campaign.steps[0].answers[0]}).status_code == 303


def test_new_cookies_do_not_reset_the_per_address_limit(make_world: object) -> None:
    world = make_world(answers_per_minute=2)  # type: ignore[operator]
    campaign = world.campaign()
    url = f"/c/{campaign.slug}/{campaign.steps[0].id}"
    statuses = []
    for _ in range(7):  # a script clearing its cookies: 2 wrong answers per fresh player
        resident = Resident(world)
        resident.get(url)
        statuses += [resident.post(url, {"answer": "Zanzibar"}).status_code for _ in range(2)]
    assert statuses[:12] == [303] * 12  # the address allows 6 × 2 wrong answers a minute
    assert statuses[12:] == [429, 429]


def test_pages_carry_security_headers_and_the_pinned_htmx(world: World, riddle: str) -> None:
    page = world.client().get(riddle)
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert f"script-src 'self' {world.settings.htmx_url}" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "HX-Request" in page.headers["vary"]
    script = f'<script src="{world.settings.htmx_url}" integrity="{world.settings.htmx_sri}"'
    assert script in page.text
    assert 'crossorigin="anonymous"' in page.text
    assert "<main" in page.text and "<h1>" in page.text


def test_an_unexpected_error_renders_a_friendly_page(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(slug: str) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(world.site.registry, "get", broken)
    response = world.client(raise_server_exceptions=False).get("/c/ou-sommes-nous")
    assert response.status_code == 500
    assert "Un souci de notre côté" in response.text
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text


def test_unknown_pages_are_friendly_404s(world: World) -> None:
    for url in ("/nope", "/c/nope", "/c/ou-sommes-nous/nope", "/p/ou-sommes-nous/tour/9-480.jpg"):
        response = world.client().get(url)
        assert response.status_code == 404
        assert "Page introuvable" in response.text


def test_bursts_of_wrong_checkpoint_tokens_are_throttled(world: World) -> None:
    client = world.client()
    statuses = [client.get(f"/k/voie-verte/borne-1/guess{i:04d}").status_code for i in range(21)]
    assert statuses[:20] == [404] * 20
    assert statuses[20] == 429


def test_sqlite_keeps_acknowledged_answers_through_a_power_cut(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'balises.db'}")
    with engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
        assert pragma("PRAGMA busy_timeout").scalar() == 5000
        assert pragma("PRAGMA foreign_keys").scalar() == 1
