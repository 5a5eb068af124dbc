"""Sharing a campaign or a riddle on the networks a city uses, and the player's thank-you card.

Every campaign and step page carries Open Graph and Twitter-card metadata (absolute URLs built
from `settings.base_url`, since a crawler has no idea where the site lives) pointing at a
1200×630 card from `media.cards`. A riddle's card shows its first crop only. Share buttons are
plain links to each network's own "share" address: no third-party script, no iframe, nothing
that lets a network follow residents around the site. Mastodon has no central share address
(each instance has its own), so it is left out rather than sending residents through a
third-party picker.

The finisher's thank-you card is `web.play.thankyou`'s.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlencode

from jinja2 import Environment
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from campaigns.markdown import render_markdown
from campaigns.model import Campaign, CropBox, Step, localise
from campaigns.steptypes import StepType
from campaigns.unlocks import campaign_phase, step_window
from media.cards import share_card
from media.photos import PhotoError
from web import i18n, offload
from web.i18n import gettext as _
from web.i18n import language
from web.images import image_response
from web.play.photos import source_path
from web.site import Site, site

MAX_DESCRIPTION = 200
CARD_CACHE = "public, max-age=3600"


@dataclass(frozen=True)
class Share:
    """What the `<meta>` tags and the share links of one page say."""

    title: str
    description: str
    url: str  # canonical, absolute, without any token or query
    image: str  # absolute URL of the card
    image_alt: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (network, href)


def plain_text(markdown: str, limit: int = MAX_DESCRIPTION) -> str:
    """A Markdown text as one line of plain text (for `og:description`), cut at a word."""
    rendered = re.sub(r"<[^>]+>", " ", str(render_markdown(markdown)))
    text = " ".join(html.unescape(rendered).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def share_links(url: str, text: str, hashtags: list[str]) -> list[tuple[str, str]]:
    """Plain links to each network's share address; `?via=` tells the CM where players came from."""
    tags = [h.lstrip("#") for h in hashtags if h.lstrip("#")]
    with_tags = " ".join([text, *[f"#{t}" for t in tags]])

    def via(name: str) -> str:
        return f"{url}?via={name}"

    return [
        (
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": via("facebook")}),
        ),
        (
            "X (Twitter)",
            "https://twitter.com/intent/tweet?"
            + urlencode({"text": text, "url": via("twitter"), "hashtags": ",".join(tags)}),
        ),
        (
            "Bluesky",
            "https://bsky.app/intent/compose?"
            + urlencode({"text": f"{with_tags} {via('bluesky')}"}),
        ),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{text} {via('whatsapp')}"})),
        (
            _("E-mail"),
            f"mailto:?subject={quote(text)}&body={quote(with_tags + ' ' + via('email'))}",
        ),
    ]


def _base(current: Site) -> str:
    return current.settings.base_url.rstrip("/")


def _lang_query(campaign: Campaign, lang: str) -> str:
    default = campaign.languages[0] if campaign.languages else i18n.SOURCE
    return "" if lang == default else f"?lang={lang}"


def share(request: Request, campaign: Campaign, step: Step | None = None) -> Share:
    """The sharing data of a campaign page (`step` None) or of one of its steps."""
    current = site(request)
    lang = i18n.current()
    base = _base(current)
    campaign_title = localise(campaign.title, lang)
    if step is None:
        url = f"{base}/c/{campaign.slug}"
        title = campaign_title
        description = plain_text(localise(campaign.intro, lang)) or title
    else:
        url = f"{base}/c/{campaign.slug}/{step.id}"
        title = f"{localise(step.title, lang)} — {campaign_title}"
        description = plain_text(localise(step.text, lang)) or campaign_title
    return Share(
        title=title,
        description=description,
        url=url,
        image=f"{url}/partage.png{_lang_query(campaign, lang)}",
        image_alt=card_alt(campaign, step, lang, current.now(), current.brand.name),
        links=share_links(url, title, campaign.hashtags),
    )


def install(environment: Environment) -> None:
    """Make `share(request, campaign, step)` available to every template."""
    environment.globals["share"] = share


def names(campaign: Campaign, ids: list[str], lang: str) -> str:
    found = [campaign.contributor(cid) for cid in ids]
    return ", ".join(localise(c.name, lang) for c in found if c is not None)


