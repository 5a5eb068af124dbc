"""The abuse tests reuse the player-site fixtures (an app on SQLite and on PostgreSQL) and the
fault tests' real servers (`tests/faults/servers.py`)."""

from tests.faults.conftest import campaigns_file, make_server, postgres_url
from tests.web.conftest import campaign_dir, clock, database_url, make_world, world

__all__ = [
    "campaign_dir",
    "campaigns_file",
    "clock",
    "database_url",
    "make_server",
    "make_world",
    "postgres_url",
    "world",
]
