"""The `balises` command: check campaign files, serve the site, print QR sheets.

Each sub-command imports what it needs only when it runs, so `balises check` stays fast: it
loads the pure `campaigns` package and never Starlette, SQLAlchemy or Pillow.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

_UPLOAD_REFERENCE = re.compile(rb"""^[ \t-]*photo:[ \t]*["']?media:""", re.MULTILINE)


def _uses_uploads(paths: Sequence[Path]) -> bool:
    """Whether a file mentions `media:`, so uploads must be looked up in the database."""
    files = [f for p in paths for f in (sorted(p.rglob("*.y*ml")) if p.is_dir() else [p])]
    for file in files:
        try:
            if _UPLOAD_REFERENCE.search(file.read_bytes()[: 2 * 1024 * 1024]):
                return True
        except OSError:
            continue  # the loader reports the unreadable file
    return False


def _upload_checker() -> Callable[[str], bool] | None:
    """`media:<id>` lookups in the site's database (only imported when a file needs them)."""
    from balises.settings import Settings
    from web import db
    from web.staff.mediaresolver import media_checker

    settings = _settings_or_exit()
    assert isinstance(settings, Settings)
    engine = db.make_engine(settings.database_url)
    db.migrate(engine, settings.var_dir)
    return media_checker(engine)


def _check(args: argparse.Namespace) -> int:
    from campaigns.loading import load_paths

    paths = [Path(p) for p in args.files]
    media_exists = _upload_checker() if _uses_uploads(paths) else None
    result = load_paths(paths, media_exists=media_exists)
    for problem in result.problems:
        print(problem, file=sys.stdout)
    if result.problems:
        count = len(result.problems)
        print(f"{count} problem{'s' if count > 1 else ''} found", file=sys.stderr)
        return 1
    names = ", ".join(c.slug for c in result.campaigns)
    print(f"ok: {len(result.campaigns)} campaign(s) ({names})", file=sys.stderr)
    return 0


def _settings_or_exit() -> object:
    from balises.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as error:
        print(f"balises: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    if args.campaigns:
        os.environ["BALISES_CAMPAIGNS"] = args.campaigns
    _settings_or_exit()  # refuse to start on a bad setting before forking workers
    uvicorn.run(
        "web.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=False,
        access_log=False,  # the reverse proxy keeps the access log; it costs every request here
        log_level="info",
    )
    return 0


def _qr(args: argparse.Namespace) -> int:
    from balises.qrcommand import run_qr
    from balises.settings import Settings

    settings = _settings_or_exit()
    assert isinstance(settings, Settings)
    return run_qr(Path(args.file), args.campaign, Path(args.out), args.format, settings)


def _user_add(args: argparse.Namespace) -> int:
    from balises.settings import Settings
    from balises.usercommand import run_user_add

    settings = _settings_or_exit()
    assert isinstance(settings, Settings)
    return run_user_add(args.name, args.role, settings)


def _user_disable(args: argparse.Namespace) -> int:
    from balises.settings import Settings
    from balises.usercommand import run_user_disable

    settings = _settings_or_exit()
    assert isinstance(settings, Settings)
    return run_user_disable(args.name, settings)


# --- balises purge (issue 6) ---
def _purge(args: argparse.Namespace) -> int:
    from balises.purgecommand import run_purge
    from balises.settings import Settings

    settings = _settings_or_exit()
    assert isinstance(settings, Settings)
    return run_purge(settings)


# --- end balises purge ---


# --- balises backup (deletion tombstones) ---
def _backup(args: argparse.Namespace) -> int:
    from balises.backupcommand import run_backup
    from balises.settings import Settings

    settings = _settings_or_exit()
    assert isinstance(settings, Settings)
    return run_backup(settings, Path(args.out))


# --- end balises backup ---


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="balises", description="Participatory, story-driven games for local authorities."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate campaign files")
    check.add_argument("files", nargs="+", metavar="FILE", help="a YAML file or a folder of them")
    check.set_defaults(run=_check)

    serve = commands.add_parser("serve", help="run the site")
    serve.add_argument("--campaigns", metavar="PATH", help="a YAML file or a folder of them")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(run=_serve)

    qr = commands.add_parser("qr", help="print the checkpoint QR codes of a campaign")
    qr.add_argument("file", metavar="FILE")
    qr.add_argument("--campaign", required=True, metavar="SLUG")
    qr.add_argument("--out", required=True, metavar="OUT")
    qr.add_argument("--format", choices=["pdf", "png", "svg"], default="pdf")
    qr.set_defaults(run=_qr)

    user = commands.add_parser("user", help="manage staff accounts")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    add = user_commands.add_parser(
        "add", help="create a staff account (password asked twice, or read from stdin)"
    )
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["cm", "staff"])
    add.set_defaults(run=_user_add)
    disable = user_commands.add_parser("disable", help="disable an account and end its sessions")
    disable.add_argument("name")
    disable.set_defaults(run=_user_disable)
    # balises purge (issue 6)
    purge = commands.add_parser(
        "purge", help="delete player data of closed campaigns past their retention period"
    )
    purge.set_defaults(run=_purge)
    # balises backup (deletion tombstones)
    backup = commands.add_parser(
        "backup", help="copy the SQLite database to OUT, checked (PostgreSQL: use pg_dump)"
    )
    backup.add_argument("out", metavar="OUT", help="the backup file to write, e.g. backup.db")
    backup.set_defaults(run=_backup)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
