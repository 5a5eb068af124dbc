"""staff area: accounts, server-side sessions, uploaded photos

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staffuser",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("staffuser", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staffuser_name"), ["name"], unique=True)

    op.create_table(
        "staffsession",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["staffuser.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("staffsession", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staffsession_user_id"), ["user_id"], unique=False)

    op.create_table(
        "mediaphoto",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("credit", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("licence", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("fonds", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("cote", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("original_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["uploaded_by"], ["staffuser.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("mediaphoto", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mediaphoto_sha256"), ["sha256"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("mediaphoto", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mediaphoto_sha256"))
    op.drop_table("mediaphoto")
    with op.batch_alter_table("staffsession", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staffsession_user_id"))
    op.drop_table("staffsession")
    with op.batch_alter_table("staffuser", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staffuser_name"))
    op.drop_table("staffuser")
