"""URL slugs for posts: readable, ASCII, unique."""

from slugify import slugify
from sqlmodel import Session, select

from vws_app.models import Post

MAX_SLUG_LENGTH = 120


def slug_from_title(title: str) -> str:
    """A readable ASCII slug ("Lucha Democrática" -> "lucha-democratica"); "post" for a title with no letters."""
    return slugify(title, max_length=MAX_SLUG_LENGTH, word_boundary=True) or "post"


def unique_slug(session: Session, wanted: str, *, exclude_post_id: int | None = None) -> str:
    """`wanted` made slug-shaped and unique among posts, by adding -2, -3… when taken."""
    base = slug_from_title(wanted)
    candidate, counter = base, 1
    while True:
        query = select(Post.id).where(Post.slug == candidate)
        if exclude_post_id is not None:
            query = query.where(Post.id != exclude_post_id)
        if session.exec(query).first() is None:
            return candidate
        counter += 1
        candidate = f"{base}-{counter}"
