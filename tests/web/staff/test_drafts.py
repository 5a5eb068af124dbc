"""A staff form sent after the 12-hour login ran out keeps what was typed: the browser is sent
to log in again, told why, and finds its text back on the page the form was on (filled again
by the page's script, on the page to copy without it). Nothing is acted on; a form of a login
ended on purpose, of another site, or with a password in it gives nothing back.

Every staff page says until when its session is open, and warns in its last 15 minutes.
"""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from tests.web.conftest import World, csrf_of
from tests.web.staff.conftest import CM_PASSWORD, login
from web.store import db
from web.store.tables.ledger import Thanks
from web.store.tables.staff import StaffDraft

NOTE = "Merci pour les cartes postales de la rue Haute, et pour l'après-midi aux archives."
LEDGER = "/staff/merci"


def cm(world: World) -> TestClient:
    return login(world.client(), "camille", CM_PASSWORD)


def send_late(world: World, client: TestClient, **extra: str) -> object:
    """Open the ledger, let the login run out, then send its form."""
    token = csrf_of(client.get(LEDGER).text)
    world.clock.now += timedelta(hours=12, minutes=1)
    fields = {"csrf": token, "what": "Un livre", "note": NOTE, "given_on": "2026-10-01", **extra}
    return client.post(LEDGER, data=fields, headers={"Referer": f"http://testserver{LEDGER}"})


def drafts(world: World) -> list[StaffDraft]:
    with db.reading(world.site.engine) as session:
        return list(session.exec(select(StaffDraft)))


def test_a_form_sent_after_the_login_ran_out_comes_back_after_the_next(staff_world: World) -> None:
    client = cm(staff_world)
    late = send_late(staff_world, client)
    assert late.status_code == 303  # type: ignore[attr-defined]
    assert late.headers["location"] == f"/staff/login?next={LEDGER}"  # type: ignore[attr-defined]
    page = html.unescape(client.get(late.headers["location"]).text)  # type: ignore[attr-defined]
    assert "Votre session avait pris fin : connectez-vous de nouveau" in page
    with db.reading(staff_world.site.engine) as session:
        assert session.exec(select(Thanks)).all() == []  # nothing was acted on
    [kept] = drafts(staff_world)
    assert NOTE in kept.fields and "csrf" not in kept.fields

    token = csrf_of(page)
    back = client.post(
        "/staff/login",
        data={"csrf": token, "name": "camille", "password": CM_PASSWORD, "next": LEDGER},
    )
    assert back.status_code == 303 and back.headers["location"] == LEDGER
    ledger = client.get(LEDGER).text
    found = re.search(r'data-draft="([^"]+)"', ledger)
    assert found, "the draft is not on the page"
    draft = json.loads(html.unescape(found.group(1)))
    assert draft["action"] == LEDGER
    assert ["note", NOTE] in draft["fields"] and ["what", "Un livre"] in draft["fields"]
    assert f"readonly>{NOTE}</textarea>" in html.unescape(ledger)
    assert 'id="draft" tabindex="-1" autofocus' in ledger
    assert drafts(staff_world) == []
    assert "data-draft" not in client.get(LEDGER).text  # given back once


@pytest.mark.postgres
def test_a_draft_kept_and_given_back_on_postgresql(staff_world: World) -> None:
    test_a_form_sent_after_the_login_ran_out_comes_back_after_the_next(staff_world)


def test_a_draft_waits_for_its_own_page(staff_world: World) -> None:
    client = cm(staff_world)
    send_late(staff_world, client)
    login(client, "camille", CM_PASSWORD)  # lands on the staff home
    assert "data-draft" not in client.get("/staff").text
    assert "data-draft" in client.get(LEDGER).text


def test_nothing_is_kept_from_another_site_or_without_a_staff_page_token(
    staff_world: World,
) -> None:
    other = cm(staff_world)
    token = csrf_of(other.get(LEDGER).text)
    staff_world.clock.now += timedelta(hours=13)
    evil = other.post(
        LEDGER, data={"csrf": token, "note": NOTE}, headers={"Origin": "https://evil.example"}
    )
    assert evil.status_code == 403
    stranger = staff_world.client()
    player_token = csrf_of(stranger.get("/c/ou-sommes-nous/tour").text)
    assert stranger.post(LEDGER, data={"csrf": player_token, "note": NOTE}).status_code == 403
    assert stranger.post(LEDGER, data={"csrf": "x", "note": NOTE}).status_code == 403
    photo = stranger.post(LEDGER, data={"csrf": token}, files={"f": ("a.jpg", b"x", "image/jpeg")})
    assert photo.status_code == 403  # a multipart body is never read without a login
    assert drafts(staff_world) == []


def test_a_revoked_login_replayed_keeps_nothing(staff_world: World) -> None:
    client = cm(staff_world)
    token = csrf_of(client.get(LEDGER).text)
    replay = staff_world.client()
    replay.cookies.update(client.cookies)
    client.post("/staff/logout", data={"csrf": csrf_of(client.get("/staff").text)})
    refused = replay.post(LEDGER, data={"csrf": token, "note": NOTE})
    assert refused.status_code == 403
    assert drafts(staff_world) == []


def test_passwords_are_never_kept(staff_world: World) -> None:
    client = cm(staff_world)
    token = csrf_of(client.get("/staff/motdepasse").text)
    staff_world.clock.now += timedelta(hours=12, minutes=1)
    fields = {"csrf": token, "old": CM_PASSWORD, "new": "un autre secret", "again": "x"}
    late = client.post("/staff/motdepasse", data=fields)
    assert late.status_code == 303
    assert drafts(staff_world) == []  # nothing but secrets: nothing to give back


def test_every_staff_page_says_when_its_session_ends_and_warns_at_the_end(
    staff_world: World,
) -> None:
    client = cm(staff_world)
    page = html.unescape(client.get("/staff").text)
    assert "Session ouverte jusqu'au " in page
    assert re.search(r'id="session-warning" data-warn-in="(\d+)" hidden', page)
    seconds = int(re.search(r'data-warn-in="(\d+)"', page).group(1))  # type: ignore[union-attr]
    assert 11 * 3600 + 44 * 60 <= seconds <= 11 * 3600 + 45 * 60
    staff_world.clock.now += timedelta(hours=11, minutes=50)
    late = html.unescape(client.get("/staff?lang=en").text)
    assert 'data-warn-in="0">' in late
    assert "Your session ends on " in late
