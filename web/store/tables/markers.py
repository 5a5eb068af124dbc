"""The table of "this marker is damaged or missing" reports sent from checkpoint pages.

A report names the marker by its campaign and step slugs (the ids printed in the QR code, stable
across edits), carries an optional comment and an optional photo (stored by content hash in the
reports' own media folder, see `web.participation.markers`), and is resolved by the community
manager once
the marker is repaired. It keeps nothing about who sent it: a report is about the marker. A
resolved report and its photo (a street photo may show passers-by) are deleted once the
retention period (`BALISES_RETENTION_DAYS`) has passed since it was resolved
(`web.privacy.retention`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field, SQLModel

from web.store.tables.play import utcnow


def _when(nullable: bool = False) -> Column[datetime]:
    """An aware UTC timestamp column, like the player site's."""
    return Column(DateTime(timezone=True), nullable=nullable, default=None if nullable else utcnow)


PHOTO_FOLDER = "signalements"  # below the media directory


class MarkerReport(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    campaign: str = Field(max_length=64, index=True)
    step: str = Field(max_length=64)
    comment: str = Field(default="", max_length=1000)
    photo_sha256: str | None = Field(default=None, max_length=64)
    at: datetime = Field(default_factory=utcnow, sa_column=_when())
    resolved_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    resolved_by: int | None = Field(default=None, foreign_key="staffuser.id")
