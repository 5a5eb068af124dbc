"""The cm's thank-you ledger, `/staff/merci`, and the absence of any ranking."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.web.balade import Walker, write_balade
from tests.web.conftest import World, csrf_of
from tests.web.staff.conftest import CM_PASSWORD, add_user, login
from web.store import db

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def town(make_world: Callable[..., World], tmp_path: Path) -> World:
    world = make_world(campaigns_path=write_balade(tmp_path / "balade"))
    add_user(world, "lea", "staff")
    add_user(world, "camille", "cm", CM_PASSWORD)
    return world


def _cm(world: World) -> TestClient:
    return login(world.client(), "camille", CM_PASSWORD)


def _accepted_contributor(world: World) -> Walker:
    from web.store.tables.participation import Submission

    jeanne = Walker(world)
    jeanne.answer("balade", "tour", "Tour Saint-Aubin")
    with db.writing(world.site.engine) as session:
        session.add(
            Submission(
                player_id=jeanne.player_id,
                campaign="balade",
                step="pont",
                text="Mon grand-père y pêchait.",
                credit_kind="pseudonym",
                credit_name="Jeanne du Loir",
                status="accepted",
            )
        )
    return jeanne


def _record(client: TestClient, **fields: str) -> object:
    token = csrf_of(client.get("/staff/merci").text)
    return client.post("/staff/merci", data={"csrf": token, **fields})


def test_the_cm_thanks_a_resident_who_then_sees_it(town: World) -> None:
    jeanne = _accepted_contributor(town)
    cm = _cm(town)
    page = html.unescape(cm.get("/staff/merci").text)
    assert "Jeanne du Loir — contribution n° 1" in page
    assert "Archives municipales" in page
    assert jeanne.player_id not in page  # residents are chosen by their contribution
    response = _record(
        cm,
        recipient="s:1",
        what="Tirage d'une photo d'archive",
        given_on="2026-10-02",
        note="À retirer à l'accueil des archives",
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    listed = html.unescape(cm.get("/staff/merci?enregistre=1").text)
    assert "Remerciement enregistré." in listed
    assert "Tirage d'une photo d'archive" in listed
    mine = html.unescape(jeanne.get("/moi").text)
    assert "Tirage d'une photo d'archive" in mine
    assert "02/10/2026" in mine
    assert "À retirer à l'accueil des archives" in mine
    assert "Tirage d'une photo d'archive" not in html.unescape(Walker(town).get("/moi").text)


def test_the_cm_thanks_a_contributor_of_the_yaml_and_can_remove_a_mistake(town: World) -> None:
    cm = _cm(town)
    recorded = _record(
        cm, recipient="c:balade:archives", what="Invitation à l'atelier", given_on="2026-10-03"
    )
    assert recorded.status_code == 303  # type: ignore[attr-defined]
    page = cm.get("/staff/merci").text
    assert "Invitation à l'atelier" in html.unescape(page)
    match = re.search(r'action="/staff/merci/(\d+)/supprimer"', page)
    assert match
    removed = cm.post(f"/staff/merci/{match.group(1)}/supprimer", data={"csrf": csrf_of(page)})
    assert removed.status_code == 303
    assert "Aucun remerciement noté pour l'instant." in html.unescape(cm.get("/staff/merci").text)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"recipient": "", "what": "Livre", "given_on": "2026-10-03"}, "Choisissez à qui"),
        ({"recipient": "s:999", "what": "Livre", "given_on": "2026-10-03"}, "Choisissez à qui"),
        ({"recipient": "c:balade:archives", "what": " ", "given_on": "2026-10-03"}, "Dites ce qui"),
        ({"recipient": "c:balade:archives", "what": "Livre", "given_on": "demain"}, "AAAA-MM-JJ"),
    ],
)
def test_a_wrong_form_says_why_and_records_nothing(
    town: World, fields: dict[str, str], message: str
) -> None:
    cm = _cm(town)
    response = _record(cm, **fields)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert message in html.unescape(response.text)  # type: ignore[attr-defined]
    assert "Aucun remerciement noté" in html.unescape(cm.get("/staff/merci").text)


def test_the_ledger_refuses_forged_posts_and_staff_accounts(town: World) -> None:
    cm = _cm(town)
    forged = cm.post(
        "/staff/merci",
        data={
            "csrf": "x",
            "recipient": "c:balade:archives",
            "what": "Livre",
            "given_on": "2026-10-03",
        },
    )
    assert forged.status_code == 403
    staff = login(town.client(), "lea")
    assert staff.get("/staff/merci").status_code == 403
    token = csrf_of(staff.get("/staff").text)
    refused = staff.post(
        "/staff/merci",
        data={
            "csrf": token,
            "recipient": "c:balade:archives",
            "what": "Livre",
            "given_on": "2026-10-03",
        },
    )
    assert refused.status_code == 403
    assert staff.post("/staff/merci/1/supprimer", data={"csrf": token}).status_code == 403
    assert town.client().get("/staff/merci").status_code == 302
    assert "Aucun remerciement noté" in html.unescape(cm.get("/staff/merci").text)


RANKING = re.compile(
    r"\b(rang|rangs|classement|classements|ranking|rank|ranked|leaderboard)\b", re.I
)


def test_nothing_in_the_engine_ranks_players() -> None:
    """No template and none of the figures' code speaks of ranks (SPEC: no rankings)."""
    files = sorted((ROOT / "web" / "templates").rglob("*.html"))
    files += [ROOT / "web" / "staff" / name for name in ("figures.py", "ledger.py", "charts.py")]
    files += [ROOT / "web" / "staff" / "dashboard.py", ROOT / "web" / "privacy" / "mydata.py"]
    files += [ROOT / "web" / "store" / "tables" / "ledger.py"]
    offending = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in files
        for match in RANKING.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offending == []
    from web.store.tables.ledger import Thanks

    assert not {"score", "rank", "speed", "seconds", "position"} & set(Thanks.model_fields)
