"""A resident's photo over the size limit: 413 and a kind message on the form, nothing kept.

It was a 500 (the upload reader's refusal was never caught on contribution steps). A body that
declares its size is refused before a byte of it is read; one sent in chunks is cut at the
limit and its temp file removed. Either way no row, no file, and the form says why, with or
without htmx.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.web.conftest import World
from tests.web.participation.residents import SLUG, Phone, submissions, write_campaign

LIMIT = 1024 * 1024  # BALISES_MAX_UPLOAD_BYTES of these tests: 1 Mo
MESSAGE = "Photo refusée : fichier trop lourd : au plus 1 Mo. Rien n'a été enregistré."


@pytest.fixture
def town(make_world: Callable[..., World], campaign_dir: Path) -> World:
    write_campaign(campaign_dir)
    return make_world(max_upload_bytes=LIMIT)


def files_left(world: World) -> list[Path]:
    return sorted(p for p in world.settings.media_dir.rglob("*") if p.is_file())


def big_photo() -> bytes:
    return b"\xff\xd8\xff\xe0" + os.urandom(2 * LIMIT)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_a_photo_over_the_limit_is_refused_with_413_and_a_kind_message(
    town: World, htmx: bool
) -> None:
    phone = Phone(town)
    phone.open(f"/c/{SLUG}/souvenirs")
    headers = {"HX-Request": "true"} if htmx else {}
    response = phone.client.post(
        f"/c/{SLUG}/souvenirs",
        data={"csrf": phone.token, "licence": "cc-by-sa-4.0", "text": "Le café"},
        files={"photo": ("IMG_0042.jpg", big_photo(), "image/jpeg")},
        headers=headers,
    )
    assert response.status_code == 413
    assert MESSAGE in response.text
    assert 'name="photo"' in response.text  # the form is there to try a smaller photo
    assert submissions(town) == []
    assert files_left(town) == []


def _chunked_form(token: str, boundary: str) -> Iterator[bytes]:
    """A multipart body sent in chunks, declaring no length (as a phone's upload may)."""
    yield f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'.encode()
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; '
        'filename="IMG_0042.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
    ).encode()
    for _ in range(3 * LIMIT // 65536):
        yield os.urandom(65536)
    yield f"\r\n--{boundary}--\r\n".encode()


def test_a_chunked_body_over_the_limit_is_cut_and_leaves_no_temp_file(town: World) -> None:
    phone = Phone(town)
    phone.open(f"/c/{SLUG}/souvenirs")
    boundary = "balises-test-boundary"
    response = phone.client.post(
        f"/c/{SLUG}/souvenirs",
        content=_chunked_form(phone.token, boundary),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert MESSAGE in response.text
    assert submissions(town) == []
    assert files_left(town) == []


def test_a_broken_multipart_form_is_a_400_with_the_form_again(town: World) -> None:
    phone = Phone(town)
    phone.open(f"/c/{SLUG}/souvenirs")
    response = phone.client.post(
        f"/c/{SLUG}/souvenirs",
        content=b"--x\r\nnot a header\r\n\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert response.status_code == 400
    assert "formulaire illisible" in response.text
    assert submissions(town) == []
    assert files_left(town) == []
