"""Which steps a player may open, given what they have done and the time.

The web layer asks this module and nothing else, so the trail page, the step page and the
answer handler always agree on what is open. The rules, in the order they are applied to a
step the player has not done:

1. The campaign is closed: the step is "closed" (the campaign is read-only).
2. The campaign has not opened: "scheduled", opening with the campaign.
3. The step's own window (`opens`/`closes`, wall-clock times in the campaign's zone) has not
   begun: "scheduled"; is over: "closed".
4. Steps it waits for are not done: "locked", with their ids in `missing`. In `sequential`
   order it waits for every earlier step; in both orders for its `requires`. A step whose own
   window is over can never be done, so it stops blocking (missing Saturday's stage of a
   heritage weekend must not lock Sunday's); nor does a step the player moved on from after
   its last hint (passed, or its answer seen): a riddle nobody can crack is never a dead end.
5. A checkpoint not yet scanned on site: "locked" with nothing missing ("scan the marker").
6. Otherwise: "open".

A done step is "done" whatever the clock, and a scanned checkpoint is a done step. A step whose
answer the player chose to see is "seen" whatever the clock: finished for the trail and the
finale, never solved. A passed step keeps its state (usually "open", to come back to) and says
so in `passed`. A scan counts
only when it is the one thing the checkpoint waits for (rule 5, `StepStatus.awaits_scan`): the
scan of a checkpoint still locked by earlier steps, or outside its own window, opens nothing and
is not kept, just as its page says (the resident scans it again once it is open).
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from campaigns.model import Campaign, Order, Step
from campaigns.steptypes import StepType

Phase = Literal["upcoming", "open", "closed"]
State = Literal["locked", "scheduled", "open", "done", "seen", "closed"]


@dataclass(frozen=True)
class StepStatus:
    step: Step
    state: State
    opens_at: datetime | None = None  # when scheduled: when it opens (aware, campaign zone)
    missing: tuple[str, ...] = ()  # when locked: step ids still required, in trail order
    passed: bool = False  # the player passed it after its last hint, unsolved

    @property
    def awaits_scan(self) -> bool:
        """A checkpoint that waits for nothing but its scan on site: a scan now opens it."""
        return self.state == "locked" and not self.missing and self.step.type is StepType.checkpoint


def _window(opens: datetime | None, closes: datetime | None, now: datetime) -> Phase:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if opens is not None and now < opens:
        return "upcoming"
    if closes is not None and now >= closes:
        return "closed"
    return "open"


def campaign_phase(campaign: Campaign, now: datetime) -> Phase:
    """Whether the campaign as a whole has opened, is running or is over."""
    return _window(campaign.opens_at, campaign.closes_at, now)


def step_window(campaign: Campaign, step: Step, now: datetime) -> Phase:
    """Where `now` falls in the step's own opening times (the campaign's are not considered)."""
    return _window(campaign.localise_time(step.opens), campaign.localise_time(step.closes), now)


def _done_ids(campaign: Campaign, done: Set[str], checked_in: Set[str]) -> set[str]:
    """Done steps, counting every scanned checkpoint as done."""
    checkpoints = {s.id for s in campaign.steps if s.type is StepType.checkpoint}
    return set(done) | (set(checked_in) & checkpoints)


def step_statuses(
    campaign: Campaign,
    *,
    done: Set[str],
    checked_in: Set[str],
    now: datetime,
    passed: Set[str] = frozenset(),
    seen: Set[str] = frozenset(),
) -> list[StepStatus]:
    """The state of every step of the campaign, in trail order; `passed` and `seen` are the
    steps the player moved on from after their last hint."""
    phase = campaign_phase(campaign, now)
    finished = _done_ids(campaign, done, checked_in)
    windows = {s.id: step_window(campaign, s, now) for s in campaign.steps}
    statuses: list[StepStatus] = []
    behind = finished | set(passed) | set(seen)
    for index, step in enumerate(campaign.steps):
        if step.id in finished:
            statuses.append(StepStatus(step, "done"))
        elif step.id in seen:
            statuses.append(StepStatus(step, "seen"))
        elif phase == "closed":
            statuses.append(StepStatus(step, "closed"))
        elif phase == "upcoming":
            statuses.append(StepStatus(step, "scheduled", opens_at=campaign.opens_at))
        elif windows[step.id] == "upcoming":
            opens_at = campaign.localise_time(step.opens)
            statuses.append(StepStatus(step, "scheduled", opens_at=opens_at))
        elif windows[step.id] == "closed":
            statuses.append(StepStatus(step, "closed"))
        elif missing := _missing(campaign, index, behind, windows):
            statuses.append(StepStatus(step, "locked", missing=missing))
        elif step.type is StepType.checkpoint and step.id not in checked_in:
            statuses.append(StepStatus(step, "locked"))
        else:
            statuses.append(StepStatus(step, "open", passed=step.id in passed))
    return statuses


def _missing(
    campaign: Campaign, index: int, finished: set[str], windows: dict[str, Phase]
) -> tuple[str, ...]:
    """Ids of the steps the step at `index` still waits for, in trail order."""
    step = campaign.steps[index]
    wanted = set(step.requires)
    if campaign.order is Order.sequential:
        wanted.update(s.id for s in campaign.steps[:index])
    return tuple(
        s.id
        for s in campaign.steps
        if s.id in wanted and s.id not in finished and windows[s.id] != "closed"
    )


def step_status(
    campaign: Campaign,
    step_id: str,
    *,
    done: Set[str],
    checked_in: Set[str],
    now: datetime,
    passed: Set[str] = frozenset(),
    seen: Set[str] = frozenset(),
) -> StepStatus:
    """The state of one step; `KeyError` when the campaign has no such step."""
    statuses = step_statuses(
        campaign, done=done, checked_in=checked_in, now=now, passed=passed, seen=seen
    )
    for status in statuses:
        if status.step.id == step_id:
            return status
    raise KeyError(step_id)


def is_finished(campaign: Campaign, done: Set[str], seen: Set[str] = frozenset()) -> bool:
    """Whether the player has done every step (or seen its answer, when `seen` is given): the
    finale and its thanks are theirs. The figures count only what was done."""
    return all(step.id in done or step.id in seen for step in campaign.steps)


def first_open(statuses: list[StepStatus], after: str | None = None) -> Step | None:
    """The step to play next: the first open one not passed (after `after`, when given, then
    from the start), else the first passed one, to come back to."""
    ids = [s.step.id for s in statuses]
    start = ids.index(after) + 1 if after in ids else 0
    ordered = statuses[start:] + statuses[:start]
    fresh = (s.step for s in ordered if s.state == "open" and not s.passed and s.step.id != after)
    again = (s.step for s in ordered if s.state == "open" and s.step.id != after)
    return next(fresh, None) or next(again, None)


def next_step(
    campaign: Campaign,
    *,
    done: Set[str],
    checked_in: Set[str],
    now: datetime,
    passed: Set[str] = frozenset(),
) -> Step | None:
    """The first step the player can play now, if any (a passed one last)."""
    statuses = step_statuses(campaign, done=done, checked_in=checked_in, now=now, passed=passed)
    return first_open(statuses)
