"""The admin's translation pieces: the state badge, the editor's pair panel and source text, "Needs translation"."""

import reflex as rx

from vws_app.components.admin_form import SELECT_STYLE
from vws_app.components.translated import t, t_by_code
from vws_app.state.admin_posts import AdminPostsState
from vws_app.state.admin_translation import AdminTranslationState as S

STATE_COLOURS = {"complete": "green", "missing": "red", "stale": "amber"}


def pair_state_badge(state: rx.Var, **props) -> rx.Component:
    """Complete / Missing / Stale, coloured."""
    return rx.badge(
        t_by_code("admin_pair_state_", state),
        color_scheme=rx.match(state, *STATE_COLOURS.items(), "gray"),
        variant="soft",
        class_name="pair-state",
        **props,
    )


def _ask(trigger: rx.Component, title: rx.Var, question: rx.Var, *actions: rx.Component) -> rx.Component:
    """A button that asks first; each of `actions` (an `alert_dialog.action` child) answers."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(question),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(t("admin_cancel"), variant="soft", color_scheme="gray")),
                *[rx.alert_dialog.action(action) for action in actions],
                gap="0.75rem",
                justify="end",
                margin_top="1rem",
                wrap="wrap",
            ),
        ),
    )


def unpublish_control(post_id: rx.Var, partner_published: rx.Var, plain: rx.Component) -> rx.Component:
    """Unpublish: when the other version is published too, ask whether to unpublish it as well; else `plain`."""
    return rx.cond(
        partner_published == "1",
        _ask(
            rx.button(t("admin_unpublish"), size="1", variant="soft", class_name="pair-unpublish"),
            t("admin_unpublish"),
            t("admin_pair_unpublish_ask"),
            rx.button(
                t("admin_pair_unpublish_this"),
                variant="soft",
                id="pair-unpublish-this",
                on_click=S.unpublish(post_id.to(int), False),
            ),
            rx.button(
                t("admin_pair_unpublish_both"),
                color_scheme="red",
                id="pair-unpublish-both",
                on_click=S.unpublish(post_id.to(int), True),
            ),
        ),
        plain,
    )


def save_control(save: rx.Component) -> rx.Component:
    """The editor's Save; when it would unpublish this version while the other stays published, it asks about the other."""
    asks = (
        (AdminPostsState.form["status"] == "draft")
        & (S.pair["published"] == "1")
        & (S.pair["partner_published"] == "1")
    )
    return rx.cond(
        asks,
        _ask(
            rx.button(t("admin_save"), size="3", id="post-save", width="fit-content"),
            t("admin_unpublish"),
            t("admin_pair_unpublish_ask"),
            rx.button(
                t("admin_pair_unpublish_this"), variant="soft", on_click=AdminPostsState.save, id="post-save-this"
            ),
            rx.button(
                t("admin_pair_unpublish_both"),
                color_scheme="red",
                id="post-save-both",
                on_click=[AdminPostsState.save, S.unpublish_other(S.pair["post_id"].to(int))],
            ),
        ),
        save,
    )


def _error(field: str) -> rx.Component:
    return rx.cond(
        S.error_texts.contains(field), rx.text(S.error_texts[field], color_scheme="red", size="2", role="alert")
    )


def _state_note() -> rx.Component:
    pair = S.pair
    return rx.text(
        rx.cond(
            pair["state"] == "missing",
            t("admin_pair_missing_note"),
            rx.cond(
                pair["behind"] == "1",
                t("admin_pair_this_behind"),
                rx.cond(pair["partner_behind"] == "1", t("admin_pair_other_behind"), t("admin_pair_in_line")),
            ),
        ),
        size="2",
        id="pair-note",
    )


def _pair_actions() -> rx.Component:
    pair = S.pair
    post_id = pair["post_id"].to(int)
    return rx.flex(
        rx.cond(
            pair["state"] == "missing",
            rx.button(t("admin_pair_translate"), on_click=S.translate_post(post_id), id="pair-translate", size="2"),
        ),
        rx.cond(
            pair["partner_id"] != "",
            rx.link(
                t("admin_pair_open_other"), href="/admin/posts/edit?id=" + pair["partner_id"], id="pair-open-other"
            ),
        ),
        rx.cond(
            (pair["behind"] == "1") & ~S.translating,
            rx.link(
                t("admin_pair_translate_view"),
                href="/admin/posts/edit?translate=1&id=" + pair["post_id"],
                id="pair-translate-view",
            ),
        ),
        rx.cond(
            pair["partner_behind"] == "1",
            rx.link(
                t("admin_pair_translate_view"),
                href="/admin/posts/edit?translate=1&id=" + pair["partner_id"],
                id="pair-partner-translate-view",
            ),
        ),
        rx.cond(
            pair["behind"] == "1",
            rx.button(
                t("admin_pair_mark_up_to_date"),
                on_click=S.mark_up_to_date(post_id),
                variant="soft",
                size="2",
                id="pair-mark-up-to-date",
            ),
        ),
        gap="1rem",
        align="center",
        wrap="wrap",
    )


