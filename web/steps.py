"""A step's page, its answer and its hint: `GET/POST /c/{campaign}/{step}`, `POST …/indice`.

Every POST is judged and stored in one write transaction that commits before the response is
built: what the player is told was stored is stored. With htmx the response is the play
fragment alone (`_answer_result.html`, `_hint.html`); without JavaScript a successful POST
redirects (303) to the step page, which shows the outcome from a one-time flash in the session.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment
from markupsafe import escape
from sqlalchemy import text
from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from campaigns.matching import MAX_ANSWER_LENGTH, matches, normalise
from campaigns.model import Campaign, Step, StepType, all_languages, localise
from campaigns.unlocks import campaign_phase
from web import csrf, db, errors, i18n, players, progress, ratelimit, statements
from web.forms import checked_form, text_field
from web.htmx import is_htmx, vary
from web.play import CampaignView, campaign_view, language, step_view
from web.site import Site, site
from web.tables import Contribution, utcnow
from web.templating import render

MAX_TEXT = 4000
# Performance (issue 7): every answer stores one Attempt; prepared SQL (`web.statements`) spares
# the ORM unit of work and SQLAlchemy's execute layer, which cost more than the statement.
# PostgreSQL runs it in one statement with the counters of a wrong answer (`ratelimit.counting`).
_ATTEMPT = text(
    "INSERT INTO attempt (player_id, campaign, step, guess, correct, at)"
    " VALUES (:player_id, :campaign, :step, :guess, :correct, :at)"
)
FLASHES = frozenset({"wrong", "solved", "already", "hint", "read", "contributed", "scanned"})


def find(current: Site, request: Request) -> tuple[Campaign, Step]:
    campaign = current.registry.get(request.path_params["campaign"])
    step = campaign.step(request.path_params["step"]) if campaign else None
    if campaign is None or step is None:
        raise HTTPException(404)
    return campaign, step


def show(
    request: Request,
    view: CampaignView,
    step: Step,
    *,
    kind: str | None = None,
    status: int = 200,
    fragment: str | None = None,
    cookies_lost: bool = False,
    headers: dict[str, str] | None = None,
) -> Response:
    """The step page (or its play fragment) for the player's current progress."""
    current = site(request)
    context: dict[str, Any] = {
        "campaign": view.campaign,
        "view": view,
        "sv": step_view(current, view, step),
        "kind": kind,
        "next_step": view.next(),
        "cookies_lost": cookies_lost,
        "retry_after": (headers or {}).get("Retry-After"),
    }
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
    campaign, step = find(current, request)
    pid = players.player_id(request)
    mine = await progress.load_awaited(current.reads, pid, campaign.slug)
    if mine is not None:  # read on the event loop (PostgreSQL)
        return _page(current, request, campaign, step, mine)
    return await db.glance(current.engine, _page, current, request, campaign, step)


def _correct(step: Step, guess: str) -> bool:
    if step.choices:
        wanted = {normalise(text) for text in all_languages(step.correct)}
        return normalise(guess) in wanted
    return matches(guess, step.answers, step.tolerance)


def _judge(
    current: Site,
    request: Request,
    session_db: Session,
    view: CampaignView,
    step: Step,
    form: FormData,
    hint: bool,
    now: float,
    counted: tuple[list[ratelimit.Limit], dict[str, int]] | None = None,
) -> Outcome:
    """Decide and store the outcome of a POST; returns (feedback kind, HTTP status, headers).

    `counted` holds rate-limit counters already read with the player's progress, and the
    limits they were read for.
    """
    pid = view.player_id
    slug = view.campaign.slug
    refused = _state_refusal(view, step)
    if refused is not None:
        return refused
    if hint:
        if step.type not in (StepType.riddle, StepType.question):
            return "locked", 403, {}
        if pid is not None:
            view.mine.hints[step.id] = progress.ask_hint(session_db, pid, slug, step)
        else:
            shown = text_field(form, "asked")
            asked = int(shown) if shown.isdigit() else 0
            view.mine.hints[step.id] = min(asked + 1, progress.max_hints(step))
        return "hint", 200, {}
    if step.type is StepType.story:
        if pid is not None:
            progress.record_solve(session_db, pid, slug, step.id, 0)
        view.mine.done.add(step.id)
        return "read", 200, {}
    if step.type in (StepType.contribution, StepType.identify):
        text = text_field(form, "text").strip()
        if not text:
            return "empty-text", 422, {}
        if len(text) > MAX_TEXT:
            return "too-long", 422, {}
        session_db.add(Contribution(player_id=pid, campaign=slug, step=step.id, text=text))
        if pid is not None:
            progress.record_solve(session_db, pid, slug, step.id, 0)
        view.mine.done.add(step.id)
        return "contributed", 200, {}
    guess, refused = _guess(step, form)
    if refused is not None:
        return refused
    limits = _answer_limits(current, request, pid, slug, step)
    if counted is not None and counted[0] == limits:
        wait = ratelimit.wait_for(counted[1], limits, now)
    else:
        wait = ratelimit.retry_after(session_db, limits, now)
    if wait:
        return _slow(wait)
    correct = _correct(step, guess)
    attempt = _attempt(current, pid, slug, step, guess, correct)
    if not correct:
        ratelimit.hit(session_db, limits, now, first=(_ATTEMPT, attempt))
        return "wrong", 200, {}
    statements.run(session_db, _ATTEMPT, attempt)
    asked = view.mine.asked(step.id)
    new = True
    if pid is not None:
        new = progress.record_solve(session_db, pid, slug, step.id, asked)
    view.mine.done.add(step.id)
    view.mine.hints_used.setdefault(step.id, asked)
    return ("solved" if new else "already"), 200, {}


