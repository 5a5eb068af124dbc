"""The tallies the database keeps equal a recount of the rows, whatever residents and staff did.

Random seasons of a small campaign: residents answer wrong and right, ask hints, some forget
themselves, the CM accepts an answer that was wrong (retro-credit), and at the end the campaign
is purged past retention. After each step the figures read off the tallies
(`web.staff.figures.compute`) must equal the figures counted from the rows themselves, live and
retired, the way they were counted before the tallies existed (`recount` below), and the
residents who played, as the campaign page says them, must equal the live players recounted.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from campaigns.loading import load_file
from campaigns.model import Campaign
from campaigns.unlocks import is_finished
from tests.web.balade import Walker, write_balade
from tests.web.conftest import Clock, World
from web.play import answers, retrocredit
from web.privacy import retention
from web.staff import figures
from web.store import db, progress, together
from web.store.journeys import journeys
from web.store.tables.ledger import RetiredJourney, RetiredStep
from web.store.tables.play import Attempt

# the scans' window of the together counts, which this test does not look at
SCANS_SINCE = datetime(2000, 1, 1, tzinfo=UTC)

GUESSES = {
    "tour": ["Tour Wilson", "Clocher", "Vieux clocher", "Tour Saint-Aubin"],
    "pont": ["Pont Neuf", "Viaduc", "Pont des Sept-Arches"],
    "quiz": ["1791", "1912"],
}


def recount(session: Session, campaign: Campaign) -> dict[str, Any]:
    """The figures counted from every live and retired row (the figures' former algorithm)."""
    slug = campaign.slug
    live = journeys(session, slug)
    retired = list(session.exec(select(RetiredJourney).where(RetiredJourney.campaign == slug)))
    retired_steps = list(session.exec(select(RetiredStep).where(RetiredStep.campaign == slug)))
    wrong: dict[str, Counter[str]] = {}
    for step, guess, count in session.exec(
        select(Attempt.step, Attempt.guess, func.count())
        .where(Attempt.campaign == slug, col(Attempt.correct).is_(False))
        .group_by(Attempt.step, Attempt.guess)
    ):
        wrong.setdefault(step, Counter())[guess] += int(count)
    answered = dict(
        session.exec(
            select(Attempt.step, func.count())
            .where(Attempt.campaign == slug)
            .group_by(Attempt.step)
        ).all()
    )
    steps = []
    for step in campaign.steps:
        done = hints = hinted = 0
        durations: list[int] = []
        for mine in live.values():
            done += step.id in mine.done
            hints += mine.hints.get(step.id, 0)
            hinted += mine.hints.get(step.id, 0) > 0
            if step.id in mine.done and step.id in mine.seconds:
                durations.append(mine.seconds[step.id])
        for row in retired_steps:
            if row.step == step.id:
                done += row.solved
                hints += row.hints
                hinted += row.hints > 0
                if row.solved and row.seconds is not None:
                    durations.append(row.seconds)
        counts = wrong.get(step.id, Counter())
        steps.append(
            {
                "step": step.id,
                "done": done,
                "hints": hints,
                "hinted_players": hinted,
                "median_seconds": float(statistics.median(durations)) if durations else None,
                "answers": int(answered.get(step.id, 0)),
                "wrong": sum(counts.values()),
                "wrong_answers": [
                    {"answer": answer, "count": count}
                    for answer, count in sorted(counts.items(), key=lambda i: (-i[1], i[0]))[
                        : figures.TOP_WRONG
                    ]
                ],
            }
        )
    finished = sum(is_finished(campaign, mine.done) for mine in live.values())
    return {
        "started": len(live) + len(retired),
        "finished": finished + sum(row.finished for row in retired),
        "steps": steps,
    }


def _read(world: World, campaign: Campaign) -> dict[str, Any]:
    with db.reading(world.site.engine) as session:
        shown = figures.compute(session, campaign).as_json()
    steps = [{k: v for k, v in step.items() if k != "type"} for step in shown["steps"]]
    return {"started": shown["started"], "finished": shown["finished"], "steps": steps}


def _check(world: World, campaign: Campaign) -> None:
    with db.reading(world.site.engine) as session:
        expected = recount(session, campaign)
        live = len(journeys(session, campaign.slug))
        # what the campaign page and the finale say: "N habitants ont joué"
        played = together.tally(session, campaign.slug, [], SCANS_SINCE).players
    assert _read(world, campaign) == expected
    assert played == live


@pytest.fixture(
    params=[
        1,
        2,
        3,
        pytest.param(4, marks=pytest.mark.postgres, id="4-postgres"),
    ]
)
def season(request: pytest.FixtureRequest) -> int:
    """The seed of a season; the one marked `postgres` runs there (the staff tests'
    `database_url`), the others on SQLite."""
    return int(request.param)


def test_the_tallies_equal_a_recount_of_the_rows_through_a_random_season(
    season: int,
    make_world: Callable[..., World],
    tmp_path: Path,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(answers, "utcnow", lambda: clock.now)
    monkeypatch.setattr(progress, "utcnow", lambda: clock.now)
    rng = random.Random(season)
    world = make_world(campaigns_path=write_balade(tmp_path / "v1"), answers_per_minute=1000)
    campaign = world.campaign("balade")
    walkers: list[Walker] = []
    for _turn in range(60):
        clock.now += timedelta(seconds=rng.randint(1, 200))
        roll = rng.random()
        if not walkers or roll < 0.2:
            walkers.append(Walker(world))
        walker = rng.choice(walkers)
        step = rng.choice(list(GUESSES))
        if roll < 0.6:
            field = "choice" if step == "quiz" else "answer"
            walker.answer("balade", step, rng.choice(GUESSES[step]), field)
        elif roll < 0.85 and step != "quiz":
            walker.hint("balade", step)
        elif roll < 0.93 and walker.client.cookies:
            walker.get("/moi")
            assert walker.post("/moi/oubli", {"confirm": "oui"}).status_code == 303
            walkers.remove(walker)
        else:
            # the CM accepts "Vieux clocher": earlier wrong answers are credited
            path = write_balade(
                tmp_path / "v2", tour_answers='["Tour Saint-Aubin", "Vieux clocher"]'
            )
            campaign = next(c for c in load_file(path).campaigns if c.slug == "balade")
            retrocredit.credit(world.site.engine, [campaign])
        _check(world, campaign)

    report = retention.purge(world.site.engine, [campaign], clock.now + timedelta(days=3000), 90)
    assert report.campaigns == ["balade"]
    _check(world, campaign)
    assert _read(world, campaign)["started"] > 0
