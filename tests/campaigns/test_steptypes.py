"""Every step type says what it is: one role each, and a partial for those residents send on."""

from __future__ import annotations

from campaigns.steptypes import KINDS, StepType


def test_every_type_is_one_kind_of_step() -> None:
    assert set(KINDS) == set(StepType)
    for step_type, kind in KINDS.items():
        roles = [kind.answerable, kind.sends, kind.scanned, kind.read]
        assert roles.count(True) == 1, step_type
        assert (kind.partial is not None) == kind.sends, step_type
