"""The database tables of the staff area: accounts, their server-side sessions, uploaded photos.

A staff session lives on the server: the browser's cookie holds only a random token, the table
holds its SHA-256, so logging out, changing a password or disabling an account ends the session
everywhere and a copied cookie stops working. Login failures are counted in the player site's
`RateCounter` table (shared by every worker), so no table of their own is needed.

A form sent after its session ended is kept as a `StaffDraft` until its author logs in again
and finds what they typed back on the page (`web.staff.drafts`).

An uploaded photo is stored once by its content hash (`media.library`); its row carries the
archival description staff give it and the short id CMs write in YAML as `media:<id>`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Text
from sqlmodel import Field, SQLModel

from web.store.tables.play import utcnow

ROLES = ("cm", "staff")


def _when() -> Column[datetime]:
    """An aware UTC timestamp column, like the player site's."""
    return Column(DateTime(timezone=True), nullable=False, default=utcnow)


class StaffUser(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True, index=True)
    role: str = Field(max_length=8)  # 'cm' | 'staff'
    password_hash: str = Field(max_length=200)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class StaffSession(SQLModel, table=True):
    """One login: `id` is the SHA-256 of the cookie's token, never the token itself."""

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="staffuser.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    expires_at: datetime = Field(sa_column=_when())
    revoked: bool = False


class MediaPhoto(SQLModel, table=True):
    """An uploaded photo and its archival description (`media:<id>` in campaign files)."""

    id: str = Field(primary_key=True, max_length=16)
    sha256: str = Field(max_length=64, unique=True, index=True)
    title: str = Field(max_length=200)
    credit: str = Field(default="", max_length=200)
    licence: str = Field(default="", max_length=32)
    fonds: str = Field(default="", max_length=200)
    cote: str = Field(default="", max_length=200)
    period: str = Field(default="", max_length=100)
    note: str = Field(default="", max_length=4000)
    # What the sender's file was called: shown (escaped), never used to store anything.
    original_name: str = Field(default="", max_length=255)
    width: int
    height: int
    uploaded_by: int | None = Field(default=None, foreign_key="staffuser.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class StaffDraft(SQLModel, table=True):
    """What a staff member typed in a form sent after their session ended: its text fields
    (JSON) and where the form was, kept until they log in again (a day at most). `id` is the
    SHA-256 of the token the browser's session holds, never the token itself."""

    id: str = Field(primary_key=True, max_length=64)
    page: str = Field(max_length=300)  # the staff page the form was on, to go back to
    action: str = Field(max_length=300)  # the form's own address, to find it on that page
    fields: str = Field(sa_column=Column(Text(), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class PreviewLink(SQLModel, table=True):
    """A cm's link for people without an account to try a campaign before it opens
    (`/apercu/<token>`): `id` is the SHA-256 of the token, never the token itself, so the
    table's copy in a backup opens nothing."""

    id: str = Field(primary_key=True, max_length=64)
    campaign: str = Field(max_length=64, index=True)
    created_by: int = Field(foreign_key="staffuser.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    expires_at: datetime = Field(sa_column=_when())
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
