"""Previews from the staff area: a staff member plays a campaign before it opens, and a cm makes
preview links for people without an account (the élus, the cabinet, the archives) to validate
it before the opening, each valid a number of days, listed with who made it and when, and
revocable at once.

The link's token is shown once, on the page that made it: the table keeps its SHA-256 only
(`web.play.preview_pages.token_id`), so no later page, backup or log can give it again.
"""

from __future__ import annotations

import secrets
from datetime import UTC, timedelta

from sqlmodel import col, select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from campaigns.model import localise
from web.forms import checked_form, text_field
from web.i18n import gettext as _
from web.play import preview
from web.play.preview_pages import token_id, utc
from web.site import Site, site
from web.staff.auth import forbidden, session_seconds, staff_language, staff_of, staff_page
from web.store import db
from web.store.tables.staff import PreviewLink, StaffUser
from web.templating import render

MOST_DAYS = 90
TOKEN_BYTES = 16  # 128 bits: hopeless to guess under the 404 limit


def _links(current: Site) -> list[dict[str, object]]:
    now = current.now()
    with db.reading(current.engine) as session:
        rows = session.exec(
            select(PreviewLink, StaffUser.name)
            .join(StaffUser, col(StaffUser.id) == col(PreviewLink.created_by))
            .order_by(col(PreviewLink.created_at).desc())
        ).all()
    found = []
    for link, name in rows:
        campaign = current.registry.get(link.campaign)
        expires = utc(link.expires_at)
        state = "revoked" if link.revoked_at else "expired" if expires <= now else "valid"
        found.append(
            {
                "id": link.id,
                "campaign": localise(campaign.title, "fr") if campaign else link.campaign,
                "by": name,
                "created_at": utc(link.created_at),
                "expires_at": expires,
                "state": state,
            }
        )
    return found


async def _page(request: Request, *, status: int = 200, **context: object) -> Response:
    current = site(request)
    values = {
        "staff": staff_of(request),
        "campaigns": current.registry.campaigns(),
        "links": await db.call(current.engine, _links, current),
        "most_days": MOST_DAYS,
        "revoked": request.query_params.get("revoque") == "1",
        **context,
    }
    return render(
        request, "staff/previews.html", values, lang=staff_language(request), status=status
    )


@staff_page()
async def previews(request: Request) -> Response:
    return await _page(request)


@staff_page()
async def play(request: Request) -> Response:
    """Play a campaign in preview, for as long as a staff session lasts."""
    current = site(request)
    await checked_form(request)
    campaign = current.registry.get(request.path_params["campaign"])
    if campaign is None:
        return forbidden(request, _("Cette campagne n'existe pas (ou plus)."))
    until = current.now() + timedelta(seconds=session_seconds(current))
    preview.start(request, campaign.slug, until)
    return RedirectResponse(f"/c/{campaign.slug}", status_code=303)


def _create(current: Site, slug: str, days: int, user_id: int) -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = current.now().astimezone(UTC)  # stored in UTC: SQLite keeps the wall-clock time
    with db.writing(current.engine) as session:
        session.add(
            PreviewLink(
                id=token_id(token),
                campaign=slug,
                created_by=user_id,
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
        )
    return token


@staff_page(role="cm")
async def create(request: Request) -> Response:
    current = site(request)
    form = await checked_form(request)
    slug, days_text = text_field(form, "campaign"), text_field(form, "days").strip()
    campaign = current.registry.get(slug)
    days = int(days_text) if days_text.isascii() and days_text.isdigit() else 0
    if campaign is None:
        return await _page(request, status=422, error=_("Choisissez une campagne de la liste."))
    if not 1 <= days <= MOST_DAYS:
        error = _("Durée : un nombre de jours entre 1 et %(most)s.") % {"most": MOST_DAYS}
        return await _page(request, status=422, error=error, days=days_text, chosen=slug)
    user = staff_of(request).id
    token = await db.call(current.engine, _create, current, campaign.slug, days, user)
    made = f"{current.settings.base_url}/apercu/{token}"
    return await _page(request, status=201, made=made, made_days=days)


def _revoke(current: Site, link: str) -> bool:
    with db.writing(current.engine) as session:
        row = session.get(PreviewLink, link)
        if row is None or row.revoked_at is not None:
            return False
        row.revoked_at = current.now().astimezone(UTC)
        session.add(row)
    return True


@staff_page(role="cm")
async def revoke(request: Request) -> Response:
    current = site(request)
    await checked_form(request)
    link = request.path_params["link"]
    if not (len(link) == 64 and all(c in "0123456789abcdef" for c in link)):
        return forbidden(request, _("Ce lien d'aperçu n'existe pas (ou plus)."))
    if not await db.call(current.engine, _revoke, current, link):
        return forbidden(request, _("Ce lien d'aperçu n'existe pas (ou plus)."))
    preview.forget_link(link)
    return RedirectResponse("/staff/apercus?revoque=1", status_code=303)
