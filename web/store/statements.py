"""Prepared SQL run straight on the database driver, for the few statements on the hot path.

Profiling the answer POST and the step page showed SQLAlchemy's execute layer (compiled
cache lookup, execution context, result set-up, events) and the ORM session's bookkeeping
costing more CPU than the database running the statement, and on PostgreSQL the BEGIN/COMMIT
round trips around one statement costing more time than the statement. These functions hand
`text()` statements to sqlite3 or psycopg directly:

- `run`: inside an ORM session's transaction (`db.writing`), on its connection;
- `borrowed` (and `read_now` for a single read): a pooled connection outside any
  transaction, for reads that need no common snapshot and for statements stored together with
  the least ceremony: a single statement on PostgreSQL runs in autocommit (it is its own
  transaction: one round trip, where BEGIN, the statement and COMMIT were three).

Values go to the driver as they are: no SQLAlchemy type conversion, so timestamps go through
`stamp`. Driver errors come out as SQLAlchemy's (`OperationalError` for a database that went
away or stayed locked, which `web.errors` answers with the 503 "réessayez" page), and a
connection the database dropped empties the pool, as SQLAlchemy does itself.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, TextClause
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

Params = Mapping[str, Any]
_NAMED = re.compile(r"(?<![:\w]):(\w+)")


def run(session: Session, statement: TextClause, params: Params | list[Params]) -> Any:
    """Run `statement` in the session's transaction; the driver cursor (iterable of rows).

    A list of parameter sets runs as one executemany.
    """
    connection = session.connection()
    try:
        return _execute(
            connection.engine, connection.connection.driver_connection, statement, params
        )
    except DBAPIError as error:
        if error.connection_invalidated:
            connection.invalidate(error)
        raise


Statements = list[tuple[TextClause, Params | list[Params]]]


class Borrowed:
    """A pooled driver connection lent for one request's statements, outside any transaction
    between them (PostgreSQL in autocommit, sqlite3 always so here)."""

    def __init__(self, engine: Engine, driver: Any) -> None:
        self.engine = engine
        self.driver = driver

    def read(self, statement: TextClause, params: Params) -> list[Any]:
        """The rows of one read statement (its own snapshot). Never write through it."""
        return list(_execute(self.engine, self.driver, statement, params))

    def write(self, statements: Statements) -> None:
        """Store `statements` together (all or nothing), committed when this returns.

        A single statement on PostgreSQL is its own transaction; otherwise `transaction`.
        """
        sqlite = self.engine.dialect.name == "sqlite"
        if len(statements) == 1 and not isinstance(statements[0][1], list) and not sqlite:
            _execute(self.engine, self.driver, *statements[0])
            return
        with self.transaction():
            for statement, params in statements:
                _execute(self.engine, self.driver, statement, params)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN (on SQLite BEGIN IMMEDIATE, as `db.writing` does: a second worker waits for
        the write lock instead of failing to upgrade a read lock), the block, COMMIT; ROLLBACK
        when the block raises."""
        self._command("BEGIN IMMEDIATE" if self.engine.dialect.name == "sqlite" else "BEGIN")
        try:
            yield
            self._command("COMMIT")
        except BaseException:
            with suppress(DBAPIError):
                self._command("ROLLBACK")  # a lost connection is dropped, not pooled again
            raise

    def _command(self, sql: str) -> None:
        _translated(self.engine, self.driver, sql, {}, self.driver.execute, sql)


@contextmanager
def borrowed(engine: Engine) -> Iterator[Borrowed]:
    with _pooled(engine) as driver:
        yield Borrowed(engine, driver)


def read_now(engine: Engine, statement: TextClause, params: Params) -> list[Any]:
    """`Borrowed.read` on a connection of its own."""
    with borrowed(engine) as connection:
        return connection.read(statement, params)


def stamp(engine: Engine, moment: datetime) -> Any:
    """`moment` as these functions must pass it: what SQLAlchemy's DateTime would have sent (on
    SQLite, the text it stores), so rows written here and through the ORM compare alike."""
    convert = _stamps.get(engine.dialect.name)
    if convert is None:
        dialect = engine.dialect
        convert = DateTime(timezone=True).dialect_impl(dialect).bind_processor(dialect)
        convert = _stamps[dialect.name] = convert or (lambda value: value)
    return convert(moment)


_stamps: dict[str, Callable[[Any], Any]] = {}


@contextmanager
def _pooled(engine: Engine) -> Iterator[Any]:
    """A driver connection from the engine's pool in autocommit, returned to it afterwards.

    sqlite3 connections are always in autocommit (`db.make_engine`: transactions are opened
    explicitly); psycopg's are switched for the block and back, for the ORM sessions.
    """
    pooled = _translated(engine, None, "connect", {}, engine.raw_connection)
    driver = pooled.driver_connection
    switch = engine.dialect.name != "sqlite"
    try:
        if switch:
            _translated(engine, driver, "SET autocommit", {}, setattr, driver, "autocommit", True)
        yield driver
    except DBAPIError as error:
        if error.connection_invalidated:
            pooled.invalidate(error)  # not back to the pool, where resetting it would fail
        raise
    finally:
        if switch and pooled.is_valid:
            with suppress(engine.dialect.loaded_dbapi.Error):
                driver.autocommit = False
        pooled.close()


def _execute(
    engine: Engine, driver: Any, statement: TextClause, params: Params | list[Params]
) -> Any:
    sql = driver_sql(statement.text, sqlite=engine.dialect.name == "sqlite")
    if isinstance(params, list):
        cursor = driver.cursor()
        _translated(engine, driver, sql, params, cursor.executemany, sql, params)
        return cursor
    return _translated(engine, driver, sql, params, driver.execute, sql, params)


def _translated(
    engine: Engine, driver: Any, sql: str, params: Any, fn: Callable[..., Any], *args: Any
) -> Any:
    """`fn(*args)`, its driver errors raised as SQLAlchemy's; a lost connection empties the
    pool (every connection opened before it is as dead), so the next requests reconnect."""
    dialect = engine.dialect
    dbapi = dialect.loaded_dbapi
    try:
        return fn(*args)
    except dbapi.Error as error:
        disconnected = dialect.is_disconnect(error, driver, None)
        if disconnected:
            engine.dispose(close=False)
        raise DBAPIError.instance(
            sql, params, error, dbapi.Error, connection_invalidated=disconnected, dialect=dialect
        ) from error


@functools.lru_cache(maxsize=256)
def driver_sql(sql: str, *, sqlite: bool) -> str:
    """`sql` in the driver's parameter style: sqlite3 takes `:name`, psycopg `%(name)s`."""
    if sqlite:
        return sql
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
