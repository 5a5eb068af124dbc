"""QR checkpoints scanned on site: `GET /k/{campaign}/{step}/{token}`.

A valid token records the scan (and so the step as done) and shows the step's story, when the
scan is what the checkpoint waits for; the scan of a checkpoint still locked by earlier steps is
not kept and the page says what comes first (`campaigns.unlocks`: one rule for page and scan).
Anything else (unknown campaign or step, a step that is not a checkpoint, a wrong token) is the
plain 404 page, indistinguishable from any unknown URL, and counts as a miss against the
address: bursts of misses are answered 429, so guessing 80-bit tokens stays hopeless.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from campaigns.checkpoints import verify_token
from campaigns.model import Campaign, Step
from campaigns.unlocks import campaign_phase
from web import errors, players
from web.i18n import language
from web.play import preview
from web.play.steps import show
from web.play.views import campaign_view
from web.site import Site, site
from web.store import counters, db, progress


def _scan(current: Site, request: Request) -> Response:
    params = request.path_params
    campaign = current.visible(params["campaign"], request)  # hidden before it opens
    step = campaign.step(params["step"]) if campaign else None
    ip = counters.client_ip(request, current.settings.trusted_proxies)
    limits = counters.miss_limits(ip)
    now = current.now()
    with db.writing(current.engine) as session:
        # Every scan is counted, a genuine one given back: the limit on misses holds for
        # tries sent at once.
        wait = counters.take(session, limits, now.timestamp())
        if wait:
            return errors.render_error(request, 429, retry_after=wait)
        genuine = (
            campaign is not None
            and step is not None
            and step.by_qr
            and verify_token(current.settings.secret_key, campaign.slug, step.id, params["token"])
        )
        if genuine:
            counters.give_back(session, limits, now.timestamp())
    if not genuine:
        # Not HTTPException: its handler would link back to the campaign, revealing it exists.
        return errors.render_error(request, 404)
    assert campaign is not None and step is not None
    return _record(current, request, campaign, step)


def _record(current: Site, request: Request, campaign: Campaign, step: Step) -> Response:
    """Record the scan when it opens the checkpoint (`StepStatus.awaits_scan`), and show the
    step: its story when done, else what it still waits for, as its page says."""
    lang = language(request, campaign)
    phase = campaign_phase(campaign, current.now())
    if phase == "closed":
        return errors.render_error(request, 410, lang=lang, campaign=campaign)
    kind = None
    previewed = preview.mine(current, request, campaign)
    if previewed is not None:
        return _previewed(current, request, campaign, step, previewed, lang)
    with db.writing(current.engine) as session:
        pid = None
        mine = None
        if phase == "open":
            pid = players.ensure_player_id(session, request, first_visit=True)
            mine = progress.load(session, pid, campaign.slug)
            before = campaign_view(
                current, session, request, campaign, lang, player_id=pid, mine=mine
            ).by_id[step.id]
            if before.awaits_scan:
                if pid is not None:
                    progress.record_checkin(session, pid, campaign.slug, step.id)
                mine.checked_in.add(step.id)
                kind = "scanned"
            elif before.state == "done":
                kind = "scanned"
            elif before.state == "locked":
                kind = "scanned-too-early"  # outside its own window, the page alone says so
        view = campaign_view(current, session, request, campaign, lang, player_id=pid, mine=mine)
    return show(request, view, step, kind=kind)


def _previewed(
    current: Site,
    request: Request,
    campaign: Campaign,
    step: Step,
    mine: progress.Progress,
    lang: str,
) -> Response:
    """A scan in preview: kept in the preview's session only, as a scan would be."""
    view = campaign_view(current, None, request, campaign, lang, mine=mine)
    before = view.by_id[step.id]
    kind = "scanned" if before.awaits_scan or before.state == "done" else None
    if kind is None and before.state == "locked":
        kind = "scanned-too-early"
    if before.awaits_scan:
        mine.checked_in.add(step.id)
        preview.save(request, mine)
        view = campaign_view(current, None, request, campaign, lang, mine=mine)
    return show(request, view, step, kind=kind)


async def scan(request: Request) -> Response:
    current = site(request)
    return await db.call(current.engine, _scan, current, request)
