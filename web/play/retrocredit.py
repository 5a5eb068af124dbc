"""Crediting earlier answers that a campaign edit now accepts.

A riddle turns out ambiguous: the figures show many residents typed "Vieux pont" and the CM adds
it to `answers`. On the reload, every earlier wrong answer of that step that the new answers
accept becomes right: the attempt is marked correct (it leaves the wrong-answer figures) and its
player gets the step solved, timed at their first such answer, with the hints they had asked.

The registry calls `credit` after each reload and the site calls it once on start (the file may
have changed while it was down). Every worker of a multi-worker site reloads on its own and runs
it too: the Solve UNIQUE constraint (`insert_once`) makes the second run a no-op, and the
UPDATE of the attempts is the same whoever runs it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from campaigns.matching import matches, normalise
from campaigns.model import Campaign, Step, all_languages
from web.site import Site
from web.store import db, tallies
from web.store.tables.play import Attempt, Solve, StepProgress

log = logging.getLogger("balises.retrocredit")


def _now_right(step: Step, guess: str) -> bool:
    if step.choices:
        return guess in {normalise(text) for text in all_languages(step.correct)}
    return matches(guess, step.answers, step.tolerance)


def _steps_to_credit(session: Session, campaign: Campaign) -> dict[str, list[str]]:
    """Step id -> the distinct wrong answers of that step that are now right.

    Read off the wrong-answer tallies (one row per distinct answer) rather than the attempts:
    run at every start and reload, it costs the same at a million answers as at ten."""
    found: dict[str, list[str]] = {}
    for step_id, guess in tallies.wrong_guesses(session, campaign.slug):
        step = campaign.step(step_id)
        if step is not None and step.answerable and _now_right(step, guess):
            found.setdefault(step_id, []).append(guess)
    return found


def credit_step(session: Session, slug: str, step: Step, accepted: list[str]) -> int:
    """Credit the answers `accepted` of one step, wrong until now; how many solves created."""
    attempts = session.exec(
        select(Attempt)
        .where(
            Attempt.campaign == slug,
            Attempt.step == step.id,
            col(Attempt.correct).is_(False),
            col(Attempt.guess).in_(accepted),
            col(Attempt.player_id).is_not(None),
        )
        .order_by(col(Attempt.at))
    )
    first: dict[str, Attempt] = {}
    for attempt in attempts:
        assert attempt.player_id is not None
        first.setdefault(attempt.player_id, attempt)
    hints = {
        row.player_id: row.hints_shown
        for row in session.exec(
            select(StepProgress).where(
                StepProgress.campaign == slug,
                StepProgress.step == step.id,
                col(StepProgress.player_id).in_(list(first)),
            )
        )
    }
    created = 0
    for pid, attempt in first.items():
        created += db.insert_once(
            session,
            Solve,
            ["player_id", "campaign", "step"],
            player_id=pid,
            campaign=slug,
            step=step.id,
            hints_used=hints.get(pid, 0),
            at=attempt.at,
        )
    session.execute(
        update(Attempt)
        .where(
            col(Attempt.campaign) == slug,
            col(Attempt.step) == step.id,
            col(Attempt.correct).is_(False),
            col(Attempt.guess).in_(accepted),
        )
        .values(correct=True)
    )
    return created


def credit(engine: Engine, campaigns: Iterable[Campaign]) -> int:
    """Credit every campaign's newly accepted answers; how many steps were newly solved."""
    created = 0
    for campaign in campaigns:
        with db.reading(engine) as session:
            todo = _steps_to_credit(session, campaign)
        for step_id, accepted in todo.items():
            step = campaign.step(step_id)
            assert step is not None
            with db.writing(engine) as session:
                created += credit_step(session, campaign.slug, step, accepted)
    if created:
        log.info("credited %d earlier answers that the campaigns now accept", created)
    return created


def install(site: Site) -> None:
    """Credit on every reload of the campaign files, and once now for edits made while down."""
    engine = site.engine
    site.registry.on_publish.append(lambda campaigns: _safely(engine, campaigns))
    _safely(engine, site.registry.campaigns())


def _safely(engine: Engine, campaigns: Iterable[Campaign]) -> None:
    try:
        credit(engine, campaigns)
    except SQLAlchemyError:
        log.exception("retro-crediting failed; it will be tried again at the next reload")
