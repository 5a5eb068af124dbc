"""Moving on from a step after its last hint: `POST …/passer` and `POST …/reponse`.

A riddle nobody around the table can crack must not end the walk (SPEC "Access"). Once the
last hint is used, the player may pass the step: it stays unsolved and open to come back to,
and no longer holds back the steps after it (`campaigns.unlocks`). Where the campaign says
`after_hints: answer`, they may instead see its answer and story: the step then reads
"réponse vue", finished for the trail and the finale, never a solve in the figures, the
thanks or /moi (it is a mark on `StepProgress`, not a `Solve` row).

Both are judged against the player's progress and stored inside the one write transaction of
`web.play.steps._post`, as a hint is.
"""

from __future__ import annotations

from sqlmodel import Session
from starlette.datastructures import FormData

from campaigns.model import Step
from web.forms import text_field
from web.play.answers import state_refusal
from web.play.views import CampaignView, hints_left, moves_left
from web.store import progress

Outcome = tuple[str, int, dict[str, str]]

# The two ways to move on, as `web.play.steps` names the POST it received.
PASS = "pass"
SEE_ANSWER = "see-answer"
MOVES = frozenset({PASS, SEE_ANSWER})


def refusal(view: CampaignView, step: Step, move: str) -> Outcome | None:
    """Why the player cannot make `move` on `step` now, or None when they may."""
    refused = state_refusal(view, step)
    if refused is not None:
        return refused
    if not step.answerable:
        return "locked", 403, {}
    if hints_left(view, step):
        return "hints-first", 403, {}
    offered = moves_left(view, step)
    if move == SEE_ANSWER and not offered.endswith("answer"):
        return "no-answer", 403, {}
    if move == PASS and view.by_id[step.id].passed:
        return "passed", 200, {}  # passed twice (a double tap) is passed once
    return None


def move_on(session: Session, view: CampaignView, step: Step, move: str, form: FormData) -> Outcome:
    """Judge and store a move on `step`; returns (feedback kind, HTTP status, headers).

    A player whose browser keeps no cookie has no stored hints: the form says how many they
    were shown, as it does for the next hint, and nothing is stored.
    """
    if view.player_id is None:
        shown = text_field(form, "asked")
        asked = int(shown) if shown.isascii() and shown.isdigit() else 0
        view.mine.hints[step.id] = min(asked, progress.max_hints(step))
    refused = refusal(view, step, move)
    if refused is not None:
        return refused
    if view.player_id is not None:
        answer = move == SEE_ANSWER
        progress.move_on(session, view.player_id, view.campaign.slug, step.id, answer=answer)
    return moved(view, step, move)


def moved(view: CampaignView, step: Step, move: str) -> Outcome:
    """The player's progress after an allowed `move` (stored or not: a preview keeps it in its
    session, `web.play.steps`); the feedback kind, HTTP status and headers."""
    if move == SEE_ANSWER:
        view.mine.seen.add(step.id)
        view.mine.passed.discard(step.id)
        return "answer-seen", 200, {}
    view.mine.passed.add(step.id)
    return "passed", 200, {}
