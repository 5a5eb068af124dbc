"""'This marker is damaged or missing': from the checkpoint page to the community manager's list."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from PIL import Image
from sqlmodel import select
from starlette.testclient import TestClient

from campaigns.checkpoints import checkpoint_path
from tests.web.conftest import World, csrf_of
from tests.web.staff.conftest import CM_PASSWORD, PASSWORD, add_user, login
from web.participation.markers import PER_SESSION
from web.staff import accounts
from web.store import db
from web.store.tables.markers import PHOTO_FOLDER, MarkerReport

THANKS = "Merci ! Votre signalement est transmis"
NOT_A_PHOTO = "ce fichier n'est pas une photo (JPEG, PNG, WebP, TIFF ou HEIC attendu)"


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def cm(world: World) -> Iterator[TestClient]:
    add_user(world, "camille", "cm", CM_PASSWORD)
    add_user(world, "lea", "staff", PASSWORD)
    yield login(world.client(), "camille", CM_PASSWORD)


def jpeg(colour: str = "orange") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def scanned(world: World, step: str = "borne-2") -> tuple[TestClient, str]:
    """A resident who scanned the marker's code: the page they landed on."""
    client = world.client()
    page = client.get(checkpoint_path(world.settings.secret_key, "voie-verte", step))
    assert page.status_code == 200
    assert 'action="/c/voie-verte/' + step + '/signaler"' in page.text
    return client, page.text


def reports(world: World) -> list[MarkerReport]:
    with db.reading(world.site.engine) as session:
        return list(session.exec(select(MarkerReport)))


