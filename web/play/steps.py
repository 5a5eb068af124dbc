"""A step's page, its answer and its hint: `GET/POST /c/{campaign}/{step}`, `POST …/indice`,
and moving on after the last hint: `POST …/passer`, `POST …/reponse` (`web.play.movingon`).

Every POST is judged and stored in one write transaction that commits before the response is
built: what the player is told was stored is stored. With htmx the response is the play
fragment alone (`_answer_result.html`, `_hint.html`), or only the message when the play area
does not change (a wrong or refused answer: `_feedback_html`); without JavaScript a successful
POST redirects (303) to the step page, which shows the outcome from a one-time flash in the session
(and a wrong answer back in its field); any other outcome, too many answers at once included,
is the step page itself, what was typed kept.
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
from web import i18n, players
from web.forms import checked_form, text_field
from web.htmx import is_htmx, swap_feedback, vary
from web.i18n import language
from web.play import answers, movingon, preview
from web.play.views import (
    CampaignView,
    StepView,
    campaign_view,
    hints_left,
    moves_left,
    step_view,
)
from web.site import Site, site
from web.store import db, progress
from web.templating import render

FLASHES = frozenset(
    {"wrong", "solved", "already", "hint", "read", "contributed", "scanned", "arrived"}
    | {"passed", "answer-seen", "seen", "scanned-too-early"}
)
# The session key of a refused answer given back to the field by the page the 303 leads to.
TYPED = "typed"

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
    typed: str = "",
    details: dict[str, str] | None = None,
) -> Response:
    """The step page (or its play fragment) for the player's current progress; `typed`: the
    answer the player sent, shown again in the field after a refusal (never a right one);
    `details` are words a message needs (how far a GPS arrival fell short)."""
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
        # An htmx fragment: what happened is said by the page's live region, and the focus
        # goes where the player goes on from (`_play.html`).
        "typed": typed,
        "announced": fragment is not None,
        "focus": focus_after(kind, sv) if fragment is not None else None,
        "details": details or {},
    }
    for extra in current.step_extras:
        context.update(extra(request, view.campaign, step))
    name = fragment or "step.html"
    return render(request, name, context, lang=view.lang, status=status, headers=headers)


def focus_after(kind: str | None, sv: StepView) -> str:
    """What takes the focus once htmx has swapped the play area in: the new hint (or the wider
    photo it brought), the story's heading once solved (the link onwards when there is no
    story), else the message. The next Tab then goes on from there, as after the no-JS page,
    which lands on `#play`, and never falls back to the page's top or its footer."""
    if kind == "hint" and sv.state == "open":
        if sv.last_hint in ("text", "both") and sv.hints:
            return "hint"
        if sv.picture is not None:
            return "photo"
    if kind in ("solved", "already") and sv.state == "done":
        return "story" if sv.step.story else "next"
    return "feedback"


def _page(
    current: Site,
    request: Request,
    campaign: Campaign,
    step: Step,
    mine: progress.Progress | None = None,
) -> Response:
    lang = language(request, campaign)
    flash = request.session.pop("flash", None) if "flash" in request.session else None
    typed = request.session.pop(TYPED, "") if TYPED in request.session else ""
    if mine is None:
        mine = progress.load_now(current.engine, players.player_id(request), campaign.slug)
    view = campaign_view(current, None, request, campaign, lang, mine=mine)
    kind = flash if flash in FLASHES else None
    return show(request, view, step, kind=kind, typed=typed if isinstance(typed, str) else "")


async def step_page(request: Request) -> Response:
    current = site(request)
    campaign, step = current.step_in(request)
    previewed = preview.mine(current, request, campaign)
    if previewed is not None:  # nothing to read: a preview's progress is in its session
        return _page(current, request, campaign, step, previewed)
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
    previewed = preview.mine(current, request, campaign)
    if previewed is not None:
        return _preview_post(current, request, campaign, step, form, action, previewed)
    cookies_lost = not players.arrived_with_session(request)
    now = current.now().timestamp()
    # The answer as typed (a hint's form sends it along), given back to the field.
    typed = text_field(form, "choice" if step.choices else "answer")[:MAX_TYPED]
    answering = action == ANSWER and step.answerable
    if answering and not cookies_lost:
        stored = answers.wrong_answer_stored_alone(
            current, request, campaign, step, form, lang, now
        )
        if stored is not None:
            view, outcome = stored
            return _respond(request, view, step, outcome, hint=False, not_kept=None, typed=typed)
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
    hint = action == HINT
    return _respond(request, view, step, outcome, hint=hint, not_kept=not_kept, typed=typed)


