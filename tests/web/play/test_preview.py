"""Preview: staff play a campaign before it opens, and every step outside its window, under a
banner; a cm's preview link does the same for people without an account. Nothing done in
preview reaches the database (so no figure, CSV, JSON, ledger, credit, gallery or retention
count), compared before and after a full preview play; a forged, expired or revoked link is the
plain 404."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import SQLModel
from starlette.testclient import TestClient

from campaigns.checkpoints import short_code
from tests.web.conftest import PARIS, World, csrf_of
from tests.web.playing import Resident
from tests.web.staff.conftest import CM_PASSWORD, add_user, cheap_argon2, login
from web.store import db, progress

__all__ = ["cheap_argon2"]

SLUG = "ou-sommes-nous"
BANNER = "Aperçu : rien de ce que vous faites n'est compté"
BEFORE_OPENING = datetime(2026, 9, 1, 12, 0, tzinfo=PARIS)
# Rows a preview may touch: rate limits (wrong answers and link misses are still limited) and
# the staff's own login.
UNCOUNTED = {"ratecounter", "staffsession", "alembic_version"}


def every_row(world: World) -> dict[str, list[tuple[Any, ...]]]:
    with db.reading(world.site.engine) as session:
        return {
            table.name: sorted(map(tuple, session.execute(select(table)).all()), key=repr)
            for table in SQLModel.metadata.sorted_tables
            if table.name not in UNCOUNTED
        }


def staff(world: World, name: str = "lea", role: str = "staff") -> TestClient:
    password = CM_PASSWORD if role == "cm" else "correct horse battery"
    add_user(world, name, role, password)
    return login(world.client(), name, password)


def start_preview(client: TestClient, slug: str = SLUG) -> None:
    token = csrf_of(client.get("/staff/apercus").text)
    started = client.post(f"/staff/campagnes/{slug}/apercu", data={"csrf": token})
    assert started.status_code == 303
    assert started.headers["location"] == f"/c/{slug}"


def as_resident(world: World, client: TestClient) -> Resident:
    resident = Resident(world)
    resident.client = client
    return resident


def make_link(cm: TestClient, days: str = "3", slug: str = SLUG) -> str:
    token = csrf_of(cm.get("/staff/apercus").text)
    made = cm.post("/staff/apercus", data={"csrf": token, "campaign": slug, "days": days})
    assert made.status_code == 201, made.text[-500:]
    found = re.search(
        r'<code id="made-link">http://localhost:8000(/apercu/[^<]+)</code>', made.text
    )
    assert found is not None
    return found.group(1)


def test_staff_play_a_whole_campaign_before_it_opens_and_nothing_is_counted(world: World) -> None:
    world.clock.now = BEFORE_OPENING
    assert world.client().get(f"/c/{SLUG}").status_code == 404
    cm = staff(world, "camille", "cm")
    lea = staff(world)
    figures = cm.get(f"/staff/chiffres/{SLUG}.json").json()
    before = every_row(world)

    start_preview(lea)
    page = html.unescape(lea.get(f"/c/{SLUG}").text)
    assert BANNER in page and "Recommencer l'aperçu" in page
    resident = as_resident(world, lea)
    campaign = world.site.registry.get(SLUG)
    assert campaign is not None
    for step in campaign.steps:
        resident.play_step(SLUG, step)
    # Another campaign, played as usual meanwhile, is counted and says nothing of a preview.
    assert BANNER not in html.unescape(lea.get("/c/voie-verte").text)
    finale = html.unescape(lea.get(f"/c/{SLUG}/merci").text)
    assert BANNER in finale
    assert "toutes les étapes" in finale or "Merci" in finale

    assert every_row(world) == before
    assert cm.get(f"/staff/chiffres/{SLUG}.json").json() == figures
    # Residents still see nothing before the opening.
    assert world.client().get(f"/c/{SLUG}").status_code == 404


def test_recommencer_l_apercu_forgets_what_was_done(world: World) -> None:
    world.clock.now = BEFORE_OPENING
    lea = staff(world)
    start_preview(lea)
    resident = as_resident(world, lea)
    campaign = world.site.registry.get(SLUG)
    assert campaign is not None
    resident.play_step(SLUG, campaign.steps[0])
    assert "1 étape faite sur" in lea.get(f"/c/{SLUG}").text
    token = csrf_of(lea.get(f"/c/{SLUG}").text)
    again = lea.post("/apercu/recommencer", data={"csrf": token})
    assert (again.status_code, again.headers["location"]) == (303, f"/c/{SLUG}")
    page = lea.get(f"/c/{SLUG}").text
    assert "0 étape faite sur" in page and BANNER in html.unescape(page)
    left = lea.post("/apercu/quitter", data={"csrf": csrf_of(page)})
    assert left.status_code == 303
    assert lea.get(f"/c/{SLUG}").status_code == 404
    assert lea.post("/apercu/recommencer", data={"csrf": "forged"}).status_code == 403


WINDOWED = """\
version: 1
campaigns:
  - slug: fete
    title: "La fête du quartier"
    order: free
    opens: 2026-01-01T09:00
    steps:
      - id: hier
        type: question
        title: "Hier"
        answers: ["Kiosque"]
        closes: 2026-02-01T09:00
      - id: demain
        type: question
        title: "Demain"
        answers: ["Halle"]
        opens: 2026-12-01T09:00
