"""Protection of every POST against cross-site request forgery.

Two independent checks. The browser's own word first: a request whose `Sec-Fetch-Site` says it
came from another site, or whose `Origin` is not this site, is refused; a browser that sends no
`Origin` but a `Referer` of another site is refused too (a foreign Referer is the only evidence
there is, and it says "posted from elsewhere"); with neither header the token decides alone.
"This site" is the configured base URL, or the scheme and host the request itself was sent to
(a victim's browser always names the real host there, so it cannot help a forged form).

Then a token in a hidden `csrf` field, signed with the server secret and bound to the session's
random id: a page of another site can neither read it nor make one. When the browser keeps no
cookie at all there is no session to bind to and nothing of the player's to protect; the
signature and the origin checks still apply. Staff pages bind their tokens to the staff session
instead (`bind_to`, called by the staff guard): a token of an anonymous page, of another staff
member or of a session since ended is refused, with or without the player cookie.
"""

from __future__ import annotations

import time
from functools import lru_cache
from urllib.parse import urlsplit

from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.datastructures import FormData
from starlette.requests import Request

from balises.settings import Settings
from web.players import arrived_with_session, ensure_sid

FIELD = "csrf"
_SALT = "balises-csrf"
_BINDING = "balises.csrf_binding"
_STAFF = "staff:"  # a player's sid (URL-safe base64) never contains ':'


@lru_cache(maxsize=8)
def _serializer_for(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


# Performance: a page has two forms and every answer re-renders them; one token per
# session and minute (its timestamp at most a minute old, against a 400-day validity) spares
# the signing on all but the first.
@lru_cache(maxsize=4096)
def _token_for(secret_key: str, sid: str, _minute: int) -> str:
    return str(_serializer_for(secret_key).dumps(sid))


def bind_to(request: Request, staff_session: str) -> None:
    """Make this request's tokens belong to a staff session (a secret-derived key of it), both
    the ones its page carries and the one its POST must bring."""
    request.scope[_BINDING] = _STAFF + staff_session


def _binding(request: Request) -> str | None:
    bound = request.scope.get(_BINDING)
    return bound if isinstance(bound, str) else None


def token(request: Request, settings: Settings) -> str:
    """The token to put in this page's forms (creates the session cookie if needed)."""
    owner = _binding(request) or ensure_sid(request)
    return _token_for(settings.secret_key, owner, int(time.time() // 60))


# Performance: a player's forms carry the same token for a minute; its signature is
# checked once, its age on every POST.
@lru_cache(maxsize=4096)
def _signed(secret_key: str, sent: str) -> tuple[object, int] | None:
    """The payload and signing time of a well-signed token, None for a forged one."""
    try:
        sid, signed_at = _serializer_for(secret_key).loads(sent, return_timestamp=True)
    except BadData:
        return None
    return sid, int(signed_at.timestamp())


def _origin(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed Referer is no evidence of this site
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(request: Request, settings: Settings) -> bool:
    """False when the browser says the request comes from another site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    own = {_origin(settings.base_url), _origin(str(request.base_url))}
    origin = request.headers.get("origin")
    if origin is not None:
        return origin.lower().rstrip("/") in own
    referer = request.headers.get("referer")
    return not referer or _origin(referer) in own


def _owner(request: Request, form: FormData, settings: Settings) -> object | None:
    """Whom the POST's token was signed for, when it comes from this site with a well-signed,
    unexpired token; None otherwise."""
    if not same_origin(request, settings):
        return None
    sent = form.get(FIELD)
    if not isinstance(sent, str) or not sent or len(sent) > 200:
        return None
    signed = _signed(settings.secret_key, sent)
    if signed is None or not 0 <= int(time.time()) - signed[1] <= settings.session_max_age:
        return None
    return signed[0]


def from_a_staff_page(request: Request, form: FormData, settings: Settings) -> bool:
    """Whether this POST comes from a form this site showed in its staff area (same site, a
    well-signed token bound to some staff login), whatever that login has become since: what
    it carries may be kept for its author (`web.staff.drafts`), never acted on."""
    owner = _owner(request, form, settings)
    return isinstance(owner, str) and owner.startswith(_STAFF)


def valid(request: Request, form: FormData, settings: Settings) -> bool:
    """Whether this POST may be acted on."""
    owner = _owner(request, form, settings)
    if owner is None:
        return False
    bound = _binding(request)
    if bound is not None:
        return bool(owner == bound)
    if not isinstance(owner, str) or owner.startswith(_STAFF):
        return False
    if arrived_with_session(request):
        return bool(owner == request.session.get("sid"))
    return True
