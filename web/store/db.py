"""The database engine, its sessions and the schema migrations applied on start.

SQLite is the laptop and small-town default: WAL lets readers run beside the writer,
`busy_timeout` makes a second worker wait instead of failing with "database is locked",
`synchronous=FULL` makes an acknowledged answer survive a power cut, and writes open with
`BEGIN IMMEDIATE` so two workers never both read then both try to upgrade to a write lock.
PostgreSQL (through psycopg) serves several workers. Sessions are synchronous: on SQLite they run
inline in the async routes (measured twice as fast as a thread pool hop; a read that takes
tens of milliseconds at city scale goes `aside` to a thread instead), on PostgreSQL the routes
hand them to the thread pool so a slow network round trip never stalls the event loop (but for
the step page's one short read on an already open connection, `glance`).
"""

from __future__ import annotations

import asyncio
import contextvars
import fcntl
import functools
import logging
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine

log = logging.getLogger("balises.db")

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"
_WRITE = "balises_write"
_ADVISORY_LOCK = 0x0BA115E5  # PostgreSQL advisory lock held while migrating

# Performance: PostgreSQL work runs on a few threads of our own (`call`) rather than
# anyio's default pool of 40: with 16 requests in flight per worker, 16 threads each waking for
# their round trip and fighting for the GIL cost ~0.4 ms of CPU per step page; a pool as large
# as the connection pool keeps as many queries in flight with far fewer switches.
_THREADS = 10

P = ParamSpec("P")
R = TypeVar("R")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets its pragmas and immediate write transactions."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        # Performance: no pool_pre_ping, which cost every request a BEGIN, a SELECT 1
        # and a ROLLBACK (three round trips, more than the page's own query). A connection the
        # database dropped fails its next statement once: SQLAlchemy then invalidates the whole
        # pool (every connection opened before), that request gets the 503 "réessayez" page of
        # `web.errors`, and the next ones reconnect.
        return create_engine(url, pool_size=_THREADS, max_overflow=10)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred only).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def make_read_only_engine(url: str) -> Engine:
    """An engine that cannot write, for `balises check`: it leaves the instance as it found it.

    SQLite opens the file with `mode=ro` (no database is created, nothing is migrated). A WAL
    database read that way gets its `-wal` and `-shm` files created when they are missing; they
    are only missing when no process has the database open, and then nothing can change under
    the reader, so it is opened `immutable` (no lock, no file). PostgreSQL runs every
    transaction READ ONLY.
    """
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        return create_engine(
            url, poolclass=NullPool, execution_options={"postgresql_readonly": True}
        )
    path = Path(make_url(url).database or "").absolute()
    flags = "mode=ro" if Path(f"{path}-wal").exists() else "mode=ro&immutable=1"
    uri = f"file:{quote(str(path))}?{flags}"
    return create_engine(
        "sqlite://",
        poolclass=NullPool,
        creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=5),
    )


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A session for reads; nothing it does is committed."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """A write transaction, committed when the block ends without an exception.

    The commit happens before the caller builds its response, so what a player is told was
    stored is stored.
    """
    with Session(engine, expire_on_commit=False) as session:
        session.connection(execution_options={_WRITE: True})
        yield session
        session.commit()


# PostgreSQL's SQLSTATEs for a transaction it rolled back to break a deadlock (40P01) or a
# serialization conflict (40001): nothing was stored, and running it again is the cure.
_TRANSIENT = frozenset({"40P01", "40001"})
_ATTEMPTS = 4


def transient(error: BaseException) -> bool:
    """Whether `error` is a deadlock or serialization failure the database rolled back."""
    return getattr(getattr(error, "orig", None), "sqlstate", None) in _TRANSIENT


def retried(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`fn` (one or more whole write transactions), run again when the database broke a
    deadlock by rolling it back: a deadlock is retried, never shown.

    Used where two people's transactions take the same rows in different orders ("forget me"
    while the same phone's requests are in flight, two staff members deciding together).
    `fn` must have no effect outside its transactions that a second run would repeat wrongly.
    """
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            return fn(*args, **kwargs)
        except DBAPIError as error:
            if attempt == _ATTEMPTS or not transient(error):
                raise
            log.warning("transaction rolled back by the database (%s), retried", error.orig)
            time.sleep(random.uniform(0.0, 0.05 * attempt))  # let the other one finish first
    raise AssertionError("unreachable")


