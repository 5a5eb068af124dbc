"""Every address outside the site that its pages make a browser contact, from the settings.

The privacy notice lists them and the footer promises "pas de pistage" only when there is none:
both read this one list, so neither can say something the running site does not do. Balises
itself contacts nobody else: map tiles are the city's own file (`BALISES_MAP_TILES`), photos and
icons are served by the site; only htmx comes from its CDN unless `BALISES_HTMX_URL=self`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from web.i18n import gettext as _


@dataclass(frozen=True)
class ThirdParty:
    host: str
    what: str  # what the browser fetches there, in the page's language
    url: str


def third_parties(htmx_src: str) -> list[ThirdParty]:
    """The hosts every page contacts besides the site (empty when htmx is served by the site)."""
    found: list[ThirdParty] = []
    if not htmx_src.startswith("/"):
        host = urlparse(htmx_src).hostname or htmx_src
        what = _(
            "la bibliothèque htmx, qui rend les pages plus rapides ; ce serveur reçoit l'adresse "
            "IP du navigateur et la page d'où vient la demande"
        )
        found.append(ThirdParty(host, what, htmx_src))
    return found
