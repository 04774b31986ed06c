"""revisions of posts and site texts, and redirects from old addresses

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 02:11:54

`postrevision` and `sitetextrevision` keep every save (a post's history goes with the post);
each existing post and text gets its current state as a first revision by "system", so every
history starts from what was there. `redirect` maps an old path to a post (followed wherever
the post now lives, deleted with it) or to a site path.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = '0012'
down_revision: Union[str, None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('postrevision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('image_path', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('image_credit', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('editor_email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('restored_from', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['editor.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('postrevision', schema=None) as batch_op:
        batch_op.create_index('ix_postrevision_post_created', ['post_id', 'id'], unique=False)

    op.create_table('redirect',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('old_path', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('target_path', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('origin', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('redirect', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redirect_old_path'), ['old_path'], unique=True)
        batch_op.create_index(batch_op.f('ix_redirect_post_id'), ['post_id'], unique=False)

    op.create_table('sitetextrevision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('editor_email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('restored_from', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['editor.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sitetextrevision', schema=None) as batch_op:
        batch_op.create_index('ix_sitetextrevision_key_language', ['key', 'language', 'id'], unique=False)

    op.execute(
        "INSERT INTO postrevision (post_id, title, excerpt, body, image_path, image_credit, category, status, slug,"
        " editor_email, created_at)"
        " SELECT id, title, excerpt, body, image_path, image_credit, category, status, slug, 'system', updated_at"
        " FROM post ORDER BY id"
    )
    op.execute(
        "INSERT INTO sitetextrevision (key, language, body, editor_email, created_at)"
        " SELECT key, language, body, 'system', updated_at FROM sitetext ORDER BY id"
    )


def downgrade() -> None:
    with op.batch_alter_table('sitetextrevision', schema=None) as batch_op:
        batch_op.drop_index('ix_sitetextrevision_key_language')

    op.drop_table('sitetextrevision')
    with op.batch_alter_table('redirect', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_redirect_post_id'))
        batch_op.drop_index(batch_op.f('ix_redirect_old_path'))

    op.drop_table('redirect')
    with op.batch_alter_table('postrevision', schema=None) as batch_op:
        batch_op.drop_index('ix_postrevision_post_created')

    op.drop_table('postrevision')
