"""Instances as `balises serve` leaves them, and what the tests compare before and after."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from balises.settings import create_secret
from web.store import db

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "campaigns.example.yaml"
UPLOADED = "k7qf2m9xab3c"


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


def uploaded_campaign(folder: Path, media_id: str = UPLOADED) -> tuple[Path, int]:
    """The example campaign with its first riddle photo an upload; the file, the photo's line."""
    text = EXAMPLE.read_text(encoding="utf-8")
    line = "        photo: photos/enigme-1-pierre.jpg"
    assert line in text
    folder.mkdir(parents=True, exist_ok=True)
    campaign = folder / "campaigns.yaml"
    campaign.write_text(text.replace(line, f"        photo: media:{media_id}", 1), encoding="utf-8")
    shutil.copytree(ROOT / "photos", folder / "photos")
    return campaign, text[: text.index(line)].count("\n") + 1


def tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under `root`: (size, modification time) by relative path.

    SQLite's `-shm` is shared memory that every reader of a live database maps: only its name
    counts.
    """
    found: dict[str, tuple[int, int]] = {}
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(folder) / name
            stat = path.stat()
            key = str(path.relative_to(root))
            found[key] = (
                (0, 0)
                if name.endswith("-shm") or path.is_dir()
                else (
                    stat.st_size,
                    stat.st_mtime_ns,
                )
            )
    return found


def without_balises_settings(environ: dict[str, str]) -> dict[str, str]:
    """The environment of a CM's shell: no `BALISES_*` setting (the tests' own are kept)."""
    return {k: v for k, v in environ.items() if not k.startswith("BALISES_") or "TEST" in k}
