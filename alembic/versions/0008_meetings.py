"""meetings: RSVPs, capacity, private links, calendar state; attachments on outgoing mail

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 23:30:00

`event` gains what meetings need: `rsvp_enabled`, `capacity` (NULL: no limit), `places_taken`
(moved only by one conditional UPDATE, so concurrent RSVPs never exceed capacity),
`recurrence` (an RRULE), `sequence` (bumped on changes calendar apps must see) and `cancelled`.
The event keeps its `_en`/`_es` columns rather than moving to `translation_key` rows: an event
is one happening with one time, place, capacity and list of RSVPs, only its words are in two
languages; two rows would split the RSVPs and the calendar UID between languages.

`rsvp` holds one row per address and event (unique), indexed for an event's lists by status
and for the per-client rate limit. `outboxmessage.attachments_json` carries files sent with a
mail (the `.ics` of an RSVP confirmation).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: Union[str, None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Plain ADD COLUMNs, not a batch: a batch copy of `event` on SQLite would drop 0002's search triggers.
    op.add_column("event", sa.Column("rsvp_enabled", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("event", sa.Column("capacity", sa.Integer(), nullable=True))
    op.add_column("event", sa.Column("places_taken", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("event", sa.Column("recurrence", sa.String(length=200), nullable=False, server_default=""))
    op.add_column("event", sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("event", sa.Column("cancelled", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("outboxmessage", sa.Column("attachments_json", sa.Text(), nullable=False, server_default="[]"))
    op.create_table(
        "rsvp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent_text", sa.String(length=500), nullable=False),
        sa.Column("client_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "email", name="uq_rsvp_event_email"),
    )
    op.create_index("ix_rsvp_event_status", "rsvp", ["event_id", "status", "created_at"])
    op.create_index("ix_rsvp_client_requests", "rsvp", ["client_hash", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_rsvp_client_requests", table_name="rsvp")
    op.drop_index("ix_rsvp_event_status", table_name="rsvp")
    op.drop_table("rsvp")
    # Plain DROP COLUMNs (SQLite 3.35+), for the same reason as above.
    op.drop_column("outboxmessage", "attachments_json")
    for column in ("cancelled", "sequence", "recurrence", "places_taken", "capacity", "rsvp_enabled"):
        op.drop_column("event", column)
