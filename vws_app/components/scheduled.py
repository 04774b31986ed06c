"""The "Scheduled" mark of a published post whose publish date is still to come, with that time."""

import reflex as rx

from vws_app.components.translated import t


def scheduled_badge(label: rx.Var, badge_id: str | rx.Var | None = None) -> rx.Component:
    """ "Scheduled · 2026-12-01 19:00 EST" when `label` (from `services.scheduling`) is not empty."""
    return rx.cond(
        label != "",
        rx.badge(t("admin_scheduled"), " · ", label, color_scheme="amber", class_name="post-scheduled", id=badge_id),
    )
