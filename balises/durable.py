"""Making a file's name survive a power cut, for the few files Balises writes outside its
database: a backup, the tombstones of forgotten players.

`os.fsync` on a file makes its bytes durable, not its directory entry: after creating or
renaming a file, the folder must be synced too, or a crash can leave the old name (or none).
"""

from __future__ import annotations

import os
from pathlib import Path


def sync_directory(folder: Path) -> None:
    """Flush `folder`'s entries (new and renamed files) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
