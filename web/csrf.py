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


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return _serializer_for(settings.secret_key)


# Performance (issue 7): a page has two forms and every answer re-renders them; one token per
# session and minute (its timestamp at most a minute old, against a 400-day validity) spares
# the signing on all but the first.
@lru_cache(maxsize=4096)
def _token_for(secret_key: str, sid: str, _minute: int) -> str:
    return str(_serializer_for(secret_key).dumps(sid))


def token(request: Request, settings: Settings) -> str:
    """The token to put in this page's forms (creates the session cookie if needed)."""
    return _token_for(settings.secret_key, ensure_sid(request), int(time.time() // 60))


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
    try:
        sid = _serializer(settings).loads(sent, max_age=settings.session_max_age)
    except BadData:
        return False
    if arrived_with_session(request):
        return bool(sid == request.session.get("sid"))
    return True
