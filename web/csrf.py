"""Protection of every POST against cross-site request forgery.

Two independent checks. The browser's own word first: a request whose `Sec-Fetch-Site` says it
came from another site, or whose `Origin` is not this site, is refused. Then a token in a hidden
`csrf` field, signed with the server secret and bound to the session's random id: a page of
another site can neither read it nor make one. When the browser keeps no cookie at all there is
no session to bind to and nothing of the player's to protect; the signature and the origin
checks still apply.
"""

from __future__ import annotations

from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.datastructures import FormData
from starlette.requests import Request

from balises.settings import Settings
from web.players import arrived_with_session, ensure_sid

FIELD = "csrf"
_SALT = "balises-csrf"


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key, salt=_SALT)


def token(request: Request, settings: Settings) -> str:
    """The token to put in this page's forms (creates the session cookie if needed)."""
    return str(_serializer(settings).dumps(ensure_sid(request)))


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
