"""Deletion tombstones: a resident who asked to be forgotten stays forgotten after a restore.

A backup taken on Monday still holds a resident who pressed "forget me" on Tuesday; restoring it
on Wednesday would bring them back. So every "forget me" also appends the player's id to
`var/tombstones.log`, a file kept OUTSIDE the database (a restore never rewinds it), and every
start of the site forgets again, through the same `web.privacy.forgetting.forget` code path, each
logged
player any table of the database still holds a row of (found by id in every column that
carries one, `web.store.player_rows`, not only through the `player` row). The figures stay right:
the restored rows are retired into the same anonymous rows the first forget made.

The log holds nothing but player ids, which are random and pseudonymous (`secrets.token_hex`):
they name no one once the player row is gone. It is written with `fsync` before the forget
commits, so no acknowledged "forget me" can be missing from it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from balises.durable import sync_directory
from campaigns.model import Campaign
from web.privacy.forgetting import forget
from web.store import db, player_rows
from web.store.tables.play import Player

log = logging.getLogger("balises.tombstones")

FILENAME = "tombstones.log"


def path_of(var_dir: Path) -> Path:
    return var_dir / FILENAME


def record(var_dir: Path, player_id: str) -> None:
    """Append `player_id` to the log and make it durable before returning.

    Raises `OSError` when the line cannot be written: the caller must then not report the
    player as forgotten, since a restore could bring them back.
    """
    if not player_id or any(c in player_id for c in "\r\n"):
        raise ValueError(f"not a player id: {player_id!r}")
    var_dir.mkdir(parents=True, exist_ok=True)
    path = path_of(var_dir)
    created = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{player_id}\n".encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        sync_directory(var_dir)  # the new file's name must survive a power cut too


def read(var_dir: Path) -> list[str]:
    """The logged player ids, oldest first, each once (an empty list when there is no log)."""
    try:
        text = path_of(var_dir).read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return []
    return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


def _present(engine: Engine, player_ids: list[str]) -> list[str]:
    """Those of `player_ids` some row of the database still carries, in any table (after a
    restore usually none; rows written by a request in flight during the forget, or left by a
    crash between the forget's two transactions, are found even with no `player` row left)."""
    if not player_ids:
        return []
    with db.reading(engine) as session:
        found = player_rows.holding(session, player_ids)
    return [pid for pid in player_ids if pid in found]


def _forget_again(
    engine: Engine, pid: str, by_slug: dict[str, Campaign], media: Path | None
) -> bool:
    """Forget `pid` again; False when another worker did it first (nothing left)."""
    with db.writing(engine) as session:
        session.exec(select(Player.id).where(Player.id == pid).with_for_update()).first()
        if not player_rows.holding(session, [pid]):
            return False
        forget(session, pid, by_slug, media)
    return True


def reapply(
    engine: Engine,
    var_dir: Path,
    campaigns: Iterable[Campaign],
    media_dir: Path | None = None,
) -> int:
    """Forget again every logged player the database still holds a row of; how many.

    Several workers start together: each player is forgotten in its own write transaction that
    first locks the player row (`FOR UPDATE` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite), so a
    second worker finds nothing left and the figures count the player once.
    """
    by_slug = {campaign.slug: campaign for campaign in campaigns}
    count = 0
    for pid in _present(engine, read(var_dir)):
        count += db.retried(_forget_again, engine, pid, by_slug, media_dir)
    log.info("deletion tombstones re-applied: %d", count)
    return count
