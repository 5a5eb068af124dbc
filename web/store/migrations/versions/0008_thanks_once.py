"""A thank-you is recorded once: the recipient the form named, and a unique constraint.

A double tap on "record" stored the gift twice. Rows recorded before this revision keep no
recipient key (NULL, which the constraint lets repeat), so the upgrade never fails on them.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("thanks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "recipient_key", sqlmodel.sql.sqltypes.AutoString(length=140), nullable=True
            )
        )
        batch_op.create_unique_constraint("uq_thanks_once", ["recipient_key", "what", "given_on"])


def downgrade() -> None:
    with op.batch_alter_table("thanks", schema=None) as batch_op:
        batch_op.drop_constraint("uq_thanks_once", type_="unique")
        batch_op.drop_column("recipient_key")
