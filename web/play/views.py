"""The view of a campaign and of one step for one player, shared by every page that shows them.

Handlers load the player's progress once and build these views; templates only display them.
Nothing here puts a step's accepted answers into a view, but for the one player who chose to see
them after the last hint (`StepView.answer`): the templates cannot leak what they are never given.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session
from starlette.requests import Request

from campaigns.model import AfterHints, Campaign, Contributor, Step, Text
from campaigns.unlocks import StepStatus, campaign_phase, first_open, is_finished, step_statuses
from web import players
from web.play import photos, preview, stories
from web.play.photos import Picture
from web.play.stories import Recording
from web.site import Site
from web.store import progress


@dataclass
class CampaignView:
    campaign: Campaign
    lang: str
    phase: str
    now: datetime
    mine: progress.Progress
    statuses: list[StepStatus]
    player_id: str | None

    @property
    def by_id(self) -> dict[str, StepStatus]:
        return {s.step.id: s for s in self.statuses}

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.statuses if s.state == "done")

    @property
    def finished(self) -> bool:
        """Every step done or its answer seen: the finale is the player's."""
        seen = {s.step.id for s in self.statuses if s.state == "seen"}
        return is_finished(self.campaign, self.done_ids, seen)

    @property
    def done_ids(self) -> set[str]:
        return {s.step.id for s in self.statuses if s.state == "done"}

    def next(self, after: str | None = None) -> Step | None:
        """The step to play next (after the step `after`, when the player moves on from it)."""
        return first_open(_statuses(self.campaign, self.mine, self.now), after)

    def title_of(self, step_id: str) -> object:
        step = self.campaign.step(step_id)
        return step.title if step else step_id


@dataclass
class StepView:
    step: Step
    status: StepStatus
    asked: int
    hints: list[Text]  # the hint texts shown so far
    more_hints: bool
    picture: Picture | None
    stage: str
    hints_used: int | None  # when done
    choices: list[Text] = field(default_factory=list)
    # After the last hint of an open step: whether the player may pass it, or see its answer.
    may_pass: bool = False
    may_see_answer: bool = False
    # The answer, only on a step whose answer this player chose to see ("réponse vue").
    answer: Text | None = None
    # The step's credited contributors, by role (their `role`, None for those without one), in
    # the order the step names them; shown wherever the step's content is.
    credits: list[tuple[Text | None, list[Contributor]]] = field(default_factory=list)
    # The story's recording and film, only when its story is shown (`web.play.stories`).
    recording: Recording | None = None

    @property
    def state(self) -> str:
        return self.status.state

    @property
    def answerable(self) -> bool:
        return self.step.answerable

    @property
    def writes(self) -> bool:
        return self.step.kind.sends

    @property
    def directions(self) -> Text | None:
        """Where to find a checkpoint's marker (its `text`), while it waits to be scanned."""
        if self.step.kind.scanned and self.state == "locked":
            return self.step.text
        return None

    @property
    def last_hint(self) -> str:
        """What the latest hint brought: "text", "photo" (a larger view), "both" or ""."""
        if not self.asked:
            return ""
        text = self.asked <= len(self.step.hints)
        wider = progress.reveal_index(self.step, self.asked) > progress.reveal_index(
            self.step, self.asked - 1
        )
        return "both" if text and wider else "text" if text else "photo" if wider else ""


def campaign_view(
    current: Site,
    session: Session | None,
    request: Request,
    campaign: Campaign,
    lang: str,
    *,
    player_id: str | None = None,
    mine: progress.Progress | None = None,
) -> CampaignView:
    now = current.now()
    pid = player_id if player_id is not None else players.player_id(request)
    if mine is None:
        mine = preview.mine(current, request, campaign)
        if mine is not None:  # a preview's progress is its session's, never a player's rows
            pid = None
    if mine is None:
        mine = progress.load(session, pid, campaign.slug) if session else progress.Progress()
    statuses = _statuses(campaign, mine, now)
    return CampaignView(campaign, lang, campaign_phase(campaign, now), now, mine, statuses, pid)


# Performance: the step states depend on the clock only through the campaign's and
# its steps' opening and closing times, so they are remembered per campaign object, progress and
# interval between two of those times (exact, not a time-to-live), for the answers and pages of
# the many players who stand at the same point of a trail.
_Situation = tuple[int, frozenset[str], frozenset[str], int, frozenset[str], frozenset[str]]
_STATES: OrderedDict[_Situation, tuple[Campaign, list[StepStatus]]] = OrderedDict()
_BOUNDS: dict[int, tuple[Campaign, list[datetime]]] = {}
_STATES_SIZE = 2048


