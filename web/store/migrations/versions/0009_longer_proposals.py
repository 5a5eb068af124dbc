"""longer proposals: what a resident recognised on a mystery photo, up to 2000 characters

A memory of a photo takes more than the 200 characters of a line; the label staff accept is one
of those texts, so it grows with them.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.alter_column("text", existing_type=_text(200), type_=_text(2000))
    with op.batch_alter_table("identification", schema=None) as batch_op:
        batch_op.alter_column("label", existing_type=_text(200), type_=_text(2000))


def downgrade() -> None:
    with op.batch_alter_table("identification", schema=None) as batch_op:
        batch_op.alter_column("label", existing_type=_text(2000), type_=_text(200))
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.alter_column("text", existing_type=_text(2000), type_=_text(200))
