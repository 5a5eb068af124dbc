"""The disk cache of derived photos, keyed by what the photo *is*, not where it lives.

A derived image is named after the sha256 of its source's bytes, the crop, the variant and the
pipeline version: replacing a photo under the same name gives new files (browsers may cache
them forever), and the same photo used by two campaigns is derived once. Files appear
atomically, so a reader or a crash never leaves half an image under a final name.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import time
from pathlib import Path

log = logging.getLogger("balises.media")

Box = tuple[float, float, float, float]

# Part of every cache key: bump it when the output of the same inputs changes.
PIPELINE_VERSION = "1"

_digests: dict[tuple[str, int, int, int], str] = {}
_digests_lock = threading.Lock()
WARN_EVERY = 60.0  # seconds between two warnings of a cache that cannot be written
_warned = [float("-inf")]


def _read(source: Path) -> tuple[bytes, str]:
    data = source.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


def _stat_key(source: Path) -> tuple[str, int, int, int]:
    stat = source.stat()
    return (str(source.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns)


def write_atomically(target: Path, payload: bytes) -> None:
    """Temp file in the same folder, then `os.replace`: readers never see half an image."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(payload)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def kept(target: Path, payload: bytes, cache_dir: Path) -> Path | bytes:
    """`payload` stored at `target` in the cache, or the payload itself when the cache cannot
    take it (a read-only, vanished or full media folder): an image is still served, only not
    kept. The cache folder is made only inside an existing folder: a media folder that vanished
    (a disk not mounted) is not recreated empty in passing; the staff home says it is missing.
    """
    try:
        cache_dir.mkdir(exist_ok=True)
        write_atomically(target, payload)
    except OSError as error:
        now = time.monotonic()
        if now - _warned[0] >= WARN_EVERY:  # once a minute, not once an image
            _warned[0] = now
            log.warning(
                "photo cache %s not writable (%s): serving images without keeping them",
                cache_dir,
                error.strerror or error,
            )
        return payload
    return target


def cache_path(cache_dir: Path, digest: str, box: Box, variant: str, ext: str) -> Path:
    box_key = (
        "full"
        if box == (0.0, 0.0, 1.0, 1.0)
        else "c" + hashlib.sha256(repr(box).encode()).hexdigest()[:10]
    )
    name = f"{digest[:32]}-{box_key}-{variant}-v{PIPELINE_VERSION}.{ext}"
    return cache_dir / digest[:2] / name


def cached(
    source: Path, box: Box, variant: str, ext: str, cache_dir: Path
) -> tuple[Path, bytes | None]:
    """The cache path, and the source bytes when they had to be read (a likely miss).

    Hashing a 5 MB photo takes ~10 ms, so digests of unchanged files (same inode, size and
    mtime, taken before reading) are remembered for the life of the process.
    """
    key = _stat_key(source)
    with _digests_lock:
        digest = _digests.get(key)
    data = None
    if digest is None:
        data, digest = _read(source)
        with _digests_lock:
            if len(_digests) > 4096:
                _digests.clear()
            _digests[key] = digest
    return cache_path(cache_dir, digest, box, variant, ext), data
