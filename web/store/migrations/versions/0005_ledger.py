"""thank-you ledger and anonymous figures of forgotten players

Revision ID: 0005
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "thanks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("contributor", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("player_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("recipient", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("what", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["player_id"], ["player.id"]),
        sa.ForeignKeyConstraint(["recorded_by"], ["staffuser.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("thanks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_thanks_campaign"), ["campaign"], unique=False)
        batch_op.create_index(batch_op.f("ix_thanks_player_id"), ["player_id"], unique=False)

    op.create_table(
        "retiredjourney",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("finished", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("retiredjourney", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retiredjourney_campaign"), ["campaign"], unique=False)

    op.create_table(
        "retiredstep",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("solved", sa.Boolean(), nullable=False),
        sa.Column("hints", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("retiredstep", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retiredstep_campaign"), ["campaign"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("retiredstep", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retiredstep_campaign"))
    op.drop_table("retiredstep")
    with op.batch_alter_table("retiredjourney", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retiredjourney_campaign"))
    op.drop_table("retiredjourney")
    with op.batch_alter_table("thanks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_thanks_player_id"))
        batch_op.drop_index(batch_op.f("ix_thanks_campaign"))
    op.drop_table("thanks")
