"""moving on after the last hint: a step passed, or its answer seen, kept per player and step

A player stuck after the last hint may pass the step (it stays open to come back to, and no
longer holds back the steps after it) or, where the campaign allows it, see its answer: the
step then shows "réponse vue", and it is never a solve in the figures. 0 is still playing,
1 passed, 2 answer seen.

Revision ID: 0012
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stepprogress", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("moved_on", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )


def downgrade() -> None:
    with op.batch_alter_table("stepprogress", schema=None) as batch_op:
        batch_op.drop_column("moved_on")
