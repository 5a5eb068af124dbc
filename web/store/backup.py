"""A consistent, checked copy of a SQLite site's database, for `balises backup`.

SQLite's backup API copies a consistent snapshot while the site keeps running (copying the file
could tear: a write landing mid-copy, or the latest answers still in the `-wal` file). The copy
is then checked with `PRAGMA integrity_check` and switched out of WAL mode, so it is one
self-contained file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class Failed(Exception):
    """SQLite refused to read the database or to write the copy; `str()` says what it said."""


def check_integrity(path: Path) -> str:
    """What `PRAGMA integrity_check` says of the database at `path` (`ok` when sound)."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
        connection.execute("PRAGMA journal_mode=DELETE")  # no -wal/-shm beside the copy
    finally:
        connection.close()
    return "\n".join(str(row[0]) for row in rows)


def copy(source: Path, target: Path) -> str:
    """Copy the live database `source` into `target` (an empty file); what `check_integrity`
    says of the copy."""
    try:
        src = sqlite3.connect(source, timeout=30)  # reads only; waits for a busy writer
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        return check_integrity(target)
    except sqlite3.Error as error:
        raise Failed(str(error)) from error
