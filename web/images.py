"""Derived images (photo variants, share cards) as responses, whatever state the media folder
is in.

Every image the site serves is derived from a photo and kept in the media folder's cache. When
that folder is read-only, full or gone, what is already derived is still served from it, and a
variant not made yet is made for the request and sent without being kept
(`media.photos.variant`): riddles stay playable while the staff home says what is wrong. A photo
that cannot be read at all is a 404, never a 500.
"""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response

from media.photos import Box, Format, PhotoError, variant


def image_response(image: Path | bytes, media_type: str, cache: str) -> Response:
    """The cached file, or the bytes made for this request when the cache could not keep them."""
    headers = {"Cache-Control": cache}
    if isinstance(image, bytes):
        return Response(image, media_type=media_type, headers=headers)
    return FileResponse(image, media_type=media_type, headers=headers)


async def served_variant(
    source: Path,
    *,
    box: Box | None,
    width: int,
    fmt: Format,
    cache_dir: Path,
    media_type: str,
    cache: str,
) -> Response:
    """`source` cropped to `box`, `width` px wide, as `fmt` (derived in a worker thread)."""
    try:
        image = await run_in_threadpool(
            variant, source, box=box, width=width, fmt=fmt, cache_dir=cache_dir
        )
    except (PhotoError, OSError) as error:
        raise HTTPException(404) from error
    return image_response(image, media_type, cache)
