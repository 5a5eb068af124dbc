"""A finisher's thank-you card: a PNG to keep or share, and the same words on the finale page.

Only a player who did every step gets one. It shows a pseudonym only when the player types one
in; that pseudonym is drawn on the image and forgotten (the card is never cached or stored).
The card is a picture of text, so its words are worked out once (`ThanksCard`) and used three
times: drawn (`media.cards.thanks_card`, in the process pool), as the image's `alt`, and written
under it on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from campaigns.model import Campaign, localise
from media.cards import thanks_card as draw
from web import i18n, offload
from web.i18n import gettext as _
from web.i18n import language
from web.play.sharing import names
from web.play.views import campaign_view
from web.site import Site, site
from web.store import db

MAX_PSEUDONYM = 40


def pseudonym(raw: str) -> str:
    """What a player typed to sign their card: printable, one line, at most 40 characters."""
    cleaned = "".join(c for c in raw if c.isprintable())
    return " ".join(cleaned.split())[:MAX_PSEUDONYM].strip()


def _finished(current: Site, request: Request, campaign: Campaign, lang: str) -> bool:
    with db.reading(current.engine) as session:
        return campaign_view(current, session, request, campaign, lang).finished


@dataclass(frozen=True)
class ThanksCard:
    """What a finisher's thank-you card says, worked out once: the PNG draws these words, its
    `alt` holds them all and the finale page writes them out, so a screen reader, a reader
    who zooms and a crawler get what the picture shows (RGAA 1.8: no text only in a picture)."""

    pseudonym: str
    lines: list[str]  # the sentences of thanks, the first one with the pseudonym if any
    title: str
    hashtags: list[str]
    credit: str
    site_name: str
    url: str  # the card's address, with the pseudonym asked for

    @property
    def text(self) -> str:
        """Every word on the card in its reading order, as sentences."""
        did = _("%(sentence)s « %(title)s ».") % {"sentence": self.lines[1], "title": self.title}
        parts = [self.site_name, self.lines[0], did, " ".join(self.hashtags), self.credit]
        return " ".join(part for part in parts if part)


def thanks_of(campaign: Campaign, lang: str, raw_pseudonym: str, site_name: str) -> ThanksCard:
    """The thank-you card of `campaign` in `lang`, signed with what the player typed (cleaned)."""
    name = pseudonym(raw_pseudonym)
    lines = [
        _("Merci, %(name)s !") % {"name": name} if name else _("Merci !"),
        _("J'ai fait toutes les étapes de"),
    ]
    everyone = names(campaign, [c.id for c in campaign.contributors], lang)
    credit = _("Avec : %(names)s") % {"names": everyone} if everyone else ""
    query = f"?{urlencode({'pseudo': name})}" if name else ""
    url = f"/c/{campaign.slug}/merci/carte.png{query}"
    title = localise(campaign.title, lang)
    return ThanksCard(name, lines, title, list(campaign.hashtags), credit, site_name, url)


async def thanks_card(request: Request) -> Response:
    """`GET /c/{campaign}/merci/carte.png[?pseudo=…]`: only for a player who did every step."""

    current = site(request)
    campaign = current.campaign_in(request)
    lang = language(request, campaign)
    if not await db.call(current.engine, _finished, current, request, campaign, lang):
        raise HTTPException(404)
    i18n.use(lang)
    said = thanks_of(campaign, lang, request.query_params.get("pseudo", ""), current.brand.name)
    payload = await offload.run(
        draw, said.title, said.lines, said.hashtags, said.credit, said.site_name
    )
    filename = f"merci-{campaign.slug}.png"
    headers = {
        "Cache-Control": "private, no-store",
        "Content-Disposition": f'inline; filename="{filename}"',
    }
    return Response(payload, media_type="image/png", headers=headers)
