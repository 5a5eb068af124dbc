"""Derived images of a campaign photo for the player site: crops, widths, formats, placeholders.

A riddle reveals its photo step by step (crop boxes given as fractions of the photo *as
displayed*), on phones with a weak signal: so each crop is served at a few widths, in WebP with
a JPEG fallback, and never with the original's metadata (GPS, camera, comments). Deriving costs
0.4–0.8 s of CPU for a 12 MP photo, so results are cached on disk by the source's content and
callers run `derive` in a worker thread, never on the event loop.

Speed choices follow PERF_BASELINES.md §4: JPEG DCT scaling (`draft`) before decoding,
`reducing_gap` when resizing, and cropping/resizing in the stored orientation so only the small
result is rotated upright.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Literal, NamedTuple

from PIL import Image, ImageFilter

from media.formats import PhotoError, decode, on_white, open_photo, orientation, sniff, web_mode
from media.photocache import cached, kept, write_atomically

__all__ = [
    "WIDTHS",
    "PhotoError",
    "derive",
    "derive_all",
    "dimensions",
    "placeholder",
    "sniff",
    "variant",
]

WIDTHS = (480, 960, 1600)
Box = tuple[float, float, float, float]
Format = Literal["webp", "jpeg"]
FORMATS: tuple[Format, ...] = ("webp", "jpeg")
_EXTENSIONS = {"webp": "webp", "jpeg": "jpg"}

WEBP_QUALITY = 80
WEBP_METHOD = 4
JPEG_QUALITY = 82
PLACEHOLDER_WIDTH = 24
PLACEHOLDER_QUALITY = 40
_QUALITY = {"webp": WEBP_QUALITY, "jpeg": JPEG_QUALITY}

# Displayed fractional point (x, y) -> stored fractional point, per EXIF orientation.
_TO_STORED = {
    1: lambda x, y: (x, y),
    2: lambda x, y: (1 - x, y),
    3: lambda x, y: (1 - x, 1 - y),
    4: lambda x, y: (x, 1 - y),
    5: lambda x, y: (y, x),
    6: lambda x, y: (y, 1 - x),
    7: lambda x, y: (1 - y, 1 - x),
    8: lambda x, y: (1 - y, x),
}
# Stored -> displayed, as ImageOps.exif_transpose does it.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _checked_box(box: Box | None) -> Box:
    if box is None:
        return (0.0, 0.0, 1.0, 1.0)
    left, top, right, bottom = (min(1.0, max(0.0, float(v))) for v in box)
    if not (left < right and top < bottom):
        raise ValueError(f"empty crop box {box!r}: expected left < right and top < bottom")
    return (left, top, right, bottom)


def _displayed_size(image: Image.Image, turn: int) -> tuple[int, int]:
    width, height = image.size
    return (height, width) if turn >= 5 else (width, height)


def _crop_size(displayed: tuple[int, int], box: Box) -> tuple[int, int]:
    left, top, right, bottom = box
    return (
        max(1, round((right - left) * displayed[0])),
        max(1, round((bottom - top) * displayed[1])),
    )


def _output_size(crop: tuple[int, int], width: int) -> tuple[int, int]:
    """`width` wide, keeping the crop's proportions, never wider than the crop itself."""
    out_width = max(1, min(width, crop[0]))
    return out_width, max(1, round(crop[1] * out_width / crop[0]))


class Rendered(NamedTuple):
    image: Image.Image  # upright, at its output size, RGB/RGBA/L, no metadata
    icc: bytes | None  # the source's colour profile, when it still applies
    crop: tuple[int, int]  # displayed size of the crop at full resolution


