"""Admin: the posts list (search, filters, publish, delete) and the post editor."""

import contextlib
import dataclasses
from datetime import datetime

import reflex as rx
from sqlmodel import Session, select

from vws_app.models import Editor, Post, PostCategory, PostStatus
from vws_app.services import editorial, image_credit, media, media_library, scheduling, translation_status, uploads
from vws_app.services.markdown import render_markdown
from vws_app.services.org_time import local_input_to_utc, utc_to_local_input
from vws_app.state.admin_form import AdminFormMixin
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_media import store_upload
from vws_app.state.admin_session import AdminState
from vws_app.state.unsaved import UnsavedChangesMixin

POST_FORM_FIELDS = (
    "title",
    "slug",
    "language",
    "translation_of",
    "excerpt",
    "body",
    "image_path",
    "image_credit",
    "media_image_id",
    "category",
    "status",
    "published_at",
)
LIST_FILTERS = ("query", "language", "status", "category")


@dataclasses.dataclass(frozen=True)
class LibraryChoice:
    """A library photo as the post editor offers it (words in both languages, so the toggle needs no trip)."""

    id: str = ""
    thumb_url: str = ""
    fallback_url: str = ""
    alt_en: str = ""
    alt_es: str = ""
    credit_en: str = ""
    credit_es: str = ""
    described: bool = False


def _choice(image) -> LibraryChoice:
    return LibraryChoice(
        id=str(image.id),
        thumb_url=media.thumbnail_url(image),
        fallback_url=media.fallback_url(image),
        alt_en=image.alt_en,
        alt_es=image.alt_es,
        credit_en=image_credit.credit_text(image, "en"),
        credit_es=image_credit.credit_text(image, "es"),
        described=not image_credit.missing_alt_languages(image),
    )


def _markdown_title(text: str) -> str:
    """`text` safe inside a Markdown link title's double quotes."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _row(post, pair: translation_status.PairStatus) -> dict[str, str]:
    """What the admin list shows of a post, with its pair's translation state."""
    return {
        "pair": pair.state,
        "partner_published": "1" if pair.partner_status == PostStatus.PUBLISHED.value else "",
        "id": str(post.id),
        "title": post.title,
        "slug": post.slug,
        "language": post.language,
        "status": post.status,
        "category": post.category,
        "date": utc_to_local_input(post.published_at)[:10],  # the day on the organisation's clock
        "scheduled": scheduling.scheduled_label(post.status, post.published_at),
    }


def _form_values(session: Session, post: Post | None) -> dict[str, str]:
    """The editor form's fields for `post`, or the defaults of a new English draft."""
    if post is None:
        return {field: "" for field in POST_FORM_FIELDS} | {
            "language": "en",
            "category": PostCategory.STATEMENT.value,
            "status": PostStatus.DRAFT.value,
        }
    translation = session.exec(
        select(Post).where(Post.translation_key == post.translation_key, Post.id != post.id)
    ).first()
    return {
        "title": post.title,
        "slug": post.slug,
        "language": post.language,
        "translation_of": str(translation.id) if translation else "",
        "excerpt": post.excerpt,
        "body": post.body,
        "image_path": post.image_path,
        "image_credit": post.image_credit,
        "media_image_id": str(post.media_image_id or ""),
        "category": post.category,
        "status": post.status,
        "published_at": utc_to_local_input(post.published_at),  # the organisation's wall clock
    }


def _parse_datetime(text: str) -> datetime | None:
    """A `datetime-local` value read in the organisation's time zone; empty or malformed gives None."""
    return local_input_to_utc(text)


