"""moving on after the last hint: a step passed, or its answer seen, kept per player and step

A player stuck after the last hint may pass the step (it stays open to come back to, and no
longer holds back the steps after it) or, where the campaign allows it, see its answer: the
step then shows "réponse vue", and it is never a solve in the figures. 0 is still playing,
1 passed, 2 answer seen.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, never a batch: on SQLite a batch rebuilds the table, which drops the
    # tallies' triggers migration 0011 put on it (and the figures would stop counting hints).
    op.add_column(
        "stepprogress",
        sa.Column("moved_on", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )


def downgrade() -> None:
    # SQLite (3.35 and later) drops a column in place too, keeping the table's triggers.
    op.drop_column("stepprogress", "moved_on")
