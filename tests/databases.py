"""The databases the tests run on: a SQLite file, or a PostgreSQL schema of the test's own.

Every PostgreSQL test gets a fresh schema (its `search_path`), dropped afterwards, so tests run
side by side under pytest-xdist. Locally an unreachable server skips those tests; in CI
(`CI=true`) it fails them, since CI must prove the site on PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_admin_url() -> str:
    return os.environ.get("BALISES_TEST_POSTGRES_URL", DEFAULT_POSTGRES)


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped on exit."""
    url = postgres_admin_url()
    try:
        admin = psycopg.connect(url, connect_timeout=5, autocommit=True)
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL unreachable at {url} (CI requires it): {error}")
        pytest.skip(f"PostgreSQL unreachable at {url}")
    schema = f"test_{secrets.token_hex(6)}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()
