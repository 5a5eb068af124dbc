"""Crediting earlier answers that a campaign edit now accepts.

A riddle turns out ambiguous: the figures show many residents typed "Vieux pont" and the CM adds
it to `answers`. On the reload, every earlier wrong answer of that step that the new answers
accept becomes right: the attempt is marked correct (it leaves the wrong-answer figures) and its
player gets the step solved, timed at their first such answer, with the hints they had asked.

The registry calls `credit` after each reload and the site calls it once after start (the file
may have changed while it was down). Every worker of a multi-worker site reloads on its own and runs
it too: the Solve UNIQUE constraint (`insert_once`) makes the second run a no-op, and the
UPDATE of the attempts is the same whoever runs it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

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


# Solves created per transaction: each one's trigger counts it on its step's tally row, and
# PostgreSQL keeps every version of a row updated in one transaction until it ends, so one
# transaction for 20,000 credited players would cost quadratic time.
BATCH = 500


def _first_answers(
    session: Session, slug: str, step: Step, accepted: list[str]
) -> dict[str, tuple[datetime, int]]:
    """Player -> (their first answer now accepted, hints they had asked on the step)."""
    attempts = session.exec(
        select(Attempt.player_id, Attempt.at)
        .where(
            Attempt.campaign == slug,
            Attempt.step == step.id,
            col(Attempt.correct).is_(False),
            col(Attempt.guess).in_(accepted),
            col(Attempt.player_id).is_not(None),
        )
        .order_by(col(Attempt.at))
    )
    first: dict[str, datetime] = {}
    for pid, at in attempts:
        assert pid is not None
        first.setdefault(pid, at)
    hints = dict(
        session.exec(
            select(StepProgress.player_id, StepProgress.hints_shown).where(
                StepProgress.campaign == slug,
                StepProgress.step == step.id,
                col(StepProgress.player_id).in_(list(first)),
            )
        ).all()
    )
    return {pid: (at, hints.get(pid, 0)) for pid, at in first.items()}


def credit_step(engine: Engine, slug: str, step: Step, accepted: list[str]) -> int:
    """Credit the answers `accepted` of one step, wrong until now; how many solves created.

    The solves first, in batches, then the attempts turned right: stopped in between, the
    next start finds the answers still wrong and finishes (a solve is inserted once)."""
    with db.reading(engine) as session:
        first = _first_answers(session, slug, step, accepted)
    created = 0
    players = list(first)
    for start in range(0, len(players), BATCH):
        with db.writing(engine) as session:
            for pid in players[start : start + BATCH]:
                at, hints = first[pid]
                created += db.insert_once(
                    session,
                    Solve,
                    ["player_id", "campaign", "step"],
                    player_id=pid,
                    campaign=slug,
                    step=step.id,
                    hints_used=hints,
                    at=at,
                )
    with db.writing(engine) as session:
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
            created += credit_step(engine, campaign.slug, step, accepted)
    if created:
        log.info("credited %d earlier answers that the campaigns now accept", created)
    return created


def install(site: Site) -> None:
    """Credit on every reload of the campaign files (the site's start does it once too, in the
    background: `web.housekeeping`, for edits made while it was down)."""
    engine = site.engine
    site.registry.on_publish.append(lambda campaigns: credit_safely(engine, campaigns))


def credit_safely(engine: Engine, campaigns: Iterable[Campaign]) -> None:
    try:
        credit(engine, campaigns)
    except SQLAlchemyError:
        log.exception("retro-crediting failed; it will be tried again at the next reload")
