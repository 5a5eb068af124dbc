"""Which files are photos and how their colours come out: what is refused before any decoding
(a PDF, a web page, an SVG named .jpg), and what every accepted format looks like derived.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from media.photos import (
    PhotoError,
    derive,
    sniff,
)
from tests.media.photo_samples import (
    NOT_A_PHOTO_EN,
    RED,
    MakeJpeg,
    assert_close,
    assert_quadrants,
    camera_exif,
    colour_at,
    pillow_bytes,
    psd_bytes,
    quadrants,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'


@pytest.mark.parametrize(
    "content",
    [PDF, HTML, SVG, b""],
    ids=["pdf", "html", "svg", "empty"],
)
def test_other_files_named_jpg_are_refused(content: bytes, tmp_path: Path) -> None:
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(content)
    assert sniff(fake) == NOT_A_PHOTO_EN
    with pytest.raises(PhotoError) as error:
        derive(fake, box=None, width=480, fmt="webp", cache_dir=tmp_path / "cache")
    assert str(error.value) == "ce fichier n'est pas une photo"


@pytest.mark.parametrize(
    "content", [psd_bytes(), pillow_bytes("BMP"), pillow_bytes("GIF")], ids=["psd", "bmp", "gif"]
)
def test_images_pillow_reads_but_we_do_not_publish_are_refused(
    content: bytes, tmp_path: Path
) -> None:
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(content)
    Image.open(fake).load()  # a real image to Pillow...
    assert sniff(fake) == NOT_A_PHOTO_EN  # ...but not one of the formats we accept
    with pytest.raises(PhotoError, match=r"^ce fichier n.est pas une photo$"):
        derive(fake, box=None, width=480, fmt="webp", cache_dir=tmp_path / "cache")


def test_sniff_accepts_the_photo_formats(tiny_jpeg: MakeJpeg, tmp_path: Path) -> None:
    assert sniff(tiny_jpeg(64, 48, exif=camera_exif(6))) is None
    for fmt, ext in (("PNG", "png"), ("WEBP", "webp"), ("TIFF", "tif")):
        path = tmp_path / f"sample.{ext}"
        quadrants(64, 48).save(path, fmt)
        assert sniff(path) is None, fmt
    assert sniff(tmp_path / "missing.jpg") == "cannot be read (No such file or directory)"


def test_cmyk_jpeg_becomes_rgb_with_the_right_colours(tmp_path: Path) -> None:
    source = tmp_path / "cmyk.jpg"
    quadrants(100, 80, mode="CMYK").save(source, "JPEG", quality=95)
    assert Image.open(source).mode == "CMYK"
    for fmt in ("webp", "jpeg"):
        with Image.open(derive(source, box=None, width=480, fmt=fmt, cache_dir=tmp_path)) as image:
            assert image.mode == "RGB"
            assert_quadrants(image)


def test_16_bit_greyscale_png_is_scaled_not_clipped_to_white(tmp_path: Path) -> None:
    source = tmp_path / "scan16.png"
    Image.new("I;16", (64, 64), 40_000).save(source, "PNG")
    assert Image.open(source).mode.startswith("I")
    with Image.open(derive(source, box=None, width=480, fmt="jpeg", cache_dir=tmp_path)) as image:
        grey = colour_at(image, 0.5, 0.5)
    assert_close(grey, (156, 156, 156))  # 40000 / 65535 of white


def test_palette_png_with_transparency_keeps_it_in_webp_and_is_white_in_jpeg(
    tmp_path: Path,
) -> None:
    image = Image.new("P", (64, 64), 0)
    image.putpalette([0, 0, 0, 220, 30, 30] + [0] * 762)
    image.paste(1, (32, 0, 64, 64))  # right half red, left half transparent index 0
    source = tmp_path / "logo.png"
    image.save(source, "PNG", transparency=0)
    assert Image.open(source).mode == "P"
    with Image.open(derive(source, box=None, width=480, fmt="webp", cache_dir=tmp_path)) as webp:
        assert webp.mode == "RGBA"
        alpha = webp.getchannel("A")
        assert alpha.getpixel((5, 32)) == 0 and alpha.getpixel((60, 32)) == 255
        assert_close(colour_at(webp, 0.9, 0.5), RED)
    with Image.open(derive(source, box=None, width=480, fmt="jpeg", cache_dir=tmp_path)) as jpeg:
        assert jpeg.mode == "RGB"
        assert_close(colour_at(jpeg, 0.1, 0.5), (255, 255, 255))  # white, not black
        assert_close(colour_at(jpeg, 0.9, 0.5), RED)


def test_colour_profile_of_an_rgb_photo_is_kept(tmp_path: Path) -> None:
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = tmp_path / "p3.jpg"
    quadrants(100, 80).save(source, "JPEG", icc_profile=icc, exif=camera_exif(1).tobytes())
    for fmt in ("webp", "jpeg"):
        with Image.open(derive(source, box=None, width=480, fmt=fmt, cache_dir=tmp_path)) as image:
            assert image.info.get("icc_profile") == icc
            assert len(image.getexif()) == 0
