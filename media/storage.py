"""Where uploaded photos live on disk, named by content, and how they are removed and swept.

An original is stored once under `originals/<sha[:2]>/<sha>`, whatever its upload name (a
`../../etc/passwd` or `CON.jpg` never reaches the file system), so the same photo sent twice is
one file. Its derived variants sit in the shared derivation cache (`media.photocache`), named
after the same sha256. Files appear through temp file + `os.replace`; what a crash leaves behind
(temp files, an original whose database row was never committed) is removed by `sweep` at
start-up.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
import time
from collections.abc import Iterator, Set
from pathlib import Path

from media.photocache import cache_path

log = logging.getLogger("balises.media")

ORIGINALS = "originals"
CACHE = "cache"
UPLOADS = "tmp"
UPLOAD_PREFIX = "upload-"
UPLOAD_SUFFIX = ".part"
# What `media.photocache.write_atomically` names its temp files.
_ATOMIC_TEMP = re.compile(r"^\..+\.tmp$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# What `folder_problem` finds wrong with the media folder.
MISSING = "missing"
NOT_A_FOLDER = "not-a-folder"
READ_ONLY = "read-only"
FULL = "full"
# The problems that stop every write (FULL only stops the larger ones).
UNWRITABLE = frozenset({MISSING, NOT_A_FOLDER, READ_ONLY})
# A start-up sweep in one worker must not delete what another worker is writing right now: an
# upload still streaming, or an original stored a few milliseconds before its row is committed.
DEFAULT_GRACE_SECONDS = 15 * 60.0


def _checked(sha256: str) -> str:
    if not _SHA256.match(sha256):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    return sha256


def cache_dir(media_dir: Path) -> Path:
    """The derivation cache every variant of every photo is written to."""
    return media_dir / CACHE


def upload_dir(media_dir: Path) -> Path:
    """The folder to pass as `tmp_dir` to `receive`: same file system, swept at start-up."""
    return media_dir / UPLOADS


def original_path(media_dir: Path, sha256: str) -> Path:
    """The stored original of the photo whose bytes hash to `sha256` (it may not exist)."""
    sha = _checked(sha256)
    return media_dir / ORIGINALS / sha[:2] / sha


def variant_files(media_dir: Path, sha256: str) -> list[Path]:
    """Every cached derivative of the photo: widths, formats, riddle crops, placeholders."""
    sha = _checked(sha256)
    sample = cache_path(cache_dir(media_dir), sha, (0.0, 0.0, 1.0, 1.0), "w0", "jpg")
    prefix = sample.name.split("-", 1)[0] + "-"
    if not sample.parent.is_dir():
        return []
    return [p for p in sample.parent.iterdir() if p.name.startswith(prefix) and p.is_file()]


def folder_problem(media_dir: Path, *, free_at_least: int = 0) -> str | None:
    """What stops photos being stored in `media_dir` (MISSING, NOT_A_FOLDER, READ_ONLY, or FULL
    when less than `free_at_least` bytes are free), or None.

    Checked before an upload is read, so a read-only or vanished folder refuses it at once
    instead of failing half-way, and never recreated in passing: a folder that vanished (a disk
    not mounted) must be seen, not silently replaced by an empty one.
    """
    try:
        info = media_dir.stat()
    except FileNotFoundError:
        return MISSING
    except OSError:
        return READ_ONLY
    if not stat.S_ISDIR(info.st_mode):
        return NOT_A_FOLDER
    if not os.access(media_dir, os.W_OK | os.X_OK):
        return READ_ONLY  # access(2) also says EROFS on a read-only mount, even to root
    try:
        space = os.statvfs(media_dir)
    except OSError:
        return None
    if space.f_flag & os.ST_RDONLY:
        return READ_ONLY
    if free_at_least and space.f_bavail * space.f_frsize < free_at_least:
        return FULL
    return None


def _delete(path: Path) -> bool:
    """Unlink `path`; a file already gone is not an error, one that cannot go is logged (a
    read-only media folder): a later start-up sweep removes it once the folder is writable."""
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        log.warning("cannot delete %s: %s", path, error.strerror or error)
        return False
    return True


def remove(media_dir: Path, sha256: str) -> None:
    """Delete the original and its cached variants; a file already gone is not an error.

    The caller checks first that no other row still points to the same sha256 (the same photo
    uploaded twice is one file). A file the folder does not let go is logged and left to the
    next start-up sweep (it has no row any more).
    """
    _delete(original_path(media_dir, sha256))
    for path in variant_files(media_dir, sha256):
        _delete(path)


def _files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _old(path: Path, now: float, grace_seconds: float) -> bool:
    try:
        return now - path.stat().st_mtime >= grace_seconds
    except FileNotFoundError:
        return False


def sweep(media_dir: Path, keep: Set[str], *, grace_seconds: float = DEFAULT_GRACE_SECONDS) -> int:
    """Delete what a crash left behind; return how many temp files and originals went.

    Removed: upload temp files, atomic-write temp files in the originals and the cache, and
    originals whose sha256 is not in `keep` (no database row), with their variants. Files younger
    than `grace_seconds` are left alone, since another worker may be writing them; pass 0 when
    no other process can be uploading (tests, a single-process start).
    """
    now = time.time()
    count = 0
    for path in _files(upload_dir(media_dir)):
        name = path.name
        upload = name.startswith(UPLOAD_PREFIX) and name.endswith(UPLOAD_SUFFIX)
        if upload and _old(path, now, grace_seconds) and _delete(path):
            count += 1
    for folder in (media_dir / ORIGINALS, cache_dir(media_dir)):
        for path in _files(folder):
            if _ATOMIC_TEMP.match(path.name) and _old(path, now, grace_seconds) and _delete(path):
                count += 1
    for path in _files(media_dir / ORIGINALS):
        sha = path.name
        if _SHA256.match(sha) and sha not in keep and _old(path, now, grace_seconds):
            remove(media_dir, sha)
            count += 1
    return count


def touch(path: Path) -> None:
    """Mark an existing original as just stored, so a concurrent sweep's grace period covers it."""
    with contextlib.suppress(FileNotFoundError):
        os.utime(path)
