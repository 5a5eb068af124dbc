"""Counters that slow brute force to a crawl without bothering a real player.

A script trying 500 place names on one riddle meets a per-(player, step) limit and a per-address
limit that a new cookie does not reset. The counters live in the database so several workers
share them; they are fixed windows (one row per key and window), swept when old.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, select
from starlette.requests import Request

from web.db import increment
from web.tables import RateCounter

_SWEEP_CHANCE = 0.01
_KEEP_SECONDS = 2 * 24 * 3600


@dataclass(frozen=True)
class Limit:
    key: str
    window: int  # seconds
    limit: int

    def bucket(self, now: float) -> int:
        return int(now // self.window) * self.window


def answer_limits(
    settings_per_minute: int, player: str, campaign: str, step: str, ip: str
) -> list[Limit]:
    """Wrong answers allowed: per player and step, then per address (shared by everyone there)."""
    where = f"{campaign}/{step}"
    return [
        Limit(f"answer:{player}:{where}", 60, settings_per_minute),
        Limit(f"answer:{player}:{where}", 3600, settings_per_minute * 4),
        Limit(f"answer-ip:{ip}", 60, settings_per_minute * 6),
        Limit(f"answer-ip:{ip}", 3600, settings_per_minute * 60),
    ]


def miss_limits(ip: str) -> list[Limit]:
    """Unknown checkpoint tokens and resume codes: bursts of misses from one address."""
    return [Limit(f"miss:{ip}", 60, 20), Limit(f"miss:{ip}", 3600, 200)]


def retry_after(session: Session, limits: list[Limit], now: float) -> int:
    """Seconds to wait before the next try, 0 when every limit still has room."""
    wait = 0
    for limit in limits:
        bucket = limit.bucket(now)
        count = session.exec(
            select(RateCounter.count).where(
                RateCounter.key == f"{limit.key}@{limit.window}", RateCounter.bucket == bucket
            )
        ).first()
        if count is not None and count >= limit.limit:
            wait = max(wait, int(bucket + limit.window - now) + 1)
    return wait


def hit(session: Session, limits: list[Limit], now: float) -> None:
    """Count one more try against every limit."""
    for limit in limits:
        increment(
            session,
            RateCounter,
            ["key", "bucket"],
            key=f"{limit.key}@{limit.window}",
            bucket=limit.bucket(now),
        )
    if random.random() < _SWEEP_CHANCE:
        session.execute(delete(RateCounter).where(RateCounter.bucket < int(now) - _KEEP_SECONDS))  # type: ignore[arg-type]


def client_ip(request: Request, trusted_proxies: tuple[str, ...]) -> str:
    """The client's address; X-Forwarded-For is believed only from a trusted proxy."""
    peer = request.client.host if request.client else "unknown"
    if peer not in trusted_proxies:
        return peer
    forwarded = [p.strip() for p in request.headers.get("x-forwarded-for", "").split(",")]
    for address in reversed([p for p in forwarded if p]):
        if address not in trusted_proxies:
            return address[:64]
    return peer
