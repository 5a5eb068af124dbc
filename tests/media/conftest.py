"""Fixtures of the media tests: photo factories built on `photo_samples`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.media.photo_samples import quadrants, stored_pixels


@pytest.fixture
def tiny_jpeg(tmp_path: Path) -> Callable[..., Path]:
    """Factory: a quadrant JPEG displayed `width`×`height`, stored per its EXIF orientation."""
    counter = iter(range(10_000))

    def make(
        width: int = 120,
        height: int = 80,
        *,
        exif: Image.Exif | None = None,
        comment: bytes | None = None,
        xmp: bytes | None = None,
        mode: str = "RGB",
    ) -> Path:
        turn = int(exif.get(0x0112, 1)) if exif is not None else 1
        image = stored_pixels(quadrants(width, height), turn)
        if mode != "RGB":
            image = image.convert(mode)
        path = tmp_path / f"photo-{next(counter)}.jpg"
        options: dict[str, object] = {"quality": 95}
        if exif is not None:
            options["exif"] = exif.tobytes()
        if comment is not None:
            options["comment"] = comment
        if xmp is not None:
            options["xmp"] = xmp
        image.save(path, "JPEG", **options)
        return path

    return make
