"""privacy: versioned privacy texts, consent recorded with each submission, retention settings

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 02:30:00

`privacytext` holds every version of the short notice and the full privacy page per language
(never updated, only added to). Each kind of submission points at the notice version its
sender saw (`consent_notice_id`); contact messages also get when and in which language, RSVPs
the language. Rows stored before this revision keep NULL there: nobody was shown a notice.
`retentionsetting` holds an admin's overrides of the retention periods.
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: Union[str, None] = "0013"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SUBMISSION_TABLES = ("contactmessage", "subscriber", "lettersignature", "rsvp")


def _notice_fk(table: str) -> str:
    return f"fk_{table}_consent_notice_id_privacytext"


def upgrade() -> None:
    op.create_table(
        "privacytext",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=True),
        sa.Column("editor_email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["editor_id"], ["editor.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "language", "version", name="uq_privacytext_kind_language_version"),
    )
    op.create_table(
        "retentionsetting",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("contactmessage", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("consent_language", sqlmodel.sql.sqltypes.AutoString(length=2),
                                      nullable=False, server_default="en"))
    with op.batch_alter_table("rsvp", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_language", sqlmodel.sql.sqltypes.AutoString(length=2),
                                      nullable=False, server_default="en"))
    for table in SUBMISSION_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("consent_notice_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(_notice_fk(table), "privacytext", ["consent_notice_id"], ["id"])
    # The defaults only filled the rows already there; the models set the value from now on.
    for table in ("contactmessage", "rsvp"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("consent_language", server_default=None)


def downgrade() -> None:
    for table in SUBMISSION_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(_notice_fk(table), type_="foreignkey")
            batch_op.drop_column("consent_notice_id")
    with op.batch_alter_table("rsvp", schema=None) as batch_op:
        batch_op.drop_column("consent_language")
    with op.batch_alter_table("contactmessage", schema=None) as batch_op:
        batch_op.drop_column("consent_language")
        batch_op.drop_column("consent_at")
    op.drop_table("retentionsetting")
    op.drop_table("privacytext")