def _moves_made(view: CampaignView) -> tuple[int, int, int]:
    """What of the player's progress decides the steps' states: done, passed, answers seen."""
    mine = view.mine
    return len(mine.done), len(mine.passed), len(mine.seen)


def _preview_post(
    current: Site,
    request: Request,
    campaign: Campaign,
    step: Step,
    form: FormData,
    action: str,
    mine: progress.Progress,
) -> Response:
    """A POST in preview: judged like any, kept in the preview's session only (a step passed or
    its answer seen too). Wrong answers are still limited per address (a preview link must not
    become a way to try every name on a riddle before it opens); the limit's counter is the
    only row a preview ever touches."""
    lang = language(request, campaign)
    view = campaign_view(current, None, request, campaign, lang, mine=mine)
    hint = action == HINT
    outcome: answers.Outcome
    if action in movingon.MOVES:
        outcome = movingon.refusal(view, step, action) or movingon.moved(view, step, action)
        preview.save(request, mine)
        view = campaign_view(current, None, request, campaign, lang, mine=mine)
        return _respond(request, view, step, outcome, hint=False, not_kept=None)
    judged = answers.verdict(view, step, form, hint=hint)
    outcome = judged.refused or (judged.kind, 200, {})
    if judged.kind == "hint":
        mine.hints[step.id] = min(mine.asked(step.id) + 1, progress.max_hints(step))
    elif judged.kind == "read":
        mine.done.add(step.id)
    elif judged.kind == "right":
        mine.done.add(step.id)
        mine.hints_used.setdefault(step.id, mine.asked(step.id))
        outcome = ("solved", 200, {})
    elif judged.kind == "wrong":
        outcome = answers.preview_wrong(current, request, campaign, step)
    preview.save(request, mine)
    view = campaign_view(current, None, request, campaign, lang, mine=mine)
    return _respond(request, view, step, outcome, hint=hint, not_kept=None)


def _respond(
    request: Request,
    view: CampaignView,
    step: Step,
    outcome: answers.Outcome,
    *,
    hint: bool,
    not_kept: str | None,
    typed: str = "",
) -> Response:
    """The response to a POST on a step: a fragment for htmx, else a redirect or the page.

    What the player typed stays in the field unless the answer was right: with htmx only the
    message is swapped in (or the hint's fragment fills the field again), without JavaScript the
    page after the 303 (from the session) or the refusal's page shows it."""
    kind, status, headers = outcome
    campaign = view.campaign
    if kind in ("solved", "already"):
        typed = ""
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
            typed=typed,
        )
    if status == 200 and not not_kept:
        request.session["flash"] = kind
        if typed:
            request.session[TYPED] = typed
        url = request.url_for("step", campaign=campaign.slug, step=step.id).path
        anchor = "#play" if step.answerable else ""
        return vary(RedirectResponse(url + anchor, status_code=303))
    # Any other outcome shows the step page itself: a refused answer, or too many answers at
    # once (429), whose page stays on the step, the answer in its field, counting down.
    if status == 429:
        headers = {**headers, "Cache-Control": "no-store"}
    return show(
        request,
        view,
        step,
        kind=kind,
        status=status,
        not_kept=not_kept,
        headers=headers,
        typed=typed,
    )


# Outcomes of an answer that leave the play area as it was: with htmx only the message is swapped
# in, so what the player typed stays in the field.
ANSWER_ONLY = frozenset({"wrong", "empty", "too-long", "slow"})
MAX_TYPED = 1000  # kept in the session cookie until the next page: an answer is 200 at most


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
        "announced": True,
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
