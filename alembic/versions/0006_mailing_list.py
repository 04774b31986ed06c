"""mailing list: subscribers (double opt-in) and the posts sent to them

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 22:50:00

`subscriber` holds one row per address (unique, normalised by email-validator). Only the
SHA-256 of the confirmation token is stored (`token_hash`, unique, with its expiry); consent is
recorded as given (when, in which language, the sentence shown). `ix_subscriber_client_requests`
serves the per-client rate limit: each subscribe request touches one row with its client's
salted hash and time. `postmailing` is one row per post pair sent (`translation_key` unique, so
a post is sent once, ever); `outboxmessage.mailing_id` gets its foreign key to it here.
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: Union[str, None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('subscriber',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('token_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmation_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consent_language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('consent_text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('last_request_client_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('last_request_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('unsubscribed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('subscriber', schema=None) as batch_op:
        batch_op.create_index('ix_subscriber_client_requests', ['last_request_client_hash', 'last_request_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscriber_email'), ['email'], unique=True)
        batch_op.create_index(batch_op.f('ix_subscriber_status'), ['status'], unique=False)

    op.create_table('postmailing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('translation_key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['editor.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('translation_key')
    )
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.create_foreign_key(
            'fk_outboxmessage_mailing_id_postmailing', 'postmailing', ['mailing_id'], ['id'], ondelete='SET NULL'
        )


def downgrade() -> None:
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.drop_constraint('fk_outboxmessage_mailing_id_postmailing', type_='foreignkey')
    op.drop_table('postmailing')
    with op.batch_alter_table('subscriber', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscriber_status'))
        batch_op.drop_index(batch_op.f('ix_subscriber_email'))
        batch_op.drop_index('ix_subscriber_client_requests')

    op.drop_table('subscriber')
