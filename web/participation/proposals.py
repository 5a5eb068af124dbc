"""The archives' "photos mystères": what residents propose on an `identify` step.

A resident proposes what they recognise (free text, optionally a place and a date), within a
daily quota. Proposals saying the same thing form one group (`web.participation.groups`), which
staff accept or decline (`web.staff.identifications`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from campaigns.matching import normalise
from campaigns.model import Campaign, Step
from web.participation.form import FormState, clean, read_credit, receive
from web.participation.gallery import address_key
from web.participation.pages import done, refusal, too_many
from web.participation.quota import quota, store, who
from web.site import Site
from web.store import counters, db
from web.store.tables.participation import (
    PROPOSAL_DATE,
    PROPOSAL_PLACE,
    PROPOSAL_TEXT,
    Proposal,
)

PER_PLAYER_PER_DAY = 10


def _check(fields: dict[str, str]) -> FormState | dict[str, str]:
    values = {k: fields.get(k, "") for k in ("text", "place", "date", "credit", "credit_name")}
    # A memory comes in lines: they join with a space, never glued into one word.
    text = clean(" ".join(fields.get("text", "").splitlines()), PROPOSAL_TEXT)
    if not fields.get("text", "").strip() or (text and not normalise(text)):
        return FormState("empty-text", values=values)
    place = clean(fields.get("place", ""), PROPOSAL_PLACE)
    date_text = clean(fields.get("date", ""), PROPOSAL_DATE)
    too_long = not text or (fields.get("place", "").strip() and not place)
    if too_long or (fields.get("date", "").strip() and not date_text):
        return FormState("too-long", values=values)
    kind, name, error = read_credit(fields)
    if error:
        return FormState(error, values=values)
    return {
        "text": text,
        "key": normalise(text)[:200],
        "place": place,
        "date_text": date_text,
        "credit_kind": kind,
        "credit_name": name,
    }


async def propose(request: Request, current: Site, campaign: Campaign, step: Step) -> Response:
    """Receive what a resident recognised on a mystery photo."""
    received = await receive(request, current, photos=False)
    engine = current.engine
    ip = counters.client_ip(request, current.settings.trusted_proxies)

    def limits(player: str) -> list[counters.Limit]:
        return quota("propose", player, campaign.slug, ip, PER_PLAYER_PER_DAY)

    draft = received.refused or _check(received.fields)
    refused = await refusal(request, current, campaign, step, draft, limits(who(request, current)))
    if refused is not None:
        return refused
    assert not isinstance(draft, FormState)  # `refusal` answered a refused form

    address = address_key(current.settings.secret_key, ip)

    def row(pid: str | None) -> Proposal:
        return Proposal(
            player_id=pid,
            campaign=campaign.slug,
            step=step.id,
            address=address,
            **draft,  # type: ignore[arg-type]
        )

    wait = await db.call(engine, store, current, request, campaign, step, limits, row)
    if wait:
        return await too_many(request, current, campaign, step, wait)
    return await db.call(engine, done, current, request, campaign, step)
