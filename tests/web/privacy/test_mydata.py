"""The player's own page, the download of their data, and "forget me"."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.web.balade import Walker, rows_mentioning, write_balade
from tests.web.conftest import World
from web.staff import figures, ledger
from web.store import db
from web.store.tables.play import Player


@pytest.fixture
def town(make_world: Callable[..., World], tmp_path: Path) -> World:
    return make_world(campaigns_path=write_balade(tmp_path / "balade"))


def _figures(world: World) -> dict[str, object]:
    with db.reading(world.site.engine) as session:
        return figures.compute(session, world.campaign("balade")).as_json()


def _thank(world: World, walker: Walker, what: str) -> None:
    recipient = ledger.Recipient("x", "balade", "Jeanne", player_id=walker.player_id)
    with db.writing(world.site.engine) as session:
        ledger.record(session, recipient, what, date(2026, 10, 2), note="À retirer en mairie")


def _play(world: World) -> tuple[Walker, Walker]:
    anne, bruno = Walker(world), Walker(world)
    anne.visit("balade", via="affiche")
    anne.answer("balade", "pont", "Pont Neuf")
    anne.hint("balade", "pont")
    anne.answer("balade", "pont", "Pont des Sept Arches")
    anne.answer("balade", "tour", "tour saint aubin")
    bruno.visit("balade", via="facebook")
    bruno.answer("balade", "tour", "Tour Wilson")
    bruno.answer("balade", "tour", "Tour Saint-Aubin")
    return anne, bruno


def _forget(walker: Walker, confirm: str | None = "oui") -> object:
    walker.get("/moi")
    data = {"confirm": confirm} if confirm is not None else {}
    return walker.post("/moi/oubli", data)


def test_forget_me_leaves_no_personal_row_and_keeps_the_figures(town: World) -> None:
    anne, bruno = _play(town)
    _thank(town, anne, "Tirage d'une photo d'archive")
    pid = anne.player_id
    with db.reading(town.site.engine) as session:
        player = session.get(Player, pid)
        assert player is not None
        code = player.resume_code
    assert rows_mentioning(town, pid)
    before = _figures(town)
    assert before["started"] == 2

    response = _forget(anne)

    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/moi?oubli=fait"  # type: ignore[attr-defined]
    assert rows_mentioning(town, pid) == []
    assert rows_mentioning(town, code) == []
    assert _figures(town) == before
    page = html.unescape(anne.get("/moi?oubli=fait").text)
    assert "Vos données ont été effacées" in page
    assert "Vous n'avez pas encore commencé" in page
    # The resume code no longer opens anything.
    anne.get("/moi")
    retry = anne.post("/reprendre", {"code": code})
    assert retry.status_code == 422
    # The other resident keeps everything.
    assert "1 étape faite sur 3" in bruno.get("/moi").text


def test_forgetting_twice_or_forgetting_later_keeps_the_figures_right(town: World) -> None:
    anne, bruno = _play(town)
    before = _figures(town)
    _forget(anne)
    _forget(bruno)
    after = _figures(town)
    assert after == before
    listed: list[dict[str, Any]] = after["steps"]  # type: ignore[assignment]
    steps = {s["step"]: s for s in listed}
    assert steps["tour"]["done"] == 2
    assert steps["pont"]["hints"] == 1
    assert steps["tour"]["wrong_answers"] == [{"answer": "tour wilson", "count": 1}]


def test_forget_me_asks_for_confirmation_and_a_csrf_token(town: World) -> None:
    anne, _bruno = _play(town)
    pid = anne.player_id
    unconfirmed = _forget(anne, confirm=None)
    assert unconfirmed.status_code == 422  # type: ignore[attr-defined]
    assert "Cochez la case pour confirmer" in html.unescape(unconfirmed.text)  # type: ignore[attr-defined]
    forged = anne.client.post("/moi/oubli", data={"confirm": "oui", "csrf": "forged"})
    assert forged.status_code == 403
    cross_site = anne.client.post(
        "/moi/oubli",
        data={"confirm": "oui", "csrf": anne.token},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert cross_site.status_code == 403
    with db.reading(town.site.engine) as session:
        assert session.get(Player, pid) is not None


def test_the_page_shows_progress_and_thanks_of_this_player_only(town: World) -> None:
    anne, bruno = _play(town)
    _thank(town, anne, "Invitation à l'atelier")
    mine = html.unescape(anne.get("/moi").text)
    assert "2 étapes faites sur 3" in mine
    assert "Invitation à l'atelier" in mine
    assert "À retirer en mairie" in mine
    theirs = html.unescape(bruno.get("/moi").text)
    assert "1 étape faite sur 3" in theirs
    assert "Invitation à l'atelier" not in theirs
    stranger = html.unescape(Walker(town).get("/moi").text)
    assert "Invitation à l'atelier" not in stranger
    assert "faite sur" not in stranger and "faites sur" not in stranger


def test_the_download_holds_all_my_data_and_nobody_else_s(town: World) -> None:
    anne, bruno = _play(town)
    _thank(town, anne, "Tirage d'une photo d'archive")
    response = anne.get("/moi/donnees.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    data = json.loads(response.text)
    assert data["player"]["id"] == anne.player_id
    assert [(a["step"], a["guess"], a["correct"]) for a in data["attempts"]] == [
        ("pont", "pont neuf", False),
        ("pont", "pont des sept arches", True),
        ("tour", "tour saint aubin", True),
    ]
    assert sorted(s["step"] for s in data["solves"]) == ["pont", "tour"]
    assert data["hints"] == [
        {"campaign": "balade", "step": "pont", "hints_shown": 1, "moved_on": 0}
    ]
    assert data["thanks"][0]["what"] == "Tirage d'une photo d'archive"
    assert data["contributions"] == []
    assert bruno.player_id not in response.text
    assert "tour wilson" not in response.text
    other = json.loads(bruno.get("/moi/donnees.json").text)
    assert other["player"]["id"] == bruno.player_id
    assert other["thanks"] == []
    assert anne.player_id not in json.dumps(other)


def test_a_visitor_without_a_player_has_nothing_to_download(town: World) -> None:
    visitor = Walker(town)
    response = visitor.get("/moi/donnees.json")
    assert response.status_code == 303
    assert response.headers["location"] == "/moi"


def test_forget_me_keeps_published_contributions_without_their_author(town: World) -> None:
    from web.store.tables.participation import Submission

    anne, _bruno = _play(town)
    pid = anne.player_id
    with db.writing(town.site.engine) as session:
        for status, text in (("accepted", "Mon grand-père y pêchait."), ("pending", "Brouillon")):
            session.add(
                Submission(
                    player_id=pid,
                    campaign="balade",
                    step="pont",
                    text=text,
                    credit_kind="name",
                    credit_name="Jeanne Martin",
                    status=status,
                    message="Merci Jeanne !" if status == "accepted" else "",
                )
            )
    page = html.unescape(anne.get("/moi").text)
    assert "publiée" in page and "en attente de relecture" in page
    assert "Message de l'équipe : Merci Jeanne !" in page
    _forget(anne)
    assert rows_mentioning(town, pid) == []
    assert rows_mentioning(town, "Jeanne Martin") == []
    with db.reading(town.site.engine) as session:
        from sqlmodel import select

        left = list(session.exec(select(Submission)))
    assert [(s.text, s.status, s.credit_kind) for s in left] == [
        ("Mon grand-père y pêchait.", "accepted", "anonymous")
    ]
