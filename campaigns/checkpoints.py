"""Tokens of the QR checkpoints printed on site: `/k/{campaign}/{step}/{token}`, and their short
codes, typed on the step's page by who cannot scan (`POST /c/{campaign}/{step}/code`).

A checkpoint step opens when its QR code is scanned, so its URL must be unguessable (the token
is an HMAC of the ids under the server secret), stable (a plate screwed to a bridge cannot be
reprinted at each restart) and tied to one step of one campaign (a token never opens another
step). Pure standard library: the web room verifies, the CLI prints, both through this module.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from typing import NamedTuple
from urllib.parse import quote

from campaigns.model import Campaign, localise
from campaigns.steptypes import StepType

# Bump only to invalidate every printed code at once (a new season's "token rotation").
TOKEN_VERSION = "balises-checkpoint-v1"
# 16 base32 characters carry 80 bits: far beyond guessing under the 404 rate limit.
TOKEN_LENGTH = 16

# The short code printed large under each QR code (`Code : ABCD-23`), for a resident who cannot
# see the code or whose phone has no camera: four letters and two digits, read aloud or typed
# on a phone's keyboard. The letters leave out I, L, O and U (Crockford's base 32), so a typed
# O is a 0 and an I or an L a 1 (`normalise_code`). 22⁴ × 10² ≈ 23 million codes a step: a
# low-stakes lock (SPEC: no prizes), tried only under the same rate limit as a QR token.
CODE_VERSION = "balises-checkpoint-code-v1"
CODE_LETTERS = "ABCDEFGHJKMNPQRSTVWXYZ"
CODE_DIGITS = "0123456789"
# What a resident may type besides the code itself: spaces, dashes of any kind, dots.
_SEPARATORS = frozenset(" -_.\u2010\u2011\u2012\u2013\u2014\u2212\u00a0\u202f\t")
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Beyond this a typed code is not looked at (it is a wrong code, never an error).
MAX_TYPED = 40


class PrintedCheckpoint(NamedTuple):
    """What is printed for one checkpoint: its step, the title, the QR's URL and short code."""

    step_id: str
    title: str
    url: str
    code: str


def _message(campaign: str, step: str, version: str = TOKEN_VERSION) -> bytes:
    """Length-prefixed encoding: ("a-b", "c") and ("a", "b-c") can never collide."""
    parts = [version, campaign, step]
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


def short_code(secret: str, campaign: str, step: str) -> str:
    """The checkpoint's short code, `ABCD-23`: signed like its token, under its own label, so
    that neither can be worked out from the other."""
    message = _message(campaign, step, CODE_VERSION)
    number = int.from_bytes(hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest())
    letters = ""
    for _ in range(4):
        number, index = divmod(number, len(CODE_LETTERS))
        letters += CODE_LETTERS[index]
    digits = ""
    for _ in range(2):
        number, index = divmod(number, len(CODE_DIGITS))
        digits += CODE_DIGITS[index]
    return f"{letters}-{digits}"


def normalise_code(typed: str) -> str:
    """What a resident typed, as the code it means: upper case, without spaces or dashes, an O
    read as 0 and an I or L as 1 (`abcd 23`, `ABCD–23`, full-width letters alike)."""
    text = unicodedata.normalize("NFKC", typed[: MAX_TYPED * 2]).upper()
    return "".join(c for c in text if c not in _SEPARATORS).translate(_READ_AS)


def verify_code(secret: str, campaign: str, step: str, typed: str) -> bool:
    """True only for this checkpoint's short code, however it was typed (`normalise_code`),
    compared in constant time; never an exception, whatever was typed."""
    expected = normalise_code(short_code(secret, campaign, step)).encode("ascii")
    given = normalise_code(typed)[:MAX_TYPED].encode("utf-8", errors="replace")
    return hmac.compare_digest(expected, given)


def checkpoint_codes(campaign: Campaign, base_url: str, secret: str) -> list[PrintedCheckpoint]:
    """What is printed for every checkpoint step, in the order of the file: what `balises qr`
    and the staff printing page both print, so they never print different URLs or codes. A
    checkpoint reached by GPS alone (`arrive: [gps]`) has no code to print."""
    language = campaign.languages[0] if campaign.languages else "fr"
    return [
        PrintedCheckpoint(
            step.id,
            localise(step.title, language),
            base_url.rstrip("/") + checkpoint_path(secret, campaign.slug, step.id),
            short_code(secret, campaign.slug, step.id),
        )
        for step in campaign.steps
        if step.type == StepType.checkpoint and step.by_qr
    ]