def _bounds(campaign: Campaign) -> list[datetime]:
    known = _BOUNDS.get(id(campaign))
    if known is not None and known[0] is campaign:
        return known[1]
    times = [campaign.opens_at, campaign.closes_at]
    for step in campaign.steps:
        times += [campaign.localise_time(step.opens), campaign.localise_time(step.closes)]
    bounds = sorted(t for t in times if t is not None)
    if len(_BOUNDS) > 64:
        _BOUNDS.clear()
    _BOUNDS[id(campaign)] = (campaign, bounds)
    return bounds


def _statuses(campaign: Campaign, mine: progress.Progress, now: datetime) -> list[StepStatus]:
    """`step_statuses` for this progress and time, computed once per distinct situation."""
    bounds = _bounds(campaign)
    done, checked_in, passed, seen = mine.done, mine.checked_in, mine.passed, mine.seen
    if now.utcoffset() is None:  # step_statuses refuses a naive time: let it say so
        return step_statuses(campaign, done=done, checked_in=checked_in, now=now)
    key = (
        id(campaign),
        frozenset(done),
        frozenset(checked_in),
        bisect_right(bounds, now),
        frozenset(passed),
        frozenset(seen),
    )
    found = _STATES.get(key)
    if found is not None and found[0] is campaign:
        return list(found[1])
    statuses = step_statuses(
        campaign, done=done, checked_in=checked_in, now=now, passed=passed, seen=seen
    )
    _STATES[key] = (campaign, statuses)
    if len(_STATES) > _STATES_SIZE:
        _STATES.popitem(last=False)
    return list(statuses)


def hints_left(view: CampaignView, step: Step) -> int:
    """How many more hints the player can ask for on `step` (0: its button is gone)."""
    if step.id in view.mine.done:
        return 0
    return max(progress.max_hints(step) - view.mine.asked(step.id), 0)


def moves_left(view: CampaignView, step: Step) -> str:
    """What a player stuck on an open step may do once its hints are used up: "" (nothing yet:
    hints remain, or it is not open), "pass" (move on, the step stays open), "pass-answer"
    (also see the answer), "answer" (already passed: only the answer is left to offer)."""
    status = view.by_id[step.id]
    if not step.answerable or status.state != "open" or hints_left(view, step):
        return ""
    answer = view.campaign.after_hints_of(step) is AfterHints.answer
    if status.passed:
        return "answer" if answer else ""
    return "pass-answer" if answer else "pass"


def shown_answer(step: Step) -> Text | None:
    """The answer shown to a player who asked to see it: the right choice, or the first
    accepted answer (the CM writes the most natural one first)."""
    if step.choices:
        return step.correct
    return step.answers[0] if step.answers else None


def credits_by_role(campaign: Campaign, step: Step) -> list[tuple[Text | None, list[Contributor]]]:
    """The contributors `step` credits, grouped under their role in the order first named."""
    groups: dict[str, tuple[Text | None, list[Contributor]]] = {}
    for contributor_id in step.credit:
        contributor = campaign.contributor(contributor_id)
        if contributor is None:
            continue
        key = repr(contributor.role)
        groups.setdefault(key, (contributor.role, []))[1].append(contributor)
    return list(groups.values())


def step_view(current: Site, view: CampaignView, step: Step) -> StepView:
    status = view.by_id[step.id]
    seen = status.state == "seen"
    done = status.state == "done" or seen
    asked = view.mine.asked(step.id)
    moves = moves_left(view, step)
    stage = photos.visible_stage(step, asked, done)
    shown = list(step.hints) if done else list(step.hints[:asked])
    visible = status.state in photos.OPEN_STATES
    # A checkpoint's photo shows where its marker stands: it is there before the scan.
    pictured = visible or photos.before_scan(step, status.state)
    picture = photos.picture(current, view.campaign, step, stage) if pictured else None
    return StepView(
        step=step,
        status=status,
        asked=asked,
        hints=shown if visible else [],
        more_hints=not done and bool(hints_left(view, step)),
        picture=picture,
        stage=stage,
        hints_used=view.mine.hints_used.get(step.id, asked) if done else None,
        choices=list(step.choices),
        credits=credits_by_role(view.campaign, step) if visible else [],
        may_pass=moves.startswith("pass"),
        may_see_answer=moves.endswith("answer"),
        answer=shown_answer(step) if seen else None,
        recording=(
            stories.recording(current, view.campaign, step)
            if stories.story_shown(step, status.state)
            else None
        ),
    )
