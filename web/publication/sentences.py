"""The sentences that tell a CM what is online and what waits, in the current language.

The staff campaigns page and `balises publish` say the same thing in the same words: both build
their lines here, from a `PublicationStatus` (French by default, English from the catalog).
"""

from __future__ import annotations

from datetime import datetime

from campaigns.changes import Removal
from web import i18n
from web.i18n import gettext as _
from web.i18n import ngettext
from web.publication.status import FileStatus, PublicationStatus

TIME_ZONE = "Europe/Paris"
CONFIRM_COMMAND = "balises publish --confirm"


def when(value: datetime | None) -> str:
    return i18n.format_when(value, TIME_ZONE, i18n.current()) if value else "?"


def short(sha: str | None) -> str:
    return (sha or "")[:12]


def online_line(status: PublicationStatus) -> str:
    if status.digest is None:
        return _("Aucune version publiée : aucune campagne n'est en ligne.")
    return _("Version en ligne : %(digest)s, publiée le %(when)s.") % {
        "digest": status.digest,
        "when": when(status.version.published_at),
    }


def file_line(file: FileStatus, quiet: float) -> str:
    """What the file on disk is, compared with what is online."""
    values = {"name": file.name, "online": short(file.online), "seconds": f"{quiet:g}"}
    if file.kind == "online" and not file.problems:
        return _("%(name)s : c'est la version en ligne (%(online)s).") % values
    if file.kind == "waiting":
        if file.on_disk is None:
            return (
                _(
                    "%(name)s : le fichier a disparu ; ses campagnes restent en ligne s'il ne "
                    "revient pas dans %(seconds)s s, puis sont retirées."
                )
                % values
            )
        return (
            _(
                "%(name)s : une nouvelle version est en cours d'écriture ; elle sera publiée "
                "%(seconds)s s après sa dernière modification, si elle est valide."
            )
            % values
        )
    if file.kind == "held":
        return (
            _("%(name)s : la nouvelle version attend votre confirmation (voir ci-dessous).")
            % values
        )
    if file.online is None:
        return (
            _(
                "%(name)s : ce fichier a des problèmes ; aucune version de ses campagnes n'est "
                "en ligne."
            )
            % values
        )
    return (
        _(
            "%(name)s : la version sur le disque a des problèmes ; la version en ligne "
            "(%(online)s) reste servie tant qu'ils ne sont pas corrigés."
        )
        % values
    )


def held_line(status: PublicationStatus) -> str:
    assert status.held is not None
    return _(
        "La nouvelle version %(digest)s, valide, retire des campagnes ou des étapes où des "
        "joueurs ont avancé : elle n'est publiée que si vous la confirmez (retenue depuis le "
        "%(when)s)."
    ) % {"digest": short(status.held.digest), "when": when(status.held.since)}


def removal_line(removal: Removal, players: int) -> str:
    """One thing a held version removes, and how many players have progress in it."""
    values = {"campaign": removal.campaign, "step": removal.step, "num": players}
    if removal.step is None:
        return (
            ngettext(
                "la campagne « %(campaign)s » : %(num)s joueur y a avancé",
                "la campagne « %(campaign)s » : %(num)s joueurs y ont avancé",
                players,
            )
            % values
        )
    return (
        ngettext(
            "l'étape « %(step)s » de la campagne « %(campaign)s » : %(num)s joueur y a avancé",
            "l'étape « %(step)s » de la campagne « %(campaign)s » : %(num)s joueurs y ont avancé",
            players,
        )
        % values
    )


def held_advice() -> str:
    return _(
        "Les réponses des joueurs restent enregistrées, mais ces pages et leurs QR codes ne "
        "s'ouvriront plus. Si ce n'est pas voulu (un fichier coupé pendant son envoi, une étape "
        "renommée), corrigez le fichier : rien ne sera publié."
    )


def report(status: PublicationStatus) -> list[str]:
    """The whole status as lines of text, for `balises publish`."""
    lines = [online_line(status)]
    for file in status.files:
        lines.append(file_line(file, status.quiet))
        lines += [f"  {problem}" for problem in file.problems]
        lines += [f"  {advice}" for advice in file.advice]
    if status.held is not None:
        lines.append(held_line(status))
        lines += [f"  - {removal_line(r, n)}" for r, n in status.held.removals]
        lines.append(held_advice())
    return lines