def first_crop(campaign: Campaign, step: Step, now: datetime) -> CropBox | None:
    """The first crop of a riddle's photo when it may be shown; None means "no photo"."""
    if not step.answerable or not step.photo or not step.reveal or step.reveal[0].box == "full":
        return None
    box = step.reveal[0].box
    assert not isinstance(box, str)
    if (box[2] - box[0]) * (box[3] - box[1]) >= 0.999:  # a "crop" that is the whole photo
        return None
    if (
        campaign_phase(campaign, now) == "upcoming"
        or step_window(campaign, step, now) == "upcoming"
    ):
        return None  # nothing of a riddle is shown before it opens
    return box


@dataclass(frozen=True)
class _Card:
    """What a share card shows, worked out before it is drawn in the process pool."""

    title: str
    hashtags: list[str]
    credit: str
    photo: Path | None
    box: CropBox | None
    cache: Path
    kicker: str
    site_name: str


def _what(current: Site, campaign: Campaign, step: Step | None, lang: str) -> _Card:
    i18n.use(lang)  # this runs in a worker thread
    campaign_title = localise(campaign.title, lang)
    riddle = step
    if step is None:
        riddle = next((s for s in campaign.steps if s.type is StepType.riddle), None)
    box = first_crop(campaign, riddle, current.now()) if riddle is not None else None
    photo = source_path(current, campaign, riddle) if riddle is not None and box else None
    credit = _credit(campaign, step, riddle if photo is not None else None, lang)
    title = campaign_title if step is None else localise(step.title, lang)
    kicker = "" if step is None else campaign_title
    cache = current.settings.media_dir / "cache"
    box = box if photo else None
    return _Card(title, campaign.hashtags, credit, photo, box, cache, kicker, current.brand.name)


def card_alt(campaign: Campaign, step: Step | None, lang: str, now: datetime, site: str) -> str:
    """The alternative text of a share card: the step (or campaign) it is for and every word
    it shows, since the card is a picture of text (RGAA 1.8). The card shows a riddle's first crop,
    described by that stage's `alt` (no more than the crop shows, never the answer)."""
    campaign_title = localise(campaign.title, lang)
    if step is None:
        said = _("Carte de partage de « %(title)s »") % {"title": campaign_title}
    else:
        said = _("Carte de partage de l'étape « %(step)s » de « %(title)s »") % {
            "step": localise(step.title, lang),
            "title": campaign_title,
        }
    parts = [said + "."]
    riddle = step or next((s for s in campaign.steps if s.type is StepType.riddle), None)
    shown = riddle is not None and first_crop(campaign, riddle, now) is not None
    if riddle is not None and shown:
        alt = localise(riddle.stage_alt(0), lang).rstrip(" .")
        parts.append(_("Un détail de la photo : %(alt)s.") % {"alt": alt})
    if campaign.hashtags:
        parts.append(" ".join(campaign.hashtags))
    credit = _credit(campaign, step, riddle if shown else None, lang)
    parts += [f"{credit}." if credit else "", site]
    return " ".join(part for part in parts if part)


def _credit(campaign: Campaign, step: Step | None, riddle: Step | None, lang: str) -> str:
    """The card's credit line: the shown photo's, else (a campaign's card) everyone's."""
    if riddle is not None and riddle.credit:
        return _("Photo : %(names)s") % {"names": names(campaign, riddle.credit, lang)}
    if step is None and campaign.contributors:
        everyone = names(campaign, [c.id for c in campaign.contributors], lang)
        return _("Avec : %(names)s") % {"names": everyone}
    return ""


async def card(current: Site, campaign: Campaign, step: Step | None, lang: str) -> Path | bytes:
    """The share card of a campaign (`step` None) or of a step, drawn in the process pool:
    the file, or its bytes (also what the publication kit puts in its ZIP, `web.staff.kit`)."""
    shown = await run_in_threadpool(_what, current, campaign, step, lang)
    try:
        return await offload.run(
            share_card, shown.title, shown.hashtags, shown.credit, shown.photo, shown.box,
            shown.cache, kicker=shown.kicker, site_name=shown.site_name,
        )  # fmt: skip
    except (PhotoError, OSError):  # an unreadable photo: the card without it
        return await offload.run(
            share_card, shown.title, shown.hashtags, "", None, None, shown.cache,
            kicker=shown.kicker, site_name=shown.site_name,
        )  # fmt: skip


async def _card(current: Site, campaign: Campaign, step: Step | None, lang: str) -> Response:
    return image_response(await card(current, campaign, step, lang), "image/png", CARD_CACHE)


async def campaign_card(request: Request) -> Response:
    current = site(request)
    campaign = current.campaign_in(request)
    lang = language(request, campaign)
    return await _card(current, campaign, None, lang)


async def step_card(request: Request) -> Response:
    current = site(request)
    campaign, step = current.step_in(request)
    lang = language(request, campaign)
    return await _card(current, campaign, step, lang)
