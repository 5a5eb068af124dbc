"""A step's page, its answer and its hint: `GET/POST /c/{campaign}/{step}`, `POST …/indice`,
and moving on after the last hint: `POST …/passer`, `POST …/reponse` (`web.play.movingon`).

Every POST is judged and stored in one write transaction that commits before the response is
built: what the player is told was stored is stored. With htmx the response is the play
fragment alone (`_answer_result.html`, `_hint.html`), or only the message when the play area
does not change (a wrong or refused answer: `_feedback_html`); without JavaScript a successful
POST redirects (303) to the step page, which shows the outcome from a one-time flash in the session.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from campaigns.model import Campaign, Step
from campaigns.unlocks import campaign_phase
from web import errors, i18n, players
from web.forms import checked_form
from web.htmx import is_htmx, swap_feedback, vary
from web.i18n import language
from web.play import answers, movingon
from web.play.views import CampaignView, campaign_view, hints_left, moves_left, step_view
from web.site import Site, site
from web.store import db, progress
from web.templating import render

FLASHES = frozenset(
    {"wrong", "solved", "already", "hint", "read", "contributed", "scanned"}
    | {"passed", "answer-seen", "seen", "scanned-too-early"}
)

# What a POST on a step asks: an answer (or a story read), a hint, or a move after the last hint.
ANSWER, HINT = "answer", "hint"


def show(
    request: Request,
    view: CampaignView,
    step: Step,
    *,
    kind: str | None = None,
    status: int = 200,
    fragment: str | None = None,
    not_kept: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The step page (or its play fragment) for the player's current progress."""
    current = site(request)
    sv = step_view(current, view, step)
    context: dict[str, Any] = {
        "campaign": view.campaign,
        "view": view,
        "sv": sv,
        "kind": kind,
        "hints_left": hints_left(view, step) if sv.more_hints else 0,
        "moves": moves_left(view, step),
        "hint_brought": sv.last_hint,
        "next_step": view.next(after=step.id),
        "not_kept": not_kept,
        "retry_after": (headers or {}).get("Retry-After"),
    }
    for extra in current.step_extras:
        context.update(extra(request, view.campaign, step))
    name = fragment or "step.html"
    return render(request, name, context, lang=view.lang, status=status, headers=headers)


def _page(
    current: Site,
    request: Request,
    campaign: Campaign,
    step: Step,
    mine: progress.Progress | None = None,
) -> Response:
    lang = language(request, campaign)
    flash = request.session.pop("flash", None) if "flash" in request.session else None
    if mine is None:
        mine = progress.load_now(current.engine, players.player_id(request), campaign.slug)
    view = campaign_view(current, None, request, campaign, lang, mine=mine)
    return show(request, view, step, kind=flash if flash in FLASHES else None)


async def step_page(request: Request) -> Response:
    current = site(request)
    campaign, step = current.step_in(request)
    pid = players.player_id(request)
    mine = await progress.load_awaited(current.reads, pid, campaign.slug)
    if mine is not None:  # read on the event loop (PostgreSQL)
        return _page(current, request, campaign, step, mine)
    return await db.glance(current.engine, _page, current, request, campaign, step)


def _post(
    current: Site, request: Request, campaign: Campaign, step: Step, form: FormData, action: str
) -> Response:
    lang = language(request, campaign)
    if campaign_phase(campaign, current.now()) == "closed":
        raise HTTPException(410)
    cookies_lost = not players.arrived_with_session(request)
    now = current.now().timestamp()
    answering = action == ANSWER and step.answerable
    if answering and not cookies_lost:
        stored = answers.wrong_answer_stored_alone(
            current, request, campaign, step, form, lang, now
        )
        if stored is not None:
            view, outcome = stored
            return _respond(request, view, step, outcome, hint=False, not_kept=None)
    # One write transaction (one commit, one fsync) holds everything an answer stores: the
    # player row when new, the rate-limit counters, the Attempt and the Solve.
    with db.writing(current.engine) as session:
        pid, mine, counted = answers.player_progress(
            current, session, request, step, campaign.slug, now if answering else None
        )
        view = campaign_view(current, session, request, campaign, lang, player_id=pid, mine=mine)
        view.player_id = pid
        before = _moves_made(view)
        if action in movingon.MOVES:
            outcome = movingon.move_on(session, view, step, action, form)
        else:
            hint = action == HINT
            outcome = answers.judge(current, request, session, view, step, form, hint, now, counted)
    if _moves_made(view) != before:
        # The transaction is committed and made a step done: the states follow from it.
        view = campaign_view(current, None, request, campaign, lang, player_id=pid, mine=view.mine)
        view.player_id = pid
    not_kept = players.not_kept(request)
    return _respond(request, view, step, outcome, hint=action == HINT, not_kept=not_kept)


