"""Derived photos: upright, cropped where the CM said, stripped of GPS, cached, never a 500."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from media.photos import (
    WIDTHS,
    PhotoError,
    derive,
    derive_all,
    dimensions,
    placeholder,
    sniff,
)
from tests.media.photo_samples import (
    BLUE,
    GREEN,
    RED,
    YELLOW,
    MakeJpeg,
    assert_close,
    assert_quadrants,
    camera_exif,
    colour_at,
    heif_or_skip,
    png_header_only,
    quadrants,
    stored_pixels,
)


def test_phone_photo_is_published_upright_without_gps_or_comments(
    tiny_jpeg: MakeJpeg, tmp_path: Path
) -> None:
    source = tiny_jpeg(
        120,
        80,
        exif=camera_exif(6),
        comment=b"Chez Mme Dupont, 3 rue des Lilas",
        xmp=b"<x:xmpmeta>secret</x:xmpmeta>",
    )
    assert Image.open(source).size == (80, 120)  # stored sideways, as a phone does
    for fmt in ("webp", "jpeg"):
        for width in WIDTHS:
            out = derive(source, box=None, width=width, fmt=fmt, cache_dir=tmp_path / "cache")
            raw = out.read_bytes()
            with Image.open(out) as image:
                assert image.format == ("WEBP" if fmt == "webp" else "JPEG")
                assert len(image.getexif()) == 0
                assert "comment" not in image.info and "xmp" not in image.info
                assert image.size == (120, 80)  # upright, and never upscaled
                assert_quadrants(image)
            assert b"Dupont" not in raw and b"secret" not in raw and b"Pixel 8" not in raw
            assert b"Exif" not in raw and b"GPS" not in raw


@pytest.mark.parametrize("turn", range(1, 9))
def test_every_exif_orientation_comes_out_as_displayed(
    turn: int, tiny_jpeg: MakeJpeg, tmp_path: Path
) -> None:
    source = tiny_jpeg(160, 100, exif=camera_exif(turn, gps=False))
    out = derive(source, box=None, width=480, fmt="jpeg", cache_dir=tmp_path)
    with Image.open(out) as image:
        assert image.size == (160, 100)
        assert_quadrants(image)
    # The same crop as the naive path (transpose everything, then crop) would give.
    box = (0.5, 0.0, 1.0, 0.5)
    cropped = Image.open(derive(source, box=box, width=480, fmt="jpeg", cache_dir=tmp_path))
    assert cropped.size == (80, 50)
    assert_close(colour_at(cropped, 0.5, 0.5), GREEN)
    naive = ImageOps.exif_transpose(Image.open(source))
    assert naive is not None
    assert_close(colour_at(naive.crop((80, 0, 160, 50)), 0.5, 0.5), colour_at(cropped, 0.5, 0.5))


@pytest.mark.parametrize(
    ("box", "colour"),
    [
        ((0.0, 0.0, 0.5, 0.5), RED),
        ((0.5, 0.0, 1.0, 0.5), GREEN),
        ((0.0, 0.5, 0.5, 1.0), BLUE),
        ((0.55, 0.6, 0.95, 0.9), YELLOW),
    ],
)
def test_crop_box_selects_the_region_of_the_photo_as_displayed(
    box: tuple[float, float, float, float],
    colour: tuple[int, int, int],
    tiny_jpeg: MakeJpeg,
    tmp_path: Path,
) -> None:
    source = tiny_jpeg(400, 300, exif=camera_exif(6))
    out = derive(source, box=box, width=960, fmt="webp", cache_dir=tmp_path)
    with Image.open(out) as image:
        assert image.size == dimensions(source, box)
        for fx in (0.1, 0.5, 0.9):
            for fy in (0.1, 0.5, 0.9):
                assert_close(colour_at(image, fx, fy), colour)


def test_large_photo_is_resized_to_the_width_with_its_proportions(
    tiny_jpeg: MakeJpeg, tmp_path: Path
) -> None:
    source = tiny_jpeg(2400, 1800, exif=camera_exif(8))
    assert dimensions(source, None) == (2400, 1800)
    assert dimensions(source, (0.0, 0.0, 0.5, 1.0)) == (1200, 1800)
    assert dimensions(source, (0.0, 0.0, 0.5, 1.0), 480) == (480, 720)
    for width in WIDTHS:
        with Image.open(
            derive(source, box=None, width=width, fmt="jpeg", cache_dir=tmp_path)
        ) as image:
            assert image.size == (width, width * 3 // 4)
            assert_quadrants(image)
    with Image.open(
        derive(source, box=(0.0, 0.0, 0.5, 1.0), width=1600, fmt="webp", cache_dir=tmp_path)
    ) as image:
        assert image.size == (1200, 1800)  # the crop is only 1200 px wide: not upscaled


def test_cache_hit_returns_the_same_file_without_rewriting_it(
    tiny_jpeg: MakeJpeg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tiny_jpeg(200, 100)
    cache = tmp_path / "cache"
    first = derive(source, box=(0.1, 0.1, 0.9, 0.9), width=480, fmt="webp", cache_dir=cache)
    before = first.stat()

    def no_rendering(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cached variant was rendered again")

    monkeypatch.setattr("media.photos._render", no_rendering)
    again = derive(source, box=(0.1, 0.1, 0.9, 0.9), width=480, fmt="webp", cache_dir=cache)
    assert again == first
    assert (again.stat().st_ino, again.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    monkeypatch.undo()

    others = {
        derive(source, box=(0.1, 0.1, 0.9, 0.8), width=480, fmt="webp", cache_dir=cache),
        derive(source, box=(0.1, 0.1, 0.9, 0.9), width=960, fmt="webp", cache_dir=cache),
        derive(source, box=(0.1, 0.1, 0.9, 0.9), width=480, fmt="jpeg", cache_dir=cache),
        derive(source, box=None, width=480, fmt="webp", cache_dir=cache),
    }
    assert first not in others and len(others) == 4
    leftovers = [p for p in cache.rglob("*") if p.is_file() and p.name.endswith(".tmp")]
    assert leftovers == []


def test_derive_all_makes_every_variant_with_one_decode(
    tiny_jpeg: MakeJpeg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tiny_jpeg(2000, 1500, exif=camera_exif(6))
    box = (0.0, 0.0, 1.0, 0.5)
    import media.photos

    renders: list[int] = []
    real_render = media.photos._render

    def counting(data: bytes, crop: tuple[float, float, float, float], width: int) -> object:
        renders.append(width)
        return real_render(data, crop, width)

    monkeypatch.setattr(media.photos, "_render", counting)
    paths = derive_all(source, box=box, cache_dir=tmp_path)
    assert renders == [1600]
    assert sorted(paths) == sorted((w, f) for w in WIDTHS for f in ("webp", "jpeg"))
    for (width, fmt), path in paths.items():
        # The very files `derive` serves, already there.
        assert derive(source, box=box, width=width, fmt=fmt, cache_dir=tmp_path) == path
        with Image.open(path) as image:
            assert image.size == dimensions(source, box, width)
            assert len(image.getexif()) == 0
            assert_close(colour_at(image, 0.25, 0.5), RED)
            assert_close(colour_at(image, 0.75, 0.5), GREEN)
    assert renders == [1600]
    assert derive_all(source, box=box, cache_dir=tmp_path) == paths
    assert renders == [1600]


def test_a_replaced_source_gets_new_variants(tiny_jpeg: MakeJpeg, tmp_path: Path) -> None:
    source = tiny_jpeg(200, 100)
    first = derive(source, box=None, width=480, fmt="jpeg", cache_dir=tmp_path / "cache")
    quadrants(200, 100).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(source, "JPEG")
    later = source.stat().st_mtime + 5  # an edit made seconds later, whatever the clock's tick
    os.utime(source, (later, later))
    second = derive(source, box=None, width=480, fmt="jpeg", cache_dir=tmp_path / "cache")
    assert second != first
    assert_close(colour_at(Image.open(second), 0.25, 0.25), GREEN)


@pytest.mark.parametrize("size", [(30_000, 30_000), (8_000, 7_000)])
def test_decompression_bomb_is_refused(size: tuple[int, int], tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header_only(*size))
    assert bomb.stat().st_size < 1000
    with pytest.raises(PhotoError) as error:
        derive(bomb, box=None, width=480, fmt="webp", cache_dir=tmp_path / "cache")
    assert str(error.value) == "cette photo est trop grande (plus de 50 mégapixels) : réduisez-la"
    assert sniff(bomb) == "is too large (over 50 megapixels): reduce it"
    with pytest.raises(PhotoError):
        dimensions(bomb, None)
    assert not any(p.is_file() for p in (tmp_path / "cache").rglob("*"))


def test_truncated_jpeg_is_refused(tiny_jpeg: MakeJpeg, tmp_path: Path) -> None:
    whole = tiny_jpeg(600, 400).read_bytes()
    truncated = tmp_path / "cut.jpg"
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(PhotoError) as error:
        derive(truncated, box=None, width=480, fmt="jpeg", cache_dir=tmp_path / "cache")
    assert str(error.value) == "cette photo est abîmée ou incomplète : exportez-la de nouveau"
    assert sniff(truncated) == "is damaged or truncated: export it again"
    assert not any(p.is_file() for p in (tmp_path / "cache").rglob("*"))


def test_placeholder_is_a_tiny_stripped_jpeg(tiny_jpeg: MakeJpeg, tmp_path: Path) -> None:
    source = tiny_jpeg(1200, 800, exif=camera_exif(6))
    out = placeholder(source, box=(0.0, 0.0, 0.5, 0.5), cache_dir=tmp_path)
    assert out.stat().st_size < 1500
    with Image.open(out) as image:
        assert image.format == "JPEG"
        assert image.size == (24, 16)
        assert len(image.getexif()) == 0
        assert_close(colour_at(image, 0.5, 0.5), RED)
    assert placeholder(source, box=(0.0, 0.0, 0.5, 0.5), cache_dir=tmp_path) == out


def test_empty_crop_box_is_a_programming_error(tiny_jpeg: MakeJpeg, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="empty crop box"):
        derive(tiny_jpeg(), box=(0.5, 0.5, 0.5, 0.9), width=480, fmt="jpeg", cache_dir=tmp_path)


def test_iphone_heic_is_accepted_upright_and_stripped(tmp_path: Path) -> None:
    source = tmp_path / "IMG_0042.HEIC"
    # Held sideways, as an iPhone stores a portrait: EXIF orientation 6.
    sideways = stored_pixels(quadrants(160, 120), 6)
    heif_or_skip(sideways, source, quality=90, exif=camera_exif(6).tobytes())
    assert sniff(source) is None
    assert dimensions(source, None) == (160, 120)
    for fmt in ("webp", "jpeg"):
        out = derive(source, box=None, width=480, fmt=fmt, cache_dir=tmp_path)
        with Image.open(out) as image:
            assert image.size == (160, 120)
            assert len(image.getexif()) == 0
            assert_quadrants(image)
        assert b"GPS" not in out.read_bytes() and b"Pixel 8" not in out.read_bytes()
        crop = derive(source, box=(0.5, 0.0, 1.0, 0.5), width=480, fmt=fmt, cache_dir=tmp_path)
        assert_close(colour_at(Image.open(crop), 0.5, 0.5), GREEN)


def test_unreadable_heic_asks_for_a_jpeg(tmp_path: Path) -> None:
    source = tmp_path / "IMG_0043.HEIC"
    source.write_bytes(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\xde\xad" * 200)
    with pytest.raises(PhotoError) as error:
        derive(source, box=None, width=480, fmt="jpeg", cache_dir=tmp_path / "cache")
    assert str(error.value) == "format non lisible, exportez en JPEG"
    assert sniff(source) == "is a HEIC/HEIF variant that cannot be read: export it as JPEG"
