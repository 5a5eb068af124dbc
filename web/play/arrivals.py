"""Arrival by GPS: `POST /c/{campaign}/{step}/ici` opens a `gps` checkpoint for a player who is
there.

The phone sends its position once (`lat`, `lon`, `accuracy` in metres) and the server decides
with `campaigns.places.arrived`: within the marker's radius, widened by the phone's accuracy up
to 100 m. The position is read, compared and dropped within this request: it is never written
to a table, a log, the session or a cache, and what the player is told holds only a rounded
distance. An arrival opens the checkpoint exactly as its QR scan would (a `Checkin`), under the
same rule (`StepStatus.awaits_scan`). Every try counts against the answer limits of the step, a
successful one given back, so a script sweeping coordinates is slowed like one guessing answers;
a position that cannot be read is counted too and changes nothing else (422).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from babel.numbers import format_decimal
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from campaigns.model import Campaign, Step
from campaigns.places import arrived, distance_m, rounded_distance
from campaigns.unlocks import campaign_phase
from web import errors, players
from web.forms import checked_form, text_field
from web.htmx import vary
from web.i18n import language
from web.play.steps import show
from web.play.views import campaign_view
from web.site import Site, site
from web.store import counters, db, progress

# A phone that knows its place only to 10 km has no fix worth comparing with a marker.
MOST_ACCURACY = 10_000.0


@dataclass(frozen=True)
class Position:
    """A position as a phone reports it; lives only as long as the request that brought it."""

    lat: float
    lon: float
    accuracy: float


def _number(form: FormData, name: str) -> float | None:
    """A finite decimal number from the form, else None (`abc`, `NaN`, `Infinity`, `1e999`)."""
    raw = text_field(form, name).strip()
    if not raw or len(raw) > 32:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_position(form: FormData) -> Position | str:
    """The posted position, or why it cannot be used: "no-position" or "vague-position"."""
    lat, lon, accuracy = (_number(form, name) for name in ("lat", "lon", "accuracy"))
    if lat is None or lon is None or accuracy is None:
        return "no-position"
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or accuracy < 0:
        return "no-position"
    if accuracy > MOST_ACCURACY:
        return "vague-position"
    return Position(lat, lon, accuracy)


def far_words(metres: float, lang: str) -> str:
    """The distance as the page says it: "320 m", "1,2 km"."""
    rounded = rounded_distance(metres)
    if rounded < 1000:
        return f"{rounded} m"
    return f"{format_decimal(rounded / 1000, format='#,##0.#', locale=lang)} km"


def _limits(current: Site, request: Request, pid: str | None, step: Step) -> list[counters.Limit]:
    """The answer limits of this step: a GPS try is counted like an answer."""
    settings = current.settings
    ip = counters.client_ip(request, settings.trusted_proxies)
    slug = request.path_params["campaign"]
    return counters.answer_limits(settings.answers_per_minute, pid or f"ip:{ip}", slug, step.id, ip)


def _arrive(
    current: Site, request: Request, campaign: Campaign, step: Step, form: FormData
) -> Response:
    lang = language(request, campaign)
    now = current.now().timestamp()
    position = read_position(form)
    details: dict[str, str] = {}
    with db.writing(current.engine) as session:
        pid = players.ensure_player_id(session, request, first_visit=True)
        limits = _limits(current, request, pid, step)
        wait = counters.take(session, limits, now)
        mine = progress.load(session, pid, campaign.slug)
        before = campaign_view(
            current, session, request, campaign, lang, player_id=pid, mine=mine
        ).by_id[step.id]
        if wait:
            kind = "slow"
        elif isinstance(position, str):
            kind = position
        else:
            assert step.where is not None  # `by_gps` was checked by the route
            metres = distance_m(step.where.lat, step.where.lon, position.lat, position.lon)
            here = arrived(step.where, position.lat, position.lon, position.accuracy)
            if not here:
                kind = "too-far"
                details["far"] = far_words(metres, lang)
            else:
                counters.give_back(session, limits, now)
                # As a scan: it opens the checkpoint only when it is all the step waits for;
                # outside the step's own window the page alone says when it opens.
                kind = "arrived" if before.awaits_scan or before.state == "done" else ""
                if before.state == "locked" and before.missing:
                    kind = "arrived-too-early"
                if before.awaits_scan:
                    if pid is not None:
                        progress.record_checkin(session, pid, campaign.slug, step.id)
                    mine.checked_in.add(step.id)
    del position  # read, compared, dropped: nothing of it outlives this request
    if kind == "slow":
        return errors.render_error(request, 429, lang=lang, campaign=campaign, retry_after=wait)
    if kind == "arrived" and pid is not None:
        request.session["flash"] = "arrived"
        url = request.url_for("step", campaign=campaign.slug, step=step.id).path
        return vary(RedirectResponse(url, status_code=303))
    view = campaign_view(current, None, request, campaign, lang, player_id=pid, mine=mine)
    status = 422 if kind in ("no-position", "vague-position") else 200
    return show(
        request,
        view,
        step,
        kind=kind or None,
        status=status,
        not_kept=players.not_kept(request),
        details=details,
    )


async def arrive(request: Request) -> Response:
    """`POST /c/{campaign}/{step}/ici`: only a checkpoint reached by GPS has this address."""
    current = site(request)
    campaign, step = current.step_in(request)
    if not step.by_gps:
        raise HTTPException(404)
    form = await checked_form(request)
    if campaign_phase(campaign, current.now()) == "closed":
        raise HTTPException(410)
    return await db.call(current.engine, _arrive, current, request, campaign, step, form)
