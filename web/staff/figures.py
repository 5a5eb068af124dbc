"""The community manager's figures of a campaign, from the counts the database keeps.

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

Forgotten and purged players go on counting: the per-step counts are kept without player ids
(`web.store.tables.tallies`), and a departed player's start and finish through their anonymous
`RetiredJourney` row, so the figures do not change when someone leaves. Nothing here orders
players: the only orderings are of steps (trail order), channels and wrong answers (by count).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from campaigns.model import Campaign, Text
from web.store import tallies
from web.store.tables.play import ViaCount

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
    """Every figure of `campaign`, live players and retired ones together, from the counts the
    database keeps as rows are stored (`web.store.tallies`): a few rows per step, however many
    players there are."""
    slug = campaign.slug
    counted = tallies.steps(session, slug)
    medians = tallies.medians(session, slug)
    steps: list[StepFigures] = []
    for step in campaign.steps:
        figures = StepFigures(step.id, step.title, str(step.type))
        tally = counted.get(step.id)
        if tally is not None:
            figures.done = tally.done
            figures.hints = tally.hints
            figures.hinted_players = tally.hinted
            figures.answers = tally.answers
            figures.wrong = tally.wrong
            if tally.wrong:
                figures.wrong_answers = tallies.top_wrong(session, slug, step.id, TOP_WRONG)
        if step.answerable:
            figures.median_seconds = medians.get(step.id)
        steps.append(figures)
    players = tallies.players(session, slug, [step.id for step in campaign.steps])
    via = channels(session, slug)
    return CampaignFigures(
        campaign=slug,
        started=players.started,
        finished=players.finished,
        visits=sum(count for _name, count in via),
        channels=via,
        steps=steps,
    )
