"""What the privacy notice says, computed from the running site so it cannot contradict it.

The cookies are the ones the code sets (their names and lifetimes come from the same constants),
the retention period is the setting `balises purge` applies, each campaign's erasure date follows
from its `closes`, and the third parties are `web.identity.third_parties`, which the footer
reads too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlparse

from campaigns.model import Campaign, localise
from campaigns.storymedia import is_remote
from web import i18n
from web.i18n import gettext as _
from web.i18n import ngettext
from web.identity import ThirdParty, third_parties
from web.site import Site
from web.staff.auth import COOKIE as STAFF_COOKIE
from web.staff.auth import session_seconds
from web.staff.guessing import DEVICE_COOKIE, DEVICE_SECONDS

SESSION_COOKIE = "balises"  # web.app's SessionMiddleware


@dataclass(frozen=True)
class Cookie:
    name: str
    why: str
    lifetime: str


@dataclass(frozen=True)
class Kept:
    campaign: str
    until: str  # when its players' data is erased, in words


@dataclass(frozen=True)
class PrivacyFacts:
    cookies: list[Cookie]
    retention_days: int
    campaigns: list[Kept]
    third_parties: list[ThirdParty]
    links_out: list[str]  # hosts a resident reaches only by following a link


def _days(seconds: int) -> str:
    """A cookie's lifetime in words: in hours under a day (the staff's 12 hours), else days."""
    if seconds < 86400:
        hours = max(1, seconds // 3600)
        return ngettext("%(num)s heure", "%(num)s heures", hours) % {"num": hours}
    days = seconds // 86400
    return ngettext("%(num)s jour", "%(num)s jours", days) % {"num": days}


def _kept(campaign: Campaign, retention_days: int, lang: str) -> Kept:
    title = localise(campaign.title, lang)
    closes = campaign.closes_at
    if closes is None:
        until = _("tant que le jeu est ouvert, puis %(num)s jours après sa clôture") % {
            "num": retention_days
        }
    else:
        erased: datetime = closes + timedelta(days=retention_days)
        until = _("jusqu'au %(date)s (%(num)s jours après la clôture du jeu)") % {
            "date": i18n.format_when(erased, campaign.tz, lang),
            "num": retention_days,
        }
    return Kept(title, until)


def privacy_facts(current: Site, lang: str) -> PrivacyFacts:
    settings = current.settings
    cookies = [
        Cookie(
            SESSION_COOKIE,
            _(
                "garde votre progression : un numéro tiré au hasard, la langue choisie ; signé, "
                "sans rien qui vous identifie"
            ),
            _days(settings.session_max_age),
        ),
        Cookie(
            STAFF_COOKIE,
            _("la connexion de l'équipe à son espace ; jamais posé chez les joueurs"),
            _days(session_seconds(current)),
        ),
        Cookie(
            DEVICE_COOKIE,
            _("reconnaît l'appareil d'un membre de l'équipe qui s'est déjà connecté"),
            _days(DEVICE_SECONDS),
        ),
    ]
    campaigns = current.registry.campaigns()
    # Films kept on another site are links a resident may follow (`campaigns.storymedia`).
    links = sorted(
        {
            host
            for c in campaigns
            for owner in [c.finale, *c.steps]
            if owner is not None and owner.video and is_remote(owner.video)
            for host in [_host(owner.video)]
            if host
        }
    )
    return PrivacyFacts(
        cookies=cookies,
        retention_days=settings.retention_days,
        campaigns=[_kept(c, settings.retention_days, lang) for c in campaigns],
        third_parties=third_parties(current.htmx_src),
        links_out=links,
    )


def _host(url: str) -> str:
    return urlparse(url).hostname or ""
