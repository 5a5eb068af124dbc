"""Which instance a `balises` command works on: one rule for every command.

An instance is the folder of a site's runtime files. Every command finds it the same way:
`--instance DIR`, else `BALISES_VAR_DIR`, else `./var` of the current folder. Inside it are the
secret key (`secret_key`, unless `BALISES_SECRET_KEY` is set), the SQLite database (`balises.db`,
unless `BALISES_DATABASE_URL` names another) and the media (`media/`, unless `BALISES_MEDIA_DIR`).

Only `balises serve` creates an instance. The other commands use an existing one and refuse when
what they need is missing, rather than make a new one beside it: a `balises qr` run from the
wrong folder once signed posters with a fresh key the site did not know, and posters on the
street cannot be reprinted. So that a CM sees which site a command touched, `qr`, `user`,
`purge` and `backup` print the instance on stderr before acting.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

from balises.messages import _
from balises.settings import Settings

VARIABLE = "BALISES_VAR_DIR"


class Need(Enum):
    """What of the instance a command cannot work without."""

    secret = "secret"
    database = "database"
    media = "media"


@contextmanager
def chosen(folder: str | None) -> Iterator[None]:
    """`--instance DIR` for the time of a command: it wins over `BALISES_VAR_DIR`.

    Through the environment, so that `serve`'s workers (new processes) get it too.
    """
    if folder is None:
        yield
        return
    before = os.environ.get(VARIABLE)
    os.environ[VARIABLE] = os.path.abspath(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(VARIABLE, None)
        else:
            os.environ[VARIABLE] = before


def database_file(settings: Settings) -> Path | None:
    """The SQLite file of the instance (absolute), None on PostgreSQL."""
    # Not at import: SQLAlchemy costs `balises check` ~0.22 s, where the check takes 0.20 s.
    from sqlalchemy.engine import make_url

    if not settings.is_sqlite:
        return None
    database = make_url(settings.database_url).database or ""
    return Path(os.path.abspath(database)) if database and database != ":memory:" else None


def shown_database(settings: Settings) -> str:
    """The database URL as it may be printed: absolute for SQLite, no password."""
    from sqlalchemy.engine import make_url  # not at import: as in `database_file`

    path = database_file(settings)
    if path is not None:
        return f"sqlite:///{path}"
    return make_url(settings.database_url).render_as_string(hide_password=True)


def description(settings: Settings) -> str:
    """The lines a command prints before acting: which var dir, database, media, key."""
    secret = settings.secret_origin or _("aucune")
    return "\n".join(
        [
            _("instance : %(folder)s") % {"folder": settings.var_dir},
            _("  base de données : %(url)s") % {"url": shown_database(settings)},
            _("  médias : %(folder)s") % {"folder": settings.media_dir},
            _("  clé secrète : %(origin)s") % {"origin": secret},
        ]
    )


def _pointing() -> str:
    return _(
        "Lancez la commande depuis le dossier où tourne `balises serve`, ou indiquez son"
        " instance : --instance DOSSIER (ou BALISES_VAR_DIR=DOSSIER). `balises serve` crée"
        " l'instance à son premier démarrage."
    )


def missing(settings: Settings, needs: set[Need]) -> str | None:
    """Why the instance cannot serve a command that needs `needs`, or None when it can."""
    if Need.secret in needs and not settings.secret_key:
        return (
            _(
                "pas de clé secrète dans l'instance %(folder)s (ni BALISES_SECRET_KEY, ni fichier"
                " %(file)s) : des QR codes signés avec une autre clé que celle du site ne"
                " s'ouvriraient pas."
            )
            % {"folder": settings.var_dir, "file": settings.var_dir / "secret_key"}
            + " "
            + _pointing()
        )
    path = database_file(settings)
    no_database = path is not None and not (path.is_file() and settings.var_dir.is_dir())
    if Need.database in needs and no_database:
        return (
            _("pas d'instance dans %(folder)s (pas de base de données %(file)s).")
            % {"folder": settings.var_dir, "file": path}
            + " "
            + _pointing()
        )
    if Need.media in needs and not settings.media_dir.is_dir():
        return (
            _("pas de dossier des médias %(media)s dans l'instance %(folder)s.")
            % {"media": settings.media_dir, "folder": settings.var_dir}
            + " "
            + _pointing()
        )
    return None