Outcome = tuple[str, int, dict[str, str]]


def _state_refusal(view: CampaignView, step: Step) -> Outcome | None:
    """Why nothing can be posted on `step` now, or None when it is open."""
    status = view.by_id[step.id]
    if status.state == "done":
        return "already", 200, {}
    if status.state == "closed":
        raise HTTPException(410)
    if status.state != "open" or step.type is StepType.checkpoint:
        return "locked", 403, {}
    return None


def _guess(step: Step, form: FormData) -> tuple[str, Outcome | None]:
    """The answer sent, and why it cannot be judged (empty, too long), if so."""
    guess = text_field(form, "choice" if step.choices else "answer")
    if not guess.strip():
        return guess, ("empty", 422, {})
    if len(guess) > MAX_ANSWER_LENGTH:
        return guess, ("too-long", 422, {})
    return guess, None


def _slow(wait: int) -> Outcome:
    return "slow", 429, {"Retry-After": str(wait)}


def _attempt(
    current: Site, pid: str | None, slug: str, step: Step, guess: str, correct: bool
) -> dict[str, object]:
    """The `Attempt` row of an answer (the guess normalised, as the figures group them)."""
    at = statements.stamp(current.engine, utcnow())
    row: dict[str, object] = {"player_id": pid, "campaign": slug, "step": step.id}
    row.update(guess=normalise(guess)[:200], correct=correct, at=at)
    return row


def _wrong_answer_stored_alone(
    current: Site,
    request: Request,
    campaign: Campaign,
    step: Step,
    form: FormData,
    lang: str,
    now: float,
) -> tuple[CampaignView, Outcome] | None:
    """A known player's answer that needs no write transaction, judged and stored; None when
    it does (a right answer, a player without a row yet): the caller then takes that path.

    Issue 7: a wrong answer is most answers. Its progress and counters are read outside any
    transaction and its `Attempt` and counters stored together (`statements.Borrowed.write`: on
    PostgreSQL one statement in autocommit: two round trips instead of BEGIN, read, write and
    COMMIT). Refusals (step not open, empty or too long, too many tries) store nothing.
    """
    pid = players.player_id(request)
    if pid is None:
        return None
    slug = campaign.slug
    limits = _answer_limits(current, request, pid, slug, step)
    sql, params = ratelimit.counts_query(limits, now)
    with statements.borrowed(current.engine) as connection:
        mine, counts = progress.load_for_answer(connection, pid, slug, sql, params)
        if mine is None:
            return None
        view = campaign_view(current, None, request, campaign, lang, player_id=pid, mine=mine)
        view.player_id = pid
        guess, refused = _guess(step, form)
        refused = _state_refusal(view, step) or refused
        if refused is None and (wait := ratelimit.wait_for(counts, limits, now)):
            refused = _slow(wait)
        if refused is not None:
            return view, refused
        if _correct(step, guess):
            return None
        attempt = _attempt(current, pid, slug, step, guess, False)
        dialect = current.engine.dialect.name
        connection.write(ratelimit.counting(dialect, limits, now, first=(_ATTEMPT, attempt)))
    return view, ("wrong", 200, {})


def _answer_limits(
    current: Site, request: Request, pid: str | None, slug: str, step: Step
) -> list[ratelimit.Limit]:
    settings = current.settings
    ip = ratelimit.client_ip(request, settings.trusted_proxies)
    return ratelimit.answer_limits(
        settings.answers_per_minute, pid or f"ip:{ip}", slug, step.id, ip
    )


def _player_progress(
    current: Site, session: Session, request: Request, step: Step, slug: str, now: float | None
) -> tuple[str | None, progress.Progress, tuple[list[ratelimit.Limit], dict[str, int]] | None]:
    """The player of this POST (created if needed, None without cookies), their progress and,
    for an answer (`now` given), the rate-limit counters it will check.

    A known player's row, progress and counters come in one query (issue 7: the answer's hot
    path).
    """
    pid = players.player_id(request) if players.arrived_with_session(request) else None
    if pid is not None:
        if now is None:
            mine = progress.load_if_player(session, pid, slug)
            if mine is not None:
                return pid, mine, None
        else:
            limits = _answer_limits(current, request, pid, slug, step)
            sql, params = ratelimit.counts_query(limits, now)
            found, counts = progress.load_for_answer(session, pid, slug, sql, params)
            if found is not None:
                return pid, found, (limits, counts)
    player = players.ensure_player(session, request)
    return (player.id if player else None), progress.Progress(), None


