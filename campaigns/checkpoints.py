"""Tokens of the QR checkpoints printed on site: `/k/{campaign}/{step}/{token}`.

A checkpoint step opens when its QR code is scanned, so its URL must be unguessable (the token
is an HMAC of the ids under the server secret), stable (a plate screwed to a bridge cannot be
reprinted at each restart) and tied to one step of one campaign (a token never opens another
step). Pure standard library: the web room verifies, the CLI prints, both through this module.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote

from campaigns.model import Campaign, localise
from campaigns.steptypes import StepType

# Bump only to invalidate every printed code at once (a new season's "token rotation").
TOKEN_VERSION = "balises-checkpoint-v1"
# 16 base32 characters carry 80 bits: far beyond guessing under the 404 rate limit.
TOKEN_LENGTH = 16


def _message(campaign: str, step: str) -> bytes:
    """Length-prefixed encoding: ("a-b", "c") and ("a", "b-c") can never collide."""
    parts = [TOKEN_VERSION, campaign, step]
    return b"".join(
        f"{len(raw)}:".encode("ascii") + raw for raw in (part.encode("utf-8") for part in parts)
    )


def checkpoint_token(secret: str, campaign: str, step: str) -> str:
    """The token of one checkpoint: lowercase base32 (url-safe, easy to read aloud or type)."""
    digest = hmac.new(secret.encode("utf-8"), _message(campaign, step), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:TOKEN_LENGTH]


def verify_token(secret: str, campaign: str, step: str, token: str) -> bool:
    """True only for the exact token of this campaign and step, compared in constant time.

    A scanner may upper-case what it read, so case is ignored; the comparison runs on bytes so
    that any stray character of a tampered URL is simply a mismatch, never an exception.
    """
    expected = checkpoint_token(secret, campaign, step).encode("ascii")
    given = token.lower().encode("utf-8", errors="replace")
    return hmac.compare_digest(expected, given)


def checkpoint_path(secret: str, campaign: str, step: str) -> str:
    """The path printed in the QR code; the caller prefixes the site's base URL."""
    token = checkpoint_token(secret, campaign, step)
    return f"/k/{quote(campaign, safe='')}/{quote(step, safe='')}/{token}"


def checkpoint_codes(campaign: Campaign, base_url: str, secret: str) -> list[tuple[str, str, str]]:
    """(step id, step title, URL) of every checkpoint step, in the order of the file: what
    `balises qr` and the staff printing page both print, so they never print different URLs.
    A checkpoint reached by GPS alone (`arrive: [gps]`) has no code to print."""
    language = campaign.languages[0] if campaign.languages else "fr"
    return [
        (
            step.id,
            localise(step.title, language),
            base_url.rstrip("/") + checkpoint_path(secret, campaign.slug, step.id),
        )
        for step in campaign.steps
        if step.type == StepType.checkpoint and step.by_qr
    ]
