"""Only the community manager moderates contributions: archives staff get 403."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.web.conftest import World, csrf_of
from tests.web.participation.residents import Phone, submissions, write_campaign
from tests.web.staff.conftest import CM_PASSWORD, login


@pytest.fixture
def queue_world(staff_world: World, campaign_dir: object) -> World:
    from pathlib import Path

    write_campaign(Path(str(campaign_dir)))
    staff_world.site.registry.refresh(force=True)
    Phone(staff_world).contribute("temoignage", text="Le kiosque en 1950", credit="anonymous")
    return staff_world


def test_a_staff_account_cannot_moderate(queue_world: World, staff_client: TestClient) -> None:
    [row] = submissions(queue_world)
    page = staff_client.get("/staff/moderation")
    assert page.status_code == 403
    assert "Le kiosque en 1950" not in page.text
    assert "/staff/moderation" not in staff_client.get("/staff").text
    token = csrf_of(staff_client.get("/staff/motdepasse").text)
    decided = staff_client.post(
        f"/staff/moderation/{row.id}", data={"csrf": token, "decision": "accept"}
    )
    assert decided.status_code == 403
    assert staff_client.get(f"/staff/moderation/{row.id}/photo.jpg").status_code == 403
    assert [s.status for s in submissions(queue_world)] == ["pending"]


def test_the_cm_moderates_and_an_unknown_item_or_decision_changes_nothing(
    queue_world: World,
) -> None:
    [row] = submissions(queue_world)
    manager = login(queue_world.client(), "camille", CM_PASSWORD)
    page = manager.get("/staff/moderation")
    assert page.status_code == 200 and "Le kiosque en 1950" in page.text
    assert "En attente (1)" in page.text
    token = csrf_of(page.text)
    assert (
        manager.post(
            "/staff/moderation/999", data={"csrf": token, "decision": "accept"}
        ).status_code
        == 404
    )
    odd = manager.post(f"/staff/moderation/{row.id}", data={"csrf": token, "decision": "publish"})
    assert odd.status_code == 403
    assert [s.status for s in submissions(queue_world)] == ["pending"]
    done = manager.post(
        f"/staff/moderation/{row.id}",
        data={"csrf": token, "decision": "reject", "message": "Doublon"},
    )
    assert done.status_code == 303 and done.headers["location"] == "/staff/moderation?fait=reject"
    after = manager.get(done.headers["location"]).text
    assert "Contribution refusée : elle n'apparaît nulle part." in after
    assert "En attente (0)" in after
    [rejected] = submissions(queue_world)
    assert (rejected.status, rejected.message, rejected.moderated_by) == ("rejected", "Doublon", 2)
