"""Who may enter the staff area: login, logout, password change, and the guard of every page.

The `staff_page` guard runs before a handler reads anything of the request, so an anonymous
visitor or a player never gets a staff page (a GET is sent to the login page, anything else is
refused with 403) and an anonymous 2 GB POST is refused before its body is read. The staff
cookie holds an opaque token looked up on the server at each request (`accounts.identify`), and
the forms of a staff page carry CSRF tokens bound to that login (`web.csrf.bind_to`): a token of
an anonymous page or of another staff session is refused.

Failed logins are counted in the database (`web.store.counters`, shared by every worker) per account
and browser or address, per address and per account from unknown browsers (`web.staff.guessing`
says why so): past a limit the form answers 429 and says how long to wait, whatever the
password, while the account's owner can still log in from a browser they used before.

Staff pages speak French unless the staff member asked for English (`?lang=en`, remembered in
the session, or the browser's Accept-Language): the guard sets the request's language before
the handler runs, so the messages a handler writes (`web.i18n.gettext`) are in that language.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from web import csrf, i18n
from web.forms import checked_form, text_field
from web.i18n import gettext as _
from web.site import Site, site
from web.staff import accounts, drafts, expiry, guessing
from web.staff.accounts import StaffIdentity
from web.store import counters, db
from web.store.tables.staff import StaffUser
from web.templating import render

COOKIE = "balises_staff"
COOKIE_PATH = "/staff"
LOGIN = "/staff/login"
HOME = "/staff"

Handler = Callable[[Request], Awaitable[Response]]


def staff_language(request: Request) -> str:
    """French, or the language the staff member chose; also what `gettext` speaks from now on."""
    lang = i18n.choose(request, i18n.SITE_LANGUAGES)
    i18n.use(lang)
    return lang


def session_seconds(current: Site) -> int:
    """12 hours, unless the settings carry a `staff_session_max_age` of their own."""
    value = getattr(current.settings, "staff_session_max_age", accounts.SESSION_SECONDS)
    return int(value)


def _identify(current: Site, token: str | None) -> StaffIdentity | None:
    with db.reading(current.engine) as session:
        return accounts.identify(session, token, current.now())


async def current_staff(request: Request) -> StaffIdentity | None:
    current = site(request)
    return await db.call(current.engine, _identify, current, request.cookies.get(COOKIE))


def staff_of(request: Request) -> StaffIdentity:
    """The logged-in staff member of a request that went through `staff_page`."""
    user = request.state.staff
    assert isinstance(user, StaffIdentity)
    return user


def forbidden(request: Request, message: str | None = None) -> Response:
    return render(
        request,
        "staff/forbidden.html",
        {"message": message},
        lang=staff_language(request),
        status=403,
        headers={"Cache-Control": "no-store"},
    )


def safe_next(target: str) -> str:
    """Where to go after login: a staff path of this site, never another site."""
    if target.startswith("/staff") and not target.startswith("//") and "\\" not in target:
        return target
    return HOME


def staff_page(role: str = "staff") -> Callable[[Handler], Handler]:
    """Guard a handler: logged-in staff only (and only the cm when `role` is 'cm')."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: Request) -> Response:
            staff_language(request)
            user = await current_staff(request)
            if user is None:
                if request.method in ("GET", "HEAD"):
                    target = quote(request.url.path, safe="/")
                    response: Response = RedirectResponse(f"{LOGIN}?next={target}", 302)
                    response.headers["Cache-Control"] = "no-store"
                    return response
                # A form sent once the login ran out: its text is kept for after the next one.
                kept = await drafts.keep(request, request.cookies.get(COOKIE))
                return kept or forbidden(request)
            if role == "cm" and not user.is_cm:
                return forbidden(request, _("Cette page est réservée aux community managers."))
            request.state.staff = user
            csrf.bind_to(request, accounts.csrf_key(request.cookies.get(COOKIE, "")))
            expiry.note(request, user, site(request).now())
            if request.method == "GET" and drafts.waiting(request):
                await drafts.give_back(request)
            response = await handler(request)
            response.headers.setdefault("Cache-Control", "no-store")
            return response

        return guarded

    return wrap


def _login_page(request: Request, *, status: int = 200, **context: object) -> Response:
    values: dict[str, object] = {"next": safe_next(request.query_params.get("next", HOME))}
    values["draft_kept"] = drafts.waiting(request)  # said: what was typed will come back
    values.update(context)
    return render(
        request,
        "staff/login.html",
        values,
        lang=staff_language(request),
        status=status,
        headers={"Cache-Control": "no-store"},
    )


async def login_form(request: Request) -> Response:
    if await current_staff(request) is not None:
        return RedirectResponse(HOME, 302)
    return _login_page(request)


