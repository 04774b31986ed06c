"""outbox: every e-mail the site sends, written in the same transaction as its cause

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-29 22:45:00

`outboxmessage` holds one row per e-mail. The sender (`python -m vws_app.cli mail-worker`)
claims due rows (`status`, `next_attempt_at`: the index `ix_outboxmessage_due`) with a lease,
sends them, and marks them sent or schedules a retry. `message_id` is made at enqueue, so a
row sent again after a sender died mid-send carries the same Message-ID. `dedupe_key` is
unique: a second enqueue with the same key adds nothing. `mailing_id` groups a newsletter's
rows; its foreign key to `postmailing` comes with that table (0006).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "outboxmessage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("headers_json", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("mailing_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    op.create_index("ix_outboxmessage_due", "outboxmessage", ["status", "next_attempt_at"])
    op.create_index("ix_outboxmessage_mailing_id", "outboxmessage", ["mailing_id"])


def downgrade() -> None:
    op.drop_index("ix_outboxmessage_mailing_id", table_name="outboxmessage")
    op.drop_index("ix_outboxmessage_due", table_name="outboxmessage")
    op.drop_table("outboxmessage")
