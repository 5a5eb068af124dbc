"""`balises purge`: delete the player data of closed campaigns past their retention period.

The site also purges at every start; this command is for a cron job on a site that runs for
months without a restart. It brings the schema up to date first (like `balises user add`),
loads the campaign files named by the settings, and prints what it purged.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TextIO

from balises.settings import Settings

OK = 0
FAILED = 1


def run_purge(settings: Settings, *, now: datetime | None = None, out: TextIO | None = None) -> int:
    """Purge; 0 when done (even if nothing was due), 1 when the campaigns cannot be read."""
    from campaigns.loading import load_paths
    from web import db, retention
    from web.registry import Registry
    from web.staff.mediaresolver import media_checker

    stream = out if out is not None else sys.stdout
    if not settings.campaigns_path.exists():
        print(f"balises purge: {settings.campaigns_path}: no such file or folder", file=sys.stderr)
        return FAILED
    engine = db.make_engine(settings.database_url)
    try:
        db.migrate(engine, settings.var_dir)
        checker = media_checker(engine)
        registry = Registry(
            settings.campaigns_path, loader=lambda paths: load_paths(paths, media_exists=checker)
        )
        report = retention.purge(
            engine,
            registry.campaigns(),
            now or datetime.now(UTC),
            settings.retention_days,
            settings.media_dir,
        )
    finally:
        engine.dispose()
    print(report.summary(), file=stream)
    return OK
