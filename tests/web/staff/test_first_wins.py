"""A staff member who decides what someone else already decided changes nothing and is told.

Each test has the second person send the form the page showed them before the first one decided
(the stale form of a queue two people work): the first decision stays whole, the second is sent
back (POST, 303, no JavaScript needed) to a page saying who decided what, in French or English.
`tests/concurrency/test_staff_decisions.py` releases the same decisions at the same instant
against real servers.
"""

from __future__ import annotations

import html
from pathlib import Path

import httpx
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from tests.web.conftest import World, csrf_of
from tests.web.participation.residents import SLUG, write_campaign
from tests.web.staff.conftest import CM_PASSWORD, PASSWORD, add_user, login
from web.store import db
from web.store.tables.ledger import Thanks
from web.store.tables.markers import MarkerReport
from web.store.tables.participation import Identification, Proposal, Submission


@pytest.fixture
def town(staff_world: World, campaign_dir: Path) -> World:
    write_campaign(campaign_dir)
    staff_world.site.registry.refresh(force=True)
    add_user(staff_world, "yann", "cm", CM_PASSWORD)
    add_user(staff_world, "marc", "staff", PASSWORD)
    return staff_world


def _told(client: TestClient, response: httpx.Response, lang: str = "") -> str:
    assert response.status_code == 303
    location = response.headers["location"]
    page = client.get(location + (f"&lang={lang}" if lang else ""))
    assert page.status_code == 200
    return html.unescape(page.text)


def _row(world: World, table: type, row_id: int) -> object:
    with db.reading(world.site.engine) as session:
        return session.get(table, row_id)


def test_a_contribution_decided_by_one_cm_is_not_changed_by_another(town: World) -> None:
    with db.writing(town.site.engine) as session:
        item = Submission(campaign=SLUG, step="temoignage", text="Le kiosque")
        session.add(item)
        session.flush()
        assert item.id is not None
        item_id = item.id
    camille = login(town.client(), "camille", CM_PASSWORD)
    yann = login(town.client(), "yann", CM_PASSWORD)
    stale = csrf_of(yann.get("/staff/moderation").text)  # Yann's page still shows it pending
    token = csrf_of(camille.get("/staff/moderation").text)
    accepted = camille.post(
        f"/staff/moderation/{item_id}",
        data={"csrf": token, "decision": "accept", "state": "pending"},
    )
    assert accepted.headers["location"] == "/staff/moderation?fait=accept"

    rejected = yann.post(
        f"/staff/moderation/{item_id}",
        data={"csrf": stale, "decision": "reject", "state": "pending", "message": "Doublon"},
    )

    assert rejected.headers["location"] == f"/staff/moderation?deja={item_id}"
    row = _row(town, Submission, item_id)
    assert isinstance(row, Submission)
    assert (row.status, row.message, row.hidden) == ("accepted", "", False)
    said = "Déjà décidé par camille : contribution publiée dans la galerie."
    assert said in _told(yann, rejected)
    english = "Already decided by camille: contribution published in the gallery."
    assert english in _told(yann, rejected, "en")

    # Hidden by reports: back in the queue, republished once; a stale "refuser" changes nothing.
    with db.writing(town.site.engine) as session:
        hidden = session.get(Submission, item_id)
        assert hidden is not None
        hidden.hidden = True
        session.add(hidden)
    token = csrf_of(camille.get("/staff/moderation").text)
    stale = csrf_of(yann.get("/staff/moderation").text)
    restored = camille.post(
        f"/staff/moderation/{item_id}",
        data={"csrf": token, "decision": "restore", "state": "hidden"},
    )
    assert restored.headers["location"] == "/staff/moderation?fait=restore"
    late = yann.post(
        f"/staff/moderation/{item_id}",
        data={"csrf": stale, "decision": "reject", "state": "hidden", "message": "Hors sujet"},
    )
    assert late.headers["location"] == f"/staff/moderation?deja={item_id}"
    row = _row(town, Submission, item_id)
    assert isinstance(row, Submission)
    assert (row.status, row.message, row.hidden) == ("accepted", "", False)
    # A decision the item's state does not allow is refused as unknown.
    odd = yann.post(
        f"/staff/moderation/{item_id}",
        data={"csrf": stale, "decision": "restore", "state": "pending"},
    )
    assert odd.status_code == 403


def test_a_rejection_with_its_message_is_what_the_second_cm_reads(town: World) -> None:
    with db.writing(town.site.engine) as session:
        item = Submission(campaign=SLUG, step="temoignage", text="Le kiosque")
        session.add(item)
        session.flush()
        item_id = item.id
    camille = login(town.client(), "camille", CM_PASSWORD)
    yann = login(town.client(), "yann", CM_PASSWORD)
    stale = csrf_of(yann.get("/staff/moderation").text)
    token = csrf_of(camille.get("/staff/moderation").text)
    camille.post(
        f"/staff/moderation/{item_id}",
        data={"csrf": token, "decision": "reject", "state": "pending", "message": "Doublon"},
    )
    late = yann.post(
        f"/staff/moderation/{item_id}",
        data={"csrf": stale, "decision": "accept", "state": "pending"},
    )
    said = "Déjà décidé par camille : contribution refusée, avec ce message : « Doublon »."
    assert said in _told(yann, late)
    english = "Already decided by camille: contribution rejected, with this message: “Doublon”."
    assert english in _told(yann, late, "en")
    row = _row(town, Submission, item_id)
    assert isinstance(row, Submission)
    assert (row.status, row.message) == ("rejected", "Doublon")


