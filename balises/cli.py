"""The `balises` command: check campaign files, serve the site, print QR sheets.

Each sub-command imports what it needs only when it runs, so `balises check` stays fast (0.20 s
on the example file, benchmarks/README.md): it loads the pure `campaigns` package and never
Starlette, SQLAlchemy or Pillow. The commands reach the site through `web.console` only. Every
command
works on the instance `balises.instance` describes (`--instance DIR`, `BALISES_VAR_DIR`, or
`./var`), and speaks the terminal's language (`balises.messages`).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from balises import instance, messages
from balises.instance import Need
from balises.messages import _, ngettext, said
from balises.settings import Settings
from campaigns import wording

if TYPE_CHECKING:
    from campaigns.advice import Advice
    from campaigns.problems import Problem

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


def _check(args: argparse.Namespace) -> int:
    from campaigns.loading import load_paths
    from campaigns.sitemodel import SITE_FILE

    paths = [Path(p) for p in args.files]
    media_exists, unchecked = None, ""
    if _uses_uploads(paths):
        from balises.uploadcheck import upload_checker

        media_exists, unchecked = upload_checker(_settings_or_exit())
    campaign_paths = [p for p in paths if p.is_dir() or p.name != SITE_FILE]
    result = load_paths(campaign_paths, media_exists=media_exists) if campaign_paths else None
    site_problems = _site_problems(paths)
    problems = [*(result.problems if result else []), *site_problems]
    advice = result.advice if result else []  # printed, never refused
    lines: list[Problem | Advice] = [*problems, *advice]
    for line in sorted(lines, key=lambda p: (p.path, p.line, p.col, p.message)):
        print(line, file=sys.stdout)
    if advice:
        count = len(advice)
        found = ngettext(
            "%(num)s avertissement : vérifiez-le, le fichier reste valable",
            "%(num)s avertissements : vérifiez-les, le fichier reste valable",
            count,
        )
        print(found % {"num": count}, file=sys.stderr)
    if unchecked:
        print(said("balises check", unchecked), file=sys.stderr)
    if problems:
        count = len(problems)
        found = ngettext("%(num)s problème trouvé", "%(num)s problèmes trouvés", count)
        print(found % {"num": count}, file=sys.stderr)
        return 1
    if unchecked:
        return 1
    if result is None:
        print(_("ok : site.yaml"), file=sys.stderr)
        return 0
    names = ", ".join(c.slug for c in result.campaigns)
    count = len(result.campaigns)
    ok = ngettext("ok : %(num)s campagne (%(names)s)", "ok : %(num)s campagnes (%(names)s)", count)
    print(ok % {"num": count, "names": names}, file=sys.stderr)
    return 0


def _site_problems(paths: Sequence[Path]) -> list[Problem]:
    """The problems of the `site.yaml` beside each path given (or of one named directly)."""
    from campaigns.sitefile import check_site, site_file_for
    from campaigns.sitemodel import SITE_FILE

    files = {p if p.name == SITE_FILE and not p.is_dir() else site_file_for(p) for p in paths}
    return [problem for file in sorted(files) for problem in check_site(file).problems]


class _Refused(Exception):
    """A command stops before acting; its message is printed, `code` is the exit status."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _settings_or_exit() -> Settings:
    from balises.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as error:
        print(said("balises", str(error)), file=sys.stderr)
        raise _Refused(2) from None


def _instance_or_exit(command: str, *needs: Need) -> Settings:
    """The settings, once the instance is printed and has what `command` needs (else exit 1)."""
    settings = _settings_or_exit()
    print(instance.description(settings), file=sys.stderr)
    refused = instance.missing(settings, set(needs))
    if refused is not None:
        print(said(f"balises {command}", refused), file=sys.stderr)
        raise _Refused(1)
    return settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from balises.settings import create_secret

    if args.campaigns:
        os.environ["BALISES_CAMPAIGNS"] = args.campaigns
    settings = _settings_or_exit()  # refuse a bad setting before forking workers
    if not settings.secret_key:
        create_secret(settings.var_dir)  # the only place a key is made: the workers read it
        settings = _settings_or_exit()
    print(instance.description(settings), file=sys.stderr)
    from balises.publishcommand import check_before_serving

    if check_before_serving(settings):
        return 1
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

    settings = _instance_or_exit("qr", Need.secret)
    return run_qr(Path(args.file), args.campaign, Path(args.out), args.format, settings)


def _user_add(args: argparse.Namespace) -> int:
    from balises.usercommand import run_user_add

    settings = _instance_or_exit("user add", Need.database)
    return run_user_add(args.name, args.role, settings)


def _user_disable(args: argparse.Namespace) -> int:
    from balises.usercommand import run_user_disable

    settings = _instance_or_exit("user disable", Need.database)
    return run_user_disable(args.name, settings)


def _purge(args: argparse.Namespace) -> int:
    from balises.purgecommand import run_purge

    settings = _instance_or_exit("purge", Need.database, Need.media)
    return run_purge(settings)


# --- end balises purge ---


# --- balises publish ---
def _publish(args: argparse.Namespace) -> int:
    from balises.publishcommand import run_publish

    settings = _instance_or_exit("publish", Need.database)
    return run_publish(settings, confirm=args.confirm)


# --- end balises publish ---


# --- balises backup (deletion tombstones) ---
def _backup(args: argparse.Namespace) -> int:
    from balises.backupcommand import run_backup

    settings = _instance_or_exit("backup", Need.database)
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
    # balises purge
    purge = commands.add_parser(
        "purge", help="delete player data of closed campaigns past their retention period"
    )
    purge.set_defaults(run=_purge)
    # balises publish
    publish = commands.add_parser(
        "publish",
        help="publish the campaign files now; show what a new version removes (--confirm)",
    )
    publish.add_argument(
        "--confirm",
        action="store_true",
        help="publish a version that removes campaigns or steps players have progress in",
    )
    publish.set_defaults(run=_publish)
    # balises backup (deletion tombstones)
    backup = commands.add_parser(
        "backup", help="copy the SQLite database to OUT, checked (PostgreSQL: use pg_dump)"
    )
    backup.add_argument("out", metavar="OUT", help="the backup file to write, e.g. backup.db")
    backup.set_defaults(run=_backup)
    _offer_instance(parser, None)
    return parser


def _offer_instance(parser: argparse.ArgumentParser, default: str | None) -> None:
    """`--instance DIR` on `balises` and on every sub-command (`balises qr … --instance DIR`).

    Sub-commands default to "not given" so they never hide one given before them. Walking the
    parser (argparse has no public list of sub-commands) gives every command, including those
    added later, the option without a line of its own.
    """
    parser.add_argument(
        "--instance",
        metavar="DIR",
        default=default,
        help="the site's instance folder (default: BALISES_VAR_DIR, else ./var)",
    )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _offer_instance(sub, argparse.SUPPRESS)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with instance.chosen(args.instance), wording.speaking(messages.language()):
        try:
            code: int = args.run(args)
        except _Refused as refused:
            return refused.code
    return code


if __name__ == "__main__":
    raise SystemExit(main())
