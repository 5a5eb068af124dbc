"""`balises backup OUT.db`: a consistent, checked copy of a SQLite site's database.

SQLite's backup API copies a consistent snapshot while the site keeps running
(`web.store.backup`, through `web.console`). The copy is written to a temporary file beside OUT,
checked with `PRAGMA integrity_check`, switched out of WAL mode, and only then renamed to OUT:
OUT is either the previous backup or a complete, checked new one, never a partial file.

PostgreSQL has its own tool, `pg_dump`; this command says so rather than half-doing its job.
The deletion tombstones (`var/tombstones.log`) are deliberately not copied: they must outlive
every backup, and the site re-applies them when it starts on a restored database.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from balises.durable import sync_directory
from balises.messages import _, said
from balises.settings import Settings
from web import console

OK = 0
FAILED = 1
WRONG_DATABASE = 2


def _say(message: str) -> None:
    print(said("balises backup", message), file=sys.stderr)


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        leftover.unlink(missing_ok=True)


def run_backup(settings: Settings, out: Path) -> int:
    """Back the SQLite database up to `out`; 0 when done, 1 on failure, 2 on PostgreSQL."""
    if not settings.is_sqlite:
        _say(
            _(
                "la base de données est PostgreSQL : utilisez pg_dump, par exemple "
                "`pg_dump -Fc balises > balises-$(date +%F).dump` (restauration avec pg_restore)"
            )
        )
        return WRONG_DATABASE
    database = make_url(settings.database_url).database
    if not database or database == ":memory:":
        _say(_("%(url)s : pas un fichier de base de données") % {"url": settings.database_url})
        return FAILED
    source = Path(database)
    if not source.is_file():
        _say(_("%(path)s : base de données introuvable") % {"path": source})
        return FAILED
    if out.exists() and out.resolve() == source.resolve():
        _say(
            _("%(out)s est la base de données elle-même : choisissez un autre fichier")
            % {"out": out}
        )
        return FAILED
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as error:
        _say(
            _("impossible d'écrire dans %(folder)s : %(error)s")
            % {"folder": out.parent, "error": error.strerror or error}
        )
        return FAILED
    os.close(fd)
    temporary = Path(name)
    try:
        verdict = console.copy_database(source, temporary)
        if verdict != "ok":
            _say(
                _("la copie échoue à PRAGMA integrity_check, rien n'est écrit : %(verdict)s")
                % {"verdict": verdict}
            )
            _remove(temporary)
            return FAILED
        os.replace(temporary, out)
        sync_directory(out.parent)
    except (OSError, console.Refused) as error:
        _remove(temporary)
        _say(f"{out}: {error}")
        return FAILED
    _say(
        _("%(source)s sauvegardée dans %(out)s (integrity_check : ok)")
        % {"source": source, "out": out}
    )
    return OK
