"""`{name:id}` in a route path: a database id, or the URL matches no route (a plain 404).

Handlers used to check ids with `str.isdigit()`, which accepts "²" and "١" that `int()` then
refuses, and `int()` takes 23 digits that no INTEGER column holds (SQLite raises OverflowError,
PostgreSQL an out-of-range error): each was a 500. The converter's pattern admits only ASCII
digits, without a leading zero, from 1 to `MAX_ID`, so a handler always gets an int it can look
up, and anything else is the 404 of an unknown URL, before any handler or database runs.
"""

from __future__ import annotations

import re

from starlette.convertors import CONVERTOR_TYPES, Convertor, register_url_convertor

NAME = "id"
MAX_ID = 2**31 - 1  # an INTEGER column on PostgreSQL (SQLite's holds 2**63 - 1)


def at_most(limit: int) -> str:
    """A regular expression of the decimal numbers 1 to `limit`, without leading zeros.

    A converter's pattern is all Starlette matches against: `convert` must not fail, so the
    range is in the pattern, built digit by digit from the limit.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    text = str(limit)
    size = len(text)
    options = [f"[1-9][0-9]{{0,{size - 2}}}"] if size > 1 else []
    for index, digit in enumerate(text):
        low, high = (1 if index == 0 else 0), int(digit) - 1
        if high >= low:
            options.append(f"{text[:index]}[{low}-{high}][0-9]{{{size - index - 1}}}")
    options.append(text)
    return "(?:" + "|".join(options) + ")"


class DatabaseId(Convertor[int]):
    regex = at_most(MAX_ID)

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        if not 1 <= value <= MAX_ID:
            raise ValueError(f"not a database id: {value}")
        return str(value)


_ID = re.compile(DatabaseId.regex)


def parse_id(raw: str) -> int | None:
    """A database id written anywhere else than in a path (a query parameter), or None."""
    return int(raw) if _ID.fullmatch(raw) else None


def register() -> None:
    """Make `{name:id}` known to Starlette; before any route using it is built (idempotent)."""
    if not isinstance(CONVERTOR_TYPES.get(NAME), DatabaseId):
        register_url_convertor(NAME, DatabaseId())
