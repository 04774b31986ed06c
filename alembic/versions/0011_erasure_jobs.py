"""daily jobs: one claim per job and UTC day, so the retention purge runs once across workers

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 02:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = '0011'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('dailyjobrun',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('job_name', 'day', name='uq_dailyjobrun_job_day')
    )


def downgrade() -> None:
    op.drop_table('dailyjobrun')