def _shared_offer() -> rx.Component:
    post_id = S.pair["post_id"].to(int)
    return rx.cond(
        S.pair["shared_differ"] == "1",
        rx.flex(
            rx.text(t("admin_pair_shared_differ"), size="2"),
            _ask(
                rx.button(t("admin_pair_apply_shared"), variant="soft", size="2", id="pair-apply-shared"),
                t("admin_pair_apply_shared"),
                t("admin_pair_apply_shared_confirm"),
                rx.button(
                    t("admin_pair_apply_shared"), on_click=S.apply_shared(post_id), id="pair-apply-shared-confirm"
                ),
            ),
            gap="0.75rem",
            align="center",
            wrap="wrap",
            id="pair-shared",
        ),
    )


def _publishing() -> rx.Component:
    pair = S.pair
    post_id = pair["post_id"].to(int)
    return rx.cond(
        pair["partner_id"] != "",
        rx.flex(
            rx.cond(
                S.scheduled_text != "", rx.text(S.scheduled_text, size="2", weight="medium", id="pair-scheduled-for")
            ),
            rx.flex(
                rx.button(
                    t("admin_pair_publish_both"), on_click=S.publish_both(post_id), id="pair-publish-both", size="2"
                ),
                rx.cond(
                    pair["published"] == "1",
                    unpublish_control(
                        pair["post_id"],
                        pair["partner_published"],
                        rx.button(
                            t("admin_unpublish"),
                            size="1",
                            variant="soft",
                            class_name="pair-unpublish",
                            on_click=S.unpublish(post_id, False),
                        ),
                    ),
                ),
                gap="1rem",
                align="center",
                wrap="wrap",
            ),
            rx.form(
                rx.flex(
                    rx.el.label(
                        rx.text(t("admin_pair_schedule_at"), size="2", weight="medium"), html_for="pair-schedule-at"
                    ),
                    rx.el.input(
                        type="datetime-local",
                        name="at",
                        id="pair-schedule-at",
                        style=SELECT_STYLE,
                        aria_describedby="pair-zone",
                    ),
                    rx.text(S.zone_text, size="2", id="pair-zone"),
                    rx.button(t("admin_pair_schedule_both"), type="submit", id="pair-schedule-both", size="2"),
                    gap="0.75rem",
                    align="center",
                    wrap="wrap",
                ),
                on_submit=S.schedule_both(post_id),
                reset_on_submit=False,
            ),
            _error("schedule_at"),
            direction="column",
            gap="0.75rem",
        ),
    )


def translation_panel() -> rx.Component:
    """The editor's box about this post's other version: state, Translate, mark, shared fields, pair publishing."""
    return rx.cond(
        (AdminPostsState.editing_id > 0) & S.pair.contains("state"),
        rx.card(
            rx.flex(
                rx.flex(
                    rx.heading(t("admin_pair_heading"), size="3", as_="h2"),
                    pair_state_badge(S.pair["state"], id="pair-state"),
                    gap="0.75rem",
                    align="center",
                ),
                rx.cond(
                    S.notice_text != "",
                    rx.callout.root(rx.callout.text(S.notice_text), role="status", id="pair-notice"),
                ),
                _error("pair"),
                _error("media_image_id"),  # publishing the pair: its photo still needs a description
                _state_note(),
                _pair_actions(),
                _shared_offer(),
                _publishing(),
                direction="column",
                gap="0.75rem",
            ),
            id="translation-panel",
        ),
    )


def source_text() -> rx.Component:
    """In the Translate view, the other version's text beside the form, to translate from."""
    pair = S.pair
    return rx.cond(
        S.translating & (pair["partner_id"] != ""),
        rx.box(
            rx.heading(t("admin_pair_source"), size="3", as_="h2"),
            rx.text(t("admin_pair_translating_note"), size="2", color_scheme="gray"),
            rx.heading(pair["partner_title"], size="4", as_="h3", margin_top="0.75rem", lang=pair["partner_language"]),
            rx.text(pair["partner_excerpt"], style={"white_space": "pre-line"}, lang=pair["partner_language"]),
            rx.box(rx.html(pair["partner_body_html"]), class_name="post-body", lang=pair["partner_language"]),
            id="translation-source",
            margin_bottom="1.5rem",
        ),
    )


def needs_translation_block() -> rx.Component:
    """The dashboard's list of posts missing their other version or behind it, newest first."""
    return rx.box(
        rx.heading(t("admin_needs_translation"), size="4", as_="h2", margin_bottom="0.5rem"),
        rx.cond(
            S.needs.length() > 0,
            rx.el.ul(
                rx.foreach(
                    S.needs,
                    lambda line: rx.el.li(
                        rx.flex(
                            pair_state_badge(line["state"]),
                            rx.badge(line["language"].upper(), variant="surface"),
                            rx.link(line["title"], href=line["href"]),
                            gap="0.5rem",
                            align="center",
                        ),
                        class_name="needs-translation-item",
                    ),
                ),
                style={"list_style": "none", "padding": "0", "display": "grid", "gap": "0.5rem"},
            ),
            rx.text(t("admin_needs_translation_none"), size="2"),
        ),
        id="needs-translation",
    )
