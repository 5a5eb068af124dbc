"""damaged or missing marker reports

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "markerreport",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("photo_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["resolved_by"], ["staffuser.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("markerreport", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_markerreport_campaign"), ["campaign"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("markerreport", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_markerreport_campaign"))
    op.drop_table("markerreport")
