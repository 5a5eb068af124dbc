"""One campaign file as last looked at: its bytes' hash and since when they have not changed.

The bytes are read (and hashed) only when the file's inode, size, mtime or ctime moved since
the last look: ctime changes on every write and cannot be set back by `touch` or `scp -p`, so a
same-size edit with a preserved mtime is still seen, and the hash, not the mtime, says whether
the content changed: a touched file keeps its quiet period, a rewritten one starts it again.

New bytes are dated from the file's last change (the later of mtime and ctime, by the wall
clock), not from the look that found them: a file edited while the site had no visitor, or
before a restart, has been quiet all along. A date in the future (a skewed clock) counts as now.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from campaigns.yamlsource import MAX_BYTES
from web.publication.published import sha256

Signature = tuple[int, int, int, int]


@dataclass(frozen=True)
class Seen:
    signature: Signature | None  # None: the file is gone (or cannot be opened)
    sha: str | None
    content: bytes | None
    since: float  # monotonic time at which these bytes were first seen

    @classmethod
    def gone(cls, now: float) -> Seen:
        return cls(None, None, None, now)


def _signature(stat: os.stat_result) -> Signature:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _read(path: Path) -> tuple[os.stat_result, bytes] | None:
    """The file's status and bytes (at most one byte past the loader's size limit)."""
    try:
        with path.open("rb") as handle:
            before = os.fstat(handle.fileno())
            content = handle.read(MAX_BYTES + 1)
    except OSError:
        return None
    return before, content


def look_at(path: Path | None, before: Seen | None, now: float, wall: float) -> Seen:
    """The file at `path` now (`now` monotonic, `wall` the time of day), given the last look."""
    signature: Signature | None = None
    if path is not None:
        try:
            signature = _signature(path.stat())
        except OSError:
            signature = None
    if before is not None and signature == before.signature:
        return before
    read = _read(path) if path is not None and signature is not None else None
    if read is None:
        return before if before is not None and before.sha is None else Seen.gone(now)
    stat, content = read
    sha = sha256(content)
    if before is not None and before.sha == sha:
        since = before.since
    else:
        since = now - max(0.0, wall - max(stat.st_mtime, stat.st_ctime))
    return Seen(_signature(stat), sha, content, since)
