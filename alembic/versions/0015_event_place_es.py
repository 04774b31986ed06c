"""an event's place in Spanish

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 02:20:00

`event.place_es` holds the place as Spanish readers should read it; empty means "as in
English" (`event.place`), so existing events need no change.
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015"
down_revision: Union[str, None] = "0014"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column(
        "event",
        sa.Column("place_es", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False, server_default=""),
    )


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("place_es")
