"""Every column of the schema that carries a player id, found from the tables themselves.

"Forget me" must leave nothing of the player in any table, and the deletion tombstones must find
a forgotten player's rows after a restore even when no `player` row is left to start from. Both
ask this module, which reads the columns off `SQLModel.metadata` instead of a list kept by hand:

- every foreign key to `player.id` is found by itself;
- a column holding a player id without a foreign key says so in its `info`: `EQUALS` when the
  whole value may be a player id (a gallery report's `reporter`, which is otherwise an
  address), `EMBEDDED` when the id sits inside a longer value between colons (a rate counter's
  key, `answer:<id>:<campaign>/<step>@60`).

Why no row carrying a forgotten player can be written after the forget commits: a row with a
foreign key fails its check (`web.errors` answers 503 and the phone comes back as a new
visitor); a report's reporter is the player `web.players.ensure_player_id` found under a share
lock on its row; a counter keyed on a player is only ever written in the statement or transaction
that stores a row with a foreign key to that player (an answer, a contribution, a proposal), so
it is rolled back with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Table, delete, select, update
from sqlmodel import Session, SQLModel

INFO = "player_id"  # the `info` key of a column that carries a player id without a foreign key
EQUALS = "equals"
EMBEDDED = "embedded"
_CHUNK = 500


def carries_player(how: str) -> dict[str, Any]:
    """The `sa_column_kwargs` of a column holding a player id without a foreign key."""
    return {"info": {INFO: how}}


@dataclass(frozen=True)
class Carrier:
    """A column that carries player ids, and how."""

    table: Table
    column: Column[Any]
    how: str  # "foreign key" | EQUALS | EMBEDDED


def carriers() -> list[Carrier]:
    """Every column of every table (of every module) that carries a player id."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.target_fullname == "player.id" for fk in column.foreign_keys):
                found.append(Carrier(table, column, "foreign key"))
            elif column.info.get(INFO) in (EQUALS, EMBEDDED):
                found.append(Carrier(table, column, column.info[INFO]))
    return found


def foreign_keys() -> list[tuple[Table, Column[Any]]]:
    """(table, column) of every foreign key to `player.id`."""
    return [(c.table, c.column) for c in carriers() if c.how == "foreign key"]


def segments(value: str) -> set[str]:
    """The colon-separated parts of an `EMBEDDED` value, one of which may be a player id."""
    return set(value.split("@")[0].split(":"))


def holding(session: Session, player_ids: Iterable[str]) -> set[str]:
    """Those of `player_ids` that some row of some table still carries (player rows too)."""
    wanted = set(player_ids)
    if not wanted:
        return set()
    chunks = [sorted(wanted)[i : i + _CHUNK] for i in range(0, len(wanted), _CHUNK)]
    found: set[str] = set()
    player = SQLModel.metadata.tables["player"]
    for chunk in chunks:
        found.update(session.execute(select(player.c.id).where(player.c.id.in_(chunk))).scalars())
    for carrier in carriers():
        if carrier.how == EMBEDDED:
            # No index can find an id inside a key: read the keys (counters last two days).
            for (value,) in session.execute(select(carrier.column).distinct()):
                found.update(segments(str(value)) & wanted)
            continue
        for chunk in chunks:
            query = select(carrier.column).where(carrier.column.in_(chunk)).distinct()
            found.update(str(value) for value in session.execute(query).scalars())
    return found


def release(session: Session, player_ids: list[str]) -> None:
    """What no one else cleaned: nullable foreign keys set to NULL (as ON DELETE SET NULL would),
    the other rows whose column is one of `player_ids` deleted. Rows carrying an id inside a
    longer value are `release_embedded`'s."""
    for carrier in carriers():
        column = carrier.column
        if carrier.how == EMBEDDED:
            continue
        if carrier.how == "foreign key" and column.nullable:
            query = update(carrier.table).where(column.in_(player_ids)).values({column.name: None})
            session.execute(query)
        else:
            session.execute(delete(carrier.table).where(column.in_(player_ids)))


def release_embedded(session: Session, player_ids: list[str]) -> None:
    """Delete the rows carrying one of `player_ids` inside a longer value (rate counters)."""
    for carrier in carriers():
        if carrier.how != EMBEDDED:
            continue
        for pid in player_ids:
            inside = carrier.column.contains(f":{pid}:", autoescape=True)
            last = carrier.column.contains(f":{pid}@", autoescape=True)
            session.execute(delete(carrier.table).where(inside | last))
