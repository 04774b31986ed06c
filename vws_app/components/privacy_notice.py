"""The short privacy notice every public form shows under its button (so Send comes first by keyboard), with the version id the form sends.

The text and its id come from one state var each (`PrivacyNoticeState`), so the id stored
with a submission names the very words shown. The server's own forms (no JavaScript) write
the same two things with `server/privacy_notice_html.py`.
"""

import reflex as rx

from vws_app.components.translated import t
from vws_app.services.consent import NOTICE_FIELD
from vws_app.services.privacy_page import PATH
from vws_app.state.privacy import PrivacyNoticeState


def privacy_notice(prefix: str) -> rx.Component:
    """The notice and its hidden id, for inside a form; `prefix` keeps ids apart between forms on one page."""
    return rx.box(
        rx.el.input(type="hidden", name=NOTICE_FIELD, value=PrivacyNoticeState.notice_id, read_only=True),
        rx.text(
            PrivacyNoticeState.notice_text,
            " ",
            rx.link(t("privacy_notice_link"), href=PATH, id=f"{prefix}-privacy-link"),
            size="1",
            as_="p",
            color_scheme="gray",
        ),
        id=f"{prefix}-privacy-notice",
        on_mount=PrivacyNoticeState.load_notice,
    )
