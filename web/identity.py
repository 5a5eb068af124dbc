"""The city's identity on every page: its name, logo, colour and accessibility status.

Read from the `site.yaml` beside the campaign files (`campaigns.sitefile`) when the app is
built, and again whenever the file changes (`web.sitewatch`); its problems are logged as
`balises check` prints them, and the staff home lists them. Without the file, or while it has
problems and no valid version was read before, the site is Balises as it ships: its name,
colour and icons. The colours, logo and icons join the static files (`web.assets`), under
fingerprinted URLs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from campaigns import wording
from campaigns.contrast import parse_hex, soft, to_hex
from campaigns.problems import Problem
from campaigns.sitefile import SiteCheck, check_site
from campaigns.sitemodel import Conformity, SiteIdentity
from media.icons import make_icons
from web.assets import Assets
from web.i18n import gettext as _

log = logging.getLogger("balises.web")

DEFAULT_NAME = "Balises"
DEFAULT_COLOUR = "#0b5d4b"  # web/static/balises.css's --accent


@dataclass(frozen=True)
class Brand:
    """What the pages show of the site: `identity` is None without a valid `site.yaml`."""

    name: str
    colour: str
    logo_url: str | None
    identity: SiteIdentity | None
    check: SiteCheck  # the file as last read: its problems, even while `identity` is older

    @property
    def kept(self) -> bool:
        """The file has problems and the pages show its last valid version meanwhile."""
        return bool(self.check.problems) and self.identity is not None

    @property
    def conformity(self) -> Conformity:
        """The déclaration's status; a site never audited is `non conforme` (RGAA)."""
        found = self.identity.accessibility if self.identity else None
        return found.status if found else Conformity.none

    def problems_in(self, lang: str) -> list[Problem]:
        """The site file's problems worded in `lang` (the staff page's language)."""
        if not self.check.problems:
            return []
        with wording.speaking(lang):
            return check_site(self.check.path).problems


def site_css(colour: str) -> bytes:
    rgb = parse_hex(colour) or (11, 93, 75)
    text = f":root{{--accent:{to_hex(rgb)};--accent-soft:{to_hex(soft(rgb))}}}\n"
    return text.encode("ascii")


def log_problems(check: SiteCheck) -> None:
    """Each problem of the site file as `balises check` prints it, in the log."""
    for problem in check.problems:
        log.warning("%s", problem)


def brand_of(check: SiteCheck, assets: Assets) -> Brand:
    """What the pages show of a checked site file (Balises' own without a valid one), its
    colours, logo and icons added to `assets`."""
    identity = check.identity
    name = identity.name if identity else DEFAULT_NAME
    colour = (identity.colour if identity else None) or DEFAULT_COLOUR
    logo_url = None
    logo_png = None
    if identity is not None and identity.logo is not None:
        logo = identity.logo
        logo_url = assets.add(f"site/logo{logo.suffix.lower()}", logo.read_bytes())
        logo_png = assets.content(f"site/logo{logo.suffix.lower()}") if _png(logo) else None
    assets.add("site/colours.css", site_css(colour))
    try:
        icons = make_icons(logo_png, parse_hex(colour) or (11, 93, 75), name)
    except OSError as error:  # a PNG whose signature is right but whose data is not
        log.warning("%s: the logo cannot be read (%s); icons use the initial", check.path, error)
        icons = make_icons(None, parse_hex(colour) or (11, 93, 75), name)
    for file, content in icons.items():
        assets.add(f"site/{file}", content)
    return Brand(name=name, colour=colour, logo_url=logo_url, identity=identity, check=check)


def _png(path: Path) -> bool:
    return path.suffix.lower() == ".png"


@dataclass(frozen=True)
class ThirdParty:
    """An address outside the site that every page makes a browser contact."""

    host: str
    what: str  # what the browser fetches there, in the page's language
    url: str


def third_parties(htmx_src: str) -> list[ThirdParty]:
    """The hosts every page contacts besides the site, from the settings.

    The privacy notice lists them and the footer promises "pas de pistage" only when there is
    none: both read this one list, so neither can say something the running site does not do.
    Balises contacts nobody else: photos, icons and map tiles are the site's own; only htmx
    comes from its CDN unless `BALISES_HTMX_URL=self`.
    """
    if htmx_src.startswith("/"):
        return []
    what = _(
        "la bibliothèque htmx, qui rend les pages plus rapides ; ce serveur reçoit l'adresse "
        "IP du navigateur et la page d'où vient la demande"
    )
    return [ThirdParty(urlparse(htmx_src).hostname or htmx_src, what, htmx_src)]


@dataclass(frozen=True)
class Footer:
    """What every resident page's footer says of the site, in the page's language."""

    no_tracking: bool  # no third party is contacted (`third_parties`)
    conformity: str  # "partiellement conforme", as the declaration says


def conformity_words(status: Conformity) -> str:
    return {
        Conformity.full: _("totalement conforme"),
        Conformity.partial: _("partiellement conforme"),
        Conformity.none: _("non conforme"),
    }[status]


def footer_of(brand: Brand, htmx_src: str) -> Footer:
    return Footer(not third_parties(htmx_src), conformity_words(brand.conformity))
