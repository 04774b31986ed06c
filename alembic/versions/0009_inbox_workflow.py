"""an inbox a team can work: an assignee on each contact message, internal notes, filter indexes

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 23:36:06

`contactmessage.assignee_id` names the editor looking after a message (NULL: nobody; it
becomes NULL when that editor's row is deleted). `contactnote` holds the editors' internal
notes, deleted with their message. The statuses `in_progress` and `spam` need no schema change
(`status` is a short string). Indexes serve the inbox filters, each walked newest first.
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: Union[str, None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ASSIGNEE_FK = "fk_contactmessage_assignee_id_editor"


def upgrade() -> None:
    op.create_table(
        "contactnote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["editor.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["message_id"], ["contactmessage.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contactnote", schema=None) as batch_op:
        batch_op.create_index("ix_contact_note_message_created", ["message_id", "created_at"], unique=False)

    with op.batch_alter_table("contactmessage", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_contact_assignee_status_created", ["assignee_id", "status", "created_at"], unique=False)
        batch_op.create_index("ix_contact_language_created", ["language", "created_at"], unique=False)
        batch_op.create_index("ix_contact_meeting_created", ["wants_meeting", "created_at"], unique=False)
        batch_op.create_foreign_key(ASSIGNEE_FK, "editor", ["assignee_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    with op.batch_alter_table("contactmessage", schema=None) as batch_op:
        batch_op.drop_constraint(ASSIGNEE_FK, type_="foreignkey")
        batch_op.drop_index("ix_contact_meeting_created")
        batch_op.drop_index("ix_contact_language_created")
        batch_op.drop_index("ix_contact_assignee_status_created")
        batch_op.drop_column("assignee_id")

    with op.batch_alter_table("contactnote", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_note_message_created")

    op.drop_table("contactnote")
