"""The running counts behind the CM's figures, kept by the database itself.

Triggers (created by migration 0011, the same on SQLite and PostgreSQL) update these rows in the
statement that stores an answer, a hint, a solve or a scan, so they are exact and cost the
figures a few rows per step however many players there are. They hold no player id: a
forgotten or purged player's answers, hints and solves go on counting here, anonymously, as the
`RetiredJourney`/`RetiredStep` rows made them count before.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel, col


class StepTally(SQLModel, table=True):
    """Per step: answers stored, of which wrong; hints asked, players who asked at least one;
    players who have done it."""

    campaign: str = Field(primary_key=True, max_length=64)
    step: str = Field(primary_key=True, max_length=64)
    answers: int = 0
    wrong: int = 0
    hints: int = 0
    hinted: int = 0
    done: int = 0


class WrongTally(SQLModel, table=True):
    """How many times each normalised wrong answer was given on a step."""

    campaign: str = Field(primary_key=True, max_length=64)
    step: str = Field(primary_key=True, max_length=64)
    # Ties in code-point order, as Python sorts them: PostgreSQL's "C" collation.
    guess: str = Field(
        sa_column=Column(
            String(200).with_variant(String(200, collation="C"), "postgresql"), primary_key=True
        )
    )
    count: int = 0


# The most given wrong answers first, read in index order.
Index(
    "ix_wrongtally_top",
    col(WrongTally.campaign),
    col(WrongTally.step),
    col(WrongTally.count).desc(),
    col(WrongTally.guess),
)


class SolveTime(SQLModel, table=True):
    """How many players solved a step by answering in exactly `seconds` (from their first
    answer to the right one): the median is read off these counts."""

    campaign: str = Field(primary_key=True, max_length=64)
    step: str = Field(primary_key=True, max_length=64)
    seconds: int = Field(primary_key=True)
    count: int = 0
