"""Photo uploads from the staff area: stream to disk, check by content, store once, derive.

Archives staff send big TIFF scans, iPhone HEICs and phone JPEGs with GPS tags; anyone can also
send a PDF renamed `.jpg` or a 30000×30000 "bomb". The staff area calls `receive` while the
body streams (so a 2 GB body never fills memory or disk), then `ingest` in a worker thread
(decoding costs 0.5–1 s of CPU). `ingest` either stores the photo with every variant the player
site needs, or refuses it with a French message shown as is, and then leaves no new file behind:
a rejected or interrupted upload must not leave a file without a row (SPEC, "Guarantees").
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from PIL import Image

from media.formats import (
    ACCEPTED_FORMATS,
    DAMAGED,
    HEIF_UNREADABLE,
    MAX_PIXELS,
    NOT_A_PHOTO,
    TOO_LARGE,
    PhotoError,
    open_photo,
    orientation,
)
from media.photocache import write_atomically
from media.photos import derive_all, placeholder
from media.storage import (
    UPLOAD_PREFIX,
    UPLOAD_SUFFIX,
    cache_dir,
    original_path,
    remove,
    sweep,
    touch,
    upload_dir,
    variant_files,
)

__all__ = [
    "DISK_FULL",
    "EMPTY",
    "MEDIA_UNAVAILABLE",
    "NOT_A_PHOTO_FR",
    "UNREADABLE",
    "StoredPhoto",
    "UploadRejected",
    "ingest",
    "original_path",
    "receive",
    "refusal_of",
    "remove",
    "sweep",
    "too_heavy",
    "upload_dir",
]

NOT_A_PHOTO_FR = "ce fichier n'est pas une photo (JPEG, PNG, WebP, TIFF ou HEIC attendu)"
EMPTY = "fichier vide"
UNREADABLE = "photo illisible ou tronquée"
DISK_FULL = "disque plein : la photo n'a pas été enregistrée"
MEDIA_UNAVAILABLE = "dossier des photos inaccessible : la photo n'a pas été enregistrée"
_FROM_PHOTO_ERROR = {
    NOT_A_PHOTO: NOT_A_PHOTO_FR,
    DAMAGED: UNREADABLE,
    HEIF_UNREADABLE: HEIF_UNREADABLE,
}
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
# A read-only, vanished or forbidden media folder: the server's problem, not the photo's.
_UNWRITABLE_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR}


class UploadRejected(Exception):
    """An upload Balises refuses; `message` is French and shown to staff as is."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def __reduce__(self) -> tuple[type[UploadRejected], tuple[str, int]]:
        # raised in a process of the site's pool (`web.offload`): its status must come back too
        return (UploadRejected, (self.message, self.status))


@dataclass(frozen=True)
class StoredPhoto:
    sha256: str
    width: int  # as displayed, after the EXIF orientation
    height: int
    format: str  # Pillow's name: JPEG, PNG, WEBP, TIFF or HEIF
    size_bytes: int


def _size_in_french(size: int) -> str:
    if size >= 1024 * 1024:
        megabytes = size / (1024 * 1024)
        text = f"{megabytes:.0f}" if megabytes == int(megabytes) else f"{megabytes:.1f}"
        return text.replace(".", ",") + " Mo"
    return f"{max(1, size // 1024)} Ko"


def refusal_of(error: OSError) -> UploadRejected | None:
    """The 503 to answer when writing a photo failed because of the media folder (full,
    read-only, vanished), or None for another error (a bug, to raise as it is)."""
    if error.errno in _DISK_FULL_ERRNOS:
        return UploadRejected(DISK_FULL, 503)
    if error.errno in _UNWRITABLE_ERRNOS:
        return UploadRejected(MEDIA_UNAVAILABLE, 503)
    return None


def _raise_refusal(error: OSError) -> NoReturn:
    rejected = refusal_of(error)
    if rejected is None:
        raise error
    raise rejected from None


