"""The daily limits on what residents send: contributions and identification proposals.

Quotas per player and per address, kept in the database like every other limit
(`web.store.counters`), stop a script sending 100 photos an hour; a new cookie does not reset the
address's limit. A contribution or proposal is stored only within quota, in the same write
transaction that counts it, and marks the step done for the player.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import SQLModel
from starlette.requests import Request

from campaigns.model import Campaign, Step
from web import players
from web.site import Site
from web.store import counters, db, progress

DAY = 24 * 3600


def quota(kind: str, who: str, campaign: str, ip: str, per_player: int) -> list[counters.Limit]:
    """Daily limits on what one player (or one address) may send to a campaign."""
    return [
        counters.Limit(f"{kind}:{who}:{campaign}", DAY, per_player),
        counters.Limit(f"{kind}-ip:{ip}", DAY, per_player * 4),
    ]


def who(request: Request, current: Site) -> str:
    """Whom the per-player limit counts: the player, or the address of a cookieless phone."""
    pid = players.player_id(request)
    return pid or f"ip:{counters.client_ip(request, current.settings.trusted_proxies)}"


def over_quota(current: Site, request: Request, limits: list[counters.Limit]) -> int:
    """Seconds to wait before `limits` allow one more (0: go ahead), checked before the
    photo is processed so a script cannot make the server resize images for nothing."""
    with db.reading(current.engine) as session:
        return counters.retry_after(session, limits, current.now().timestamp())


def store(
    current: Site,
    request: Request,
    campaign: Campaign,
    step: Step,
    limits: Callable[[str], list[counters.Limit]],
    row: Callable[[str | None], SQLModel],
) -> int:
    """Store one contribution or proposal for this request's player; seconds to wait if over
    quota (then nothing is stored). The step counts as done for the player."""
    now = current.now().timestamp()
    ip = counters.client_ip(request, current.settings.trusted_proxies)
    with db.writing(current.engine) as session:
        pid = players.ensure_player_id(session, request)
        wanted = limits(pid or f"ip:{ip}")
        wait = counters.take(session, wanted, now)
        if wait:
            return wait
        session.add(row(pid))
        if pid is not None:
            progress.record_solve(session, pid, campaign.slug, step.id, 0)
    return 0