_executor: ThreadPoolExecutor | None = None


async def call(engine: Engine, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run `fn` (which uses synchronous sessions): inline on SQLite, in a thread otherwise.

    The thread sees the caller's context variables (the language of the page, for one).
    """
    if is_sqlite(engine):
        return fn(*args, **kwargs)
    return await aside(engine, fn, *args, **kwargs)


async def aside(engine: Engine, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run `fn` in a thread on either database: for a read that takes tens of milliseconds at
    city scale, which `call` would run inline on SQLite, holding the worker's event loop and
    every resident's page with it.

    The CM's figures are one (counting 60,000 to 100,000 journeys, the median of each step): at
    60,000 players under load they held the loop 35–280 ms once a second while the CM's page
    refreshed (benchmarks/README.md, scale.py). SQLite computes with the interpreter lock
    released, so the loop serves residents meanwhile; the hop costs about 0.1 ms.
    """
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(_THREADS, thread_name_prefix="balises-db")
    context = contextvars.copy_context()
    work = functools.partial(context.run, fn, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_executor, work)


async def glance(engine: Engine, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run `fn`, a read of one short statement (`statements.read_now`), without a thread if it can.

    On PostgreSQL the hop to a thread and back (and the GIL handed between the threads)
    was most of the step page's tail latency (p99 3.5x a page without database); inline, one
    loopback round trip blocks the event loop for less than the hop cost. It stays inline only
    when the pool has an idle connection: opening a connection (slow, or hanging while the
    database is unreachable) still happens on a thread, through `call`.
    """
    if is_sqlite(engine) or engine.pool.checkedin() > 0:  # type: ignore[attr-defined]
        return fn(*args, **kwargs)
    return await call(engine, fn, *args, **kwargs)


def healthy(engine: Engine) -> bool:
    """Whether the database answers a trivial query."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except (SQLAlchemyError, OSError):
        log.exception("database health check failed")
        return False


def migrate(engine: Engine, lock_dir: Path) -> None:
    """Bring the schema to the latest Alembic revision, one process at a time.

    Several workers start together: PostgreSQL serialises them with an advisory lock, SQLite with
    a file lock beside the other runtime files (`lock_dir`, created if needed). On PostgreSQL no
    file is written, so `balises user add` works from a folder that holds no instance files.
    """
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS))
    if not is_sqlite(engine):
        with engine.begin() as connection:
            connection.execute(text(f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK})"))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / "migrate.lock", "a+") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            with engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def insert(session: Session, table: type[Any]) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL spell it alike)."""
    return _insert(session, table)


def _insert(session: Session, table: type[Any]) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return sqlite_insert(table)
    return pg_insert(table)


def insert_once(session: Session, table: type[Any], keys: list[str], **values: Any) -> bool:
    """Insert a row unless one with the same `keys` exists; True when this call inserted it.

    A double tap or an htmx retry on a right answer races two requests: the unique constraint
    and ON CONFLICT DO NOTHING make exactly one of them the solve, on both databases.
    """
    statement = _insert(session, table).values(**values).on_conflict_do_nothing(index_elements=keys)
    # RETURNING, not the cursor's rowcount: on PostgreSQL SQLAlchemy may add a RETURNING of its
    # own, and psycopg's rowcount then says nothing of whether a row was inserted.
    returned = session.execute(statement.returning(table.__table__.c[keys[0]]))
    return returned.first() is not None


def increment(session: Session, table: type[Any], keys: list[str], **values: Any) -> None:
    """Add one to the `count` column of the row with these keys, creating it at 1."""
    statement = _insert(session, table).values(count=1, **values)
    statement = statement.on_conflict_do_update(
        index_elements=keys, set_={"count": table.__table__.c.count + 1}
    )
    session.execute(statement)
