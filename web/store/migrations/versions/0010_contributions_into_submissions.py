"""the first version's contributions folded into submissions, and its table dropped

The first version kept a contribution step's text in `contribution`; residents' contributions
have since been `submission` rows (photo and/or text, credit, licence, moderation). Whatever the
old table still holds becomes submissions the resident keeps, exports and reads on /moi, never
published: they were sent before residents chose a credit and a licence, so they are not
offered to moderation (`rejected`, with a message to the resident saying why).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

MESSAGE = "Envoyée avant l'ouverture de la galerie : gardée dans vos données, jamais publiée."


def upgrade() -> None:
    op.execute(
        sa.text(
            "INSERT INTO submission (player_id, campaign, step, text, caption, credit_kind,"
            " credit_name, licence, status, message, hidden, created_at)"
            " SELECT player_id, campaign, step, text, '', 'anonymous', '', '', 'rejected',"
            " :message, :hidden, at FROM contribution ORDER BY id"
        ).bindparams(message=MESSAGE, hidden=False)
    )
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_index("ix_contribution_player_id")
        batch_op.drop_index("ix_contribution_campaign")
    op.drop_table("contribution")


def downgrade() -> None:
    op.create_table(
        "contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("player_id", sa.String(), nullable=True),
        sa.Column("campaign", sa.String(length=64), nullable=False),
        sa.Column("step", sa.String(length=64), nullable=False),
        sa.Column("text", sa.String(length=4000), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["player_id"], ["player.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.create_index("ix_contribution_campaign", ["campaign"], unique=False)
        batch_op.create_index("ix_contribution_player_id", ["player_id"], unique=False)
