"""participation: contributions, their reports, identification proposals and decisions

Revision ID: 0004
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("player_id", _text(32), nullable=True),
        sa.Column("campaign", _text(64), nullable=False),
        sa.Column("step", _text(64), nullable=False),
        sa.Column("text", _text(4000), nullable=False),
        sa.Column("caption", _text(200), nullable=False),
        sa.Column("photo_sha256", _text(64), nullable=True),
        sa.Column("photo_width", sa.Integer(), nullable=True),
        sa.Column("photo_height", sa.Integer(), nullable=True),
        sa.Column("credit_kind", _text(12), nullable=False),
        sa.Column("credit_name", _text(80), nullable=False),
        sa.Column("licence", _text(32), nullable=False),
        sa.Column("status", _text(10), nullable=False),
        sa.Column("message", _text(1000), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("moderated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["player_id"], ["player.id"]),
        sa.ForeignKeyConstraint(["moderated_by"], ["staffuser.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_player_id"), ["player_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_submission_campaign"), ["campaign"], unique=False)
        batch_op.create_index(batch_op.f("ix_submission_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_submission_photo_sha256"), ["photo_sha256"], unique=False
        )

    op.create_table(
        "submissionreport",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("reporter", _text(80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_id", "reporter"),
    )
    with op.batch_alter_table("submissionreport", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_submissionreport_submission_id"), ["submission_id"], unique=False
        )

    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("player_id", _text(32), nullable=True),
        sa.Column("campaign", _text(64), nullable=False),
        sa.Column("step", _text(64), nullable=False),
        sa.Column("text", _text(200), nullable=False),
        sa.Column("key", _text(200), nullable=False),
        sa.Column("place", _text(200), nullable=False),
        sa.Column("date_text", _text(100), nullable=False),
        sa.Column("credit_kind", _text(12), nullable=False),
        sa.Column("credit_name", _text(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["player_id"], ["player.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposal_player_id"), ["player_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposal_campaign"), ["campaign"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposal_key"), ["key"], unique=False)

    op.create_table(
        "identification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign", _text(64), nullable=False),
        sa.Column("step", _text(64), nullable=False),
        sa.Column("key", _text(200), nullable=False),
        sa.Column("label", _text(200), nullable=False),
        sa.Column("status", _text(10), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["decided_by"], ["staffuser.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign", "step", "key"),
    )
    with op.batch_alter_table("identification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identification_campaign"), ["campaign"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("identification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identification_campaign"))
    op.drop_table("identification")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_key"))
        batch_op.drop_index(batch_op.f("ix_proposal_campaign"))
        batch_op.drop_index(batch_op.f("ix_proposal_player_id"))
    op.drop_table("proposal")
    with op.batch_alter_table("submissionreport", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submissionreport_submission_id"))
    op.drop_table("submissionreport")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_photo_sha256"))
        batch_op.drop_index(batch_op.f("ix_submission_status"))
        batch_op.drop_index(batch_op.f("ix_submission_campaign"))
        batch_op.drop_index(batch_op.f("ix_submission_player_id"))
    op.drop_table("submission")
