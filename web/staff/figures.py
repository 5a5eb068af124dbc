"""The community manager's figures of a campaign, computed from the players' rows.

Definitions (also printed on the page, `staff/figures.html`):

- A player *started* a campaign when they did anything that is stored: an answer, a hint, a
  scan, a step read or a contribution. Answers sent without a cookie have no player and are only
  counted in the answers and wrong answers.
- A step is *done* by a player who solved, read, contributed to or scanned it; a player
  *finished* when every step of the campaign is done. A step passed after its last hint, or
  whose answer the player chose to see, is not done (it is no `Solve` row).
- *Time to solve* a riddle or question: from the player's first answer on the step to the
  right one (page views are not stored, so a player who finds at the first try counts 0 s).
  The page gives the median over the players who solved the step by answering.
- *Hints*: the hints asked on the step (solved or not), and how many players asked at least one.
- *Completion rate* = finished / started; *arrival rate* = started / visits counted with
  `?via=` (it can exceed 100 % when many players came without a `?via=` link).

Forgotten and purged players are counted through their anonymous `RetiredJourney` and
`RetiredStep` rows, so the figures do not change when someone leaves. Nothing here orders
players: the only orderings are of steps (trail order), channels and wrong answers (by count).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from campaigns.model import Campaign, Text
from campaigns.unlocks import is_finished
from web.store.journeys import journeys
from web.store.tables.ledger import RetiredJourney, RetiredStep
from web.store.tables.play import Attempt, ViaCount

TOP_WRONG = 10


@dataclass
class StepFigures:
    step: str
    title: Text
    type: str
    done: int = 0
    hints: int = 0
    hinted_players: int = 0
    median_seconds: float | None = None
    answers: int = 0
    wrong: int = 0
    wrong_answers: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class CampaignFigures:
    campaign: str
    started: int
    finished: int
    visits: int
    channels: list[tuple[str, int]]
    steps: list[StepFigures]

    @property
    def completion_rate(self) -> float | None:
        return self.finished / self.started if self.started else None

    @property
    def arrival_rate(self) -> float | None:
        return self.started / self.visits if self.visits else None

    def as_json(self) -> dict[str, object]:
        """The same figures for the city's dashboards (titles left out: they are the CM's)."""
        steps = []
        for step in self.steps:
            values = asdict(step)
            values.pop("title")
            values["wrong_answers"] = [
                {"answer": answer, "count": count} for answer, count in step.wrong_answers
            ]
            steps.append(values)
        return {
            "campaign": self.campaign,
            "started": self.started,
            "finished": self.finished,
            "completion_rate": _rounded(self.completion_rate),
            "visits_via": self.visits,
            "arrival_rate": _rounded(self.arrival_rate),
            "channels": [{"channel": name, "visits": count} for name, count in self.channels],
            "steps": steps,
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _wrong_answers(session: Session, slug: str) -> dict[str, Counter[str]]:
    statement = (
        select(Attempt.step, Attempt.guess, func.count())
        .where(Attempt.campaign == slug, col(Attempt.correct).is_(False))
        .group_by(Attempt.step, Attempt.guess)
    )
    wrong: dict[str, Counter[str]] = {}
    for step, guess, count in session.exec(statement):
        wrong.setdefault(step, Counter())[guess] += int(count)
    return wrong


def _answer_counts(session: Session, slug: str) -> dict[str, int]:
    statement = (
        select(Attempt.step, func.count()).where(Attempt.campaign == slug).group_by(Attempt.step)
    )
    return {step: int(count) for step, count in session.exec(statement)}


def channels(session: Session, slug: str) -> list[tuple[str, int]]:
    """Visits per `?via=` channel, most visits first (channels, never players, are ordered)."""
    statement = (
        select(ViaCount.channel, func.sum(ViaCount.count))
        .where(ViaCount.campaign == slug)
        .group_by(ViaCount.channel)
    )
    counted = [(name, int(total or 0)) for name, total in session.exec(statement)]
    return sorted(counted, key=lambda item: (-item[1], item[0]))


def compute(session: Session, campaign: Campaign) -> CampaignFigures:
    """Every figure of `campaign`, live players and retired ones together."""
    slug = campaign.slug
    live = journeys(session, slug)
    retired = list(session.exec(select(RetiredJourney).where(RetiredJourney.campaign == slug)))
    retired_steps = list(session.exec(select(RetiredStep).where(RetiredStep.campaign == slug)))
    wrong = _wrong_answers(session, slug)
    answers = _answer_counts(session, slug)
    steps: list[StepFigures] = []
    for step in campaign.steps:
        figures = StepFigures(step.id, step.title, str(step.type))
        durations: list[int] = []
        for mine in live.values():
            figures.done += step.id in mine.done
            asked = mine.hints.get(step.id, 0)
            figures.hints += asked
            figures.hinted_players += asked > 0
            if step.id in mine.done and step.id in mine.seconds:
                durations.append(mine.seconds[step.id])
        for row in retired_steps:
            if row.step != step.id:
                continue
            figures.done += row.solved
            figures.hints += row.hints
            figures.hinted_players += row.hints > 0
            if row.solved and row.seconds is not None:
                durations.append(row.seconds)
        answerable = step.answerable
        if answerable and durations:
            figures.median_seconds = float(statistics.median(durations))
        counts = wrong.get(step.id, Counter())
        figures.answers = answers.get(step.id, 0)
        figures.wrong = sum(counts.values())
        figures.wrong_answers = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[
            :TOP_WRONG
        ]
        steps.append(figures)
    finished = sum(is_finished(campaign, mine.done) for mine in live.values())
    finished += sum(row.finished for row in retired)
    via = channels(session, slug)
    return CampaignFigures(
        campaign=slug,
        started=len(live) + len(retired),
        finished=finished,
        visits=sum(count for _name, count in via),
        channels=via,
        steps=steps,
    )
