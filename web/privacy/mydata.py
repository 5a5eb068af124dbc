"""A player's own data: their page (`/moi`), its JSON download, and "forget me".

Everything here is keyed on the player of the session cookie and on nothing the request could
name: there is no URL with a player id, so no one can read or delete someone else's data.

"Forget me" deletes the player and everything tied to them, in one transaction (the rate
counters keyed on them in a second one, `forget_counters`), retried after a deadlock: their
contributions go through the participation half (`web.participation.contributions.forget_player`:
pending and
rejected ones deleted, accepted ones keep their publication but lose their author's name), their
progress becomes anonymous figures (`web.privacy.retention.retire`), their answers are unlinked
from them
(the wrong answers stay counted), thanks to them stay in the cm's ledger without their name, any
other row carrying their id goes (`web.store.player_rows` finds every such column), and the session
cookie is cleared. Requests of the same phone still in flight cannot store anything of theirs
afterwards (see `web.store.player_rows`): they are answered as a new visitor's, or with a 503.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from campaigns.model import Campaign
from web import i18n, players
from web.forms import checked_form, text_field
from web.participation import sent
from web.privacy import tombstones
from web.privacy.forgetting import forget, forget_counters
from web.site import Site, site
from web.store import db
from web.store.journeys import journeys
from web.store.tables.ledger import Thanks
from web.store.tables.play import Attempt, Checkin, Player, Solve, StepProgress
from web.templating import render

CONFIRM = "oui"


@dataclass(frozen=True)
class CampaignProgress:
    campaign: Campaign
    done: int
    total: int

    @property
    def finished(self) -> bool:
        return self.done >= self.total


def contributions_of(session: Session, player_id: str) -> list[dict[str, Any]]:
    return list(sent.player_contributions(session, player_id))


def progress_of(
    session: Session, player_id: str, campaigns: list[Campaign]
) -> list[CampaignProgress]:
    """Steps done out of the total, in each published campaign the player started."""
    found = []
    for campaign in campaigns:
        mine = journeys(session, campaign.slug, {player_id}).get(player_id)
        if mine is None:
            continue
        ids = {step.id for step in campaign.steps}
        done = len(mine.done & ids)
        found.append(CampaignProgress(campaign, done, len(ids)))
    return found


def page_context(
    session: Session, player_id: str | None, campaigns: list[Campaign]
) -> dict[str, Any]:
    """What `/moi` shows of the player's data (empty for a visitor with no player yet)."""
    if player_id is None:
        return {"progress": [], "contributions": [], "thanks": []}
    by_slug = {campaign.slug: campaign for campaign in campaigns}
    sent = []
    for item in contributions_of(session, player_id):
        campaign = by_slug.get(str(item.get("campaign")))
        step = campaign.step(str(item.get("step"))) if campaign else None
        sent.append({**item, "step_title": step.title if step else None, "step_campaign": campaign})
    return {
        "progress": progress_of(session, player_id, campaigns),
        "contributions": sent,
        "thanks": thanks_for(session, player_id),
    }


def _jsonable(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def export(session: Session, player: Player) -> dict[str, Any]:
    """All the data Balises holds about `player` (the download of `/moi/donnees.json`)."""
    pid = player.id

    def rows(table: Any, *fields: str) -> list[dict[str, Any]]:
        statement = select(table).where(table.player_id == pid).order_by(col(table.id))
        return [{name: getattr(row, name) for name in fields} for row in session.exec(statement)]

    thanks = [
        {
            "campaign": row.campaign,
            "what": row.what,
            "given_on": row.given_on,
            "note": row.note,
            "credited_as": row.recipient,
        }
        for row in thanks_for(session, pid)
    ]
    return {
        "player": {
            "id": pid,
            "resume_code": players.format_code(player.resume_code),
            "created_at": player.created_at,
        },
        "attempts": rows(Attempt, "campaign", "step", "guess", "correct", "at"),
        "solves": rows(Solve, "campaign", "step", "hints_used", "at"),
        # moved_on: 1 the step passed after its last hint, 2 its answer seen
        "hints": rows(StepProgress, "campaign", "step", "hints_shown", "moved_on"),
        "checkins": rows(Checkin, "campaign", "step", "at"),
        "contributions": contributions_of(session, pid),
        "thanks": thanks,
    }


def _forget_player(current: Site, player_id: str) -> None:
    """One transaction: lock the player row (first, as every request writing for the player
    does), forget, log the tombstone, commit."""
    campaigns = {c.slug: c for c in current.registry.campaigns()}
    with db.writing(current.engine) as session:
        # Locking the row makes a double tap forget once (the figures count each leaver once).
        locked = select(Player.id).where(Player.id == player_id).with_for_update()
        if session.exec(locked).first() is not None:
            forget(session, player_id, campaigns, current.settings.media_dir, counters=False)
            # --- deletion tombstone: logged (fsync) before the commit, so a restored
            # backup cannot bring this player back (web/privacy/tombstones.py) ---
            tombstones.record(current.settings.var_dir, player_id)
            # --- end deletion tombstone ---


def _download(current: Site, request: Request) -> Response:
    with db.reading(current.engine) as session:
        player = players.current_player(session, request)
        if player is None:
            return RedirectResponse("/moi", 303)
        data = export(session, player)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable)
    return Response(
        body,
        media_type="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="mes-donnees-balises.json"',
            "Cache-Control": "no-store",
        },
    )


async def download(request: Request) -> Response:
    current = site(request)
    return await db.call(current.engine, _download, current, request)


def _unconfirmed(current: Site, request: Request) -> Response:
    """The player's page again, saying nothing was deleted (the box was not ticked)."""
    with db.reading(current.engine) as session:
        player = players.current_player(session, request)
        pid = player.id if player else None
        context = page_context(session, pid, current.registry.campaigns())
    context["code"] = players.format_code(player.resume_code) if player else None
    context["forget_error"] = True
    lang = i18n.choose(request, i18n.SITE_LANGUAGES)
    return render(request, "me.html", context, lang=lang, status=422)


def _forget(current: Site, request: Request, form: FormData) -> Response:
    if text_field(form, "confirm") != CONFIRM:
        return _unconfirmed(current, request)
    pid = players.player_id(request)
    if pid is not None:
        # The same phone's requests may be in flight: a deadlock with one of them is retried.
        db.retried(_forget_player, current, pid)
        db.retried(forget_counters, current.engine, pid)
    request.session.clear()
    headers = {"Cache-Control": "no-store", "Clear-Site-Data": '"cache", "storage"'}
    return RedirectResponse("/moi?oubli=fait", 303, headers=headers)


async def forget_me(request: Request) -> Response:
    current = site(request)
    form = await checked_form(request)
    return await db.call(current.engine, _forget, current, request, form)


def thanks_for(session: Session, player_id: str) -> list[Thanks]:
    """The thanks a resident received, in the order they were given."""
    statement = (
        select(Thanks)
        .where(Thanks.player_id == player_id)
        .order_by(col(Thanks.given_on), col(Thanks.id))
    )
    return list(session.exec(statement))
