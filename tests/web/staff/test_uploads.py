"""Uploading photos from the staff area: every accepted format, every refusal, nothing left."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from starlette.testclient import TestClient

from tests.web.conftest import World
from tests.web.staff.conftest import login, photos_in_db, token_of, upload
from tests.web.staff.samples import HTML, PDF, SVG, photo, png_bomb, truncated_jpeg
from web.library.resolver import media_exists, media_source


def _originals(world: World) -> list[Path]:
    return sorted(p for p in (world.settings.media_dir / "originals").rglob("*") if p.is_file())


def _leftovers(world: World) -> list[Path]:
    """Files that are neither an original nor a derived variant: temp files, half writes."""
    media = world.settings.media_dir
    return [
        p
        for p in media.rglob("*")
        if p.is_file()
        and not p.is_relative_to(media / "originals")
        and not p.is_relative_to(media / "cache")
    ]


def _all_files(world: World) -> list[Path]:
    return sorted(p for p in world.settings.media_dir.rglob("*") if p.is_file())


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF", "HEIF"])
def test_each_accepted_format_is_stored_with_its_thumbnail(
    staff_world: World, staff_client: TestClient, fmt: str
) -> None:
    response = upload(staff_client, [(f"scan.{fmt.lower()}", photo(fmt))], credit="archives")
    assert response.status_code == 200, response.text[:800]  # type: ignore[attr-defined]
    [stored] = photos_in_db(staff_world)
    assert (stored.width, stored.height) == (640, 480)
    assert f"media:{stored.id}" in response.text  # type: ignore[attr-defined]
    thumb = staff_client.get(f"/staff/photos/{stored.id}/thumb.webp")
    assert thumb.status_code == 200
    assert thumb.headers["content-type"] == "image/webp"
    with Image.open(__import__("io").BytesIO(thumb.content)) as image:
        assert image.format == "WEBP" and image.width == 480
    source = media_source(staff_world.site.engine, staff_world.settings, stored.id)
    assert source is not None and source.is_file()
    assert media_exists(staff_world.site.engine, stored.id)
    assert not _leftovers(staff_world)


def test_several_photos_in_one_form_each_get_a_row(
    staff_world: World, staff_client: TestClient
) -> None:
    files = [("a.jpg", photo("JPEG", color="red")), ("b.png", photo("PNG", color="blue"))]
    response = upload(staff_client, files, title="")
    assert response.status_code == 200  # type: ignore[attr-defined]
    titles = sorted(p.title for p in photos_in_db(staff_world))
    assert titles == ["a", "b"]  # an empty title takes the file's name


def test_the_same_photo_twice_is_one_file_and_one_row(
    staff_world: World, staff_client: TestClient
) -> None:
    data = photo("JPEG")
    upload(staff_client, [("one.jpg", data)])
    again = upload(staff_client, [("two.jpg", data)], title="Autre titre")
    assert "déjà dans la photothèque" in again.text  # type: ignore[attr-defined]
    assert len(photos_in_db(staff_world)) == 1
    assert len(_originals(staff_world)) == 1


REFUSALS = [
    ("photo.jpg", PDF, "ce fichier n'est pas une photo (JPEG, PNG, WebP, TIFF ou HEIC attendu)"),
    ("dessin.svg", SVG, "ce fichier n'est pas une photo (JPEG, PNG, WebP, TIFF ou HEIC attendu)"),
    ("page.jpg", HTML, "ce fichier n'est pas une photo (JPEG, PNG, WebP, TIFF ou HEIC attendu)"),
    ("vide.jpg", b"", "fichier vide"),
    ("coupee.jpg", truncated_jpeg(), "photo illisible ou tronquée"),
    ("bombe.png", png_bomb(), "photo trop grande : 30000 × 30000 pixels, au plus 50 mégapixels"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refused_files_show_why_and_leave_nothing(
    staff_world: World, staff_client: TestClient, name: str, content: bytes, message: str
) -> None:
    response = upload(staff_client, [(name, content)])
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert f"Refusée : {message}" in response.text.replace("&#39;", "'")  # type: ignore[attr-defined]
    assert photos_in_db(staff_world) == []
    assert _all_files(staff_world) == []


def test_a_refused_file_does_not_stop_the_good_ones(
    staff_world: World, staff_client: TestClient
) -> None:
    response = upload(staff_client, [("bon.jpg", photo("JPEG")), ("faux.jpg", PDF)])
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Refusée : ce fichier n" in response.text  # type: ignore[attr-defined]
    assert [p.title for p in photos_in_db(staff_world)] == ["Tour Saint-Aubin vers 1910"]


def test_an_oversize_body_is_refused_before_it_is_read(make_world: object) -> None:
    from tests.web.staff.conftest import add_user

    world = make_world(max_upload_bytes=50_000)  # type: ignore[operator]
    add_user(world, "lea")
    client = login(world.client())
    big = b"\xff\xd8\xff" + b"\0" * 200_000
    response = upload(client, [("enorme.jpg", big)])
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert "fichier trop lourd : au plus 48 Ko" in response.text  # type: ignore[attr-defined]
    assert photos_in_db(world) == [] and _all_files(world) == []


def test_a_chunked_oversize_body_is_cut_while_streaming(make_world: object) -> None:
    from tests.web.staff.conftest import add_user

    world = make_world(max_upload_bytes=50_000)  # type: ignore[operator]
    add_user(world, "lea")
    client = login(world.client())
    token = token_of(client)
    boundary = "xyzzy"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="licence"\r\n\r\ncc-by-4.0\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="x.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()

    def body() -> object:
        yield head
        for _ in range(20):
            yield b"\0" * 10_000
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post(
        "/staff/photos",
        content=body(),  # type: ignore[arg-type]
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert photos_in_db(world) == [] and _all_files(world) == []


def test_a_forged_upload_writes_nothing(staff_world: World, staff_client: TestClient) -> None:
    response = upload(staff_client, [("a.jpg", photo("JPEG"))], token="faux")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert photos_in_db(staff_world) == [] and _all_files(staff_world) == []


def test_a_missing_licence_keeps_nothing(staff_world: World, staff_client: TestClient) -> None:
    response = upload(staff_client, [("a.jpg", photo("JPEG"))], licence="")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Licence : choisissez une licence dans la liste" in response.text  # type: ignore[attr-defined]
    assert photos_in_db(staff_world) == [] and _all_files(staff_world) == []


def test_a_hostile_file_name_is_only_escaped_metadata(
    staff_world: World, staff_client: TestClient
) -> None:
    name = "../../etc/passwd<b>gras.jpg"
    response = upload(staff_client, [(name, photo("JPEG"))])
    assert response.status_code == 200  # type: ignore[attr-defined]
    [stored] = photos_in_db(staff_world)
    assert stored.original_name == "passwd<b>gras.jpg"
    page = staff_client.get(f"/staff/photos/{stored.id}").text
    assert "passwd&lt;b&gt;gras.jpg" in page and "<b>gras" not in page
    assert all(re.fullmatch(r"[0-9a-f]{64}", p.name) for p in _originals(staff_world))
