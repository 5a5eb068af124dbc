"""The tables of the thank-you ledger and of the anonymous figures kept after a player leaves.

`Thanks` records a gift the community manager sent (an archive print, an invitation to the next
workshop) to a contributor of the YAML or to a resident whose contribution was accepted. It has
deliberately no field for speed, score or standing: thanks are never a prize.

When a player asks to be forgotten, or when a closed campaign's retention period is over, their
rows are deleted; what the figures need survives as `RetiredJourney` and `RetiredStep` rows,
which hold no player id, no resume code and no time of day: one row says "someone started this
campaign (and finished it)", the other "someone solved this step with two hints in 40 seconds".
The two tables cannot be joined back to each other or to anyone.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from web.store.tables.play import utcnow


def _when() -> Column[datetime]:
    return Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Thanks(SQLModel, table=True):
    """One thank-you gift: what, when, to whom (a YAML contributor or a resident), a note.

    The same gift to the same person on the same day is recorded once (a double tap, two cms):
    `recipient_key` is the form's choice (`c:<campaign>:<contributor>`, `s:<submission id>`,
    `i:<proposal id>`), emptied with the name when the resident is forgotten.
    """

    __table_args__ = (UniqueConstraint("recipient_key", "what", "given_on", name="uq_thanks_once"),)
    id: int | None = Field(default=None, primary_key=True)
    campaign: str = Field(max_length=64, index=True)
    contributor: str | None = Field(default=None, max_length=64)  # YAML contributor id
    player_id: str | None = Field(default=None, foreign_key="player.id", index=True)
    recipient: str = Field(max_length=200)  # the name shown, as the contributor chose it
    recipient_key: str | None = Field(default=None, max_length=140)
    what: str = Field(max_length=200)
    given_on: date = Field(sa_column=Column(Date(), nullable=False))
    note: str = Field(default="", max_length=2000)
    recorded_by: int | None = Field(default=None, foreign_key="staffuser.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class RetiredJourney(SQLModel, table=True):
    """A forgotten or purged player's passage through a campaign, without the player."""

    id: int | None = Field(default=None, primary_key=True)
    campaign: str = Field(max_length=64, index=True)
    finished: bool = False


class RetiredStep(SQLModel, table=True):
    """What a forgotten or purged player did on one step, without the player."""

    id: int | None = Field(default=None, primary_key=True)
    campaign: str = Field(max_length=64, index=True)
    step: str = Field(max_length=64)
    solved: bool = False
    hints: int = 0
    seconds: int | None = None  # time to solve (see web.staff.figures), when solved by answering
