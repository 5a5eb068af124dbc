"""`balises publish [--confirm]`, and what `balises serve` checks before it starts.

`balises publish` publishes the campaign files now, without the quiet period the site waits
for (the CM ran it: the file is written), unless the new version removes campaigns or steps
players have progress in: then it prints what it removes, with how many players have progress
in each, and only `--confirm` publishes it. It writes the record the site's workers read, so a
running site serves the new version within a second, and a stopped one at its next start.

Before `balises serve` forks its workers, `check_before_serving` refuses a first start (no
version kept in the instance) whose campaign files are all invalid: it prints each problem as
`balises check` prints it and exits 1, rather than serving an empty site that looks fine. An
empty folder still starts: staff may upload photos before any campaign exists.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from balises.messages import _, language, ngettext, said
from balises.settings import Settings

OK = 0
FAILED = 1


def run_publish(settings: Settings, *, confirm: bool, out: TextIO | None = None) -> int:
    """0 when the files on disk are what is online afterwards, 1 otherwise (held, broken)."""
    from web import i18n
    from web.library.resolver import media_checker
    from web.publication import sentences
    from web.publication.published import Store
    from web.publication.registry import Registry
    from web.store import db
    from web.store.progress_counts import players_with_progress

    stream = out if out is not None else sys.stdout
    i18n.use(language())  # the sentences shared with the staff page
    engine = db.make_engine(settings.database_url)
    try:
        db.migrate(engine, settings.var_dir)
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
                print(_("Aucune version n'attend de confirmation."), file=stream)
                return FAILED
            registry.confirm(status.held.digest)
            status = registry.status()
        for line in sentences.report(status):
            print(line, file=stream)
        if status.held is not None:
            again = _("Pour la publier quand même : %(command)s") % {
                "command": sentences.CONFIRM_COMMAND
            }
            print(again, file=stream)
    finally:
        engine.dispose()
    return OK if status.up_to_date else FAILED


def _campaign_files(path: Path) -> list[Path]:
    from web.publication.registry import YAML_SUFFIXES

    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
    return [path]


def check_before_serving(settings: Settings, err: TextIO | None = None) -> int:
    """0 to start; 1 on a first start whose only campaign files are all invalid."""
    from campaigns.loading import load_paths
    from web.library.resolver import media_checker
    from web.publication.published import Store
    from web.store import db

    stream = err if err is not None else sys.stderr
    kept = Store(settings.var_dir / "published").read()
    if kept.version.files and kept.root == str(settings.campaigns_path.resolve()):
        return OK  # the last good version is served whatever the files say
    files = _campaign_files(settings.campaigns_path)
    if not files:
        return OK
    engine = db.make_engine(settings.database_url)
    try:
        db.migrate(engine, settings.var_dir)
        result = load_paths(files, media_exists=media_checker(engine))
    finally:
        engine.dispose()
    if result.campaigns:
        return OK  # the workers log the problems of the other files
    for problem in result.problems:
        print(problem, file=stream)
    count = len(result.problems)
    found = ngettext("%(num)s problème trouvé", "%(num)s problèmes trouvés", count)
    print(found % {"num": count}, file=stream)
    refused = _(
        "aucune campagne valide à publier, et aucune version publiée n'est gardée dans "
        "l'instance %(folder)s. Corrigez ces problèmes (balises check %(campaigns)s), puis "
        "relancez."
    ) % {"folder": settings.var_dir, "campaigns": settings.campaigns_path}
    print(said("balises serve", refused), file=stream)
    return FAILED
