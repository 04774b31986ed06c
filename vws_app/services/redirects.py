"""Old addresses that keep working: redirects kept by slug changes, added by editors, and WordPress paths.

A redirect to a post names the post, not its address, so a slug changed twice is still one hop
and the redirect is deleted with the post. A path a post lives at can never be a redirect's old
path (saving a post with that slug removes the redirect), and no redirect may lead back to
itself, so every chain ends.
"""

import re
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlmodel import Session, col, select

from vws_app.models import Editor, Post, PostCategory, Redirect
from vws_app.services import audit
from vws_app.services.editorial_common import ValidationFailed, delete_audited, get_or_raise
from vws_app.services.site_routes import POSTS, SECTION_PATHS

PATH_MAX_LENGTH = 500
MAX_HOPS = 20
POST_PREFIX = POSTS.path + "/"
# The site's own pages, and the backend's, whose address a redirect must never take over.
RESERVED_PATHS = {*SECTION_PATHS, "/feed.xml", "/es/feed.xml", "/sitemap.xml", "/robots.txt", "/healthz"}
RESERVED_PREFIXES = ("/admin", "/_", "/assets/")
WORDPRESS_DATE_PATH = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([^/]+)$")
WORDPRESS_CATEGORY_PATH = re.compile(r"^/category/([^/]+)$")
# WordPress category slugs (English and Spanish, singular and plural) and the category they were.
WORDPRESS_CATEGORIES = {
    "statement": PostCategory.STATEMENT,
    "statements": PostCategory.STATEMENT,
    "comunicado": PostCategory.STATEMENT,
    "comunicados": PostCategory.STATEMENT,
    "declaracion": PostCategory.STATEMENT,
    "declaraciones": PostCategory.STATEMENT,
    "open-letter": PostCategory.OPEN_LETTER,
    "open-letters": PostCategory.OPEN_LETTER,
    "carta-abierta": PostCategory.OPEN_LETTER,
    "cartas-abiertas": PostCategory.OPEN_LETTER,
    "article": PostCategory.ARTICLE,
    "articles": PostCategory.ARTICLE,
    "articulo": PostCategory.ARTICLE,
    "articulos": PostCategory.ARTICLE,
    "news": PostCategory.NEWS,
    "noticias": PostCategory.NEWS,
    "noticia": PostCategory.NEWS,
}


def normalise_path(text: str) -> str:
    """The path part of `text` (a path or a full address), with one leading and no trailing slash.

    Query and fragment are dropped: `/2019/05/01/march/?utm=x` and `/2019/05/01/march` are one path.
    """
    path = urlsplit(text.strip()).path if "://" in text else text.strip().split("?", 1)[0].split("#", 1)[0]
    path = "/" + path.strip("/")
    return re.sub(r"/{2,}", "/", path)


def post_path(post: Post) -> str:
    """The address a post lives at (the same shape in both languages)."""
    return f"{POST_PREFIX}{post.slug}"


def _live_post(session: Session, path: str) -> Post | None:
    """The post living at `path`, draft or published."""
    if not path.startswith(POST_PREFIX) or "/" in path[len(POST_PREFIX) :]:
        return None
    return session.exec(select(Post).where(Post.slug == path[len(POST_PREFIX) :])).first()


def keep_old_address(session: Session, post: Post, old_slug: str | None) -> None:
    """Called with every save of a post, before its commit: its old address, if it changed, redirects to it.

    The post's current address stops being a redirect's old path (a live post wins). Not committed.
    """
    session.flush()
    current = post_path(post)
    for stale in session.exec(select(Redirect).where(Redirect.old_path == current)).all():
        session.delete(stale)
    if old_slug and old_slug != post.slug:
        old_path = f"{POST_PREFIX}{old_slug}"
        row = session.exec(select(Redirect).where(Redirect.old_path == old_path)).first()
        row = row or Redirect(old_path=old_path, origin="slug")
        row.post_id, row.target_path = post.id, ""
        session.add(row)
    session.flush()


def target_of(session: Session, row: Redirect) -> str | None:
    """Where `row` sends readers now; None when its post is gone."""
    if row.post_id is None:
        return row.target_path or None
    post = session.get(Post, row.post_id)
    return post_path(post) if post is not None else None


def resolve(session: Session, path: str) -> str | None:
    """Where a request for `path` should be sent permanently, or None when it is not an old address.

    Stored redirects come first (an imported list wins); then a WordPress `/YYYY/MM/DD/slug/`
    whose slug is a post's, and `/category/<name>/` (a known category: the list filtered by it).
    """
    normal = normalise_path(path)
    row = session.exec(select(Redirect).where(Redirect.old_path == normal)).first()
    if row is not None:
        return target_of(session, row)
    if (dated := WORDPRESS_DATE_PATH.match(normal)) is not None:
        post = session.exec(select(Post).where(Post.slug == dated.group(4).lower())).first()
        return post_path(post) if post is not None else None
    if (category := WORDPRESS_CATEGORY_PATH.match(normal)) is not None:
        known = WORDPRESS_CATEGORIES.get(category.group(1).lower())
        return f"{POSTS.path}?category={known.value}" if known else POSTS.path
    return None