def _discard(path: Path) -> None:
    """Remove a temp or half-stored file; a folder that refuses even that is left to the sweep."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def too_heavy(max_bytes: int) -> str:
    return f"fichier trop lourd : au plus {_size_in_french(max_bytes)}"


async def receive(chunks: AsyncIterator[bytes], *, max_bytes: int, tmp_dir: Path) -> Path:
    """Write the streamed body to a private temp file and return it; never hold it in memory.

    Over `max_bytes` the temp file is deleted and `UploadRejected` (413) raised before anything
    more is written; a full, read-only or vanished media folder gives 503; a dropped connection
    removes the temp file too.
    """
    try:
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp_dir, prefix=UPLOAD_PREFIX, suffix=UPLOAD_SUFFIX)
    except OSError as error:
        _raise_refusal(error)
    path = Path(name)
    received = 0
    try:
        with os.fdopen(fd, "wb") as out:
            async for chunk in chunks:
                received += len(chunk)
                if received > max_bytes:
                    raise UploadRejected(too_heavy(max_bytes), 413)
                out.write(chunk)
    except OSError as error:
        _discard(path)
        _raise_refusal(error)
    except BaseException:
        _discard(path)
        raise
    return path


def _declared_size(data: bytes) -> tuple[int, int] | None:
    """The size a file's header claims, read without Pillow's bomb check or any decoding."""
    Image.init()  # registers TIFF and WebP, which Pillow loads only on a first `open`
    prefix = data[:16]
    for name in ACCEPTED_FORMATS:
        factory, accept = Image.OPEN.get(name, (None, None))
        if factory is None:
            continue
        verdict = accept(prefix) if accept is not None else True
        if not verdict or isinstance(verdict, str):
            continue
        try:
            with factory(io.BytesIO(data), "") as image:
                width, height = image.size
        except Exception:
            continue
        return width, height
    return None


def _too_large(size: tuple[int, int] | None) -> UploadRejected:
    limit = f"au plus {MAX_PIXELS // 1_000_000} mégapixels"
    if size is None:
        return UploadRejected(f"photo trop grande : {limit}")
    return UploadRejected(f"photo trop grande : {size[0]} × {size[1]} pixels, {limit}")


def _rejection(error: PhotoError, data: bytes) -> UploadRejected:
    message = str(error)
    if message == TOO_LARGE:
        return _too_large(_declared_size(data))
    return UploadRejected(_FROM_PHOTO_ERROR.get(message, UNREADABLE))


def _inspect(data: bytes) -> StoredPhoto:
    """Check the header (format, pixel cap) without decoding; describe the photo as displayed."""
    declared = _declared_size(data)
    if declared is not None and declared[0] * declared[1] > MAX_PIXELS:
        # Refused before `Image.open`, whose DecompressionBombWarning (89–179 MP) would become
        # "not a photo" wherever warnings are errors, and is noise in the logs otherwise.
        raise _too_large(declared)
    try:
        image = open_photo(data)
    except PhotoError as error:
        raise _rejection(error, data) from None
    with image:  # closed here, so `data` is not kept alive by the decoder's file object
        turn = orientation(image)
        width, height = (image.height, image.width) if turn >= 5 else image.size
        pillow_format = image.format or ""
    return StoredPhoto(hashlib.sha256(data).hexdigest(), width, height, pillow_format, len(data))


def _store(tmp_file: Path, media_dir: Path, created: list[Path]) -> StoredPhoto:
    if tmp_file.stat().st_size == 0:
        raise UploadRejected(EMPTY)
    data = tmp_file.read_bytes()
    photo = _inspect(data)
    original = original_path(media_dir, photo.sha256)
    if original.exists():
        touch(original)
    else:
        write_atomically(original, data)
        created.append(original)
    del data  # up to 20 MB; derive_all reads the stored file again
    before = set(variant_files(media_dir, photo.sha256))
    try:
        derive_all(original, box=None, cache_dir=cache_dir(media_dir))
        placeholder(original, box=None, cache_dir=cache_dir(media_dir))
    except BaseException:
        created.extend(set(variant_files(media_dir, photo.sha256)) - before)
        raise
    return photo


def ingest(tmp_file: Path, *, media_dir: Path) -> StoredPhoto:
    """Check the received file by its content, store it once and make its variants.

    Raise `UploadRejected` (French message; 503 for a full, read-only or vanished media folder,
    also while the variants are made) and leave no new file behind when it is not a photo we
    publish. `tmp_file` is always deleted. Blocking: run it in a worker thread.
    """
    created: list[Path] = []
    try:
        return _store(tmp_file, media_dir, created)
    except PhotoError as error:  # raised while decoding the pixels: truncated, corrupt
        _undo(created)
        raise UploadRejected(_FROM_PHOTO_ERROR.get(str(error), UNREADABLE)) from None
    except OSError as error:
        _undo(created)
        _raise_refusal(error)
    except BaseException:
        _undo(created)
        raise
    finally:
        _discard(tmp_file)


def _undo(created: list[Path]) -> None:
    for path in created:
        _discard(path)
