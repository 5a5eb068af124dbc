"""How many players have progress in campaigns and steps a new campaign version would remove.

Progress is what the campaign page counts as a player's: a step done (`solve`), a checkpoint
scanned (`checkin`) or a hint asked (`stepprogress`). A player counts once per campaign and
once per step, whatever they did there.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine

from campaigns.changes import Removal
from web.store import db

_PROGRESS_ROWS = (
    "SELECT player_id, campaign, step FROM solve WHERE campaign IN :campaigns"
    " UNION SELECT player_id, campaign, step FROM checkin WHERE campaign IN :campaigns"
    " UNION SELECT player_id, campaign, step FROM stepprogress WHERE campaign IN :campaigns"
)
_BY_STEP = text(
    f"SELECT campaign, step, COUNT(DISTINCT player_id) FROM ({_PROGRESS_ROWS}) AS p"
    " GROUP BY campaign, step"
).bindparams(bindparam("campaigns", expanding=True))
_BY_CAMPAIGN = text(
    f"SELECT campaign, COUNT(DISTINCT player_id) FROM ({_PROGRESS_ROWS}) AS p GROUP BY campaign"
).bindparams(bindparam("campaigns", expanding=True))


def players_with_progress(engine: Engine, removed: Sequence[Removal]) -> dict[Removal, int]:
    """For each removal, the number of distinct players with progress in it (0 when none)."""
    if not removed:
        return {}
    slugs = sorted({r.campaign for r in removed})
    counts: dict[Removal, int] = {}
    with db.reading(engine) as session:
        connection = session.connection()
        for campaign, step, players in connection.execute(_BY_STEP, {"campaigns": slugs}):
            counts[Removal(campaign, step)] = int(players)
        for campaign, players in connection.execute(_BY_CAMPAIGN, {"campaigns": slugs}):
            counts[Removal(campaign)] = int(players)
    return {r: counts.get(r, 0) for r in removed}