def _target(session: Session, text: str) -> tuple[int | None, str]:
    """(post id, "") for a post's slug or address, or (None, path) for another path of the site.

    Raises:
        ValidationFailed: {"target": …} when it is empty, off-site, too long or names no post.
    """
    text = text.strip()
    if not text:
        raise ValidationFailed({"target": "admin_error_redirect_target_required"})
    if "://" in text or text.startswith("//"):
        raise ValidationFailed({"target": "admin_error_redirect_target_offsite"})
    if text.startswith("/"):
        path = normalise_path(text)
        post = _live_post(session, path)
        if post is not None:
            return post.id, ""
        query = urlsplit(text).query  # a list's filter (`/posts?category=news`) is kept
        path = f"{path}?{query}" if query else path
        if path.startswith(POST_PREFIX) or len(path) > PATH_MAX_LENGTH:
            raise ValidationFailed({"target": "admin_error_redirect_target_unknown"})
        return None, path
    post = session.exec(select(Post).where(Post.slug == text.strip("/").lower())).first()
    if post is None:
        raise ValidationFailed({"target": "admin_error_redirect_target_unknown"})
    return post.id, ""


def _check_old_path(session: Session, old_path: str) -> None:
    """Raises ValidationFailed({"old_path": …}) when `old_path` may not become a redirect."""
    if len(old_path) > PATH_MAX_LENGTH:
        raise ValidationFailed({"old_path": "admin_error_too_long"})
    if old_path in RESERVED_PATHS or old_path.startswith(RESERVED_PREFIXES):
        raise ValidationFailed({"old_path": "admin_error_redirect_reserved"})
    if _live_post(session, old_path) is not None:
        raise ValidationFailed({"old_path": "admin_error_redirect_live_post"})
    if session.exec(select(Redirect.id).where(Redirect.old_path == old_path)).first() is not None:
        raise ValidationFailed({"old_path": "admin_error_redirect_exists"})


def _leads_back(session: Session, old_path: str, first_hop: str) -> bool:
    """Whether following redirects from `first_hop` comes back to `old_path` (or never ends)."""
    seen, path = {old_path}, normalise_path(first_hop.split("?", 1)[0])
    for _ in range(MAX_HOPS):
        if path in seen:
            return True
        seen.add(path)
        row = session.exec(select(Redirect).where(Redirect.old_path == path)).first()
        if row is None:
            return False
        following = target_of(session, row)
        if following is None:
            return False
        path = normalise_path(following.split("?", 1)[0])
    return True


def add_redirect(
    session: Session, old: str, target: str, editor: Editor | None, *, origin: str = "manual", commit: bool = True
) -> Redirect:
    """Make `old` (a path or full old address) redirect to `target` (a post's slug or address, or a path).

    Raises:
        ValidationFailed: {"old_path": …} reserved, a live post's address, or already redirected;
            {"target": …} empty, off-site or unknown; {"target": "admin_error_redirect_loop"}
            when the chain would come back to `old`.
    """
    old_path = normalise_path(old)
    _check_old_path(session, old_path)
    post_id, target_path = _target(session, target)
    row = Redirect(old_path=old_path, post_id=post_id, target_path=target_path, origin=origin)
    if _leads_back(session, old_path, target_of(session, row) or "/"):
        raise ValidationFailed({"target": "admin_error_redirect_loop"})
    session.add(row)
    session.flush()
    audit.record(session, editor, "create", "redirect", row.id, f"{old_path} → {target_of(session, row)}")
    if commit:
        session.commit()
        session.refresh(row)
    return row


def remove_redirect(session: Session, redirect_id: int, editor: Editor) -> None:
    """Delete a redirect (audited); the old address then answers "not found".

    Raises:
        NotFound: no such redirect.
    """
    row = get_or_raise(session, Redirect, redirect_id)
    delete_audited(session, row, editor, "redirect", row.old_path)


def list_redirects(session: Session, query: str = "", limit: int = 200) -> list[tuple[Redirect, str]]:
    """Redirects with where each leads now, newest first; `query` narrows by old path."""
    statement = select(Redirect).order_by(col(Redirect.id).desc()).limit(min(max(limit, 1), 1000))
    if query.strip():
        statement = statement.where(func.lower(Redirect.old_path).contains(query.strip().lower(), autoescape=True))
    return [(row, target_of(session, row) or "") for row in session.exec(statement).all()]
