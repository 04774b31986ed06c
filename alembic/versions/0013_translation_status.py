"""translation status: each post's text revision and the other version's revision it matches

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 02:30:00

No rows are written: a post without one is at revision 1 and an original (never stale).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "0013"
down_revision: Union[str, None] = "0012"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "posttranslationmark",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("content_version", sa.Integer(), nullable=False),
        sa.Column("aligned_with", sa.Integer(), nullable=True),
        sa.Column("aligned_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("post_id"),
    )


def downgrade() -> None:
    op.drop_table("posttranslationmark")
