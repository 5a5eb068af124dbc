"""A staff form sent after its login ran out of time: what was typed is given back, not lost.

The staff session lasts 12 hours (`accounts.SESSION_SECONDS`); a moderation message or a
photo's description written at the end of it used to be refused with 403 and gone. The guard
(`web.staff.auth.staff_page`) now hands such a POST here. When it comes from a form of this
site's staff area (`csrf.from_a_staff_page`) and its login lapsed, rather than ended by a logout,
a password change or a disabled account, its text fields (never a password, a token or a file)
are kept in a `StaffDraft` under a random token the browser's session holds, and the browser is
sent to the login page, which says so. Once logged in again, the page the form was on takes the
draft (it is deleted) and shows it: static/balises.js fills the form again, and without
JavaScript the texts are on the page to copy. Nothing is ever acted on; a draft lives a day.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, timedelta
from urllib.parse import quote, urlsplit

from sqlmodel import col, delete
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from web import csrf
from web.forms import MAX_BODY, read_form
from web.site import Site, site
from web.staff import accounts
from web.store import db
from web.store.tables.staff import StaffDraft

DRAFT = "staff_draft"  # the browser session's key holding the draft's token
SCOPE = "balises.staff_draft"  # the draft a page shows (`staff/_base.html`)
KEEP = timedelta(days=1)
SECRET_FIELDS = frozenset({"csrf", "password", "old", "new", "again", "next"})
MAX_PATH = 300


@dataclass(frozen=True)
class Draft:
    """A draft given back: the form's address and its fields, in the form's order."""

    action: str
    fields: list[tuple[str, str]]

    @property
    def as_json(self) -> str:
        return json.dumps({"action": self.action, "fields": self.fields}, ensure_ascii=False)


def _id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _page(request: Request) -> str:
    """The staff page the form was on (its Referer, on this site), else the staff home."""
    parts = urlsplit(request.headers.get("referer", ""))
    if parts.netloc and parts.netloc != request.url.netloc:
        return "/staff"
    path = parts.path
    ok = path.startswith("/staff") and not path.startswith("/staff/login")
    return path[:MAX_PATH] if ok and "\\" not in path and "//" not in path else "/staff"


def _lapsed(current: Site, token: str | None) -> bool:
    with db.reading(current.engine) as session:
        return accounts.lapsed(session, token, current.now())


def _store(current: Site, token: str, page: str, action: str, fields: list[list[str]]) -> None:
    now = current.now().astimezone(UTC)
    with db.writing(current.engine) as session:
        stale = delete(StaffDraft).where(col(StaffDraft.created_at) < now - KEEP)
        session.exec(stale)
        typed = json.dumps(fields, ensure_ascii=False)
        session.add(
            StaffDraft(id=_id(token), page=page, action=action, fields=typed, created_at=now)
        )


async def keep(request: Request, cookie: str | None) -> Response | None:
    """Keep what an anonymous POST typed and send its author to log in again; None when it is
    not a lapsed login's form (the guard then refuses it, as before)."""
    current = site(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    declared = request.headers.get("content-length", "")
    small = declared.isascii() and declared.isdigit() and int(declared) <= MAX_BODY
    if kind != "application/x-www-form-urlencoded" or not small:
        return None  # a file upload, or a body of unknown size: never read without a login
    if cookie and not await db.call(current.engine, _lapsed, current, cookie):
        return None  # ended on purpose: a logout, a new password, a disabled account
    try:
        form = await read_form(request)
    except HTTPException:
        return None
    if not csrf.from_a_staff_page(request, form, current.settings):
        return None
    fields = [
        [name, value]
        for name, value in form.multi_items()
        if isinstance(value, str) and name not in SECRET_FIELDS and value.strip()
    ]
    page = _page(request)
    if fields:
        token = secrets.token_urlsafe(24)
        action = request.url.path[:MAX_PATH]
        await db.call(current.engine, _store, current, token, page, action, fields)
        request.session[DRAFT] = token
    response = RedirectResponse(f"/staff/login?next={quote(page, safe='/')}", 303)
    response.headers["Cache-Control"] = "no-store"
    return response


def waiting(request: Request) -> bool:
    """Whether this browser holds a draft to give back after its next login."""
    return isinstance(request.session.get(DRAFT), str)


def _take(current: Site, token: str, page: str) -> Draft | None:
    with db.writing(current.engine) as session:
        row = session.get(StaffDraft, _id(token))
        if row is None or row.page != page:
            return None
        session.delete(row)
        if _aware_age(current, row) > KEEP:
            return None
        fields = [(str(name), str(value)) for name, value in json.loads(row.fields)]
        return Draft(row.action, fields)


def _aware_age(current: Site, row: StaffDraft) -> timedelta:
    created = row.created_at
    if created.tzinfo is None:  # SQLite gives timestamps back naive (stored in UTC)
        created = created.replace(tzinfo=UTC)
    return current.now() - created


async def give_back(request: Request) -> None:
    """On a logged-in staff page: the draft kept for this page, if any, for the page to show."""
    token = request.session.get(DRAFT)
    if not isinstance(token, str):
        return
    current = site(request)
    draft = await db.call(current.engine, _take, current, token, request.url.path)
    if draft is not None:
        request.session.pop(DRAFT, None)
        request.scope[SCOPE] = draft
