"""Where players came from: the `?via=` channels a campaign's start page counts.

Only known channels count: the networks of the share links (`web.play.sharing`), the posters'
`affiche` (`web.staff.printing`), the printed roadbook's `carnet` (`web.play.carnet`), a few
other ways a town spreads a link (`COMMON`), and those a campaign file lists under `channels:`.
Any other value counts nothing and stores nothing, so a script sending `?via=<random>` cannot
fill the table. A visitor counts once per campaign,
whatever channel and however often (their session remembers the campaigns it counted), so a
hundred reloads of `?via=facebook` add one visit; a script that drops its cookie every time
meets a per-address limit (`PER_ADDRESS` visits an hour, generous for a school or a library
on one address) instead.
"""

from __future__ import annotations

import re

from campaigns.model import Campaign
from web.store.counters import Limit

SHARED = ("facebook", "twitter", "bluesky", "whatsapp", "email")
POSTER = "affiche"
ROADBOOK = "carnet"  # the code of the printed roadbook (`web.play.carnet`)
COMMON = (
    "flyer",
    "presse",
    "radio",
    "bulletin",
    "newsletter",
    "site",
    "instagram",
    "mastodon",
    "linkedin",
    "sms",
)
BUILT_IN = frozenset((*SHARED, POSTER, ROADBOOK, *COMMON))
PER_ADDRESS = 30
SESSION_KEY = "via"
REMEMBERED = 20  # campaigns a session remembers (the cookie stays small)

_NOT_CHANNEL = re.compile(r"[^a-z0-9-]+")


def cleaned(raw: str) -> str | None:
    """A `?via=` value as channels are written: [a-z0-9-], at most 32 characters."""
    value = _NOT_CHANNEL.sub("-", raw.strip().lower()).strip("-")[:32].strip("-")
    return value or None


def known(campaign: Campaign) -> frozenset[str]:
    return BUILT_IN | frozenset(campaign.channels)


def counted(raw: str, campaign: Campaign) -> str | None:
    """The channel this `?via=` value counts for, None when it is not one the campaign knows."""
    value = cleaned(raw)
    return value if value is not None and value in known(campaign) else None


def address_limits(ip: str, campaign: str) -> list[Limit]:
    return [Limit(f"via-ip:{ip}:{campaign}", 3600, PER_ADDRESS)]


def already_counted(session_value: object, campaign: str) -> bool:
    return isinstance(session_value, list) and campaign in session_value


def remember(session_value: object, campaign: str) -> list[str]:
    """The session's list of counted campaigns, with `campaign` added (oldest dropped)."""
    listed = session_value if isinstance(session_value, list) else []
    seen = [slug for slug in listed if isinstance(slug, str)]
    return [*seen, campaign][-REMEMBERED:]
