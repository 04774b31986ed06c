"""open letters: sign-on per letter (a post translation pair) and its signatures

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 23:09:46

`lettersignon` is one row per `translation_key` (the English and Spanish versions share it)
with its settings and the kept counts of shown signatures. `lettersignature` holds one row per
person and letter (`email_key` in `uq_lettersignature_letter_email`); only SHA-256 hashes of its tokens are
stored. `ix_lettersignature_listing` serves the public list a page at a time (organisations
first, newest first); `ix_lettersignature_client_requests` the per-client rate limit;
`ix_lettersignature_pending_expiry` the purge of unconfirmed rows.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('lettersignon',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('translation_key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('goal', sa.Integer(), nullable=False),
    sa.Column('moderated', sa.Boolean(), nullable=False),
    sa.Column('people_count', sa.Integer(), nullable=False),
    sa.Column('organisation_count', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('translation_key')
    )
    op.create_table('lettersignature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('email_key', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('affiliation', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('city', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('is_organisation', sa.Boolean(), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('token_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdraw_token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('confirmation_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consent_language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('consent_text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('last_request_client_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('last_request_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shown_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['letter_id'], ['lettersignon.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('letter_id', 'email_key', name='uq_lettersignature_letter_email'),
    sa.UniqueConstraint('token_hash'),
    sa.UniqueConstraint('withdraw_token_hash')
    )
    with op.batch_alter_table('lettersignature', schema=None) as batch_op:
        batch_op.create_index('ix_lettersignature_client_requests', ['last_request_client_hash', 'last_request_at'], unique=False)
        batch_op.create_index('ix_lettersignature_listing', ['letter_id', 'status', 'is_public', 'is_organisation', 'shown_at', 'id'], unique=False)
        batch_op.create_index('ix_lettersignature_pending_expiry', ['status', 'token_expires_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('lettersignature', schema=None) as batch_op:
        batch_op.drop_index('ix_lettersignature_pending_expiry')
        batch_op.drop_index('ix_lettersignature_listing')
        batch_op.drop_index('ix_lettersignature_client_requests')

    op.drop_table('lettersignature')
    op.drop_table('lettersignon')
