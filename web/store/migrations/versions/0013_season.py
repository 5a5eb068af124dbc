"""the season: the address (a keyed hash) of each identification proposal, so a consensus
counts distinct addresses as well as distinct players; the cm's preview links

Proposals stored before this revision have no address ("" ): each stands for an address of its
own (`web.participation.groups.Group.residents`).

Revision ID: 0013
Revises: 0012a
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("proposal") as batch:
        batch.add_column(
            sa.Column(
                "address",
                sqlmodel.sql.sqltypes.AutoString(length=32),
                nullable=False,
                server_default="",
            )
        )
    op.create_table(
        "previewlink",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("campaign", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["staffuser.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_previewlink_campaign", "previewlink", ["campaign"])


def downgrade() -> None:
    op.drop_index("ix_previewlink_campaign", table_name="previewlink")
    op.drop_table("previewlink")
    with op.batch_alter_table("proposal") as batch:
        batch.drop_column("address")
