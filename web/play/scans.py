"""QR checkpoints scanned on site: `GET /k/{campaign}/{step}/{token}`, or opened by their short
code typed on the step's page: `POST /c/{campaign}/{step}/code` (form field `code`).

A valid token records the scan (and so the step as done) and shows the step's story, when the
scan is what the checkpoint waits for; the scan of a checkpoint still locked by earlier steps is
not kept and the page says what comes first (`campaigns.unlocks`: one rule for page and scan).
Anything else (unknown campaign or step, a step that is not a checkpoint, a wrong token) is the
plain 404 page, indistinguishable from any unknown URL, and counts as a miss against the
address: bursts of misses are answered 429, so guessing 80-bit tokens stays hopeless.

A short code (`Code : ABCD-23` under the QR on the sheet, `campaigns.checkpoints.short_code`)
is for who cannot scan: typed in any case, with spaces or dashes, O for 0 or I for 1. It opens
the checkpoint exactly as a scan does; a wrong one is counted against the same limit as a wrong
token and answered with one kind message that never says which character was wrong. Without
JavaScript the form's POST redirects (303) to the step; with htmx the play area is swapped, or
only its message for a wrong code.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from campaigns.checkpoints import verify_code, verify_token
from campaigns.model import Campaign, Step
from campaigns.unlocks import campaign_phase
from web import errors, i18n, players
from web.forms import checked_form, text_field
from web.htmx import is_htmx, swap_feedback, vary
from web.i18n import language
from web.play import preview
from web.play.steps import show
from web.play.views import CampaignView, campaign_view
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
    if campaign_phase(campaign, current.now()) == "closed":
        return errors.render_error(request, 410, lang=lang, campaign=campaign)
    view, kind = _opened(current, request, campaign, step, lang)
    return show(request, view, step, kind=kind)


def _opened(
    current: Site, request: Request, campaign: Campaign, step: Step, lang: str
) -> tuple[CampaignView, str | None]:
    """Record a genuine scan (or code) when it opens the checkpoint; the view after it, and
    what the player is told: "scanned", "scanned-too-early" or nothing. In preview, it is
    kept in the preview's session only."""
    previewed = preview.mine(current, request, campaign)
    if previewed is not None:
        return _previewed(current, request, campaign, step, previewed, lang)
    phase = campaign_phase(campaign, current.now())
    kind = None
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
    return view, kind


def _typed(current: Site, request: Request, campaign: Campaign, step: Step, typed: str) -> Response:
    lang = language(request, campaign)
    now = current.now()
    if campaign_phase(campaign, now) == "closed":
        raise HTTPException(410)
    if not typed.strip():
        return _refused(current, request, campaign, step, lang, "empty-code", 422)
    ip = counters.client_ip(request, current.settings.trusted_proxies)
    limits = counters.miss_limits(ip)
    with db.writing(current.engine) as session:
        # Counted like a QR token, a genuine code given back: tries sent at once all count.
        wait = counters.take(session, limits, now.timestamp())
        if wait:
            return _refused(current, request, campaign, step, lang, "slow", 429, wait)
        genuine = verify_code(current.settings.secret_key, campaign.slug, step.id, typed)
        if genuine:
            counters.give_back(session, limits, now.timestamp())
    if not genuine:
        return _refused(current, request, campaign, step, lang, "wrong-code", 422)
    view, kind = _opened(current, request, campaign, step, lang)
    if is_htmx(request):
        return show(request, view, step, kind=kind, fragment="_answer_result.html")
    if players.not_kept(request):
        return show(request, view, step, kind=kind, not_kept=players.not_kept(request))
    request.session["flash"] = kind
    url = request.url_for("step", campaign=campaign.slug, step=step.id).path
    return vary(RedirectResponse(url + "#play", status_code=303))


def _refused(
    current: Site,
    request: Request,
    campaign: Campaign,
    step: Step,
    lang: str,
    kind: str,
    status: int,
    wait: int | None = None,
) -> Response:
    """A code that opens nothing: its message alone with htmx (the field keeps what was typed),
    else the step's page with it, or the wait page of any rate limit."""
    headers = {"Retry-After": str(wait)} if wait else {}
    if is_htmx(request):
        i18n.use(lang)
        context = {"lang": lang, "kind": kind, "retry_after": wait}
        html = current.templates.get_template("_feedback.html").render(context)
        return swap_feedback(HTMLResponse(html, status_code=status, headers=headers))
    if wait:
        return errors.render_error(request, 429, lang=lang, campaign=campaign, retry_after=wait)
    with db.reading(current.engine) as session:
        view = campaign_view(current, session, request, campaign, lang)
    return show(request, view, step, kind=kind, status=status, headers=headers)


def _previewed(
    current: Site,
    request: Request,
    campaign: Campaign,
    step: Step,
    mine: progress.Progress,
    lang: str,
) -> tuple[CampaignView, str | None]:
    """A scan (or code) in preview: kept in the preview's session only, as a scan would be."""
    view = campaign_view(current, None, request, campaign, lang, mine=mine)
    before = view.by_id[step.id]
    kind = "scanned" if before.awaits_scan or before.state == "done" else None
    if kind is None and before.state == "locked":
        kind = "scanned-too-early"
    if before.awaits_scan:
        mine.checked_in.add(step.id)
        preview.save(request, mine)
        view = campaign_view(current, None, request, campaign, lang, mine=mine)
    return view, kind


async def scan(request: Request) -> Response:
    current = site(request)
    return await db.call(current.engine, _scan, current, request)


async def typed_code(request: Request) -> Response:
    """`POST /c/{campaign}/{step}/code`: the checkpoint's short code, typed by who cannot scan."""
    current = site(request)
    campaign, step = current.step_in(request)
    if not step.kind.scanned:
        raise HTTPException(404)
    form = await checked_form(request)
    typed = text_field(form, "code")
    return await db.call(current.engine, _typed, current, request, campaign, step, typed)
