"""media library: photos with renditions, descriptions in both languages and a structured credit

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 06:00:00

`mediaimage` holds one row per uploaded photo (its renditions are files named after
`file_stem`); `post.media_image_id` points at the photo a post shows. Posts from before keep
their `image_path` and free-text `image_credit` as they are: renditions cannot be made cheaply
inside a migration, so legacy images are left alone and render as before (README, Photos).
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016"
down_revision: Union[str, None] = "0015"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

def upgrade() -> None:
    op.create_table(
        "mediaimage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_stem", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("alt_en", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("alt_es", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("credit_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("credit_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("credit_licence", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("has_original", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["editor.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("file_stem"),
    )
    op.create_index(op.f("ix_mediaimage_created_at"), "mediaimage", ["created_at"], unique=False)
    # Added in place (ALTER TABLE … ADD COLUMN … REFERENCES), never by copying the table: on SQLite a
    # copy would drop the search and post-count triggers that live on `post` (0002, 0003).
    op.add_column(
        "post",
        sa.Column("media_image_id", sa.Integer(), sa.ForeignKey("mediaimage.id"), nullable=True),
        inline_references=True,
    )
    op.create_index(op.f("ix_post_media_image_id"), "post", ["media_image_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_post_media_image_id"), table_name="post")
    # ALTER TABLE … DROP COLUMN in place (SQLite drops a column whose only constraint is its own
    # inline REFERENCES): copying `post` would lose its triggers and cascade into its children.
    op.drop_column("post", "media_image_id")
    op.drop_index(op.f("ix_mediaimage_created_at"), table_name="mediaimage")
    op.drop_table("mediaimage")
