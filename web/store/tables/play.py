"""The database tables of the player site.

Progress is keyed on the campaign's and step's stable slugs (the ids printed in URLs), never on
positions in the YAML, so a CM who reorders or edits a live campaign keeps every player's
history. Players are pseudonymous: a random id, a resume code and a creation time, nothing else.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from web.store.player_rows import EMBEDDED, carries_player


def utcnow() -> datetime:
    return datetime.now(UTC)


def _when() -> Column[datetime]:
    """An aware UTC timestamp column (both SQLite and PostgreSQL give it back aware)."""
    return Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Player(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    resume_code: str = Field(unique=True, index=True, max_length=8)


class Attempt(SQLModel, table=True):
    """Every answer that got a response (stored before the response is sent)."""

    id: int | None = Field(default=None, primary_key=True)
    # None when the browser keeps no cookie: the answer is still recorded and counted.
    player_id: str | None = Field(default=None, foreign_key="player.id", index=True)
    campaign: str = Field(max_length=64, index=True)
    step: str = Field(max_length=64)
    guess: str = Field(max_length=200)  # normalised
    correct: bool
    at: datetime = Field(default_factory=utcnow, sa_column=_when())


class Solve(SQLModel, table=True):
    """A step done by a player: solved, read, contributed to or scanned. One row per step."""

    __table_args__ = (UniqueConstraint("player_id", "campaign", "step"),)
    id: int | None = Field(default=None, primary_key=True)
    player_id: str = Field(foreign_key="player.id", index=True)
    campaign: str = Field(max_length=64)
    step: str = Field(max_length=64)
    hints_used: int = 0
    at: datetime = Field(default_factory=utcnow, sa_column=_when())


# How a player left a step they could not solve (`StepProgress.moved_on`).
PLAYING, PASSED, ANSWER_SEEN = 0, 1, 2


class StepProgress(SQLModel, table=True):
    """How many hints (and crops) a player asked for on a step, and whether they moved on
    without solving it: passed it (it stays open) or saw its answer (never a solve)."""

    __table_args__ = (UniqueConstraint("player_id", "campaign", "step"),)
    id: int | None = Field(default=None, primary_key=True)
    player_id: str = Field(foreign_key="player.id", index=True)
    campaign: str = Field(max_length=64)
    step: str = Field(max_length=64)
    hints_shown: int = 0
    reveal_stage: int = 0
    moved_on: int = Field(default=PLAYING, sa_column_kwargs={"server_default": "0"})


class Checkin(SQLModel, table=True):
    """A checkpoint QR code scanned on site."""

    __table_args__ = (UniqueConstraint("player_id", "campaign", "step"),)
    id: int | None = Field(default=None, primary_key=True)
    player_id: str = Field(foreign_key="player.id", index=True)
    campaign: str = Field(max_length=64)
    step: str = Field(max_length=64)
    at: datetime = Field(default_factory=utcnow, sa_column=_when())


class Journey(SQLModel, table=True):
    """A live player's journey in a campaign: one row from their first stored row there, and
    how many distinct steps they have done (solved, read, contributed to or scanned).

    Written only by the database's triggers (`web.store.tallies`), in the transaction that
    stores the row, so the figures count players without reading their rows; forgetting or
    purging a player deletes it like any row that carries them."""

    __table_args__ = (Index("ix_journey_campaign_done", "campaign", "done"),)

    player_id: str = Field(foreign_key="player.id", primary_key=True, max_length=32)
    campaign: str = Field(primary_key=True, max_length=64)
    done: int = 0


class ViaCount(SQLModel, table=True):
    """Where players come from: one count per campaign, channel and day (no personal data)."""

    __table_args__ = (UniqueConstraint("campaign", "channel", "day"),)
    id: int | None = Field(default=None, primary_key=True)
    campaign: str = Field(max_length=64)
    channel: str = Field(max_length=32)
    day: str = Field(max_length=10)  # ISO date in the campaign's time zone
    count: int = 0


class RateCounter(SQLModel, table=True):
    """Fixed-window counters kept in the database so every worker shares them."""

    __table_args__ = (UniqueConstraint("key", "bucket"),)
    id: int | None = Field(default=None, primary_key=True)
    # `answer:<player id>:…`: a player's counters go when they are forgotten
    # (`web.store.player_rows`)
    key: str = Field(max_length=200, sa_column_kwargs=carries_player(EMBEDDED))
    bucket: int  # start of the window, unix seconds
    count: int = 0
