"""Photos and crops: each problem a CM can make with them, printed exactly as `balises check`
prints it."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaigns.rules import sniff_photo
from tests.campaigns.rulefiles import check, edit
from tests.factories import jpeg_bytes


def test_crop_box_outside_the_photo(tmp_path: Path) -> None:
    assert check(tmp_path, edit("[0.40, 0.10, 0.60, 0.30]", "[0.40, 0.10, 1.60, 0.30]")) == [
        "campaigns.yaml:20:13: steps[0].reveal[0] : un cadrage doit être 4 nombres entre 0 et 1"
    ]


def test_crop_box_of_three_numbers(tmp_path: Path) -> None:
    assert check(tmp_path, edit("[0.40, 0.10, 0.60, 0.30]", "[0.40, 0.10, 0.60]")) == [
        "campaigns.yaml:20:13: steps[0].reveal[0] : un cadrage doit être 4 nombres entre 0 et 1, "
        "comme [0.4, 0.1, 0.6, 0.3], ou full"
    ]


def test_crop_box_with_no_area(tmp_path: Path) -> None:
    assert check(tmp_path, edit("[0.40, 0.10, 0.60, 0.30]", "[0.60, 0.10, 0.40, 0.30]")) == [
        "campaigns.yaml:20:13: steps[0].reveal[0] : ce cadrage n'a pas de surface : dans [left, "
        "top, right, bottom], left doit être plus petit que right, et top plus petit que bottom"
    ]


def test_missing_photo_file_suggests_the_closest_name(tmp_path: Path) -> None:
    assert check(tmp_path, edit("photo: tour.jpg", "photo: Tour.jpg")) == [
        "campaigns.yaml:17:16: steps[0].photo : il n'y a pas de fichier 'Tour.jpg' à côté de "
        "campaigns.yaml ; vouliez-vous dire 'tour.jpg' ?"
    ]


def test_photo_that_is_not_an_image(tmp_path: Path) -> None:
    (tmp_path / "tour.jpg").write_text("<html><script>alert(1)</script></html>")
    assert check(tmp_path) == [
        "campaigns.yaml:17:16: steps[0].photo : 'tour.jpg' n'est pas une photo (JPEG, PNG, WebP, "
        "TIFF ou HEIC) ; exportez-la en JPEG"
    ]


@pytest.mark.parametrize("photo", ["../tour.jpg", "/etc/passwd", "photos/../../tour.jpg"])
def test_photo_outside_the_folder_is_refused(tmp_path: Path, photo: str) -> None:
    folder = tmp_path / "campagne"
    folder.mkdir()
    (tmp_path / "tour.jpg").write_bytes(jpeg_bytes())
    (folder / "tour.jpg").write_bytes(jpeg_bytes())
    assert check(folder, edit("photo: tour.jpg", f"photo: {photo}")) == [
        f"campaigns.yaml:17:16: steps[0].photo : '{photo}' est en dehors du dossier de ce "
        "fichier de campagne ; mettez la photo dans ce dossier (ou un dossier à l'intérieur) "
        "et écrivez son chemin depuis ce dossier"
    ]


def test_photo_in_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "tour.jpg").write_bytes(jpeg_bytes())
    assert check(tmp_path, edit("photo: tour.jpg", "photo: photos/tour.jpg")) == []


def test_custom_photo_check_is_used(tmp_path: Path) -> None:
    assert check(tmp_path, photo_check=lambda path: f"'{path.name}' is too small") == [
        "campaigns.yaml:17:16: steps[0].photo : 'tour.jpg' is too small"
    ]


def test_unknown_media_id(tmp_path: Path) -> None:
    text = edit("photo: tour.jpg", "photo: media:42")
    assert check(tmp_path, text, media_exists=lambda media_id: media_id == "7") == [
        "campaigns.yaml:17:16: steps[0].photo : aucune photo téléversée n'a l'id '42' ; copiez-le "
        "depuis l'espace de l'équipe"
    ]
    assert check(tmp_path, text, media_exists=lambda media_id: media_id == "42") == []
    assert check(tmp_path, text) == []


@pytest.mark.parametrize(
    "head",
    [
        b"\x89PNG\r\n\x1a\n" + b"\0" * 8,
        b"RIFF\0\0\0\0WEBPVP8 ",
        b"\0\0\0\x18ftypheic\0\0\0\0",
        b"II*\0" + b"\0" * 12,
        b"MM\0*" + b"\0" * 12,
    ],
)
def test_default_photo_check_knows_the_photo_formats(tmp_path: Path, head: bytes) -> None:
    path = tmp_path / "photo"
    path.write_bytes(head + b"\0" * 32)
    assert sniff_photo(path) is None


@pytest.mark.parametrize("content", [b"%PDF-1.7", b"<svg xmlns=", b"8BPS", b"SIMPLE  =  T", b""])
def test_default_photo_check_refuses_other_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(content)
    assert sniff_photo(path) == (
        "'photo.jpg' n'est pas une photo (JPEG, PNG, WebP, TIFF ou HEIC) ; exportez-la en JPEG"
    )
