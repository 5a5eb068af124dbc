"""An instance as `balises serve` leaves it, for the commands that work on one."""

from __future__ import annotations

from pathlib import Path

from balises.settings import create_secret
from web import db


def make_instance(var_dir: Path) -> Path:
    """`var_dir` with a secret key, a migrated SQLite database and a media folder."""
    create_secret(var_dir)
    engine = db.make_engine(f"sqlite:///{var_dir / 'balises.db'}")
    try:
        db.migrate(engine, var_dir)
    finally:
        engine.dispose()
    (var_dir / "media").mkdir(exist_ok=True)
    return var_dir
