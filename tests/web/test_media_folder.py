"""A media folder that turns read-only, vanishes, or fills up while the site runs.

Before: uploads and `partage.png` answered 500, riddle photos 404 (the riddles unplayable), and
a disk that filled while the variants of a staff upload were made answered 400 "not a photo"'s
status. Now what is already derived keeps being served, what is not is made for the request
without being kept, every write is refused with 503 and a French message, nothing is left
behind, and the staff home says what is wrong with the folder.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from starlette.testclient import TestClient

from tests.folders import read_only, tmpfs
from tests.web.conftest import World
from tests.web.participation.residents import CAMPAIGN, Phone, submissions
from tests.web.staff.conftest import (
    CM_PASSWORD,
    add_user,
    cheap_argon2,
    login,
    photos_in_db,
    upload,
)
from tests.web.staff.samples import photo

__all__ = ["cheap_argon2"]  # the staff tests' fast password hashing

UNAVAILABLE = "dossier des photos inaccessible : la photo n&#39;a pas été enregistrée"
RIDDLE = "/p/ou-sommes-nous/tour/0-480.webp"  # the first crop every player sees


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: what is tested here is the media folder, not the database."""
    return f"sqlite:///{tmp_path / 'balises.db'}"


@pytest.fixture
def town(make_world: Callable[..., World], campaign_dir: Path) -> World:
    """The example campaigns and the `quartier` one (whose contribution step is open)."""
    (campaign_dir / "quartier.yaml").write_text(CAMPAIGN, encoding="utf-8")
    return make_world(campaigns_path=campaign_dir)


@pytest.fixture
def cm(town: World) -> TestClient:
    add_user(town, "camille", "cm", CM_PASSWORD)
    return login(town.client(), "camille", CM_PASSWORD)


def files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} if folder.exists() else {}


def contribute(town: World) -> object:
    phone = Phone(town)
    return phone.contribute(photo=photo("JPEG", color="orange"), text="Le café du coin")


def _library_photo(cm: TestClient) -> str:
    assert upload(cm, [("tour.jpg", photo("JPEG"))]).status_code == 200  # type: ignore[attr-defined]
    found = re.search(r"media:([a-z0-9]{12})", cm.get("/staff/photos").text)
    assert found is not None
    return found.group(1)


def test_a_read_only_media_folder_serves_its_photos_and_refuses_uploads_with_503(
    town: World, cm: TestClient
) -> None:
    photo_id = _library_photo(cm)
    player = town.client()
    player.get("/c/ou-sommes-nous/tour")
    seen = player.get(RIDDLE)
    assert seen.status_code == 200
    before = files(town.settings.media_dir)
    with read_only(town.settings.media_dir):
        assert player.get(RIDDLE).content == seen.content  # derived before: served as it is
        fresh = player.get("/p/ou-sommes-nous/tour/0-960.jpg")  # never derived: made now
        assert fresh.status_code == 200 and fresh.headers["content-type"] == "image/jpeg"
        assert Image.open(io.BytesIO(fresh.content)).format == "JPEG"
        for card in ("/c/ou-sommes-nous/partage.png", "/c/ou-sommes-nous/tour/partage.png"):
            shared = player.get(card)
            assert shared.status_code == 200 and shared.content.startswith(b"\x89PNG"), card
        assert cm.get(f"/staff/photos/{photo_id}/thumb.webp").status_code == 200
        refused = upload(cm, [("pont.jpg", photo("JPEG", color="red"))])
        assert refused.status_code == 503  # type: ignore[attr-defined]
        assert UNAVAILABLE in refused.text  # type: ignore[attr-defined]
        sent = contribute(town)
        assert sent.status_code == 503  # type: ignore[attr-defined]
        assert "Photo refusée : dossier des photos inaccessible" in sent.text  # type: ignore[attr-defined]
        home = cm.get("/staff").text
        assert "est en lecture seule : les envois de photos sont refusés" in home
        assert str(town.settings.media_dir.resolve()) in home
    assert files(town.settings.media_dir) == before
    assert len(photos_in_db(town)) == 1 and submissions(town) == []
    assert "lecture seule" not in cm.get("/staff").text  # writable again: nothing to say


def test_a_vanished_media_folder_keeps_the_riddles_playable_and_is_not_recreated(
    town: World, cm: TestClient
) -> None:
    player = town.client()
    player.get("/c/ou-sommes-nous/tour")
    shutil.rmtree(town.settings.media_dir)
    riddle = player.get(RIDDLE)  # made from the photo beside the campaign file
    assert riddle.status_code == 200 and riddle.headers["content-type"] == "image/webp"
    assert player.get("/c/ou-sommes-nous/tour/partage.png").status_code == 200
    refused = upload(cm, [("pont.jpg", photo("JPEG", color="red"))])
    assert refused.status_code == 503 and UNAVAILABLE in refused.text  # type: ignore[attr-defined]
    assert contribute(town).status_code == 503  # type: ignore[attr-defined]
    assert "est introuvable : les envois de photos sont refusés" in cm.get("/staff").text
    assert not town.settings.media_dir.exists()  # nothing recreated it empty in passing
    assert photos_in_db(town) == [] and submissions(town) == []


def noisy_jpeg() -> bytes:
    """A 900×700 photo that compresses badly (~300 KB): its variants need about as much again."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (900, 700), os.urandom(900 * 700 * 3)).save(buffer, "JPEG", quality=60)
    return buffer.getvalue()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A disk with room for an upload and its original, not for its variants."""
    with tmpfs(tmp_path / "small-media", "700k") as folder:
        yield folder


def test_a_disk_that_fills_while_the_variants_are_made_gives_503_and_keeps_nothing(
    make_world: Callable[..., World], campaign_dir: Path, small_disk: Path
) -> None:
    (campaign_dir / "quartier.yaml").write_text(CAMPAIGN, encoding="utf-8")
    town = make_world(campaigns_path=campaign_dir, media_dir=small_disk)
    add_user(town, "camille", "cm", CM_PASSWORD)
    cm = login(town.client(), "camille", CM_PASSWORD)
    player = town.client()
    player.get("/c/ou-sommes-nous/tour")
    seen = player.get(RIDDLE)
    assert seen.status_code == 200
    before = files(small_disk)
    refused = upload(cm, [("scan.jpg", noisy_jpeg())])
    assert refused.status_code == 503  # type: ignore[attr-defined]
    assert "disque plein : la photo n&#39;a pas été enregistrée" in refused.text  # type: ignore[attr-defined]
    phone = Phone(town)
    sent = phone.contribute(photo=noisy_jpeg(), text="Le café")
    assert sent.status_code == 503
    assert "Photo refusée : disque plein" in sent.text
    assert files(small_disk) == before  # no original, variant or temp file left
    assert photos_in_db(town) == [] and submissions(town) == []
    assert player.get(RIDDLE).content == seen.content  # what was there is still served
    assert "est presque plein" in cm.get("/staff").text
