"""Staff accounts and their server-side sessions.

Passwords are hashed with Argon2id (argon2-cffi's defaults, rehashed when those change). A
login creates a `StaffSession` row keyed by the SHA-256 of a random token that only the browser
holds; every request looks it up, so a logout, a password change or a disabled account ends the
session on the server and a copied cookie stops working. Sessions also end on their own after
`SESSION_SECONDS` (12 hours: a working day), whatever the browser does with its cookie.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import update
from sqlmodel import Session, select

from web.i18n import gettext as _
from web.store.tables.staff import ROLES, StaffSession, StaffUser

SESSION_SECONDS = 12 * 3600
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # Argon2 hashes anything, but a 1 MB "password" is an attack, not a secret
MAX_NAME = 64

_hasher = PasswordHasher()  # tests swap in cheaper parameters


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Checked when the name is unknown, so a wrong name costs as long as a wrong password."""
    return hasher.hash(secrets.token_urlsafe(16))


class AccountError(Exception):
    """An account that cannot be created or changed; the message is for a person.

    It is in the current language (`web.i18n`): French for `balises user`, the staff member's
    language on the password page.
    """


@dataclass(frozen=True)
class StaffIdentity:
    """Who is logged in, detached from any database session."""

    id: int
    name: str
    role: str
    expires_at: datetime | None = None  # when this login ends, warned of on every staff page

    @property
    def is_cm(self) -> bool:
        return self.role == "cm"


def _aware(value: datetime) -> datetime:
    """SQLite hands timestamps back naive (they are stored in UTC)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", errors="replace")).hexdigest()


def csrf_key(token: str) -> str:
    """What this login's CSRF tokens are bound to (`web.csrf.bind_to`): derived from the cookie's
    token like the session id, but not the session id itself, which pages then never show."""
    return hashlib.sha256(f"csrf:{token_id(token)}".encode()).hexdigest()[:32]


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            _(
                "mot de passe trop court : %(min)s caractères au moins"
                " (une phrase de quelques mots est plus facile à retenir)"
            )
            % {"min": MIN_PASSWORD}
        )
    if len(password) > MAX_PASSWORD:
        too_long = _("mot de passe trop long : %(max)s caractères au plus")
        raise AccountError(too_long % {"max": MAX_PASSWORD})


def clean_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > MAX_NAME or any(c.isspace() for c in cleaned):
        invalid = _("nom de compte invalide : de 1 à %(max)s caractères, sans espace")
        raise AccountError(invalid % {"max": MAX_NAME})
    return cleaned


def create_user(session: Session, name: str, role: str, password: str) -> StaffUser:
    """A new active account; `AccountError` for a bad role, name, password or a taken name."""
    if role not in ROLES:
        raise AccountError(_("rôle inconnu « %(role)s » : cm ou staff") % {"role": role})
    name = clean_name(name)
    check_password(password)
    if find_user(session, name) is not None:
        raise AccountError(_("un compte « %(name)s » existe déjà") % {"name": name})
    user = StaffUser(name=name, role=role, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, name: str) -> StaffUser | None:
    return session.exec(select(StaffUser).where(StaffUser.name == name.strip())).first()


def authenticate(
    session: Session, name: str, password: str, *, rehash: bool = True
) -> StaffUser | None:
    """The active account with this name and password, or None (same cost either way).

    With `rehash`, a hash made with older parameters is replaced in `session` (a write); the
    login checks in a read session and calls `rehash_if_needed` once it writes.
    """
    if len(password) > MAX_PASSWORD or len(name) > MAX_NAME * 4:
        return None
    user = find_user(session, name)
    stored = user.password_hash if user is not None else _dummy_hash(_hasher)
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if rehash:
        rehash_if_needed(session, user, password)
    return user


def rehash_if_needed(session: Session, user: StaffUser, password: str) -> None:
    """Store `password` hashed with today's parameters if the stored hash is older."""
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        session.add(user)


def _revoke_all(session: Session, user_id: int) -> None:
    session.execute(
        update(StaffSession).where(StaffSession.user_id == user_id).values(revoked=True)  # type: ignore[arg-type]
    )


def set_password(session: Session, user: StaffUser, password: str) -> None:
    """Change the password and end every session of the account."""
    check_password(password)
    user.password_hash = _hasher.hash(password)
    session.add(user)
    assert user.id is not None
    _revoke_all(session, user.id)


def set_active(session: Session, user: StaffUser, active: bool) -> None:
    """Enable or disable an account; disabling ends its sessions at once."""
    user.active = active
    session.add(user)
    if not active:
        assert user.id is not None
        _revoke_all(session, user.id)


def open_session(
    session: Session, user: StaffUser, now: datetime, seconds: int = SESSION_SECONDS
) -> str:
    """A new login for `user`; returns the token for the cookie (stored only as a hash)."""
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    now = now.astimezone(UTC)  # SQLite keeps the wall time as given: store UTC
    session.add(
        StaffSession(
            id=token_id(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(seconds=seconds),
        )
    )
    return token


def close_session(session: Session, token: str) -> None:
    session.execute(
        update(StaffSession).where(StaffSession.id == token_id(token)).values(revoked=True)  # type: ignore[arg-type]
    )


def _session_row(session: Session, token: str | None) -> tuple[StaffSession, StaffUser] | None:
    """The login a cookie token names and its account, whatever their state; a token too long to
    be one of ours is not looked up."""
    if not token or len(token) > 100:
        return None
    row = session.exec(
        select(StaffSession, StaffUser)
        .join(StaffUser, StaffUser.id == StaffSession.user_id)  # type: ignore[arg-type]
        .where(StaffSession.id == token_id(token))
    ).first()
    return None if row is None else (row[0], row[1])


def identify(session: Session, token: str | None, now: datetime) -> StaffIdentity | None:
    """Who holds this cookie token now: None if unknown, revoked, expired or disabled."""
    row = _session_row(session, token)
    if row is None:
        return None
    staff_session, user = row
    ends = _aware(staff_session.expires_at)
    if staff_session.revoked or not user.active or ends <= now:
        return None
    assert user.id is not None
    return StaffIdentity(user.id, user.name, user.role, ends)


def lapsed(session: Session, token: str | None, now: datetime) -> bool:
    """Whether this cookie token names a login that simply ran out of time (not ended by a
    logout, a password change or a disabled account): its forms' text is worth keeping."""
    row = _session_row(session, token)
    if row is None:
        return False
    staff_session, user = row
    return not staff_session.revoked and user.active and _aware(staff_session.expires_at) <= now
