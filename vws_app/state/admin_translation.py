"""Admin: a post's translation status, the Translate view's source text, publishing as a pair, the dashboard block."""

from collections.abc import Callable

import reflex as rx
from sqlmodel import Session

from vws_app.i18n import translate
from vws_app.models import Editor, Post, PostStatus, as_utc, utc_now
from vws_app.services import editorial, pair_publishing, translation_status
from vws_app.services.markdown import render_markdown
from vws_app.services.org_time import local_input_to_utc, local_label, utc_to_local_input, zone_label
from vws_app.state.admin_form import AdminFormMixin
from vws_app.state.admin_guard import admin_handler
from vws_app.state.admin_posts import AdminPostsState
from vws_app.state.admin_session import AdminState

EDITOR_PATH = "/admin/posts/edit"
TRANSLATE_QUERY = "translate"  # `?translate=1`: the Translate view (source beside the form; saving aligns)


def editor_href(post_id: int, translating: bool = False) -> str:
    """The editor's address for a post, in the Translate view when `translating`."""
    return f"{EDITOR_PATH}?id={post_id}" + (f"&{TRANSLATE_QUERY}=1" if translating else "")


def _pair_view(session: Session, post: Post) -> dict[str, str]:
    """What the editor's translation panel shows of a post and its other version (flags are "1" or "")."""
    status = translation_status.status_of(session, post)
    partner = session.get(Post, status.partner_id) if status.partner_id else None
    now = utc_now()
    scheduled = post.status == PostStatus.PUBLISHED.value and post.published_at and as_utc(post.published_at) > now
    return {
        "post_id": str(post.id),
        "state": status.state,
        "behind": "1" if status.behind else "",
        "partner_behind": "1" if status.partner_behind else "",
        "published": "1" if post.status == PostStatus.PUBLISHED.value else "",
        "scheduled_for": local_label(post.published_at) if scheduled else "",
        "partner_id": str(partner.id) if partner else "",
        "partner_language": partner.language if partner else "",
        "partner_published": "1" if partner and partner.status == PostStatus.PUBLISHED.value else "",
        "partner_title": partner.title if partner else "",
        "partner_excerpt": partner.excerpt if partner else "",
        "partner_body_html": render_markdown(partner.body) if partner else "",
        "shared_differ": "1" if partner and pair_publishing.differing_shared_fields(post, partner) else "",
    }


