"""the address (a keyed hash) of each gallery report, so one address weighs once

Reports stored before this revision get their reporter as address: each keeps counting as one
address, as it did.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissionreport") as batch:
        batch.add_column(
            sa.Column(
                "address",
                sqlmodel.sql.sqltypes.AutoString(length=32),
                nullable=False,
                server_default="",
            )
        )
    op.execute("UPDATE submissionreport SET address = substr(reporter, 1, 32)")


def downgrade() -> None:
    with op.batch_alter_table("submissionreport") as batch:
        batch.drop_column("address")
