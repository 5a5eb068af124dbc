"""Deciding what a POST on a step means, and storing it: an answer, a hint, a story read.

`web.play.steps` turns the request into these calls and their outcome into a response. A POST
is judged once, by `verdict`, against the player's progress; it is then stored in one of two
ways. A known player's wrong answer (most answers) is stored without the ORM's write transaction
(`wrong_answer_stored_alone`: a speed trick measured in benchmarks/README.md); everything else
goes through `judge` inside the one write transaction of `web.play.steps._post`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from campaigns.matching import MAX_ANSWER_LENGTH, matches, normalise
from campaigns.model import Campaign, Step, all_languages
from web import players
from web.forms import text_field
from web.play.views import CampaignView, campaign_view
from web.site import Site
from web.store import counters, db, progress, statements
from web.store.tables.play import utcnow

# Performance: every answer stores one Attempt; prepared SQL (`web.store.statements`) spares the ORM
# unit of work and SQLAlchemy's execute layer, which cost more than the statement. A known
# player's wrong answer stores it with its counters (`counters.take_storing`).
_ATTEMPT = text(
    "INSERT INTO attempt (player_id, campaign, step, guess, correct, at)"
    " VALUES (:player_id, :campaign, :step, :guess, :correct, :at)"
)


def _correct(step: Step, guess: str) -> bool:
    if step.choices:
        wanted = {normalise(text) for text in all_languages(step.correct)}
        return normalise(guess) in wanted
    return matches(guess, step.answers, step.tolerance)


def judge(
    current: Site,
    request: Request,
    session_db: Session,
    view: CampaignView,
    step: Step,
    form: FormData,
    hint: bool,
    now: float,
    counted: tuple[list[counters.Limit], dict[str, int]] | None = None,
) -> Outcome:
    """Decide and store the outcome of a POST; returns (feedback kind, HTTP status, headers).

    `counted` holds rate-limit counters already read with the player's progress, and the
    limits they were read for.
    """
    pid = view.player_id
    slug = view.campaign.slug
    judged = verdict(view, step, form, hint=hint)
    if judged.refused is not None:
        return judged.refused
    if judged.kind == "hint":
        if pid is not None:
            view.mine.hints[step.id] = progress.ask_hint(session_db, pid, slug, step)
        else:
            shown = text_field(form, "asked")
            asked = int(shown) if shown.isascii() and shown.isdigit() else 0  # not "²"
            view.mine.hints[step.id] = min(asked + 1, progress.max_hints(step))
        return "hint", 200, {}
    if judged.kind == "read":
        if pid is not None:
            progress.record_solve(session_db, pid, slug, step.id, 0)
        view.mine.done.add(step.id)
        return "read", 200, {}
    limits = _answer_limits(current, request, pid, slug, step)
    attempt = _attempt(current, pid, slug, step, judged.guess, judged.kind == "right")
    if judged.kind == "wrong":
        # Counted and stored together, or refused: the limits hold however many wrong answers
        # arrive at once (`counters.take`).
        if wait := counters.take(session_db, limits, now):
            return _slow(wait)
        statements.run(session_db, _ATTEMPT, attempt)
        return "wrong", 200, {}
    # A right answer is not counted, but refused like any other while the limits are reached.
    if counted is not None and counted[0] == limits:
        wait = counters.wait_for(counted[1], limits, now)
    else:
        wait = counters.retry_after(session_db, limits, now)
    if wait:
        return _slow(wait)
    statements.run(session_db, _ATTEMPT, attempt)
    asked = view.mine.asked(step.id)
    new = True
    if pid is not None:
        new = progress.record_solve(session_db, pid, slug, step.id, asked)
    view.mine.done.add(step.id)
    view.mine.hints_used.setdefault(step.id, asked)
    return ("solved" if new else "already"), 200, {}


Outcome = tuple[str, int, dict[str, str]]


@dataclass(frozen=True)
class Verdict:
    """What a POST on a step amounts to, judged once against the player's progress: `refused`
    (an outcome to answer at once, nothing stored: the step is not open, the answer is empty or
    too long), a `hint`, a story `read`, or an answer `right` or `wrong`, with its `guess`.

    Both ways of storing an answer (`judge` in the write transaction, and
    `wrong_answer_stored_alone` for a known player's wrong answer) start from it."""

    kind: str
    refused: Outcome | None = None
    guess: str = ""


def verdict(view: CampaignView, step: Step, form: FormData, *, hint: bool) -> Verdict:
    refused = state_refusal(view, step)
    if refused is not None:
        return Verdict("refused", refused)
    if hint:
        return Verdict("hint") if step.answerable else Verdict("refused", ("locked", 403, {}))
    if step.kind.read:
        return Verdict("read")
    guess, refused = _guess(step, form)
    if refused is not None:
        return Verdict("refused", refused, guess)
    return Verdict("right" if _correct(step, guess) else "wrong", None, guess)


def state_refusal(view: CampaignView, step: Step) -> Outcome | None:
    """Why nothing can be posted on `step` now, or None when it is open (the answer's and the
    moves' shared judgement of the step's state)."""
    status = view.by_id[step.id]
    if status.state == "done":
        return "already", 200, {}
    if status.state == "seen":
        return "seen", 200, {}
    if status.state == "closed":
        raise HTTPException(410)
    if status.state != "open" or step.kind.scanned:
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


def wrong_answer_stored_alone(
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

    A wrong answer is most answers. Its progress and counters are read outside any transaction
    (an early refusal when a limit is already reached), then its `Attempt` is stored with its
    counters only while they have room (`counters.take_storing`: on PostgreSQL one statement in
    autocommit, where BEGIN, read, write and COMMIT were four round trips). Refusals (step not
    open, empty or too long, too many tries) store nothing.
    """
    pid = players.player_id(request)
    if pid is None:
        return None
    slug = campaign.slug
    limits = _answer_limits(current, request, pid, slug, step)
    sql, params = counters.counts_query(limits, now)
    with statements.borrowed(current.engine) as connection:
        mine, counts = progress.load_for_answer(connection, pid, slug, sql, params)
        if mine is None:
            return None
        view = campaign_view(current, None, request, campaign, lang, player_id=pid, mine=mine)
        view.player_id = pid
        judged = verdict(view, step, form, hint=False)
        if judged.refused is not None:
            return view, judged.refused
        if wait := counters.wait_for(counts, limits, now):
            return view, _slow(wait)
        if judged.kind != "wrong":
            return None
        attempt = _attempt(current, pid, slug, step, judged.guess, False)
        if wait := counters.take_storing(connection, limits, now, "attempt", attempt):
            return view, _slow(wait)
    return view, ("wrong", 200, {})


def preview_wrong(current: Site, request: Request, campaign: Campaign, step: Step) -> Outcome:
    """A wrong answer in preview: nothing stored, but counted against the address's limits."""
    ip = counters.client_ip(request, current.settings.trusted_proxies)
    limits = _answer_limits(current, request, f"apercu:{ip}", campaign.slug, step)
    with db.writing(current.engine) as session:
        wait = counters.take(session, limits, current.now().timestamp())
    return _slow(wait) if wait else ("wrong", 200, {})


def _answer_limits(
    current: Site, request: Request, pid: str | None, slug: str, step: Step
) -> list[counters.Limit]:
    settings = current.settings
    ip = counters.client_ip(request, settings.trusted_proxies)
    return counters.answer_limits(settings.answers_per_minute, pid or f"ip:{ip}", slug, step.id, ip)


def player_progress(
    current: Site, session: Session, request: Request, step: Step, slug: str, now: float | None
) -> tuple[str | None, progress.Progress, tuple[list[counters.Limit], dict[str, int]] | None]:
    """The player of this POST (created if needed, None without cookies), their progress and,
    for an answer (`now` given), the rate-limit counters it will check.

    A known player's row, progress and counters come in one query (the answer's hot
    path), after the player row is share-locked (`players.hold`: a "forget me" in flight is
    waited for, and a forgotten player is then a new visitor).
    """
    pid = players.player_id(request) if players.arrived_with_session(request) else None
    if pid is not None and players.hold(session, pid):
        if now is None:
            mine = progress.load_if_player(session, pid, slug)
            if mine is not None:
                return pid, mine, None
        else:
            limits = _answer_limits(current, request, pid, slug, step)
            sql, params = counters.counts_query(limits, now)
            found, counts = progress.load_for_answer(session, pid, slug, sql, params)
            if found is not None:
                return pid, found, (limits, counts)
    return players.ensure_player_id(session, request), progress.Progress(), None