def _render(data: bytes, box: Box, width: int) -> Rendered:
    """Decode (JPEG: at the smallest DCT scale still large enough), crop, resize, turn upright."""
    image = open_photo(data)
    turn = orientation(image)
    crop = _crop_size(_displayed_size(image, turn), box)
    out_w, out_h = _output_size(crop, width)
    stored_size = (out_h, out_w) if turn >= 5 else (out_w, out_h)

    corners = [_TO_STORED[turn](x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
    fx = [c[0] for c in corners]
    fy = [c[1] for c in corners]
    full_w, full_h = image.size
    stored_box = (min(fx) * full_w, min(fy) * full_h, max(fx) * full_w, max(fy) * full_h)

    scale = 1.0
    if image.format == "JPEG":
        ratio = stored_size[0] / max(1.0, stored_box[2] - stored_box[0])
        wanted = (max(1, math.ceil(full_w * ratio)), max(1, math.ceil(full_h * ratio)))
        drafted = image.draft(image.mode, wanted)
        if drafted is not None:
            scale = full_w / drafted[1][2]
    icc = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None
    decode(image)
    pixels = web_mode(image)
    if pixels.mode == "L":
        icc = None
    left, top, right, bottom = (v / scale for v in stored_box)
    result = pixels.resize(
        stored_size,
        Image.Resampling.LANCZOS,
        box=(left, top, min(right, pixels.width), min(bottom, pixels.height)),
        reducing_gap=2.0,
    )
    if turn in _UPRIGHT:
        result = result.transpose(_UPRIGHT[turn])
    result.info.clear()  # EXIF, XMP, comments: JPEG's encoder would reuse a comment from here
    return Rendered(result, icc if isinstance(icc, bytes) else None, crop)


def _encode(image: Image.Image, fmt: Format, icc: bytes | None, *, quality: int) -> bytes:
    buffer = io.BytesIO()
    extra: dict[str, object] = {"icc_profile": icc} if icc else {}
    if fmt == "webp":
        image.save(buffer, "WEBP", quality=quality, method=WEBP_METHOD, **extra)
    else:
        flat = on_white(image)
        flat.save(buffer, "JPEG", quality=quality, progressive=True, optimize=True, **extra)
    return buffer.getvalue()


def _made(
    source: Path, box: Box | None, width: int, fmt: Format, cache_dir: Path
) -> tuple[Path, bytes | None]:
    """The cache path of the variant, and its encoded bytes when it is not in the cache yet."""
    if fmt not in ("webp", "jpeg"):
        raise ValueError(f"unknown format {fmt!r}: expected webp or jpeg")
    if width < 1:
        raise ValueError(f"width must be positive, not {width}")
    crop = _checked_box(box)
    target, data = cached(source, crop, f"w{width}", _EXTENSIONS[fmt], cache_dir)
    if target.exists():
        return target, None
    if data is None:
        data = source.read_bytes()
    rendered = _render(data, crop, width)
    return target, _encode(rendered.image, fmt, rendered.icc, quality=_QUALITY[fmt])


def derive(
    source: Path,
    *,
    box: Box | None,
    width: int,
    fmt: Format,
    cache_dir: Path,
) -> Path:
    """The cached file of `source` cropped to `box`, `width` px wide, encoded as `fmt`.

    Raise `PhotoError` (French message) for a file that is not a publishable photo, `OSError`
    when the cache cannot be written.
    """
    target, payload = _made(source, box, width, fmt, cache_dir)
    if payload is not None:
        write_atomically(target, payload)
    return target


def variant(
    source: Path,
    *,
    box: Box | None,
    width: int,
    fmt: Format,
    cache_dir: Path,
) -> Path | bytes:
    """`derive` for serving: the cached file, or the encoded image itself when the cache cannot
    be written (read-only, vanished or full media folder), so players still see their photos.

    Raise `PhotoError` for a file that is not a publishable photo, `OSError` when `source`
    cannot be read.
    """
    target, payload = _made(source, box, width, fmt, cache_dir)
    return target if payload is None else kept(target, payload, cache_dir)


def derive_all(
    source: Path,
    *,
    box: Box | None,
    cache_dir: Path,
    widths: tuple[int, ...] = WIDTHS,
    fmts: tuple[Format, ...] = FORMATS,
) -> dict[tuple[int, Format], Path]:
    """Every variant of one crop, decoding the photo once: for publishing or an upload.

    The largest missing width is rendered from the photo, each smaller one from the previous
    (a cascade, PERF_BASELINES.md §4), so six variants cost one decode instead of six. The files
    are the ones `derive` returns for the same arguments.
    """
    crop = _checked_box(box)
    targets: dict[tuple[int, Format], Path] = {}
    data = None
    for width in widths:
        for fmt in fmts:
            target, read = cached(source, crop, f"w{width}", _EXTENSIONS[fmt], cache_dir)
            data = data if read is None else read
            targets[(width, fmt)] = target
    missing = sorted({w for (w, _f), target in targets.items() if not target.exists()})
    if not missing:
        return targets
    rendered = _render(data if data is not None else source.read_bytes(), crop, missing[-1])
    current = rendered.image
    for width in reversed(missing):
        size = _output_size(rendered.crop, width)
        if current.size != size:
            current = current.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
            current.info.clear()
        for fmt in fmts:
            if not targets[(width, fmt)].exists():
                payload = _encode(current, fmt, rendered.icc, quality=_QUALITY[fmt])
                write_atomically(targets[(width, fmt)], payload)
    return targets


def placeholder(source: Path, *, box: Box | None, cache_dir: Path) -> Path:
    """A tiny blurred JPEG (~1 KB) shown while the real image loads on a slow connection."""
    crop = _checked_box(box)
    target, data = cached(source, crop, "placeholder", "jpg", cache_dir)
    if target.exists():
        return target
    if data is None:
        data = source.read_bytes()
    blurred = on_white(_render(data, crop, PLACEHOLDER_WIDTH).image).filter(
        ImageFilter.GaussianBlur(1.2)
    )
    write_atomically(target, _encode(blurred, "jpeg", None, quality=PLACEHOLDER_QUALITY))
    return target


def dimensions(source: Path, box: Box | None, width: int | None = None) -> tuple[int, int]:
    """Displayed size of the crop (or of its variant `width` px wide), read from the header.

    For the `width`/`height` attributes of `<img>`, so the page does not jump as images load.
    """
    image = open_photo(source.read_bytes())
    crop = _crop_size(_displayed_size(image, orientation(image)), _checked_box(box))
    return crop if width is None else _output_size(crop, width)