def _identify(
    client: TestClient, key: str, decision: str, state: str, token: str
) -> httpx.Response:
    data = {"csrf": token, "campaign": SLUG, "step": "mystere", "key": key}
    data.update(decision=decision, state=state)
    return client.post("/staff/identifications", data=data)


def test_an_identification_is_decided_once_and_changed_only_from_what_was_seen(
    town: World,
) -> None:
    with db.writing(town.site.engine) as session:
        session.add(Proposal(campaign=SLUG, step="mystere", text="Pont Wilson", key="pont wilson"))
    lea = login(town.client(), "lea", PASSWORD)
    marc = login(town.client(), "marc", PASSWORD)
    stale = csrf_of(marc.get("/staff/identifications").text)
    token = csrf_of(lea.get("/staff/identifications").text)
    first = _identify(lea, "pont wilson", "accept", "pending", token)
    assert first.headers["location"] == "/staff/identifications?fait=1"

    second = _identify(marc, "pont wilson", "decline", "pending", stale)

    with db.reading(town.site.engine) as session:
        [row] = session.exec(select(Identification)).all()
    assert second.headers["location"] == f"/staff/identifications?deja={row.id}"
    assert (row.status, row.label) == ("accepted", "Pont Wilson")
    said = "Déjà décidé par lea : « Pont Wilson » retenue."
    assert said in _told(marc, second)
    assert "Already decided by lea: “Pont Wilson” accepted." in _told(marc, second, "en")

    # Changing one's mind from what the page shows works, once.
    seen = csrf_of(marc.get("/staff/identifications").text)
    changed = _identify(marc, "pont wilson", "decline", "accepted", seen)
    assert changed.headers["location"] == "/staff/identifications?fait=1"
    again = _identify(lea, "pont wilson", "decline", "accepted", token)
    assert again.headers["location"] == f"/staff/identifications?deja={row.id}"
    assert "Déjà décidé par marc : « Pont Wilson » écartée." in _told(lea, again)
    with db.reading(town.site.engine) as session:
        assert [r.status for r in session.exec(select(Identification))] == ["declined"]


def test_the_same_thank_you_recorded_twice_is_one_row(town: World) -> None:
    camille = login(town.client(), "camille", CM_PASSWORD)
    yann = login(town.client(), "yann", CM_PASSWORD)
    form = {
        "recipient": f"c:{SLUG}:archives",
        "what": "Tirage d'une photo d'archive",
        "given_on": "2026-10-02",
    }
    stale = csrf_of(yann.get("/staff/merci").text)
    token = csrf_of(camille.get("/staff/merci").text)
    first = camille.post("/staff/merci", data={"csrf": token, **form})
    assert first.headers["location"] == "/staff/merci?enregistre=1"

    second = yann.post("/staff/merci", data={"csrf": stale, **form, "note": "Encore"})

    with db.reading(town.site.engine) as session:
        [row] = session.exec(select(Thanks)).all()
    assert second.headers["location"] == f"/staff/merci?deja={row.id}"
    assert (row.note, row.recorded_by) == ("", 2)
    said = (
        "Déjà décidé par camille : remerciement « Tirage d'une photo d'archive » "
        "à Archives municipales, le 2026-10-02."
    )
    assert said in _told(yann, second)
    english = (
        "Already decided by camille: thank-you “Tirage d'une photo d'archive” "
        "to Archives municipales, on 2026-10-02."
    )
    assert english in _told(yann, second, "en")
    # Another gift, or the same one another day, is another thank-you.
    token = csrf_of(camille.get("/staff/merci").text)
    camille.post("/staff/merci", data={"csrf": token, **form, "given_on": "2026-10-03"})
    camille.post("/staff/merci", data={"csrf": token, **form, "what": "Invitation à l'atelier"})
    with db.reading(town.site.engine) as session:
        assert len(session.exec(select(Thanks)).all()) == 3


def test_a_marker_report_is_resolved_once(town: World) -> None:
    with db.writing(town.site.engine) as session:
        report = MarkerReport(campaign="voie-verte", step="borne-1", comment="tordue")
        session.add(report)
        session.flush()
        report_id = report.id
    camille = login(town.client(), "camille", CM_PASSWORD)
    yann = login(town.client(), "yann", CM_PASSWORD)
    stale = csrf_of(yann.get("/staff/signalements").text)
    token = csrf_of(camille.get("/staff/signalements").text)
    first = camille.post(f"/staff/signalements/{report_id}/resolu", data={"csrf": token})
    assert first.headers["location"] == "/staff/signalements?resolu=1"
    resolved = _row(town, MarkerReport, report_id)
    assert isinstance(resolved, MarkerReport)

    second = yann.post(f"/staff/signalements/{report_id}/resolu", data={"csrf": stale})

    assert second.headers["location"] == f"/staff/signalements?deja={report_id}"
    again = _row(town, MarkerReport, report_id)
    assert isinstance(again, MarkerReport)
    assert (again.resolved_at, again.resolved_by) == (resolved.resolved_at, resolved.resolved_by)
    assert "Déjà décidé par camille : signalement marqué comme résolu le " in _told(yann, second)
    assert "Already decided by camille: report marked as resolved on " in _told(yann, second, "en")
