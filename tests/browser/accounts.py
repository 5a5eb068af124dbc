"""Staff accounts made straight in the live site's database for a browser test."""

from __future__ import annotations

import secrets

from .conftest import LiveSite

PASSWORD = "une phrase assez longue"


def add_account(site: LiveSite, role: str) -> str:
    """A new account of `role` (`cm` or `staff`) with `PASSWORD`; returns its unique name."""
    from web.staff import accounts
    from web.store import db

    name = f"{'cm' if role == 'cm' else 'archives'}-{secrets.token_hex(3)}"
    engine = db.make_engine(site.settings.database_url)
    try:
        with db.writing(engine) as session:
            accounts.create_user(session, name, role, PASSWORD)
    finally:
        engine.dispose()
    return name
