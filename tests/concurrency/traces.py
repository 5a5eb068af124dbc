"""Where a string (a forgotten player's id) still appears in a database: every table, every column.

The tables and columns come from the database's own catalog (SQLAlchemy's inspector), not from
the models nor from a list kept by hand, so a table added later is scanned too. Every value is
compared as text, so an id embedded in a longer value (a rate counter's key) is found as well.
"""

from __future__ import annotations

import base64
import json

import httpx
from sqlalchemy import String, cast, column, func, inspect, select, table
from sqlalchemy.engine import Engine


def rows_holding(engine: Engine, needle: str) -> dict[str, int]:
    """{'table.column': rows whose value contains `needle`}, for every column that has any."""
    catalog = inspect(engine)
    found: dict[str, int] = {}
    with engine.connect() as connection:
        for name in catalog.get_table_names():
            for described in catalog.get_columns(name):
                value = column(described["name"])
                query = (
                    select(func.count())
                    .select_from(table(name, value))
                    .where(cast(value, String).contains(needle, autoescape=True))
                )
                count = connection.execute(query).scalar_one()
                if count:
                    found[f"{name}.{described['name']}"] = count
    return found


def tables_scanned(engine: Engine) -> list[str]:
    """The tables `rows_holding` looks at (the test shows it sees them all)."""
    return sorted(inspect(engine).get_table_names())


def player_id_in(cookies: httpx.Cookies) -> str:
    """The player id in Starlette's signed session cookie (base64 JSON, then the signature)."""
    payload = cookies["balises"].split(".")[0]
    session = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    return str(session["pid"])
