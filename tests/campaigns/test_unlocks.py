"""Unlock rules: which steps a resident may open, given what they did and the time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from campaigns.model import Campaign
from campaigns.unlocks import (
    StepStatus,
    campaign_phase,
    is_finished,
    next_step,
    step_status,
    step_statuses,
    step_window,
)

PARIS = ZoneInfo("Europe/Paris")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def campaign(steps: list[dict[str, Any]], **fields: Any) -> Campaign:
    return Campaign.model_validate({"slug": "jep", "title": "JEP", "steps": steps, **fields})


def riddle(step_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": step_id, "type": "riddle", "title": step_id, "answers": ["x"], **fields}


def checkpoint(step_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": step_id, "type": "checkpoint", "title": step_id, **fields}


def states(statuses: list[StepStatus]) -> dict[str, str]:
    return {s.step.id: s.state for s in statuses}


def play(
    c: Campaign,
    done: set[str] | None = None,
    checked_in: set[str] | None = None,
    now: datetime | None = None,
) -> dict[str, str]:
    now = now or utc(2026, 9, 19, 12)
    return states(step_statuses(c, done=done or set(), checked_in=checked_in or set(), now=now))


# --- Campaign phase and time zones -------------------------------------------------------------

TRAIL = [riddle("a"), riddle("b"), riddle("c")]


def test_campaign_without_dates_is_always_open() -> None:
    assert campaign_phase(campaign(TRAIL), utc(1999, 1, 1)) == "open"


def test_campaign_phase_boundaries_in_paris_summer_time() -> None:
    c = campaign(TRAIL, opens="2026-09-19T09:00", closes="2026-09-21T19:00")
    # 09:00 in Paris in September is 07:00 UTC (CEST, UTC+2).
    assert campaign_phase(c, utc(2026, 9, 19, 6, 59, 59)) == "upcoming"
    assert campaign_phase(c, utc(2026, 9, 19, 7)) == "open"
    assert campaign_phase(c, utc(2026, 9, 21, 16, 59, 59)) == "open"
    assert campaign_phase(c, utc(2026, 9, 21, 17)) == "closed"


def test_campaign_phase_across_the_dst_changes() -> None:
    # Spring forward on 2026-03-29: 03:00 CEST is 01:00 UTC.
    spring = campaign(TRAIL, opens="2026-03-29T03:00")
    assert campaign_phase(spring, utc(2026, 3, 29, 0, 59)) == "upcoming"
    assert campaign_phase(spring, utc(2026, 3, 29, 1)) == "open"
    # Fall back on 2026-10-25: 19:00 that evening is CET, 18:00 UTC.
    autumn = campaign(TRAIL, closes="2026-10-25T19:00")
    assert campaign_phase(autumn, utc(2026, 10, 25, 17, 59)) == "open"
    assert campaign_phase(autumn, utc(2026, 10, 25, 18)) == "closed"


def test_overseas_campaigns_open_at_their_own_local_time() -> None:
    cayenne = campaign(TRAIL, opens="2026-09-19T09:00", timezone="America/Cayenne")  # UTC-3
    noumea = campaign(TRAIL, opens="2026-09-19T09:00", timezone="Pacific/Noumea")  # UTC+11
    paris = campaign(TRAIL, opens="2026-09-19T09:00")
    now = utc(2026, 9, 19, 11)  # 13:00 in Paris, 08:00 in Cayenne, 22:00 in Nouméa
    assert campaign_phase(paris, now) == "open"
    assert campaign_phase(cayenne, now) == "upcoming"
    assert campaign_phase(cayenne, utc(2026, 9, 19, 12)) == "open"
    # Nouméa's Saturday 09:00 is Friday 22:00 UTC.
    assert campaign_phase(noumea, utc(2026, 9, 18, 21, 59)) == "upcoming"
    assert campaign_phase(noumea, utc(2026, 9, 18, 22)) == "open"


def test_now_in_another_zone_is_compared_as_an_instant() -> None:
    c = campaign(TRAIL, opens="2026-09-19T09:00", timezone="America/Cayenne")
    assert campaign_phase(c, datetime(2026, 9, 19, 13, 59, tzinfo=PARIS)) == "upcoming"
    assert campaign_phase(c, datetime(2026, 9, 19, 14, 0, tzinfo=PARIS)) == "open"


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        campaign_phase(campaign(TRAIL), datetime(2026, 9, 19, 12))


def test_upcoming_campaign_schedules_every_step_at_its_opening() -> None:
    c = campaign(TRAIL, opens="2026-09-19T09:00", timezone="Pacific/Noumea")
    statuses = step_statuses(c, done=set(), checked_in=set(), now=utc(2026, 9, 18, 12))
    assert {s.state for s in statuses} == {"scheduled"}
    opens = statuses[0].opens_at
    assert opens == datetime(2026, 9, 19, 9, tzinfo=ZoneInfo("Pacific/Noumea"))
    assert opens is not None and opens.utcoffset() is not None
    assert next_step(c, done=set(), checked_in=set(), now=utc(2026, 9, 18, 12)) is None


def test_closed_campaign_is_read_only_but_keeps_what_was_done() -> None:
    c = campaign(TRAIL, closes="2026-09-21T19:00")
    after = utc(2026, 9, 22)
    assert play(c, done={"a"}, now=after) == {"a": "done", "b": "closed", "c": "closed"}
    assert next_step(c, done={"a"}, checked_in=set(), now=after) is None


# --- Heritage weekend: step windows -----------------------------------------------------------

WEEKEND = campaign(
    [
        riddle("samedi", opens="2026-09-19T09:00", closes="2026-09-19T19:00"),
        riddle("dimanche", opens="2026-09-20T09:00", closes="2026-09-20T18:00"),
        riddle("apres"),
    ],
    opens="2026-09-18T18:00",
    closes="2026-09-21T12:00",
    order="free",
)


def test_step_window_uses_the_campaign_zone() -> None:
    saturday = WEEKEND.steps[0]
    assert step_window(WEEKEND, saturday, utc(2026, 9, 19, 6, 59)) == "upcoming"
    assert step_window(WEEKEND, saturday, utc(2026, 9, 19, 7)) == "open"
    assert step_window(WEEKEND, saturday, utc(2026, 9, 19, 17)) == "closed"


def test_heritage_weekend_friday_evening() -> None:
    friday = utc(2026, 9, 18, 20)
    statuses = step_statuses(WEEKEND, done=set(), checked_in=set(), now=friday)
    assert states(statuses) == {"samedi": "scheduled", "dimanche": "scheduled", "apres": "open"}
    assert statuses[0].opens_at == datetime(2026, 9, 19, 9, tzinfo=PARIS)
    assert statuses[1].opens_at == datetime(2026, 9, 20, 9, tzinfo=PARIS)
    assert statuses[2].opens_at is None


def test_heritage_weekend_saturday_and_sunday() -> None:
    saturday = utc(2026, 9, 19, 10)
    assert play(WEEKEND, now=saturday) == {
        "samedi": "open",
        "dimanche": "scheduled",
        "apres": "open",
    }
    sunday = utc(2026, 9, 20, 10)
    assert play(WEEKEND, now=sunday) == {"samedi": "closed", "dimanche": "open", "apres": "open"}
    # Solved on Saturday: still done on Sunday, whatever the clock.
    assert play(WEEKEND, done={"samedi"}, now=sunday)["samedi"] == "done"


def test_a_missed_step_does_not_lock_the_rest_of_a_sequential_weekend() -> None:
    c = campaign(
        [
            riddle("samedi", opens="2026-09-19T09:00", closes="2026-09-19T19:00"),
            riddle("dimanche", opens="2026-09-20T09:00", closes="2026-09-20T18:00"),
        ],
        order="sequential",
    )
    assert play(c, now=utc(2026, 9, 19, 10))["dimanche"] == "scheduled"
    assert play(c, now=utc(2026, 9, 20, 10)) == {"samedi": "closed", "dimanche": "open"}


# --- Order: sequential and free ---------------------------------------------------------------


def test_sequential_order_opens_one_step_after_the_other() -> None:
    c = campaign(TRAIL)
    assert play(c) == {"a": "open", "b": "locked", "c": "locked"}
    assert play(c, done={"a"}) == {"a": "done", "b": "open", "c": "locked"}
    assert play(c, done={"a", "b", "c"}) == {"a": "done", "b": "done", "c": "done"}


def test_sequential_missing_lists_every_earlier_step_not_done() -> None:
    c = campaign(TRAIL)
    status = step_status(c, "c", done={"b"}, checked_in=set(), now=utc(2026, 9, 19, 12))
    assert status == StepStatus(c.steps[2], "locked", opens_at=None, missing=("a",))
    status = step_status(c, "c", done=set(), checked_in=set(), now=utc(2026, 9, 19, 12))
    assert status.missing == ("a", "b")


def test_requires_applies_in_sequential_order_too() -> None:
    c = campaign([riddle("a"), riddle("b", requires=["d"]), riddle("c"), riddle("d")])
    status = step_status(c, "b", done={"a"}, checked_in=set(), now=utc(2026, 9, 19, 12))
    assert status.state == "locked"
    assert status.missing == ("d",)


def test_free_order_opens_everything_but_what_requires_something() -> None:
    c = campaign([riddle("a"), riddle("b"), riddle("c", requires=["a", "b"])], order="free")
    assert play(c) == {"a": "open", "b": "open", "c": "locked"}
    assert play(c, done={"b"}) == {"a": "open", "b": "done", "c": "locked"}
    now = utc(2026, 9, 19, 12)
    assert step_status(c, "c", done={"b"}, checked_in=set(), now=now).missing == ("a",)
    assert play(c, done={"a", "b"})["c"] == "open"


def test_steps_solved_out_of_order_stay_done() -> None:
    # A step done before (e.g. the CM switched the order mid-campaign) is never taken back.
    c = campaign(TRAIL)
    assert play(c, done={"c"}) == {"a": "open", "b": "locked", "c": "done"}


def test_unknown_done_ids_are_ignored() -> None:
    # A step renamed or removed in a live edit leaves an old id in the player's progress.
    c = campaign(TRAIL)
    assert play(c, done={"ancienne-etape"}) == {"a": "open", "b": "locked", "c": "locked"}


# --- Checkpoints ------------------------------------------------------------------------------

CHECKPOINTS = campaign([riddle("a"), checkpoint("borne-3"), riddle("c")])


def test_checkpoint_waits_to_be_scanned_on_site() -> None:
    now = utc(2026, 9, 19, 12)
    status = step_status(CHECKPOINTS, "borne-3", done={"a"}, checked_in=set(), now=now)
    assert (status.state, status.missing) == ("locked", ())


def test_checkpoint_still_waits_for_the_earlier_steps() -> None:
    now = utc(2026, 9, 19, 12)
    status = step_status(CHECKPOINTS, "borne-3", done=set(), checked_in=set(), now=now)
    assert (status.state, status.missing) == ("locked", ("a",))


def test_scanning_a_checkpoint_marks_it_done_and_opens_the_next() -> None:
    assert play(CHECKPOINTS, done={"a", "borne-3"}, checked_in={"borne-3"}) == {
        "a": "done",
        "borne-3": "done",
        "c": "open",
    }
    # Only in checked_in (the web may record the scan before the progress): done all the same.
    assert play(CHECKPOINTS, done={"a"}, checked_in={"borne-3"})["borne-3"] == "done"


def test_a_recorded_check_in_counts_as_done_wherever_it_stands() -> None:
    # web.play.scans records a scan only when it opens the checkpoint (`awaits_scan`); a check-in
    # recorded before that rule still counts, so no resident loses a step they were told of.
    statuses = play(CHECKPOINTS, done={"borne-3"}, checked_in={"borne-3"})
    assert statuses == {"a": "open", "borne-3": "done", "c": "locked"}
    assert play(CHECKPOINTS, done={"a", "borne-3"}, checked_in={"borne-3"})["c"] == "open"


def test_only_a_checkpoint_waiting_for_nothing_else_awaits_its_scan() -> None:
    now = utc(2026, 9, 19, 12)

    def awaits(step_id: str, done: set[str]) -> bool:
        status = step_status(CHECKPOINTS, step_id, done=done, checked_in=set(), now=now)
        return status.awaits_scan

    assert awaits("borne-3", {"a"})
    assert not awaits("borne-3", set())  # "a" comes first: a scan now opens nothing
    assert not awaits("c", {"a", "borne-3"})  # open, and not a checkpoint
    later = campaign([checkpoint("borne", opens="2026-09-20T09:00")], order="free")
    assert not step_status(later, "borne", done=set(), checked_in=set(), now=now).awaits_scan


def test_checked_in_never_opens_a_step_that_is_not_a_checkpoint() -> None:
    assert play(CHECKPOINTS, checked_in={"c"})["c"] == "locked"


def test_checkpoint_in_free_order() -> None:
    c = campaign([riddle("a"), checkpoint("borne-3")], order="free")
    assert play(c) == {"a": "open", "borne-3": "locked"}
    assert play(c, checked_in={"borne-3"}) == {"a": "open", "borne-3": "done"}


# --- Finishing and what's next ----------------------------------------------------------------


def test_is_finished_needs_every_step() -> None:
    c = campaign(TRAIL)
    assert not is_finished(c, set())
    assert not is_finished(c, {"a", "b"})
    assert is_finished(c, {"a", "b", "c"})
    assert is_finished(c, {"a", "b", "c", "ancienne-etape"})


def test_next_step_is_the_first_open_step_not_done() -> None:
    now = utc(2026, 9, 19, 12)
    c = campaign(TRAIL)
    assert next_step(c, done=set(), checked_in=set(), now=now) == c.steps[0]
    assert next_step(c, done={"a"}, checked_in=set(), now=now) == c.steps[1]
    assert next_step(c, done={"a", "b", "c"}, checked_in=set(), now=now) is None
    # An unscanned checkpoint is not "next": the resident must first go there.
    assert next_step(CHECKPOINTS, done={"a"}, checked_in=set(), now=now) is None


def test_step_status_of_an_unknown_step() -> None:
    with pytest.raises(KeyError):
        step_status(campaign(TRAIL), "nope", done=set(), checked_in=set(), now=utc(2026, 1, 1))


# --- Moving on after the last hint ------------------------------------------------------------


def test_a_passed_step_stays_open_and_no_longer_holds_back_the_next_ones() -> None:
    c = campaign(TRAIL)
    now = utc(2026, 9, 19, 12)
    statuses = step_statuses(c, done=set(), checked_in=set(), now=now, passed={"a"})
    assert states(statuses) == {"a": "open", "b": "open", "c": "locked"}
    assert [s.passed for s in statuses] == [True, False, False]
    # What's next is the step after it; the passed one comes back once nothing else is open.
    assert next_step(c, done=set(), checked_in=set(), now=now, passed={"a"}) == c.steps[1]
    assert next_step(c, done={"b", "c"}, checked_in=set(), now=now, passed={"a"}) == c.steps[0]


def test_a_passed_required_step_no_longer_locks_the_step_requiring_it() -> None:
    c = campaign([riddle("a"), riddle("b", requires=["a"])], order="free")
    now = utc(2026, 9, 19, 12)
    assert states(step_statuses(c, done=set(), checked_in=set(), now=now, passed={"a"})) == {
        "a": "open",
        "b": "open",
    }


def test_an_answer_seen_finishes_the_trail_for_the_player_not_for_the_figures() -> None:
    c = campaign(TRAIL)
    now = utc(2026, 9, 19, 12)
    statuses = step_statuses(c, done={"a"}, checked_in=set(), now=now, seen={"b"})
    assert states(statuses) == {"a": "done", "b": "seen", "c": "open"}
    assert is_finished(c, {"a", "c"}, seen={"b"})
    assert not is_finished(c, {"a", "c"})
    # Seen whatever the clock, as done is.
    closed = campaign(TRAIL, closes="2026-09-01T00:00")
    assert play(closed)["b"] == "closed"
    seen = step_statuses(closed, done=set(), checked_in=set(), now=now, seen={"b"})
    assert states(seen)["b"] == "seen"