def report_files(world: World) -> list[str]:
    folder = world.settings.media_dir / PHOTO_FOLDER
    return sorted(str(p) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_one_tap_report_reaches_the_cm(world: World, cm: TestClient) -> None:
    resident, page = scanned(world)
    response = resident.post(
        "/c/voie-verte/borne-2/signaler",
        data={"csrf": csrf_of(page), "comment": ""},
        files={"photo": ("", b"", "application/octet-stream")},  # nothing chosen
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/c/voie-verte/borne-2?signalement=merci#signaler"
    assert THANKS in resident.get(response.headers["location"].split("#")[0]).text
    listing = cm.get("/staff/signalements")
    assert listing.status_code == 200
    assert "La voie verte, borne après borne" in listing.text
    assert "Borne 2 : le pont de fer" in listing.text
    assert "/photo.webp" not in listing.text
    assert re.search(r"Signalé le \w+ \d+ \w+ 2026", listing.text)
    assert report_files(world) == []


def test_a_report_with_a_photo_and_a_comment_shows_its_thumbnail(
    world: World, cm: TestClient
) -> None:
    resident, page = scanned(world)
    response = resident.post(
        "/c/voie-verte/borne-2/signaler",
        data={"csrf": csrf_of(page), "comment": "Le QR code est tagué <b>en noir</b>"},
        files={"photo": ("IMG_0001.jpg", jpeg(), "image/jpeg")},
    )
    assert response.status_code == 303
    [report] = reports(world)
    assert report.photo_sha256 and report.comment == "Le QR code est tagué <b>en noir</b>"
    listing = cm.get("/staff/signalements").text
    assert "Le QR code est tagué &lt;b&gt;en noir&lt;/b&gt;" in listing
    thumb = cm.get(f"/staff/signalements/{report.id}/photo.webp")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/webp"
    assert Image.open(io.BytesIO(thumb.content)).size == (320, 240)


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(world: World) -> None:
    resident, page = scanned(world)
    response = resident.post(
        "/c/voie-verte/borne-2/signaler",
        data={"csrf": csrf_of(page), "comment": "voilà"},
        files={"photo": ("photo.jpg", b"<!doctype html><script>alert(1)</script>", "image/jpeg")},
    )
    assert response.status_code == 400
    assert NOT_A_PHOTO in response.text
    assert "voilà</textarea>" in response.text  # the comment is kept to try again
    assert reports(world) == []
    assert report_files(world) == []


def test_with_htmx_the_answer_replaces_the_report_section(world: World) -> None:
    resident, page = scanned(world, "borne-1")
    headers = {"HX-Request": "true"}
    response = resident.post(
        "/c/voie-verte/borne-1/signaler",
        data={"csrf": csrf_of(page), "comment": "Borne couchée dans le fossé"},
        headers=headers,
    )
    assert response.status_code == 200
    assert "<html" not in response.text and THANKS in response.text
    refused = resident.post(
        "/c/voie-verte/borne-1/signaler",
        data={"csrf": csrf_of(page)},
        files={"photo": ("x.jpg", b"%PDF-1.4 not a photo", "image/jpeg")},
        headers=headers,
    )
    assert refused.status_code == 400
    assert "<html" not in refused.text and NOT_A_PHOTO in refused.text
    assert [r.comment for r in reports(world)] == ["Borne couchée dans le fossé"]


def test_the_step_page_of_an_unscanned_marker_also_takes_reports(world: World) -> None:
    client = world.client()
    page = client.get("/c/voie-verte/borne-4")
    assert "Un problème avec cette balise ?" in page.text
    assert "signaler" not in client.get("/c/ou-sommes-nous/tour").text
    response = client.post(
        "/c/voie-verte/borne-4/signaler", data={"csrf": csrf_of(page.text), "comment": "absente"}
    )
    assert response.status_code == 303
    assert client.post("/c/ou-sommes-nous/tour/signaler", data={}).status_code == 404


def test_reports_are_refused_without_a_valid_token_and_slowed_down(world: World) -> None:
    resident, page = scanned(world)
    url = "/c/voie-verte/borne-2/signaler"
    assert resident.post(url, data={"csrf": "forged"}).status_code == 403
    assert (
        resident.post(
            url, data={"csrf": csrf_of(page)}, headers={"Origin": "https://evil.example"}
        ).status_code
        == 403
    )
    for _ in range(PER_SESSION):
        assert resident.post(url, data={"csrf": csrf_of(page)}).status_code == 303
    slowed = resident.post(url, data={"csrf": csrf_of(page)})
    assert slowed.status_code == 429 and int(slowed.headers["retry-after"]) > 0
    assert len(reports(world)) == PER_SESSION


def test_a_too_long_comment_is_refused(world: World) -> None:
    resident, page = scanned(world)
    response = resident.post(
        "/c/voie-verte/borne-2/signaler", data={"csrf": csrf_of(page), "comment": "x" * 1001}
    )
    assert response.status_code == 400
    assert "commentaire trop long : 1000 caractères au plus" in response.text
    assert reports(world) == []


def test_the_cm_marks_a_report_resolved(world: World, cm: TestClient) -> None:
    resident, page = scanned(world)
    resident.post(
        "/c/voie-verte/borne-2/signaler", data={"csrf": csrf_of(page), "comment": "cassée"}
    )
    [report] = reports(world)
    listing = cm.get("/staff/signalements").text
    done = cm.post(f"/staff/signalements/{report.id}/resolu", data={"csrf": csrf_of(listing)})
    assert done.status_code == 303
    [report] = reports(world)
    assert report.resolved_at is not None
    after = cm.get("/staff/signalements").text
    assert "Aucun signalement à traiter." in after and "cassée" in after
    assert (
        cm.post("/staff/signalements/999/resolu", data={"csrf": csrf_of(after)}).status_code == 404
    )
    assert cm.post(f"/staff/signalements/{report.id}/resolu", data={}).status_code == 403


def test_staff_accounts_and_players_cannot_see_reports(world: World, cm: TestClient) -> None:
    resident, page = scanned(world)
    resident.post(
        "/c/voie-verte/borne-2/signaler",
        data={"csrf": csrf_of(page)},
        files={"photo": ("a.jpg", jpeg(), "image/jpeg")},
    )
    [report] = reports(world)
    archives = login(world.client(), "lea", PASSWORD)
    for path in ("/staff/signalements", f"/staff/signalements/{report.id}/photo.webp"):
        assert archives.get(path).status_code == 403
        assert resident.get(path).status_code == 302
    token = csrf_of(archives.get("/staff").text)
    refused = archives.post(f"/staff/signalements/{report.id}/resolu", data={"csrf": token})
    assert refused.status_code == 403
    assert reports(world)[0].resolved_at is None
    assert "/staff/signalements" not in archives.get("/staff").text
    assert "/staff/signalements" in cm.get("/staff").text


def test_a_photo_over_the_size_limit_is_refused_and_leaves_no_file(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("web.participation.markers.MAX_PHOTO_BYTES", 4096)
    resident, page = scanned(world)
    response = resident.post(
        "/c/voie-verte/borne-2/signaler",
        data={"csrf": csrf_of(page)},
        files={"photo": ("../../etc/passwd", b"\xff\xd8" + b"x" * 10_000, "image/jpeg")},
    )
    assert response.status_code == 413
    assert "fichier trop lourd : au plus 4 Ko" in response.text
    assert reports(world) == []
    assert report_files(world) == []
