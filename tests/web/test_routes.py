"""The residents' URL table: what residents send on a step reaches the package that owns it."""

from __future__ import annotations

from campaigns.steptypes import KINDS
from web.routes import SENT


def test_what_residents_send_has_a_receiver_for_each_sending_type() -> None:
    assert set(SENT) == {t for t, kind in KINDS.items() if kind.sends}
