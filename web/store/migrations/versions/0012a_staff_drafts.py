"""what staff typed in a form sent after their session ended, kept until they log in again

Revision ID: 0012a
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012a"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staffdraft",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("page", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("staffdraft")
