"""The one-image upload control of the image library and the post editor."""

import reflex as rx

from vws_app.components.translated import t

ACCEPTED = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"], "image/gif": [".gif"]}


def upload_button(upload_id: str, label_key: str, on_drop: rx.event.EventType) -> rx.Component:
    """A drop zone with a button that takes one image; the server checks what it really is."""
    return rx.upload(
        rx.button(t(label_key), variant="soft", type="button"),
        id=upload_id,
        accept=ACCEPTED,
        max_files=1,
        on_drop=on_drop,
        border="1px dashed var(--gray-a7)",
        padding="0.75rem",
        width="fit-content",
        max_width="100%",
    )
