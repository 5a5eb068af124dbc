""" "Forget me": a player and every row tied to them deleted, the figures kept anonymous.

One code path for the resident who asks (`web.privacy.mydata`) and for the start-up that forgets
again whoever a restored backup brought back (`web.privacy.tombstones`).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, union
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from campaigns.model import Campaign
from web.participation import sent
from web.privacy import retention
from web.store import db, player_rows
from web.store.tables.ledger import Thanks
from web.store.tables.play import Attempt, Checkin, Player, Solve, StepProgress


def touched_campaigns(session: Session, player_id: str) -> list[str]:
    """Slugs of every campaign where the player left a row."""
    queries = [
        select(table.campaign).where(table.player_id == player_id)
        for table in (Solve, StepProgress, Checkin, Attempt)
    ]
    rows = session.execute(union(*queries))
    return sorted({slug for (slug,) in rows})


def forget(
    session: Session,
    player_id: str,
    campaigns: dict[str, Campaign],
    media_dir: Path | None = None,
    *,
    counters: bool = True,
) -> None:
    """Delete the player and every row tied to them; the figures stay, anonymous.

    Whatever table holds the id, its rows go (`web.store.player_rows`, which finds every column that
    carries a player id). With `counters=False` the rate counters keyed on the player are left
    to a transaction of their own, after this one commits (`forget_counters`).
    """
    sent.forget_player(session, player_id, media_dir)
    for slug in touched_campaigns(session, player_id):
        retention.retire(session, slug, campaigns.get(slug), {player_id})
    retention.anonymise_thanks(session, col(Thanks.player_id) == player_id)
    player_rows.release(session, [player_id])
    if counters:
        player_rows.release_embedded(session, [player_id])
    session.execute(delete(Player).where(col(Player.id) == player_id))


def forget_counters(engine: Engine, player_id: str) -> None:
    """The rate counters keyed on a forgotten player, deleted once the player row is gone.

    Not in the forget's own transaction: a request of the same phone already in flight may hold
    one of those counters while it waits for the player row the forget holds (a deadlock). Once
    the player row is gone, no counter keyed on it can be stored any more (`web.store.player_rows`).
    """
    with db.writing(engine) as session:
        player_rows.release_embedded(session, [player_id])
