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
TYPED = ("text", "place", "date", "credit", "credit_name")  # given back when refused


def _check(fields: dict[str, str]) -> FormState | dict[str, str]:
    """The proposal to store, or every reason it cannot be (the form again, as typed)."""
    values = {k: fields.get(k, "") for k in TYPED}
    errors: list[tuple[str, str]] = []
    # A memory comes in lines: they join with a space, never glued into one word.
    typed = fields.get("text", "")
    text = clean(" ".join(typed.splitlines()), PROPOSAL_TEXT)
    if not typed.strip() or (text and not normalise(text)):
        errors.append(("text", "empty-text"))
    elif not text:
        errors.append(("text", "too-long-text"))
    place = clean(fields.get("place", ""), PROPOSAL_PLACE)
    if fields.get("place", "").strip() and not place:
        errors.append(("place", "too-long-place"))
    date_text = clean(fields.get("date", ""), PROPOSAL_DATE)
    if fields.get("date", "").strip() and not date_text:
        errors.append(("date", "too-long-date"))
    kind, name, error = read_credit(fields)
    if error:
        errors.append(("credit_name", error))
    if errors:
        return FormState(errors, values=values)
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
    typed = {k: received.fields.get(k, "") for k in TYPED}
    mine = limits(who(request, current))
    refused = await refusal(request, current, campaign, step, draft, mine, typed)
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
        return await too_many(request, current, campaign, step, wait, typed)
    return await db.call(engine, done, current, request, campaign, step)
