"""The identification queue shows staff the photo being identified, and only to staff."""

from __future__ import annotations

import io

from PIL import Image

from tests.web.conftest import World
from tests.web.participation.residents import Phone, town
from tests.web.participation.test_identifications import archivist, propose
from tests.web.staff.conftest import cheap_argon2

__all__ = ["cheap_argon2", "town"]

PHOTO = "/staff/identifications/quartier/mystere/photo.webp"


def test_the_queue_shows_the_photo(town: World) -> None:
    propose(Phone(town), "Pont Wilson")
    staff = archivist(town)
    page = staff.get("/staff/identifications").text
    assert f'<img src="{PHOTO}" alt="Une rue ancienne, des passants"' in page
    image = staff.get(PHOTO)
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/webp"
    with Image.open(io.BytesIO(image.content)) as shown:
        assert shown.width == 480


def test_only_staff_see_it_and_only_for_identify_steps(town: World) -> None:
    stranger = Phone(town).client.get(PHOTO)
    assert stranger.status_code == 302
    assert stranger.headers["location"].startswith("/staff/login")
    staff = archivist(town)
    assert staff.get("/staff/identifications/quartier/souvenirs/photo.webp").status_code == 404
    assert staff.get("/staff/identifications/nulle-part/mystere/photo.webp").status_code == 404
