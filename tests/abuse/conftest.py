"""The abuse tests reuse the player-site fixtures (an app on SQLite and on PostgreSQL)."""

from tests.web.conftest import campaign_dir, clock, database_url, make_world, world

__all__ = ["campaign_dir", "clock", "database_url", "make_world", "world"]
