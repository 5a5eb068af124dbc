"""Sample photos made on the fly with Pillow: four coloured quadrants, so a test can see
whether an output is upright and whether a crop took the right region.
A plain module (not conftest) so tests can import its helpers.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

RED = (220, 30, 30)
GREEN = (30, 200, 30)
BLUE = (30, 30, 220)
YELLOW = (230, 220, 30)
# Top-left, top-right, bottom-left, bottom-right of the photo AS DISPLAYED.
QUADRANTS = (RED, GREEN, BLUE, YELLOW)

# How to store pixels so that a viewer applying the EXIF orientation shows them upright.
_STORE_FOR = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}

GPS_LATITUDE = (45.0, 0.0, 47.51)


def quadrants(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """A `width`×`height` image (as displayed) with the four `QUADRANTS` colours."""
    image = Image.new("RGB", (width, height))
    half_w, half_h = width // 2, height // 2
    for colour, box in zip(
        QUADRANTS,
        [
            (0, 0, half_w, half_h),
            (half_w, 0, width, half_h),
            (0, half_h, half_w, height),
            (half_w, half_h, width, height),
        ],
        strict=True,
    ):
        image.paste(colour, box)
    return image if mode == "RGB" else image.convert(mode)


def camera_exif(orientation: int = 1, *, gps: bool = True) -> Image.Exif:
    """EXIF as a phone writes it: orientation, camera model and (by default) GPS position."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x0110] = "Pixel 8"
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = GPS_LATITUDE
        gps_ifd[3] = "E"
        gps_ifd[4] = (4.0, 49.0, 38.22)
    return exif


def stored_pixels(displayed: Image.Image, orientation: int) -> Image.Image:
    op = _STORE_FOR[orientation]
    return displayed if op is None else displayed.transpose(op)


NOT_A_PHOTO_EN = "is not a photo (JPEG, PNG, WebP, TIFF or HEIC expected)"


MakeJpeg = Callable[..., Path]


def colour_at(image: Image.Image, fx: float, fy: float) -> tuple[int, int, int]:
    """The RGB colour at a fractional position of the image."""
    rgb = image.convert("RGB")
    x = min(rgb.width - 1, int(fx * rgb.width))
    y = min(rgb.height - 1, int(fy * rgb.height))
    pixel = rgb.getpixel((x, y))
    assert isinstance(pixel, tuple)
    return (int(pixel[0]), int(pixel[1]), int(pixel[2]))


def assert_close(actual: tuple[int, int, int], expected: tuple[int, int, int]) -> None:
    assert all(abs(a - e) <= 40 for a, e in zip(actual, expected, strict=True)), (actual, expected)


def assert_quadrants(image: Image.Image) -> None:
    """The image shows red, green / blue, yellow: it is upright and not mirrored."""
    for colour, (fx, fy) in zip(
        QUADRANTS, [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)], strict=True
    ):
        assert_close(colour_at(image, fx, fy), colour)


def png_header_only(width: int, height: int) -> bytes:
    """A few-byte PNG claiming `width`×`height` pixels: a decompression bomb's header."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def pillow_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), RED).save(buffer, fmt)
    return buffer.getvalue()


def psd_bytes(width: int = 4, height: int = 4) -> bytes:
    """A minimal uncompressed RGB Photoshop file."""
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, height, width, 8, 3)
    sections = struct.pack(">III", 0, 0, 0)  # colour mode data, resources, layers: empty
    return header + sections + struct.pack(">H", 0) + b"\x80" * (3 * width * height)


def heif_or_skip(image: Image.Image, path: Path, **options: object) -> None:
    try:
        image.save(path, "HEIF", **options)
    except (KeyError, OSError, ValueError, RuntimeError) as error:  # no HEVC encoder built in
        pytest.skip(f"this pillow-heif cannot encode HEIF: {error}")
