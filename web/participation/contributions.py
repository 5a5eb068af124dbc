"""What residents send from their phones on `contribution` steps: a photo and/or a text.

`POST /c/{campaign}/{step}` on those steps lands here (handed over by `web.play.steps.answer`). The
form is read as it streams (`web.participation.form.receive`); the photo then goes through
`media.library.ingest`, which refuses anything that is not a photo with a French message and
leaves no file behind. The resident chooses how to be credited and must agree to the
publication licence; the contribution waits for the community manager (`web.staff.moderation`).
Daily quotas (`web.participation.quota`) stop a script sending 100 photos an hour.

The participation half's functions on player data (`player_contributions`, `forget_player`,
`purge_campaign`, in `web.participation.sent`) are looked up here by `web.privacy.mydata` and
`web.privacy.retention`, so they stay importable from this module.
"""

from __future__ import annotations

from sqlmodel import SQLModel
from starlette.requests import Request
from starlette.responses import Response

from campaigns.model import Campaign, Step
from media.library import UploadRejected, ingest
from web import offload
from web.participation.form import (
    FormState,
    Received,
    clean,
    form_state,
    photo_dir,
    read_credit,
    receive,
)
from web.participation.gallery import drop_unused_photo
from web.participation.pages import done, page, refusal, too_many
from web.participation.quota import quota, store, who
from web.participation.sent import forget_player, player_contributions, purge_campaign, unused
from web.site import Site
from web.store import counters, db
from web.store.tables.participation import LICENCE, Submission

__all__ = [
    "contribute",
    "forget_player",
    "form_state",
    "photo_dir",
    "player_contributions",
    "purge_campaign",
    "unused",
]

MAX_TEXT = 4000
MAX_CAPTION = 200
PER_PLAYER_PER_DAY = 5  # contributions per player, per campaign and day
PER_ADDRESS_PER_DAY = 20  # contributions from one address per day, whatever the cookie
# What a refused form gives back as it was typed (a photo cannot be given back).
TYPED = ("text", "caption", "credit", "credit_name", "licence")


def _check(step: Step, fields: dict[str, str], has_photo: bool) -> FormState | dict[str, object]:
    """The contribution to store, or every reason it cannot be (the form again, as typed)."""
    values = {k: fields.get(k, "") for k in TYPED}
    if has_photo:
        values["photo_sent"] = "1"  # the browser forgets the file: the resident is told
    errors: list[tuple[str, str]] = []
    text = fields.get("text", "").strip() if "text" in step.accept else ""
    if len(text) > MAX_TEXT:
        errors.append(("text", "too-long"))
    elif not text and not has_photo:
        if "text" not in step.accept:
            errors.append(("photo", "empty-photo"))
        elif "photo" not in step.accept:
            errors.append(("text", "empty-text"))
        else:  # either will do: both fields say so
            errors += [("photo", "empty"), ("text", "empty")]
    caption = clean(fields.get("caption", ""), MAX_CAPTION) if has_photo else ""
    kind, name, error = read_credit(fields)
    if error:
        errors.append(("credit_name", error))
    if fields.get("licence", "").strip().lower() not in (LICENCE.lower(), "on"):
        errors.append(("licence", "licence"))
    if errors:
        return FormState(errors, values=values)
    return {"text": text, "caption": caption, "credit_kind": kind, "credit_name": name}


async def contribute(request: Request, current: Site, campaign: Campaign, step: Step) -> Response:
    """Receive a contribution (photo and/or text) from a resident's phone."""
    received = await receive(request, current, photos="photo" in step.accept)
    try:
        return await _contribute(request, current, campaign, step, received)
    finally:
        if received.photo is not None:
            received.photo.unlink(missing_ok=True)


async def _contribute(
    request: Request, current: Site, campaign: Campaign, step: Step, received: Received
) -> Response:
    engine = current.engine
    ip = counters.client_ip(request, current.settings.trusted_proxies)

    def limits(player: str) -> list[counters.Limit]:
        return quota("contribute", player, campaign.slug, ip, PER_PLAYER_PER_DAY)

    draft = received.refused or _check(step, received.fields, received.photo is not None)
    typed = {k: received.fields.get(k, "") for k in TYPED}
    if received.photo is not None:
        typed["photo_sent"] = "1"
    mine = limits(who(request, current))
    refused = await refusal(request, current, campaign, step, draft, mine, typed)
    if refused is not None:
        return refused
    assert not isinstance(draft, FormState)  # `refusal` answered a refused form
    if received.photo is not None:
        try:
            stored = await offload.run(ingest, received.photo, media_dir=photo_dir(current))
        except UploadRejected as rejected:
            typed.pop("photo_sent")  # the refusal says what to do with the photo
            bad_photo = FormState.one("photo", "photo", detail=rejected.message, values=typed)
            return await db.call(
                engine,
                page,
                current,
                request,
                campaign,
                step,
                status=rejected.status,
                state=bad_photo,
            )
        draft.update(photo_sha256=stored.sha256, photo_width=stored.width)
        draft["photo_height"] = stored.height

    def row(pid: str | None) -> SQLModel:
        return Submission(player_id=pid, campaign=campaign.slug, step=step.id, **draft)  # type: ignore[arg-type]

    wait = await db.call(engine, store, current, request, campaign, step, limits, row)
    if wait:
        sha256 = draft.get("photo_sha256")
        if isinstance(sha256, str):
            await db.call(engine, drop_unused_photo, current, sha256)
        return await too_many(request, current, campaign, step, wait, typed)
    return await db.call(engine, done, current, request, campaign, step)
