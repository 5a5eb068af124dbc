"""Counters that slow brute force to a crawl without bothering a real player.

A script trying 500 place names on one riddle meets a per-(player, step) limit and a per-address
limit that a new cookie does not reset. The counters live in the database so several workers
share them; they are fixed windows (one row per key and window), swept when old.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import TextClause, text
from sqlmodel import Session
from starlette.requests import Request

from web.statements import run

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


# Performance (issue 7): every answer reads and bumps its counters. Prepared SQL in one round
# trip each (one SELECT for all the limits, one executemany upsert) instead of an ORM statement
# built per limit; both dialects spell ON CONFLICT alike. Profiling showed the per-limit ORM
# statements costing more CPU than the rest of the answer.
_SWEEP = text("DELETE FROM ratecounter WHERE bucket < :cutoff")
_BUMP = text(
    "INSERT INTO ratecounter (key, bucket, count) VALUES (:key, :bucket, 1)"
    " ON CONFLICT (key, bucket) DO UPDATE SET count = ratecounter.count + 1"
)


# PostgreSQL (issue 7): a wrong answer's Attempt and its counters in one statement (a
# data-modifying CTE), one round trip fewer in the answer's write transaction. SQLite has no
# data-modifying CTE and no network round trip to save: it keeps `_BUMP`.
@lru_cache(maxsize=16)
def _bump_after(size: int, first: str) -> TextClause:
    rows = ", ".join(f"(:k{i}, :b{i}, 1)" for i in range(size))
    return text(
        f"WITH stored AS ({first}) INSERT INTO ratecounter (key, bucket, count) VALUES {rows}"
        " ON CONFLICT (key, bucket) DO UPDATE SET count = ratecounter.count + 1"
    )


@lru_cache(maxsize=16)
def _counts_query(size: int) -> TextClause:
    pairs = " OR ".join(f"(key = :k{i} AND bucket = :b{i})" for i in range(size))
    return text(f"SELECT key, count FROM ratecounter WHERE {pairs}")


def new_player_limits(ip: str) -> list[Limit]:
    """New players from one address (a script dropping its cookie each time), generous enough
    for a school class or a mobile carrier's shared address."""
    return [Limit(f"new-player:{ip}", 60, 30), Limit(f"new-player:{ip}", 3600, 300)]


def _keys(limits: list[Limit], now: float) -> dict[str, object]:
    params: dict[str, object] = {}
    for i, limit in enumerate(limits):
        params[f"k{i}"] = f"{limit.key}@{limit.window}"
        params[f"b{i}"] = limit.bucket(now)
    return params


def counts_query(limits: list[Limit], now: float) -> tuple[str, dict[str, object]]:
    """The SELECT of these limits' current counters (`key@window`, count) and its parameters.

    `retry_after` runs it alone; the answer POST runs it inside its progress query (issue 7: one
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


def hit(
    session: Session,
    limits: list[Limit],
    now: float,
    first: tuple[TextClause, Mapping[str, object]] | None = None,
) -> None:
    """Count one more try against every limit, in the session's transaction (after `first`,
    an INSERT to store with the counters, when given)."""
    dialect = session.get_bind().dialect.name
    for statement, params in counting(dialect, limits, now, first):
        run(session, statement, params)


def counting(
    dialect: str,
    limits: list[Limit],
    now: float,
    first: tuple[TextClause, Mapping[str, object]] | None = None,
) -> list[tuple[TextClause, Mapping[str, object] | list[Mapping[str, object]]]]:
    """The statements of `hit`, for `statements.Borrowed.write` or `run`.

    On PostgreSQL `first` and the counters are one statement (a data-modifying CTE): a wrong
    answer is then one statement, stored in autocommit with a single round trip (issue 7).
    SQLite has no data-modifying CTE and no round trip to save.
    """
    todo: list[tuple[TextClause, Mapping[str, object] | list[Mapping[str, object]]]] = []
    if first is not None and limits and dialect != "sqlite":
        statement, params = first
        todo.append((_bump_after(len(limits), statement.text), {**params, **_keys(limits, now)}))
    else:
        if first is not None:
            todo.append(first)
        if limits:
            rows: list[Mapping[str, object]] = [
                {"key": f"{lim.key}@{lim.window}", "bucket": lim.bucket(now)} for lim in limits
            ]
            todo.append((_BUMP, rows))
    if random.random() < _SWEEP_CHANCE:
        todo.append((_SWEEP, {"cutoff": int(now) - _KEEP_SECONDS}))
    return todo


@lru_cache(maxsize=16)
def _bump_returning(size: int) -> TextClause:
    rows = ", ".join(f"(:k{i}, :b{i}, 1)" for i in range(size))
    return text(
        f"INSERT INTO ratecounter (key, bucket, count) VALUES {rows}"
        " ON CONFLICT (key, bucket) DO UPDATE SET count = ratecounter.count + 1"
        " RETURNING key, count"
    )


@lru_cache(maxsize=16)
def _give_back(size: int) -> TextClause:
    pairs = " OR ".join(f"(key = :k{i} AND bucket = :b{i})" for i in range(size))
    return text(f"UPDATE ratecounter SET count = count - 1 WHERE count > 0 AND ({pairs})")


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
    counted = {key: count for key, count in run(session, _bump_returning(len(limits)), params)}
    wait = wait_for({key: count - 1 for key, count in counted.items()}, limits, now)
    if wait:
        run(session, _give_back(len(limits)), params)
    return wait


def give_back(session: Session, limits: list[Limit], now: float) -> None:
    """Undo one `take` of these limits (a try that turned out not to count: a right password)."""
    if limits:
        run(session, _give_back(len(limits)), _keys(limits, now))


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
