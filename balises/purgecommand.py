"""`balises purge`: delete the player data of closed campaigns past their retention period.

The site also purges at every start; this command is for a cron job on a site that runs for
months without a restart. It works on an existing instance (its database and media folder),
brings the schema up to date first (like `balises user add`), loads the campaign files named by
the settings, and prints what it purged.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TextIO

from balises.messages import _, ngettext
from balises.settings import Settings
from web import console

OK = 0
FAILED = 1


def run_purge(settings: Settings, *, now: datetime | None = None, out: TextIO | None = None) -> int:
    """Purge; 0 when done (even if nothing was due), 1 when the campaigns cannot be read."""
    stream = out if out is not None else sys.stdout
    if not settings.campaigns_path.exists():
        print(
            _("balises purge : %(path)s : fichier ou dossier introuvable")
            % {"path": settings.campaigns_path},
            file=sys.stderr,
        )
        return FAILED
    report = console.purge(settings, now or datetime.now(UTC))
    print(summary(report.campaigns, report.players, report.reports), file=stream)
    return OK


def summary(campaigns: list[str], players: int, reports: int) -> str:
    """What was purged, in the terminal's language."""
    if campaigns:
        purged = ngettext(
            "campagne purgée : %(names)s", "campagnes purgées : %(names)s", len(campaigns)
        ) % {"names": ", ".join(campaigns)}
    else:
        purged = _("aucune campagne à purger")
    deleted = ngettext("%(num)s joueur supprimé", "%(num)s joueurs supprimés", players)
    text = _("%(purged)s ; %(deleted)s") % {"purged": purged, "deleted": deleted % {"num": players}}
    if reports:
        resolved = ngettext(
            "%(num)s signalement résolu supprimé", "%(num)s signalements résolus supprimés", reports
        )
        text = _("%(purged)s ; %(deleted)s") % {
            "purged": text,
            "deleted": resolved % {"num": reports},
        }
    return text
