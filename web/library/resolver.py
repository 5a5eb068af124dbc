"""How the player site finds the file behind `photo: media:<id>` in a campaign file.

Uploads are described in the database (`MediaPhoto`) and stored by content hash
(`media.library`); the player site only needs the path of the original, which
`web.play.photos.source_path` then hands to `media.photos.derive` like a photo beside the YAML.
A photo deleted from the library (or whose file went missing) resolves to None: the step shows
no photo rather than a broken one, and `balises check` reports the unknown id.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from balises.settings import Settings
from media.library import original_path, sweep
from web.library.catalogue import valid_photo_id
from web.store import db
from web.store.tables.staff import MediaPhoto

PREFIX = "media:"


def media_id_of(photo: str) -> str | None:
    """The id of a `media:<id>` reference, None for a file name."""
    if not photo.startswith(PREFIX):
        return None
    return photo.removeprefix(PREFIX).strip()


def _sha256(engine: Engine, media_id: str) -> str | None:
    if not valid_photo_id(media_id):
        return None
    with db.reading(engine) as session:
        photo = session.get(MediaPhoto, media_id)
        return photo.sha256 if photo is not None else None


def media_description(engine: Engine, media_id: str) -> MediaPhoto | None:
    """The library row of upload `media_id` (credit, licence, fonds and cote), or None."""
    if not valid_photo_id(media_id):
        return None
    with db.reading(engine) as session:
        photo = session.get(MediaPhoto, media_id)
        if photo is not None:
            session.expunge(photo)
        return photo


def media_source(engine: Engine, settings: Settings, media_id: str) -> Path | None:
    """The stored original of upload `media_id`, or None when there is no such photo."""
    sha256 = _sha256(engine, media_id)
    if sha256 is None:
        return None
    path = original_path(settings.media_dir, sha256)
    return path if path.is_file() else None


def media_exists(engine: Engine, media_id: str) -> bool:
    """Whether an upload has this id (for `campaigns.loading`'s `media_exists` check)."""
    return _sha256(engine, media_id) is not None


def media_checker(engine: Engine) -> Callable[[str], bool]:
    """`media_exists` bound to an engine: the `MediaCheck` the campaign loader takes."""
    return lambda media_id: media_exists(engine, media_id)


def sweep_uploads(engine: Engine, settings: Settings, *, grace_seconds: float | None = None) -> int:
    """Remove what a crash left in the media folder: temp uploads, originals without a row.

    For start-up (`create_app`), after the migrations; see `media.library.sweep` for the grace
    period that protects uploads another worker is writing right now.
    """
    with db.reading(engine) as session:
        keep = set(session.exec(select(MediaPhoto.sha256)))
    if grace_seconds is None:
        return sweep(settings.media_dir, keep)
    return sweep(settings.media_dir, keep, grace_seconds=grace_seconds)
