"""Join the branches of issues 5 and 6 (reports, participation, ledger) into one head.

They were written side by side from 0002; a single head lets the next revision follow on
from all of them.

Revision ID: 0006
Revises: 0003, 0004, 0005
"""

from __future__ import annotations

revision = "0006"
down_revision = ("0003", "0004", "0005")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
