"""Files a staff member might send, made in the test: photos of each format and impostors."""

from __future__ import annotations

import io
import struct
import zlib

import pillow_heif
from PIL import Image


def photo(fmt: str, size: tuple[int, int] = (640, 480), color: str = "teal") -> bytes:
    """A small photo in Pillow format `fmt` (JPEG, PNG, WEBP, TIFF, HEIF)."""
    image = Image.new("RGB", size, color)
    buffer = io.BytesIO()
    if fmt == "HEIF":
        pillow_heif.from_pillow(image).save(buffer, quality=60)
    elif fmt == "TIFF":
        second = Image.new("RGB", (32, 32), "red")
        image.save(buffer, "TIFF", save_all=True, append_images=[second])
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side: int = 30000) -> bytes:
    """A PNG whose header claims side×side pixels, in a few hundred bytes."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    rows = zlib.compress(b"\x00" * (1 + side // 8) * 16, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(1)</script><rect width="10" height="10"/></svg>'
)
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def truncated_jpeg() -> bytes:
    whole = photo("JPEG", (800, 600), "orange")
    return whole[: len(whole) // 3]
