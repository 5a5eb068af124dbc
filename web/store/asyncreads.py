"""PostgreSQL reads awaited on the event loop, for the step page.

The step page needs one short query (the player's progress). Run on a synchronous connection it
blocked the worker's event loop for the round trip; handed to a thread, the hop and the GIL
cost more still. psycopg's asynchronous connections, from a `psycopg_pool` pool, let the loop
serve other requests while PostgreSQL answers: measured on two workers, 1,079 -> 1,307 pages a
second and 1.5 -> 1.26 ms of CPU a page (benchmarks/README.md, fifth pass).

A pool belongs to one event loop: it opens in the app's lifespan (uvicorn runs it in every
worker) and closes with it. Without a lifespan (a TestClient used without `with`) or on another
loop, `read` answers None and the caller takes the synchronous path. SQLite never uses it: no
network, a few microseconds a read.

Driver errors come out as SQLAlchemy's, so a database that went away gets the 503 "réessayez"
page; the pool drops broken connections and reconnects by itself.
"""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from sqlalchemy import TextClause
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from web.store.statements import Params, driver_sql

# For a free connection; then the synchronous path serves the request (see `read`).
_WAIT_SECONDS = 1.0
# Connections per worker: a read takes a fraction of a millisecond, so two serve the requests a
# worker has in flight; runs with 1, 2 and 10 measured within the machine's noise of each other.
SIZE = 2


class AsyncReads:
    def __init__(self, engine: Engine, size: int = SIZE) -> None:
        self.engine = engine
        self.size = size
        self._pool: AsyncConnectionPool | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def open(self) -> None:
        """Start the pool on the running loop (PostgreSQL only); it connects in the background,
        so a database still starting does not stop the site from starting."""
        if self.engine.dialect.name == "sqlite" or self._pool is not None:
            return
        url = self.engine.url.set(drivername="postgresql")
        self._pool = AsyncConnectionPool(
            url.render_as_string(hide_password=False),
            min_size=1,
            max_size=self.size,
            kwargs={"autocommit": True},
            timeout=_WAIT_SECONDS,
            open=False,
            name="balises-reads",
        )
        await self._pool.open(wait=False)
        self._loop = asyncio.get_running_loop()

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool, self._loop = self._pool, None, None
            await pool.close()

    async def read(self, statement: TextClause, params: Params) -> list[Any] | None:
        """The rows of one read statement (autocommit: its own snapshot), or None when no pool
        serves this loop or it has no connection to lend within a second: after a database
        restart the pool reconnects with a growing delay, while the synchronous path connects at
        once (or fails at once, with the 503 page)."""
        pool = self._pool
        if pool is None or self._loop is not asyncio.get_running_loop():
            return None
        sql = driver_sql(statement.text, sqlite=False)
        try:
            async with pool.connection() as connection:
                cursor = await connection.execute(sql, params)
                return await cursor.fetchall()
        except PoolTimeout:
            return None
        except psycopg.Error as error:
            dialect = self.engine.dialect
            raise DBAPIError.instance(sql, params, error, psycopg.Error, dialect=dialect) from error

    def stats(self) -> dict[str, int]:
        """The pool's counters (psycopg_pool's), for tests and the curious."""
        return self._pool.get_stats() if self._pool is not None else {}
