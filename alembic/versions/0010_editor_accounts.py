"""editor accounts: two-factor secrets, recovery codes, pending sign-ins, password reset links, the account policy, sessions' user agent

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 23:54:16

`editorsession.user_agent` gets an empty default for the sessions open at upgrade time.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('accountpolicy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('require_two_factor', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('editortotp',
    sa.Column('editor_id', sa.Integer(), nullable=False),
    sa.Column('secret', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('last_used_step', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['editor.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('editor_id')
    )
    op.create_table('pendingsignin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=False),
    sa.Column('user_agent', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['editor.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pendingsignin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pendingsignin_editor_id'), ['editor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pendingsignin_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pendingsignin_token_hash'), ['token_hash'], unique=True)

    op.create_table('passwordresettoken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['editor_id'], ['editor.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('passwordresettoken', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passwordresettoken_editor_id'), ['editor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_passwordresettoken_token_hash'), ['token_hash'], unique=True)

    op.create_table('recoverycode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['editor_id'], ['editor.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('recoverycode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recoverycode_editor_id'), ['editor_id'], unique=False)

    with op.batch_alter_table('editorsession', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_agent', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False, server_default=''))



def downgrade() -> None:
    with op.batch_alter_table('editorsession', schema=None) as batch_op:
        batch_op.drop_column('user_agent')

    with op.batch_alter_table('recoverycode', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recoverycode_editor_id'))

    op.drop_table('recoverycode')
    with op.batch_alter_table('passwordresettoken', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passwordresettoken_token_hash'))
        batch_op.drop_index(batch_op.f('ix_passwordresettoken_editor_id'))

    op.drop_table('passwordresettoken')
    with op.batch_alter_table('pendingsignin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pendingsignin_token_hash'))
        batch_op.drop_index(batch_op.f('ix_pendingsignin_expires_at'))
        batch_op.drop_index(batch_op.f('ix_pendingsignin_editor_id'))

    op.drop_table('pendingsignin')
    op.drop_table('editortotp')
    op.drop_table('accountpolicy')
