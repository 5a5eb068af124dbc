"""Pseudonymous players: a signed session cookie, a random id, and a resume code.

No account and nothing personal. The session cookie (Starlette's `SessionMiddleware`, signed
with the server secret; a tampered or expired one is simply an empty session) holds a random
`sid` that binds CSRF tokens and, once the player has done something worth keeping, the player
id. A player row is created lazily, on the first answer, hint or scan, so crawlers that only GET
pages create nothing. When the browser does not send the cookie back (blocked cookies, some
private modes), the game still answers, but no player is created and the page says that
progress will not be kept.

The resume code (8 characters from an alphabet without look-alikes, shown as `K7QF-2M9X`) lets a
resident continue on another phone.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import text
from sqlmodel import Session, select
from starlette.requests import Request

from web.store import counters
from web.store.statements import run, stamp
from web.store.tables.play import Player, utcnow

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
CODE_LENGTH = 8
_ARRIVED = "balises.arrived_with_session"
_UNKEPT = "balises.progress_unkept"


def arrived_with_session(request: Request) -> bool:
    """Whether the browser sent back a valid session cookie with this request."""
    if _ARRIVED not in request.scope:
        request.scope[_ARRIVED] = isinstance(request.session.get("sid"), str)
    return bool(request.scope[_ARRIVED])


def not_kept(request: Request) -> str | None:
    """Why what this request did is answered but not kept, which the page must say: "cookies"
    (the browser sent none back), "crowd" (refused a new player: too many from its address);
    None when it is kept."""
    if not arrived_with_session(request):
        return "cookies"
    return "crowd" if request.scope.get(_UNKEPT) else None


def ensure_sid(request: Request) -> str:
    """The session's random id, creating it (and so the cookie) when missing."""
    arrived_with_session(request)
    sid = request.session.get("sid")
    if not isinstance(sid, str):
        sid = secrets.token_urlsafe(16)
        request.session["sid"] = sid
    return sid


def player_id(request: Request) -> str | None:
    value = request.session.get("pid")
    return value if isinstance(value, str) and 0 < len(value) <= 32 else None


def current_player(session: Session, request: Request) -> Player | None:
    pid = player_id(request)
    return session.get(Player, pid) if pid else None


_HOLD = {
    "sqlite": text("SELECT 1 FROM player WHERE id = :p"),
    "postgresql": text("SELECT 1 FROM player WHERE id = :p FOR KEY SHARE"),
}


def hold(session: Session, pid: str) -> bool:
    """Whether the player exists, its row share-locked until the transaction ends.

    Every write transaction for a known player takes this first (or a foreign key check takes
    it for a single statement): a concurrent "forget me", which locks the row for update first,
    then either waits for this transaction or has already deleted the player, and this one goes
    on as a new visitor's. Nothing of a forgotten player is stored, and the two never deadlock
    (`web.store.player_rows`). SQLite's write transactions run one at a time: no lock to take.
    """
    statement = _HOLD.get(session.get_bind().dialect.name, _HOLD["postgresql"])
    return any(True for _row in run(session, statement, {"p": pid}))


def new_resume_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def parse_code(text: str) -> str | None:
    """A typed resume code, forgiving case, spaces and dashes; None when it cannot be one."""
    cleaned = re.sub(r"[\s\-_.]", "", text.upper())[:32]
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(cleaned) != CODE_LENGTH or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned


def ensure_player_id(
    session: Session, request: Request, *, first_visit: bool = False
) -> str | None:
    """The id of this request's player, its row created if needed; None when cookies do not
    come back or the address has made too many new players.

    `first_visit` allows creating a player on a request that came without a cookie: a QR code
    scanned on site is often the very first visit, and it is worth keeping.

    One browser is one player, however many of its requests arrive at once: the new row's id
    follows from the session (`_new_id`), so every request of a session without a player yet
    inserts the same row (INSERT … ON CONFLICT DO NOTHING: one of them creates it, the others
    find it) and every response sets the same id in the cookie.
    """
    if not arrived_with_session(request) and not first_visit:
        return None
    pid = player_id(request)
    # A share lock on the player row: a concurrent "forget me" waits for this transaction, or
    # this one finds the player gone and goes on as a new visitor (`hold`).
    if pid is not None and hold(session, pid):
        return pid
    site = request.app.state.site
    # A flood of new players from one address is refused a player row; the game still answers,
    # as when cookies are blocked, and says that progress is not kept (`unkept`). Only a row
    # this request creates is counted.
    address = counters.client_ip(request, site.settings.trusted_proxies)
    limits = counters.new_player_limits(site.settings.new_players_per_minute, address)
    now = site.now().timestamp()
    if counters.take(session, limits, now):
        request.scope[_UNKEPT] = True
        return None
    new = _new_id(ensure_sid(request), pid)
    at = stamp(site.engine, utcnow())
    for _try in range(_CODE_TRIES):
        created = run(session, _CREATE, {"id": new, "at": at, "code": new_resume_code()})
        if any(True for _row in created):
            break
        if hold(session, new):  # created by a request of the same session, sent at once
            counters.give_back(session, limits, now)
            break
    else:  # pragma: no cover - eight-character codes colliding again and again
        raise RuntimeError("no free resume code")
    request.session["pid"] = new
    return new


_CODE_TRIES = 8
# No conflict target: a row with this id (another request of the session) and a resume code
# already given both leave the table as it is; `ensure_player_id` tells them apart.
_CREATE = text(
    "INSERT INTO player (id, created_at, resume_code) VALUES (:id, :at, :code)"
    " ON CONFLICT DO NOTHING RETURNING id"
)


def _new_id(sid: str, gone: str | None) -> str:
    """The id a session's new player gets: the same for every request of the session, as
    unguessable as the session's random id, and never the id of the player it had before (one
    that was forgotten, or that a restored backup does not hold)."""
    return hashlib.sha256(f"player:{sid}:{gone or ''}".encode()).hexdigest()[:32]


def adopt(session: Session, request: Request, code: str) -> Player | None:
    """Continue as the player holding `code` on this phone; None when no one has it."""
    player = session.exec(select(Player).where(Player.resume_code == code)).first()
    if player is not None:
        ensure_sid(request)
        request.session["pid"] = player.id
    return player