def _moves_made(view: CampaignView) -> tuple[int, int, int]:
    """What of the player's progress decides the steps' states: done, passed, answers seen."""
    mine = view.mine
    return len(mine.done), len(mine.passed), len(mine.seen)


def _respond(
    request: Request,
    view: CampaignView,
    step: Step,
    outcome: answers.Outcome,
    *,
    hint: bool,
    not_kept: str | None,
) -> Response:
    """The response to a POST on a step: a fragment for htmx, else a redirect or the page."""
    kind, status, headers = outcome
    campaign = view.campaign
    if is_htmx(request):
        if kind in ANSWER_ONLY and not hint:
            retry = int(headers["Retry-After"]) if "Retry-After" in headers else None
            html = _feedback_html(
                site(request).templates,
                view.lang,
                kind,
                hints_left(view, step),
                moves_left(view, step),
                not_kept,
                retry,
            )
            return swap_feedback(HTMLResponse(html, status_code=status, headers=headers))
        fragment = "_hint.html" if hint else "_answer_result.html"
        return show(
            request,
            view,
            step,
            kind=kind,
            status=status,
            fragment=fragment,
            not_kept=not_kept,
            headers=headers,
        )
    if status == 200 and not not_kept:
        request.session["flash"] = kind
        url = request.url_for("step", campaign=campaign.slug, step=step.id).path
        anchor = "#play" if step.answerable else ""
        return vary(RedirectResponse(url + anchor, status_code=303))
    if status == 429:
        return errors.render_error(
            request, 429, lang=view.lang, campaign=campaign, retry_after=int(headers["Retry-After"])
        )
    return show(request, view, step, kind=kind, status=status, not_kept=not_kept)


# Outcomes of an answer that leave the play area as it was: with htmx only the message is swapped
# in, so what the player typed stays in the field.
ANSWER_ONLY = frozenset({"wrong", "empty", "too-long", "slow"})


@lru_cache(maxsize=1024)
def _feedback_html(
    templates: Environment,
    lang: str,
    kind: str,
    more_hints: int,
    moves: str,
    not_kept: str | None,
    retry_after: int | None,
) -> str:
    """The message of an answer that changed nothing on the page (`_feedback.html`), the same
    for every player on a step in one language: remembered (most answers are wrong)."""
    i18n.use(lang)
    context: dict[str, Any] = {
        "lang": lang,
        "kind": kind,
        "hints_left": more_hints,
        "moves": moves,
        "not_kept": not_kept,
        "retry_after": retry_after,
    }
    return templates.get_template("_feedback.html").render(context)


async def _posted(request: Request, action: str) -> Response:
    current = site(request)
    campaign, step = current.step_in(request)
    form = await checked_form(request)
    return await db.call(current.engine, _post, current, request, campaign, step, form, action)


async def answer(request: Request) -> Response:
    """An answer to a riddle or a question, or a story read (`web.routes.post_step`)."""
    return await _posted(request, ANSWER)


async def ask_hint(request: Request) -> Response:
    return await _posted(request, HINT)


async def pass_step(request: Request) -> Response:
    """The "Passer cette étape" button, after the last hint: the step stays open to come back to."""
    return await _posted(request, movingon.PASS)


async def see_answer(request: Request) -> Response:
    """The "Voir la réponse" button, where the campaign allows it: "réponse vue", never "trouvé"."""
    return await _posted(request, movingon.SEE_ANSWER)