class AdminPostsState(UnsavedChangesMixin, AdminFormMixin, AdminState):
    """Every handler that reads or writes posts runs behind `admin_handler`; nothing without a session."""

    rows: list[dict[str, str]] = []
    filters: dict[str, str] = {name: "" for name in LIST_FILTERS}
    form: dict[str, str] = {}
    editing_id: int = 0
    candidates: list[dict[str, str]] = []
    library: list[LibraryChoice] = []  # the photos the editor may choose (newest first)
    _just_saved: bool = False  # the save's redirect reopens the editor, which then says "Saved."

    def _clear_admin_data(self) -> None:
        """Forget every post this tab was shown."""
        self.rows, self.form, self.candidates, self.form_errors, self.library = [], {}, [], {}, []
        self.editing_id, self.notice, self._saved_form, self._just_saved = 0, "", {}, False

    @admin_handler()
    def load_list(self, session: Session, editor: Editor):
        """The list, newest first, with the current search and filters."""
        posts, _total = editorial.search_posts(session, **self.filters, per_page=200)
        pairs = translation_status.statuses(session, posts)
        self.rows = [_row(post, pairs[post.id]) for post in posts]

    @rx.event
    def set_filter(self, name: str, value: str):
        """Change one search or filter value and reload the list."""
        if name in LIST_FILTERS:
            self.filters = {**self.filters, name: "" if value == "any" else str(value)[:200]}
            return AdminPostsState.load_list

    @admin_handler()
    def set_status(self, session: Session, editor: Editor, post_id: int, status: str):
        """Publish or unpublish a post from the list."""
        self.notice = ""
        try:
            editorial.set_post_status(session, int(post_id), status, editor)
        except editorial.NotFound:
            pass  # deleted meanwhile: the reload shows how it is now
        except editorial.ValidationFailed as failed:
            self.notice = next(iter(failed.errors.values()))  # e.g. its photo still needs a description
        return AdminPostsState.load_list

    @admin_handler()
    def delete_post(self, session: Session, editor: Editor, post_id: int):
        """Delete a post (the page asked for confirmation first)."""
        with contextlib.suppress(editorial.NotFound):
            editorial.delete_post(session, int(post_id), editor)
        self.notice = "admin_deleted"
        return AdminPostsState.load_list

    @admin_handler()
    def open_editor(self, session: Session, editor: Editor):
        """`/admin/posts/edit?id=N` edits post N; without an id, a new post."""
        raw_id = self.router.url.query_parameters.get("id", "")
        self.form_errors, self.notice = {}, "admin_saved" if self._just_saved else ""
        self._just_saved = False
        post = session.get(Post, int(raw_id)) if raw_id.isdigit() and len(raw_id) < 12 else None
        self.editing_id = post.id if post else 0
        self.form = _form_values(session, post)
        self._mark_saved()
        self._load_candidates(session)
        self._load_library(session)

    def _load_library(self, session) -> None:
        """The photos of the library, for the image picker."""
        self.library = [_choice(item.image) for item in media_library.list_images(session)]

    def _load_candidates(self, session) -> None:
        """Posts in the other language that this one may translate."""
        self.candidates = [
            {"id": str(post.id), "title": post.title}
            for post in editorial.translation_candidates(session, self.form.get("language", "en"))
            if post.id != self.editing_id
        ]

    @rx.event
    def set_form_field(self, field: str, value: str):
        """Keep what the editor types in the post form; a new language brings its translation candidates."""
        if field not in POST_FORM_FIELDS:
            return None
        self.form, self.notice = {**self.form, field: str(value)}, ""
        return AdminPostsState.reload_candidates if field == "language" else None

    @admin_handler()
    def reload_candidates(self, session: Session, editor: Editor):
        """The posts this one may translate, after its language changed (the choice starts empty)."""
        self.form = {**self.form, "translation_of": ""}
        self._load_candidates(session)

    @admin_handler()
    def save(self, session: Session, editor: Editor):
        """Create or update the post; errors show beside the fields and the form keeps everything.

        Saved from the Translate view (`&translate=1`), the post is marked in line with its other version.
        """
        translating = self.router.url.query_parameters.get("translate", "") == "1"
        data = editorial.PostInput(
            title=self.form.get("title", ""),
            slug=self.form.get("slug", ""),
            language=self.form.get("language", "en"),
            translation_of_id=int(self.form["translation_of"])
            if self.form.get("translation_of", "").isdigit()
            else None,
            excerpt=self.form.get("excerpt", ""),
            body=self.form.get("body", ""),
            image_path=self.form.get("image_path", ""),
            image_credit=self.form.get("image_credit", ""),
            media_image_id=int(self.form["media_image_id"]) if self.form.get("media_image_id", "").isdigit() else None,
            category=self.form.get("category", ""),
            status=self.form.get("status", PostStatus.DRAFT.value),
            published_at=_parse_datetime(self.form.get("published_at", "")),
            aligned_with_translation=translating,
        )
        try:
            post = (
                editorial.update_post(session, self.editing_id, data, editor)
                if self.editing_id
                else editorial.create_post(session, data, editor)
            )
        except editorial.ValidationFailed as failed:
            # The service names the input field; the form calls it "translation_of".
            self.form_errors = {
                ("translation_of" if field == "translation_of_id" else field): key
                for field, key in failed.errors.items()
            }
            return None
        was_new = not self.editing_id
        self.form_errors, self.notice = {}, "admin_saved"
        self.editing_id = post.id
        self.form = _form_values(session, post)
        self._mark_saved()
        if not was_new and not translating:
            from vws_app.state.admin_translation import AdminTranslationState  # it builds on this state

            return AdminTranslationState.load_pair  # the save may have changed the pair's status
        self._just_saved = True  # the post's address reopens the editor, which keeps the notice
        return rx.redirect(f"/admin/posts/edit?id={self.editing_id}" + ("&translate=1" if translating else ""))

    @admin_handler()
    def upload_image(self, session: Session, editor: Editor, files: list[rx.UploadFile]):
        """Store an uploaded photo in the library (checked, cleaned, renditions made, off the loop) and choose it."""
        try:
            image = store_upload(session, editor, files)
        except uploads.UploadRejected as rejected:
            self.form_errors = {**self.form_errors, "media_image_id": rejected.reason_key}
            return
        self.form = {**self.form, "media_image_id": str(image.id), "image_path": media.fallback_url(image)}
        self.form_errors = {key: value for key, value in self.form_errors.items() if key != "media_image_id"}
        self._load_library(session)

    @rx.var
    def chosen_image(self) -> LibraryChoice:
        """The library photo the form shows, or an empty choice (id "")."""
        chosen = self.form.get("media_image_id", "")
        return next((item for item in self.library if chosen and item.id == chosen), LibraryChoice())

    @rx.var
    def image_markdown_after(self) -> str:
        """What the toolbar's Image button puts after the description: `](url "credit")`, in the post's language."""
        chosen = self.chosen_image
        if not chosen.id:
            return ""
        credit = chosen.credit_es if self.form.get("language") == "es" else chosen.credit_en
        title = f' "{_markdown_title(credit)}"' if credit else ""
        return f"]({chosen.fallback_url}{title})\n\n"

    @rx.var
    def image_markdown_alt(self) -> str:
        """The description the Image button inserts when no text is selected: the photo's, in the post's language."""
        chosen = self.chosen_image
        return (chosen.alt_es if self.form.get("language") == "es" else chosen.alt_en) or "…"

    @rx.var
    def scheduled_for(self) -> str:
        """When the post goes live, if the form says published with a date still to come; else ""."""
        when = _parse_datetime(self.form.get("published_at", ""))
        return scheduling.scheduled_label(self.form.get("status", ""), when)

    @rx.var
    def preview_html(self) -> str:
        """The body as visitors will see it, sanitised exactly as on the public site."""
        return render_markdown(self.form.get("body", ""))
