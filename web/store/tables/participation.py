"""The tables of residents' participation: contributions, reports, identification proposals.

A `Submission` is what a resident sent on a `contribution` step (a photo and/or a text, with the
credit they chose and their agreement to the publication licence); it waits as `pending` until
the community manager accepts or rejects it, and only accepted, unhidden ones are ever shown to
anyone but their author. Contributors' photos are stored by content hash like staff uploads, but
under their own folder (`web.participation.contributions.photo_dir`), so the staff library's
start-up sweep,
which knows only `MediaPhoto` rows, never touches them.

A `Proposal` is what a resident recognised on an `identify` step ("photos mystères"); proposals
saying the same thing share a `key` (the campaign's answer normalisation), and staff decide once
per key with an `Identification` row. Every proposer of an accepted key is credited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from web.store.player_rows import EQUALS, carries_player
from web.store.tables.play import utcnow

PENDING = "pending"
ACCEPTED = "accepted"
REJECTED = "rejected"
DECLINED = "declined"
CREDIT_KINDS = ("pseudonym", "name", "anonymous")


def shown_credit(kind: str, name: str) -> str:
    """What a resident's credit shows: the name or pseudonym they gave, "" when they chose to
    stay anonymous (the gallery, the credits page, the archive's CSV and the ledger agree)."""
    return name.strip() if kind in ("name", "pseudonym") else ""


LICENCE = "CC-BY-SA-4.0"


def _when() -> Column[datetime]:
    """An aware UTC timestamp column, like the player site's."""
    return Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Submission(SQLModel, table=True):
    """A resident's contribution (photo and/or text), its credit, licence and moderation."""

    id: int | None = Field(default=None, primary_key=True)
    player_id: str | None = Field(default=None, foreign_key="player.id", index=True)
    campaign: str = Field(max_length=64, index=True)
    step: str = Field(max_length=64)
    text: str = Field(default="", max_length=4000)
    caption: str = Field(default="", max_length=200)
    photo_sha256: str | None = Field(default=None, max_length=64, index=True)
    photo_width: int | None = None
    photo_height: int | None = None
    credit_kind: str = Field(default="anonymous", max_length=12)
    credit_name: str = Field(default="", max_length=80)
    licence: str = Field(default=LICENCE, max_length=32)
    status: str = Field(default=PENDING, max_length=10, index=True)
    message: str = Field(default="", max_length=1000)  # the cm's word to the contributor
    hidden: bool = False  # hidden after too many reports, until the cm looks again
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    moderated_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    moderated_by: int | None = Field(default=None, foreign_key="staffuser.id")


class SubmissionReport(SQLModel, table=True):
    """One resident's report of a published contribution (one per resident and item).

    `address` is a keyed hash of the address it came from
    (`web.participation.gallery.address_key`), never
    the address itself: enough to count addresses (one weighs once), not to find anyone.
    """

    __table_args__ = (UniqueConstraint("submission_id", "reporter"),)
    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    # player id, or "ip:<address key>" without a cookie
    reporter: str = Field(max_length=80, sa_column_kwargs=carries_player(EQUALS))
    address: str = Field(default="", max_length=32)
    at: datetime = Field(default_factory=utcnow, sa_column=_when())


# What a resident may write on an identify step: a memory of a photo takes more than a line.
PROPOSAL_TEXT = 2000
PROPOSAL_PLACE = 200
PROPOSAL_DATE = 100


class Proposal(SQLModel, table=True):
    """What a resident recognised on an identify step, with an optional place and date."""

    id: int | None = Field(default=None, primary_key=True)
    player_id: str | None = Field(default=None, foreign_key="player.id", index=True)
    campaign: str = Field(max_length=64, index=True)
    step: str = Field(max_length=64)
    text: str = Field(max_length=PROPOSAL_TEXT)
    key: str = Field(max_length=200, index=True)  # campaigns.matching.normalise(text)[:200]
    place: str = Field(default="", max_length=PROPOSAL_PLACE)
    date_text: str = Field(default="", max_length=PROPOSAL_DATE)
    credit_kind: str = Field(default="anonymous", max_length=12)
    credit_name: str = Field(default="", max_length=80)
    # A keyed hash of the address it came from (`web.participation.gallery.address_key`), so
    # a consensus counts distinct addresses as well as distinct players; "" before 0013.
    address: str = Field(default="", max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class Identification(SQLModel, table=True):
    """Staff's decision on one group of proposals (all those with the same key)."""

    __table_args__ = (UniqueConstraint("campaign", "step", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    campaign: str = Field(max_length=64, index=True)
    step: str = Field(max_length=64)
    key: str = Field(max_length=200)
    label: str = Field(max_length=PROPOSAL_TEXT)  # the most common spelling when staff decided
    status: str = Field(max_length=10)  # accepted | declined
    decided_by: int | None = Field(default=None, foreign_key="staffuser.id")
    decided_at: datetime = Field(default_factory=utcnow, sa_column=_when())
