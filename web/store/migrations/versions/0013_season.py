"""the season: the address (a keyed hash) of each identification proposal, so a consensus
counts distinct addresses as well as distinct players

Proposals stored before this revision have no address ("" ): each stands for an address of its
own (`web.participation.groups.Group.residents`).

Revision ID: 0013
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0010"
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


def downgrade() -> None:
    with op.batch_alter_table("proposal") as batch:
        batch.drop_column("address")
