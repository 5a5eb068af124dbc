"""Upload samples made with Pillow (or by hand, for files no encoder would write), as bytes.

Each accepted format shows the four quadrants of `photo_samples`, so a test can see that what
was stored is the photo, upright. The refused ones are what staff really send by mistake or
what an attacker sends on purpose: a PDF renamed `.jpg`, an SVG, an HTML page, a truncated
JPEG, a PNG header that declares 30000×30000 pixels.
"""

from __future__ import annotations

import errno
import io
import struct
import zlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from PIL import Image

from media.library import original_path
from media.photos import WIDTHS, derive, placeholder
from tests.media.photo_samples import BLUE, QUADRANTS, camera_exif, quadrants, stored_pixels

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect/></svg>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
# The box header of an iPhone HEIC followed by bytes no decoder can read.
BROKEN_HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x17" * 400


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(width: int = 120, height: int = 80, *, orientation: int = 1, gps: bool = False) -> bytes:
    """A quadrant JPEG displayed `width`×`height`, stored sideways when `orientation` says so."""
    options: dict[str, object] = {"quality": 92}
    if orientation != 1 or gps:
        options["exif"] = camera_exif(orientation, gps=gps).tobytes()
    if gps:
        options["comment"] = b"Chez Mme Dupont, 3 rue des Lilas"
    return encoded(stored_pixels(quadrants(width, height), orientation), "JPEG", **options)


def png(width: int = 120, height: int = 80) -> bytes:
    return encoded(quadrants(width, height), "PNG")


def webp(width: int = 120, height: int = 80) -> bytes:
    return encoded(quadrants(width, height), "WEBP", quality=95)


def multipage_tiff(width: int = 120, height: int = 80) -> bytes:
    """A scan with a second page (the back of the postcard), larger and all blue."""
    back = Image.new("RGB", (300, 300), BLUE)
    return encoded(
        quadrants(width, height), "TIFF", save_all=True, append_images=[back], compression="raw"
    )


def heic(width: int = 120, height: int = 80) -> bytes:
    """An iPhone-like HEIC; skips the calling test when this pillow-heif cannot encode."""
    try:
        return encoded(quadrants(width, height), "HEIF", quality=90)
    except (KeyError, OSError, ValueError, RuntimeError) as error:  # no HEVC encoder built in
        pytest.skip(f"this pillow-heif cannot encode HEIF: {error}")


def truncated_jpeg() -> bytes:
    whole = jpeg(600, 400)
    return whole[: len(whole) // 2]


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A few hundred bytes of PNG whose IHDR declares `width`×`height` greyscale pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 4096, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


async def stream(data: bytes, chunk_size: int = 64 * 1024) -> AsyncIterator[bytes]:
    """The body as Starlette's `request.stream()` yields it."""
    for start in range(0, len(data), chunk_size):
        yield data[start : start + chunk_size]


def files_under(*folders: Path) -> set[Path]:
    """Every file (not folder) under `folders`: what an upload may have left behind."""
    return {p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()}


def served_files(media_dir: Path, sha256: str) -> list[Path]:
    """The six variants and the placeholder the player site asks for."""
    source = original_path(media_dir, sha256)
    cache = media_dir / "cache"
    paths = [
        derive(source, box=None, width=width, fmt=fmt, cache_dir=cache)
        for width in WIDTHS
        for fmt in ("webp", "jpeg")
    ]
    return [*paths, placeholder(source, box=None, cache_dir=cache)]


def colour_at(image: Image.Image, fx: float, fy: float) -> tuple[int, ...]:
    pixel = image.convert("RGB").getpixel((int(fx * image.width), int(fy * image.height)))
    assert isinstance(pixel, tuple)
    return pixel


def assert_upright(image: Image.Image) -> None:
    for colour, (fx, fy) in zip(
        QUADRANTS, [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)], strict=True
    ):
        actual = colour_at(image, fx, fy)
        assert all(abs(a - e) <= 40 for a, e in zip(actual, colour, strict=True)), (actual, colour)


def disk_full_after(writes: int, real: Callable[[Path, bytes], None]) -> Callable[..., None]:
    """A `write_atomically` that lets `writes` files through, then finds the disk full."""
    done = 0

    def write(target: Path, payload: bytes) -> None:
        nonlocal done
        if done >= writes:
            raise OSError(errno.ENOSPC, "No space left on device")
        done += 1
        real(target, payload)

    return write
