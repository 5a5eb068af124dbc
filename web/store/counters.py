"""Counters that slow brute force to a crawl without bothering a real player.

A script trying 500 place names on one riddle meets a per-(player, step) limit and a per-address
limit that a new cookie does not reset. The counters live in the database so several workers
share them; they are fixed windows (one row per key and window), swept when old.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, text
from sqlmodel import Session
from starlette.requests import Request

from web.store.statements import Borrowed, run

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


# Performance: every answer reads or bumps its counters. Prepared SQL in one round trip each
# instead of an ORM statement built per limit; both dialects spell ON CONFLICT alike. Profiling
# showed the per-limit ORM statements costing more CPU than the rest of the answer.
_SWEEP = text("DELETE FROM ratecounter WHERE bucket < :cutoff")


@lru_cache(maxsize=16)
def _counts_query(size: int) -> TextClause:
    pairs = " OR ".join(f"(key = :k{i} AND bucket = :b{i})" for i in range(size))
    return text(f"SELECT key, count FROM ratecounter WHERE {pairs}")


def new_player_limits(per_minute: int, ip: str) -> list[Limit]:
    """New players from one address (a script dropping its cookie each time); the default (30 a
    minute) is generous enough for a school class."""
    return [
        Limit(f"new-player:{ip}", 60, per_minute),
        Limit(f"new-player:{ip}", 3600, per_minute * 10),
    ]


def _keys(limits: list[Limit], now: float) -> dict[str, object]:
    params: dict[str, object] = {}
    for i, limit in enumerate(limits):
        params[f"k{i}"] = f"{limit.key}@{limit.window}"
        params[f"b{i}"] = limit.bucket(now)
    return params


def counts_query(limits: list[Limit], now: float) -> tuple[str, dict[str, object]]:
    """The SELECT of these limits' current counters (`key@window`, count) and its parameters.

    `retry_after` runs it alone; the answer POST runs it inside its progress query (one
    round trip fewer on every answer) and hands the rows to `wait_for`.
    """
    return _counts_query(len(limits)).text, _keys(limits, now)


def wait_for(counts: dict[str, int], limits: list[Limit], now: float) -> int:
    """Seconds to wait given the current counters (`counts_query`'s rows), 0 when there is room."""
    wait = 0
    for limit in limits:
        count = counts.get(f"{limit.key}@{limit.window}")
        if count is not None and count >= limit.limit:
            wait = max(wait, int(limit.bucket(now) + limit.window - now) + 1)
    return wait


def retry_after(session: Session, limits: list[Limit], now: float) -> int:
    """Seconds to wait before the next try, 0 when every limit still has room."""
    if not limits:
        return 0
    _sql, params = counts_query(limits, now)
    rows = run(session, _counts_query(len(limits)), params)
    return wait_for({key: count for key, count in rows}, limits, now)


def _upsert(size: int, first: int, change: str) -> str:
    """Every counter of `size` limits created at `first`, or changed by `change` when it exists.

    Takes and give-backs alike are this upsert, so PostgreSQL locks the counters' rows in one
    order (that of VALUES): a give-back in a transaction of its own never deadlocks with a try
    taking the same counters (an UPDATE … WHERE … OR … locked them in the table's order: 2 of
    80 wrong answers sent at once got a 503)."""
    rows = ", ".join(f"(:k{i}, :b{i}, {first})" for i in range(size))
    return (
        f"INSERT INTO ratecounter (key, bucket, count) VALUES {rows}"
        f" ON CONFLICT (key, bucket) DO UPDATE SET count = ratecounter.count {change}"
    )


@lru_cache(maxsize=16)
def _bump_returning(size: int) -> TextClause:
    return text(_upsert(size, 1, "+ 1") + " RETURNING key, count")


@lru_cache(maxsize=16)
def _give_back(size: int) -> TextClause:
    """One count less on each counter (never below 0)."""
    return text(_upsert(size, 0, "- 1") + " WHERE ratecounter.count > 0")


@lru_cache(maxsize=16)
def _bump_then_store(size: int, table: str, columns: tuple[str, ...]) -> TextClause:
    """PostgreSQL: the counters bumped and, in the same statement, a row stored unless one of
    them went over its limit (a data-modifying CTE sees the counters' new values)."""
    over = " OR ".join(f"(key = :k{i} AND count > :l{i})" for i in range(size))
    values = ", ".join(f":{name}" for name in columns)
    return text(
        f"WITH counted AS ({_upsert(size, 1, '+ 1')} RETURNING key, count),"
        f" stored AS (INSERT INTO {table} ({', '.join(columns)}) SELECT {values}"
        f" WHERE NOT EXISTS (SELECT 1 FROM counted WHERE {over}))"
        " SELECT key, count FROM counted"
    )


@lru_cache(maxsize=16)
def _insert(table: str, columns: tuple[str, ...]) -> TextClause:
    values = ", ".join(f":{name}" for name in columns)
    return text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})")