"""


def test_a_step_outside_its_window_can_be_played_in_preview(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    (campaign_dir / "campaigns.yaml").write_text(WINDOWED, encoding="utf-8")
    world = make_world()
    visitor = Resident(world)
    visitor.get("/c/fete/demain")
    assert visitor.post("/c/fete/demain", {"answer": "Halle"}).status_code == 403
    lea = staff(world)
    start_preview(lea, "fete")
    resident = as_resident(world, lea)
    resident.get("/c/fete/demain")
    assert resident.post("/c/fete/demain", {"answer": "Halle"}).status_code == 303
    resident.get("/c/fete/hier")
    assert resident.post("/c/fete/hier", {"answer": "Kiosque"}).status_code == 303
    assert "2 étapes faites sur 2" in lea.get("/c/fete").text


def test_a_preview_link_opens_the_campaign_for_someone_without_an_account(world: World) -> None:
    world.clock.now = BEFORE_OPENING
    cm = staff(world, "camille", "cm")
    path = make_link(cm)
    listed = html.unescape(cm.get("/staff/apercus").text)
    assert "<td>camille</td><td>mardi 1 septembre 2026 à 12h00</td>" in listed
    assert "<td>vendredi 4 septembre 2026 à 12h00</td>" in listed and "valable" in listed
    before = every_row(world)

    elu = world.client()
    opened = elu.get(path)
    assert (opened.status_code, opened.headers["location"]) == (303, f"/c/{SLUG}")
    assert BANNER in html.unescape(elu.get(f"/c/{SLUG}").text)
    resident = as_resident(world, elu)
    campaign = world.site.registry.get(SLUG)
    assert campaign is not None
    resident.play_step(SLUG, campaign.steps[0])
    assert every_row(world) == before

    # Past its days, the link and the preview it opened are gone.
    world.clock.now += timedelta(days=4)
    assert elu.get(f"/c/{SLUG}").status_code == 404
    assert world.client().get(path).status_code == 404


def test_a_revoked_or_forged_link_is_the_plain_404(world: World) -> None:
    world.clock.now = BEFORE_OPENING
    cm = staff(world, "camille", "cm")
    path = make_link(cm, "7")
    elu = world.client()
    assert elu.get(path).status_code == 303
    link = re.search(
        r'action="/staff/apercus/([0-9a-f]{64})/revoquer"', cm.get("/staff/apercus").text
    )
    assert link is not None
    token = csrf_of(cm.get("/staff/apercus").text)
    revoked = cm.post(f"/staff/apercus/{link.group(1)}/revoquer", data={"csrf": token})
    assert (revoked.status_code, revoked.headers["location"]) == (303, "/staff/apercus?revoque=1")
    assert "révoqué" in html.unescape(cm.get("/staff/apercus").text)
    assert elu.get(f"/c/{SLUG}").status_code == 404
    unknown = world.client().get("/nulle-part")
    for gone in (path, path[:-1] + ("A" if path[-1] != "A" else "B"), "/apercu/x"):
        answer = world.client().get(gone)
        assert answer.status_code == 404
        assert answer.text == unknown.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"days": "0"}, "Durée : un nombre de jours entre 1 et 90."),
        ({"days": "quatre"}, "Durée : un nombre de jours entre 1 et 90."),
        ({"days": "91"}, "Durée : un nombre de jours entre 1 et 90."),
        ({"campaign": "inconnue"}, "Choisissez une campagne de la liste."),
    ],
)
def test_a_bad_link_request_says_why_and_makes_nothing(
    world: World, fields: dict[str, str], message: str
) -> None:
    cm = staff(world, "camille", "cm")
    token = csrf_of(cm.get("/staff/apercus").text)
    data = {"csrf": token, "campaign": SLUG, "days": "3", **fields}
    refused = cm.post("/staff/apercus", data=data)
    assert refused.status_code == 422
    assert message in html.unescape(refused.text)
    assert "made-link" not in refused.text
    assert every_row(world)["previewlink"] == []


def test_only_a_cm_makes_or_revokes_links_and_residents_start_no_preview(world: World) -> None:
    lea = staff(world)
    token = csrf_of(lea.get("/staff/apercus").text)
    data = {"csrf": token, "campaign": SLUG, "days": "3"}
    assert lea.post("/staff/apercus", data=data).status_code == 403
    assert lea.post(f"/staff/apercus/{'a' * 64}/revoquer", data={"csrf": token}).status_code == 403
    visitor = world.client()
    page = visitor.get(f"/c/{SLUG}/tour")
    started = visitor.post(f"/staff/campagnes/{SLUG}/apercu", data={"csrf": csrf_of(page.text)})
    assert started.status_code == 403
    assert BANNER not in html.unescape(visitor.get(f"/c/{SLUG}").text)


def test_a_report_sent_in_preview_is_not_kept(world: World) -> None:
    lea = staff(world)
    before = every_row(world)
    start_preview(lea)
    token = csrf_of(lea.get(f"/c/{SLUG}/tour").text)
    sent = lea.post(f"/c/{SLUG}/tour/signaler", data={"csrf": token, "what": "Plaque arrachée"})
    assert (sent.status_code, sent.headers["location"]) == (303, f"/c/{SLUG}/tour")
    assert every_row(world) == before


def test_guessing_preview_links_is_slowed_per_address(make_world: Callable[..., World]) -> None:
    world = make_world(trusted_proxies=("testclient",))
    path = make_link(staff(world, "camille", "cm"))
    guesser = world.client(headers={"X-Forwarded-For": "198.51.100.9"})
    guess = path[:-4] + ("AAAA" if not path.endswith("AAAA") else "BBBB")
    assert [guesser.get(guess).status_code for _ in range(21)] == [404] * 20 + [429]
    assert guesser.get(path).status_code == 429  # even the right link waits now
    assert world.client(headers={"X-Forwarded-For": "198.51.100.10"}).get(path).status_code == 303


def test_wrong_answers_in_preview_are_limited_per_address(
    make_world: Callable[..., World],
) -> None:
    world = make_world(answers_per_minute=2)
    world.clock.now = BEFORE_OPENING
    lea = staff(world)
    start_preview(lea)
    resident = as_resident(world, lea)
    resident.get(f"/c/{SLUG}/tour")
    tries = [
        resident.post(f"/c/{SLUG}/tour", {"answer": f"Lieu {n}"}).status_code for n in range(3)
    ]
    assert tries == [303, 303, 429]
    assert "Retry-After" in resident.post(f"/c/{SLUG}/tour", {"answer": "Lieu"}).headers


def test_passing_seeing_an_answer_and_typing_a_code_in_preview_are_kept_in_its_session(
    world: World,
) -> None:
    world.clock.now = BEFORE_OPENING
    lea = staff(world)
    before = every_row(world)
    start_preview(lea)
    resident = as_resident(world, lea)
    campaign = world.site.registry.get(SLUG)
    assert campaign is not None
    for step in campaign.steps[: [s.id for s in campaign.steps].index("moulin") + 1]:
        url = f"/c/{SLUG}/{step.id}"
        if not step.answerable:
            resident.play_step(SLUG, step)
            continue
        resident.get(url)
        for _hint in range(progress.max_hints(step)):
            assert resident.post(url + "/indice", {}).status_code == 303
        move = "/reponse" if step.id == "moulin" else "/passer"
        moved = resident.post(url + move, {})
        assert (moved.status_code, moved.headers["location"]) == (303, url + "#play")
    tour = html.unescape(lea.get(f"/c/{SLUG}/tour").text)
    assert "Vous avez passé cette étape : elle reste ouverte" in tour
    moulin = html.unescape(lea.get(f"/c/{SLUG}/moulin").text)
    assert "Réponse vue" in moulin
    # the passed steps hold nothing back: the step after the answer seen is open
    assert 'name="choice"' in lea.get(f"/c/{SLUG}/crue").text

    start_preview(lea, "voie-verte")
    url = "/c/voie-verte/borne-1"
    resident.get(url)
    code = short_code(world.settings.secret_key, "voie-verte", "borne-1")
    typed = resident.post(url + "/code", {"code": code})
    assert (typed.status_code, typed.headers["location"]) == (303, url + "#play")
    assert "Balise trouvée" in html.unescape(lea.get(url).text)
    assert every_row(world) == before
