"""Protection of every POST against cross-site request forgery.

Two independent checks. The browser's own word first: a request whose `Sec-Fetch-Site` says it
came from another site, or whose `Origin` is not this site, is refused. Then a token in a hidden
`csrf` field, signed with the server secret and bound to the session's random id: a page of
another site can neither read it nor make one. When the browser keeps no cookie at all there is
no session to bind to and nothing of the player's to protect; the signature and the origin
checks still apply.
"""

from __future__ import annotations

import time
from functools import lru_cache

from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.datastructures import FormData
from starlette.requests import Request

from balises.settings import Settings
from web.players import arrived_with_session, ensure_sid

FIELD = "csrf"
_SALT = "balises-csrf"


@lru_cache(maxsize=8)
def _serializer_for(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


# Performance (issue 7): a page has two forms and every answer re-renders them; one token per
# session and minute (its timestamp at most a minute old, against a 400-day validity) spares
# the signing on all but the first.
@lru_cache(maxsize=4096)
def _token_for(secret_key: str, sid: str, _minute: int) -> str:
    return str(_serializer_for(secret_key).dumps(sid))


def token(request: Request, settings: Settings) -> str:
    """The token to put in this page's forms (creates the session cookie if needed)."""
    return _token_for(settings.secret_key, ensure_sid(request), int(time.time() // 60))


# Performance (issue 7): a player's forms carry the same token for a minute; its signature is
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
    scheme, _sep, rest = url.partition("://")
    return f"{scheme}://{rest.split('/')[0]}".lower()


def same_origin(request: Request, settings: Settings) -> bool:
    """False when the browser says the request comes from another site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    own = {_origin(settings.base_url), _origin(str(request.base_url))}
    return origin.lower().rstrip("/") in own


def valid(request: Request, form: FormData, settings: Settings) -> bool:
    """Whether this POST may be acted on."""
    if not same_origin(request, settings):
        return False
    sent = form.get(FIELD)
    if not isinstance(sent, str) or not sent or len(sent) > 200:
        return False
    signed = _signed(settings.secret_key, sent)
    if signed is None or not 0 <= int(time.time()) - signed[1] <= settings.session_max_age:
        return False
    sid = signed[0]
    if arrived_with_session(request):
        return bool(sid == request.session.get("sid"))
    return True
