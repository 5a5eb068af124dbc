"""What each type of step is, in one place: how residents play it and what the site does with it.

Routes, judging, views and templates ask a step what it is (`Step.kind`: answerable, sends,
scanned, read) instead of testing its type against lists of types, so a new type is one entry
here and the code that serves it, not a hunt through every `if step.type …`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StepType(StrEnum):
    riddle = "riddle"
    question = "question"
    checkpoint = "checkpoint"
    contribution = "contribution"
    identify = "identify"
    story = "story"


@dataclass(frozen=True)
class StepKind:
    # Solved by typing (riddle) or choosing (question) an answer: judged against the accepted
    # answers, with hints, reveal crops and the wrong-answer limits.
    answerable: bool = False
    # Residents send something of their own (a contribution, an identification proposal), shown
    # by `partial` and posted to the step's URL.
    sends: bool = False
    partial: str | None = None
    # Opened by scanning its QR code on site.
    scanned: bool = False
    # Done by reading it (a story).
    read: bool = False


KINDS: dict[StepType, StepKind] = {
    StepType.riddle: StepKind(answerable=True),
    StepType.question: StepKind(answerable=True),
    StepType.checkpoint: StepKind(scanned=True),
    StepType.contribution: StepKind(sends=True, partial="_contribute.html"),
    StepType.identify: StepKind(sends=True, partial="_identify.html"),
    StepType.story: StepKind(read=True),
}
