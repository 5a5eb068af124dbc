"""The site as the command line uses it: one door, so `balises` reaches none of the site's
packages (an import-linter contract in pyproject.toml: `balises` imports `web.console` and,
for `serve`, `web.app`).

Each function opens what it needs of the instance (its database, brought to the latest schema
as the site does at start, and its published record), does what one command asks, and closes
it again. Refusals come back as `Refused`, whose message is the sentence to print, in the
language of the terminal (`web.i18n` is set to it by the command).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import select

from balises.settings import Settings
from campaigns.loading import load_paths
from campaigns.problems import Problem
from web import i18n
from web.library.resolver import media_checker
from web.privacy import retention
from web.publication import sentences
from web.publication.published import Store
from web.publication.registry import Registry, campaign_files
from web.staff import accounts
from web.store import backup, db
from web.store.progress_counts import players_with_progress
from web.store.tables.staff import ROLES, MediaPhoto

CONFIRM_COMMAND = sentences.CONFIRM_COMMAND  # what the staff page tells a CM to run, too


class Refused(Exception):
    """What the command asked cannot be done; `str()` says why."""


def speak(lang: str) -> None:
    """Speak `lang` in what the site's modules say to the command (accounts, publication)."""
    i18n.use(lang)


@contextmanager
def _database(settings: Settings) -> Iterator[Engine]:
    engine = db.make_engine(settings.database_url)
    try:
        db.migrate(engine, settings.var_dir)
        yield engine
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Publication:
    """What `balises publish` says: the lines of the staff page's report, whether a version
    waits for a confirmation, whether the files on disk are what is online."""

    lines: list[str]
    held: bool
    up_to_date: bool
    nothing_to_confirm: bool = False  # a confirmation asked for while no version is held


def publish(settings: Settings, *, confirm: bool) -> Publication:
    """The publication status of the instance's campaign files, after publishing the version
    held for a confirmation when `confirm` (`nothing_to_confirm` when none is held)."""
    with _database(settings) as engine:
        registry = Registry(
            settings.campaigns_path,
            store=Store(settings.var_dir / "published"),
            media_exists=media_checker(engine),
            progress=lambda removed: players_with_progress(engine, removed),
            quiet=0.0,
        )
        status = registry.status()
        if confirm:
            if status.held is None:
                return Publication([], False, status.up_to_date, nothing_to_confirm=True)
            registry.confirm(status.held.digest)
            status = registry.status()
    return Publication(sentences.report(status), status.held is not None, status.up_to_date)


def first_start_problems(settings: Settings) -> list[Problem]:
    """Why `serve` must not start: the problems of campaign files none of which is valid, on
    an instance that keeps no published version; empty when the site may start."""
    kept = Store(settings.var_dir / "published").read()
    if kept.version.files and kept.root == str(settings.campaigns_path.resolve()):
        return []  # the last good version is served whatever the files say
    files = campaign_files(settings.campaigns_path)
    if not files:
        return []
    with _database(settings) as engine:
        result = load_paths(files, media_exists=media_checker(engine))
    return [] if result.campaigns else list(result.problems)


def purge(settings: Settings, now: datetime) -> retention.PurgeReport:
    """Purge what is past the retention period of the campaigns the instance serves."""
    with _database(settings) as engine:
        registry = Registry(settings.campaigns_path, media_exists=media_checker(engine))
        return retention.purge(
            engine, registry.campaigns(), now, settings.retention_days, settings.media_dir
        )


def roles() -> tuple[str, ...]:
    return tuple(ROLES)


def name_refusal(name: str) -> str | None:
    """Why `name` cannot name a staff account, or None."""
    try:
        accounts.clean_name(name)
    except accounts.AccountError as refused:
        return str(refused)
    return None


def password_refusal(password: str) -> str | None:
    """Why `password` is not good enough for a staff account, or None."""
    try:
        accounts.check_password(password)
    except accounts.AccountError as refused:
        return str(refused)
    return None


def add_account(settings: Settings, name: str, role: str, password: str) -> tuple[str, str]:
    """Create the staff account; its (name, role) as stored; `Refused` when it cannot be."""
    try:
        with _database(settings) as engine, db.writing(engine) as session:
            user = accounts.create_user(session, name, role, password)
            return user.name, user.role
    except accounts.AccountError as refused:
        raise Refused(str(refused)) from None


def disable_account(settings: Settings, name: str) -> bool:
    """Disable the account and end its sessions; False when there is no such account."""
    with _database(settings) as engine, db.writing(engine) as session:
        user = accounts.find_user(session, name)
        if user is None:
            return False
        accounts.set_active(session, user, False)
    return True


def copy_database(source: Path, target: Path) -> str:
    """A consistent copy of the SQLite database `source` into `target`; what
    `PRAGMA integrity_check` says of it (`ok` when sound); `Refused` when SQLite refuses."""
    try:
        return backup.copy(source, target)
    except backup.Failed as error:
        raise Refused(str(error)) from None


def uploaded_photos(settings: Settings) -> Callable[[str], bool]:
    """Whether a `media:<id>` is in the instance's photo library, read only (`check` never
    writes: no migration, no file created); `Refused` with the reason when the database cannot
    be read."""
    engine = db.make_read_only_engine(settings.database_url)
    try:
        with db.reading(engine) as session:
            session.exec(select(MediaPhoto.id).limit(1)).all()
    except SQLAlchemyError as error:
        engine.dispose()
        raise Refused(str(getattr(error, "orig", None) or error).splitlines()[0]) from None
    return media_checker(engine)