@dataclass(frozen=True)
class Attempt:
    """What became of one login try."""

    token: str | None = None  # the new session's cookie token, when the password was right
    wait: int = 0  # seconds to wait, when a limit was reached (the password was not checked)
    known_device: bool = False


def _try_login(current: Site, name: str, password: str, ip: str, device: str | None) -> Attempt:
    """Take the try's place in the counters, check the password outside any write (Argon2 takes
    half a second, SQLite's write lock would stall every player meanwhile), then open the
    session and give the places back when it was right."""
    now = current.now()
    counted = guessing.limits_for(name, ip, device)
    with db.writing(current.engine) as session:
        wait = counters.take(session, counted.limits, now.timestamp())
    if wait:
        return Attempt(wait=wait, known_device=counted.known_device)
    with db.reading(current.engine) as session:
        user = accounts.authenticate(session, name, password, rehash=False)
    if user is None:
        return Attempt(known_device=counted.known_device)
    with db.writing(current.engine) as session:
        counters.give_back(session, counted.limits, now.timestamp())
        fresh = session.get(StaffUser, user.id)
        if fresh is None or not fresh.active:
            return Attempt(known_device=counted.known_device)
        accounts.rehash_if_needed(session, fresh, password)
        token = accounts.open_session(session, fresh, now, session_seconds(current))
    return Attempt(token=token, known_device=counted.known_device)


def set_cookie(current: Site, response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=session_seconds(current),
        path=COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=current.settings.base_url.startswith("https://"),
    )


async def login(request: Request) -> Response:
    current = site(request)
    form = await checked_form(request)
    name = text_field(form, "name")
    password = text_field(form, "password")
    target = safe_next(text_field(form, "next"))
    ip = counters.client_ip(request, current.settings.trusted_proxies)
    secret = current.settings.secret_key
    device = guessing.device_of(secret, request.cookies.get(guessing.DEVICE_COOKIE), name)
    tried = await db.call(current.engine, _try_login, current, name, password, ip, device)
    if tried.wait:
        return _rate_limited(request, name, tried)
    if tried.token is None:
        return _login_page(request, status=400, name=name, failed=True, next=target)
    response = RedirectResponse(target, 303)
    set_cookie(current, response, tried.token)
    response.set_cookie(
        guessing.DEVICE_COOKIE,
        guessing.device_cookie(secret, name)
        if device is None
        else request.cookies[guessing.DEVICE_COOKIE],
        max_age=guessing.DEVICE_SECONDS,
        path=LOGIN,
        httponly=True,
        samesite="strict",
        secure=current.settings.base_url.startswith("https://"),
    )
    return response


def _rate_limited(request: Request, name: str, tried: Attempt) -> Response:
    minutes = max(1, (tried.wait + 59) // 60)
    response = _login_page(
        request,
        status=429,
        name=name,
        wait_minutes=minutes,
        unknown_device=not tried.known_device,
    )
    response.headers["Retry-After"] = str(tried.wait)
    return response


def _logout(current: Site, token: str) -> None:
    with db.writing(current.engine) as session:
        accounts.close_session(session, token)


@staff_page()
async def logout(request: Request) -> Response:
    current = site(request)
    await checked_form(request)
    await db.call(current.engine, _logout, current, request.cookies.get(COOKIE, ""))
    response = RedirectResponse(LOGIN, 303)
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response


@staff_page()
async def password_form(request: Request) -> Response:
    return render(
        request,
        "staff/password.html",
        {"staff": staff_of(request)},
        lang=staff_language(request),
    )


def _change_password(current: Site, user_id: int, old: str, new: str) -> str:
    """Check the old password, set the new one, end every session; the new session's token."""
    with db.writing(current.engine) as session:
        user = session.get(StaffUser, user_id)
        if user is None or accounts.authenticate(session, user.name, old) is None:
            raise accounts.AccountError(_("le mot de passe actuel n'est pas le bon"))
        accounts.set_password(session, user, new)
        return accounts.open_session(session, user, current.now(), session_seconds(current))


@staff_page()
async def change_password(request: Request) -> Response:
    current = site(request)
    form = await checked_form(request)
    user = staff_of(request)
    new = text_field(form, "new")
    error = None
    if new != text_field(form, "again"):
        error = _("les deux nouveaux mots de passe ne sont pas identiques")
    else:
        try:
            token = await db.call(
                current.engine, _change_password, current, user.id, text_field(form, "old"), new
            )
        except accounts.AccountError as refused:
            error = str(refused)
    if error is not None:
        return render(
            request,
            "staff/password.html",
            {"staff": user, "error": error},
            lang=staff_language(request),
            status=400,
        )
    response = RedirectResponse(f"{HOME}?motdepasse=ok", 303)
    set_cookie(current, response, token)
    return response