class AdminTranslationState(AdminFormMixin, AdminState):
    """The translation panel of the post editor and the dashboard's "Needs translation"; every handler is checked."""

    pair: dict[str, str] = {}
    translating: bool = False
    needs: list[dict[str, str]] = []

    def _clear_admin_data(self) -> None:
        """Forget every post this tab was shown."""
        self.pair, self.needs, self.translating, self.form_errors, self.notice = {}, [], False, {}, ""

    def _show(self, session: Session, post_id: int) -> None:
        post = session.get(Post, post_id)
        self.pair = _pair_view(session, post) if post else {}

    @admin_handler()
    def load_pair(self, session: Session, editor: Editor):
        """The editor page's panel for `?id=N` (`&translate=1`: the Translate view); a new post has none."""
        query = self.router.url.query_parameters
        raw_id = query.get("id", "")
        self.translating = query.get(TRANSLATE_QUERY, "") == "1"
        self.form_errors, self.notice = {}, ""
        self.pair = {}
        if raw_id.isdigit() and len(raw_id) < 12:
            self._show(session, int(raw_id))

    @admin_handler()
    def load_dashboard(self, session: Session, editor: Editor):
        """The dashboard's "Needs translation": missing and stale versions, newest first."""
        self.needs = [
            {
                "id": str(line.post_id),
                "title": line.title,
                "language": line.language,
                "state": line.state,
                "href": editor_href(line.post_id, translating=line.state == translation_status.STALE),
            }
            for line in translation_status.needs_translation(session)
        ]

    def _act(self, session: Session, post_id: int, action: Callable[[], object], notice: str, publishing: bool = False):
        """Run a pair action; on success the notice and the page shown afresh, else the error beside the panel.

        After a change of status (`publishing`) the editor's form takes the new status and date (the
        rest of what the editor typed stays), and the list reloads.
        """
        try:
            action()
        except (editorial.NotFound, editorial.ValidationFailed) as failed:
            self.form_errors, self.notice = dict(getattr(failed, "errors", {"pair": "admin_error_no_translation"})), ""
            return None
        self.form_errors, self.notice = {}, notice
        if not self.router.url.path.startswith(EDITOR_PATH):
            return AdminPostsState.load_list
        self._show(session, post_id)
        post = session.get(Post, post_id)
        if not publishing or post is None:
            return None
        return [
            AdminPostsState.set_form_field("status", post.status),
            AdminPostsState.set_form_field("published_at", utc_to_local_input(post.published_at)),
        ]

    @admin_handler()
    def translate_post(self, session: Session, editor: Editor, post_id: int):
        """Make (or open) the other-language draft and open it in the Translate view."""
        made: list[Post] = []
        self._act(
            session, int(post_id), lambda: made.append(pair_publishing.translate(session, int(post_id), editor)), ""
        )
        return rx.redirect(editor_href(made[0].id, translating=True)) if made else None

    @admin_handler()
    def mark_up_to_date(self, session: Session, editor: Editor, post_id: int):
        """ "Mark as up to date with the other version"."""
        return self._act(
            session,
            int(post_id),
            lambda: translation_status.mark_up_to_date(session, int(post_id), editor),
            "admin_pair_marked",
        )

    @admin_handler()
    def apply_shared(self, session: Session, editor: Editor, post_id: int):
        """Give the other version this one's category and image (the page asked first); audited."""
        return self._act(
            session,
            int(post_id),
            lambda: pair_publishing.apply_shared_fields(session, int(post_id), editor),
            "admin_pair_applied",
        )

    @admin_handler()
    def publish_both(self, session: Session, editor: Editor, post_id: int):
        """Publish this post and its other version now."""
        return self._act(
            session,
            int(post_id),
            lambda: pair_publishing.publish_pair(session, int(post_id), editor),
            "admin_pair_published",
            publishing=True,
        )

    @admin_handler()
    def schedule_both(self, session: Session, editor: Editor, post_id: int, form_data: dict):
        """Schedule both versions at the time typed in the organisation's zone (`form_data["at"]`)."""
        moment = local_input_to_utc(str(form_data.get("at", ""))[:40])

        def schedule() -> None:
            if moment is None:
                raise editorial.ValidationFailed({"schedule_at": "admin_error_schedule_past"})
            pair_publishing.schedule_pair(session, int(post_id), moment, editor)

        return self._act(session, int(post_id), schedule, "admin_pair_scheduled", publishing=True)

    @admin_handler()
    def unpublish(self, session: Session, editor: Editor, post_id: int, with_other: bool):
        """Unpublish this version, and the other one too when the editor chose "Both versions"."""
        return self._act(
            session,
            int(post_id),
            lambda: pair_publishing.unpublish(session, int(post_id), editor, with_other=bool(with_other)),
            "admin_pair_unpublished",
            publishing=True,
        )

    @admin_handler()
    def unpublish_other(self, session: Session, editor: Editor, post_id: int):
        """Unpublish the other version of the post being edited (its own status goes with its Save)."""

        def unpublish_partner() -> None:
            post = session.get(Post, int(post_id))
            partner = translation_status.partner_of(session, post) if post else None
            if partner is None:
                raise editorial.ValidationFailed({"pair": "admin_error_no_translation"})
            pair_publishing.unpublish(session, partner.id, editor, with_other=False)

        return self._act(session, int(post_id), unpublish_partner, "admin_pair_unpublished")

    @rx.var
    def zone_text(self) -> str:
        """ "Time zone: Eastern Time (America/New_York)", shown beside every publish time field."""
        return translate("admin_time_zone", self.lang, zone=zone_label(self.lang))

    @rx.var
    def scheduled_text(self) -> str:
        """When this post goes live, on the organisation's clock, if it is scheduled."""
        moment = self.pair.get("scheduled_for", "")
        return translate("admin_pair_scheduled_for", self.lang, moment=moment) if moment else ""
