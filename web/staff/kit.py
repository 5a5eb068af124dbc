"""The publication kit, `/staff/campagnes/{slug}/kit`: for the campaign and each step, its share
card, a ready-to-paste post per channel (`web.staff.posts`), the alt text of the card, and a
calendar of posts from the campaign's and the steps' opening times; `…/kit.zip` holds it all
(the cards, one text file per channel, the alt texts, the calendar as `.ics`).

The cards are the ones residents' shares show (`web.play.sharing.card`): before a riddle opens
they carry no crop of its photo, so nothing of it is published early.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from campaigns.model import Campaign, Step, localise
from web import i18n
from web.i18n import gettext as _
from web.images import image_response
from web.play.sharing import card, card_alt
from web.site import Site, site
from web.staff.auth import staff_language, staff_of, staff_page
from web.staff.posts import CHANNELS, Post, campaign_posts, opening, step_posts
from web.templating import render

CAMPAIGN_CARD = "campagne"


@dataclass(frozen=True)
class Entry:
    """One thing to announce: the campaign, or one of its steps."""

    name: str  # the card's file name: "campagne" or the step id
    title: str
    opens: datetime | None
    when: str
    alt: str
    posts: list[Post]


def entries(current: Site, campaign: Campaign, lang: str) -> list[Entry]:
    """The campaign then its steps, in the order the calendar announces them."""
    base = current.settings.base_url.rstrip("/")
    title = localise(campaign.title, lang)
    now = current.now()
    found = [
        Entry(
            CAMPAIGN_CARD,
            title,
            campaign.opens_at,
            opening(campaign, campaign.opens_at, lang),
            card_alt(campaign, None, lang, now, current.brand.name),
            campaign_posts(campaign, base, lang),
        )
    ]
    for step in campaign.steps:
        opens = campaign.localise_time(step.opens) or campaign.opens_at
        name = localise(step.title, lang)
        found.append(
            Entry(
                step.id,
                name,
                opens,
                opening(campaign, opens, lang),
                card_alt(campaign, step, lang, now, current.brand.name),
                step_posts(campaign, step, base, lang),
            )
        )
    return found


def calendar(entries_: list[Entry]) -> list[Entry]:
    """The posts to make, by date (those without a date last, in file order)."""
    dated = sorted((e for e in entries_ if e.opens), key=lambda e: e.opens or datetime.min)
    return dated + [e for e in entries_ if e.opens is None]


def _ics(campaign: Campaign, entries_: list[Entry], now: datetime) -> str:
    """The calendar as iCalendar (RFC 5545), one event per dated post, for the CM's agenda."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Balises//Kit de publication//FR"]
    for entry in calendar(entries_):
        if entry.opens is None:
            continue
        start = entry.opens.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        summary = _("Publier : %(title)s") % {"title": entry.title}
        summary = summary.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{campaign.slug}-{entry.name}@balises",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{start}",
            f"SUMMARY:{summary}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _campaign(request: Request) -> Campaign:
    return site(request).campaign_in(request, upcoming=True)


@staff_page(role="cm")
async def kit_page(request: Request) -> Response:
    current = site(request)
    campaign = _campaign(request)
    lang = staff_language(request)
    found = entries(current, campaign, lang)
    context = {
        "staff": staff_of(request),
        "campaign": campaign,
        "entries": found,
        "calendar": calendar(found),
        "channels": CHANNELS,
    }
    return render(request, "staff/kit.html", context, lang=lang)


async def _card_bytes(current: Site, campaign: Campaign, step: Step | None, lang: str) -> bytes:
    made = await card(current, campaign, step, lang)
    return made if isinstance(made, bytes) else made.read_bytes()


@staff_page(role="cm")
async def kit_card(request: Request) -> Response:
    current = site(request)
    campaign = _campaign(request)
    name = request.path_params["card"]
    step = None if name == CAMPAIGN_CARD else campaign.step(name)
    if step is None and name != CAMPAIGN_CARD:
        raise HTTPException(404)
    lang = staff_language(request)
    png = await _card_bytes(current, campaign, step, lang)
    return image_response(png, "image/png", "private, no-store")


def _zip(
    current: Site, campaign: Campaign, lang: str, found: list[Entry], cards: dict[str, bytes]
) -> bytes:
    i18n.use(lang)  # this runs in a worker thread
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for channel in CHANNELS:
            blocks = []
            for entry in calendar(found):
                post = next(p for p in entry.posts if p.channel == channel)
                header = f"== {entry.title}" + (f" — {entry.when}" if entry.when else "")
                blocks.append(f"{header}\n{post.text}\n")
            archive.writestr(f"{channel.slug}.txt", "\n".join(blocks))
        for entry in found:
            archive.writestr(f"cartes/{entry.name}.png", cards[entry.name])
        alts = "\n".join(f"cartes/{e.name}.png : {e.alt}" for e in found)
        archive.writestr("textes-alternatifs.txt", alts + "\n")
        archive.writestr("calendrier.ics", _ics(campaign, found, current.now()))
    return buffer.getvalue()


@staff_page(role="cm")
async def kit_zip(request: Request) -> Response:
    current = site(request)
    campaign = _campaign(request)
    lang = staff_language(request)
    i18n.use(lang)
    found = entries(current, campaign, lang)
    cards = {}
    for entry in found:  # drawn in the site's process pool, one after the other
        step = None if entry.name == CAMPAIGN_CARD else campaign.step(entry.name)
        cards[entry.name] = await _card_bytes(current, campaign, step, lang)
    body = await run_in_threadpool(_zip, current, campaign, lang, found, cards)
    name = f"kit-{campaign.slug}.zip"
    return Response(
        body,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
