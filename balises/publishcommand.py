"""`balises publish [--confirm]`, and what `balises serve` checks before it starts.

`balises publish` publishes the campaign files now, without the quiet period the site waits
for (the CM ran it: the file is written), unless the new version removes campaigns or steps
players have progress in: then it prints what it removes, with how many players have progress
in each, and only `--confirm` publishes it. It writes the record the site's workers read, so a
running site serves the new version within a second, and a stopped one at its next start.

Before `balises serve` forks its workers, `check_before_serving` prints the problems of
`site.yaml` (the site starts without the city's identity until they are fixed), and refuses a
first start (no version kept in the instance) whose campaign files are all invalid: it prints
each problem as `balises check` prints it and exits 1, rather than serving an empty site that
looks fine. An empty folder still starts: staff may upload photos before any campaign exists.
"""

from __future__ import annotations

import sys
from typing import TextIO

from balises.messages import _, language, ngettext, said
from balises.settings import Settings
from campaigns.sitefile import check_site, site_file_for
from web import console

OK = 0
FAILED = 1


def run_publish(settings: Settings, *, confirm: bool, out: TextIO | None = None) -> int:
    """0 when the files on disk are what is online afterwards, 1 otherwise (held, broken)."""
    stream = out if out is not None else sys.stdout
    console.speak(language())  # the sentences shared with the staff page
    publication = console.publish(settings, confirm=confirm)
    if publication.nothing_to_confirm:
        print(_("Aucune version n'attend de confirmation."), file=stream)
        return FAILED
    for line in publication.lines:
        print(line, file=stream)
    if publication.held:
        again = _("Pour la publier quand même : %(command)s") % {"command": console.CONFIRM_COMMAND}
        print(again, file=stream)
    return OK if publication.up_to_date else FAILED


def warn_about_site_file(settings: Settings, stream: TextIO) -> None:
    """Print the problems of the `site.yaml` beside the campaign files, as `balises check` does:
    the site starts all the same, without the city's identity, until they are fixed."""
    check = check_site(site_file_for(settings.campaigns_path))
    if not check.problems:
        return
    for problem in check.problems:
        print(problem, file=stream)
    warning = _(
        "%(path)s a des problèmes : le site démarre sans lui (nom « Balises », pages légales "
        "incomplètes) ; corrigez-les (balises check %(path)s), puis redémarrez."
    ) % {"path": check.path}
    print(said("balises serve", warning), file=stream)


def check_before_serving(settings: Settings, err: TextIO | None = None) -> int:
    """0 to start; 1 on a first start whose only campaign files are all invalid. The problems of
    `site.yaml` are printed, but do not stop the start."""
    stream = err if err is not None else sys.stderr
    warn_about_site_file(settings, stream)
    problems = console.first_start_problems(settings)
    if not problems:
        return OK  # a published version is kept, or some file is valid, or there is none
    for problem in problems:
        print(problem, file=stream)
    count = len(problems)
    found = ngettext("%(num)s problème trouvé", "%(num)s problèmes trouvés", count)
    print(found % {"num": count}, file=stream)
    refused = _(
        "aucune campagne valide à publier, et aucune version publiée n'est gardée dans "
        "l'instance %(folder)s. Corrigez ces problèmes (balises check %(campaigns)s), puis "
        "relancez."
    ) % {"folder": settings.var_dir, "campaigns": settings.campaigns_path}
    print(said("balises serve", refused), file=stream)
    return FAILED