def _sweep_due(now: float) -> dict[str, object] | None:
    """Now and then (one try in a hundred), the parameters of the sweep of old counters."""
    return {"cutoff": int(now) - _KEEP_SECONDS} if random.random() < _SWEEP_CHANCE else None


def _wait_after(counted: Iterable[Sequence[Any]], limits: list[Limit], now: float) -> int:
    """Seconds to wait given counters just bumped: the try is over a limit when its counter was
    already at the limit before it."""
    return wait_for({key: count - 1 for key, count in counted}, limits, now)


def take(session: Session, limits: list[Limit], now: float) -> int:
    """Count one more try against every limit, or none if one is reached; seconds to wait (0:
    counted), in the session's transaction.

    Exact under concurrency: the counters are bumped and their new values read in one statement
    (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`), which holds their rows (SQLite: the write
    lock of `BEGIN IMMEDIATE`) until the transaction ends; a try over a limit gives its counts
    back before anyone else reads them.
    """
    if not limits:
        return 0
    params = _keys(limits, now)
    wait = _wait_after(run(session, _bump_returning(len(limits)), params), limits, now)
    if wait:
        run(session, _give_back(len(limits)), params)
    elif (sweep := _sweep_due(now)) is not None:
        run(session, _SWEEP, sweep)
    return wait


def give_back(session: Session, limits: list[Limit], now: float) -> None:
    """Undo one `take` of these limits (a try that turned out not to count: a right password)."""
    if limits:
        run(session, _give_back(len(limits)), _keys(limits, now))


def take_storing(
    connection: Borrowed,
    limits: list[Limit],
    now: float,
    table: str,
    row: Mapping[str, object],
) -> int:
    """`take`, and the `row` inserted into `table` when the try counted, outside any ORM
    transaction; seconds to wait (0: counted and stored).

    The answer POST's fast path (a known player's wrong answer). On PostgreSQL one statement in
    autocommit (one round trip; a second only to give the counts back when over a limit); on
    SQLite one `BEGIN IMMEDIATE` transaction, serial like every write there.
    """
    columns = tuple(row)
    params = _keys(limits, now)
    if connection.engine.dialect.name == "sqlite":
        with connection.transaction():
            counted = connection.read(_bump_returning(len(limits)), params)
            wait = _wait_after(counted, limits, now)
            if wait:
                connection.read(_give_back(len(limits)), params)
            else:
                connection.read(_insert(table, columns), row)
        return wait
    caps = {f"l{i}": limit.limit for i, limit in enumerate(limits)}
    statement = _bump_then_store(len(limits), table, columns)
    counted = connection.read(statement, {**row, **params, **caps})
    wait = _wait_after(counted, limits, now)
    if wait:
        connection.write([(_give_back(len(limits)), params)])
    elif (sweep := _sweep_due(now)) is not None:
        connection.write([(_SWEEP, sweep)])
    return wait


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