def _post(
    current: Site, request: Request, campaign: Campaign, step: Step, form: FormData, hint: bool
) -> Response:
    lang = language(request, campaign)
    if campaign_phase(campaign, current.now()) == "closed":
        raise HTTPException(410)
    cookies_lost = not players.arrived_with_session(request)
    now = current.now().timestamp()
    answering = not hint and step.type in (StepType.riddle, StepType.question)
    if answering and not cookies_lost:
        stored = _wrong_answer_stored_alone(current, request, campaign, step, form, lang, now)
        if stored is not None:
            view, outcome = stored
            return _respond(request, view, step, outcome, hint=False, cookies_lost=False)
    # One write transaction (one commit, one fsync) holds everything an answer stores: the
    # player row when new, the rate-limit counters, the Attempt and the Solve.
    with db.writing(current.engine) as session:
        pid, mine, counted = _player_progress(
            current, session, request, step, campaign.slug, now if answering else None
        )
        view = campaign_view(current, session, request, campaign, lang, player_id=pid, mine=mine)
        view.player_id = pid
        done = len(view.mine.done)
        outcome = _judge(current, request, session, view, step, form, hint, now, counted)
    if len(view.mine.done) != done:
        # The transaction is committed and made a step done: the states follow from it.
        view = campaign_view(current, None, request, campaign, lang, player_id=pid, mine=view.mine)
        view.player_id = pid
    return _respond(request, view, step, outcome, hint=hint, cookies_lost=cookies_lost)


def _respond(
    request: Request,
    view: CampaignView,
    step: Step,
    outcome: Outcome,
    *,
    hint: bool,
    cookies_lost: bool,
) -> Response:
    """The response to a POST on a step: a fragment for htmx, else a redirect or the page."""
    kind, status, headers = outcome
    campaign = view.campaign
    if is_htmx(request):
        if kind == "wrong" and not hint:
            return _wrong_fragment(request, view, step, cookies_lost)
        fragment = "_hint.html" if hint else "_answer_result.html"
        return show(
            request,
            view,
            step,
            kind=kind,
            status=status,
            fragment=fragment,
            cookies_lost=cookies_lost,
            headers=headers,
        )
    if status == 200 and not cookies_lost:
        request.session["flash"] = kind
        url = request.url_for("step", campaign=campaign.slug, step=step.id).path
        anchor = "#play" if step.type in (StepType.riddle, StepType.question) else ""
        return vary(RedirectResponse(url + anchor, status_code=303))
    if status == 429:
        return errors.render_error(
            request, 429, lang=view.lang, campaign=campaign, retry_after=int(headers["Retry-After"])
        )
    return show(request, view, step, kind=kind, status=status, cookies_lost=cookies_lost)


def _wrong_fragment(
    request: Request, view: CampaignView, step: Step, cookies_lost: bool
) -> Response:
    """A wrong answer through htmx: only the feedback, and a fresh (emptied) answer form.

    Nothing else of the play area changes on a wrong answer, so the response swaps `#feedback`
    in place (HX-Retarget) and the answer form out of band, as the whole area used to be. The
    fragment is the same for every player on a step but for the CSRF token, put in afterwards.
    """
    current = site(request)
    choices = tuple(localise(choice, view.lang) for choice in step.choices)
    url = f"/c/{view.campaign.slug}/{step.id}"
    html = _wrong_html(current.templates, view.lang, url, choices, cookies_lost)
    token = str(escape(csrf.token(request, current.settings)))
    html = html.replace(f'value="{_TOKEN_SLOT}"', f'value="{token}"', 1)
    headers = {"HX-Retarget": "#feedback", "HX-Reswap": "outerHTML"}
    return vary(HTMLResponse(html, headers=headers))


_TOKEN_SLOT = "csrf-token-slot"


@lru_cache(maxsize=1024)
def _wrong_html(
    templates: Environment, lang: str, url: str, choices: tuple[str, ...], cookies_lost: bool
) -> str:
    """`_wrong_answer.html` for one step and language, with `_TOKEN_SLOT` for the token."""
    i18n.use(lang)
    context: dict[str, Any] = {
        "lang": lang,
        "kind": "wrong",
        "url": url,
        "choices": choices,
        "cookies_lost": cookies_lost,
        "csrf_token": lambda: _TOKEN_SLOT,
    }
    return templates.get_template("_wrong_answer.html").render(context)


async def _posted(request: Request, *, hint: bool) -> Response:
    current = site(request)
    campaign, step = find(current, request)
    form = await checked_form(request)
    return await db.call(current.engine, _post, current, request, campaign, step, form, hint)


async def answer(request: Request) -> Response:
    # participation (issue 6): contribution and identify steps have forms of their own
    current = site(request)
    campaign, step = find(current, request)
    if step.type is StepType.contribution:
        from web.contributions import contribute

        return await contribute(request, current, campaign, step)
    if step.type is StepType.identify:
        from web.identifications import propose

        return await propose(request, current, campaign, step)
    # end participation (issue 6)
    return await _posted(request, hint=False)


async def ask_hint(request: Request) -> Response:
    return await _posted(request, hint=True)
