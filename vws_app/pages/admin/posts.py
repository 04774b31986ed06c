"""`/admin/posts` and `/admin/posts/edit`: find, publish, delete and write posts."""

import reflex as rx

from vws_app.components.admin_form import confirm_delete, filter_with_label, keyed_by_id, notice
from vws_app.components.admin_layout import admin_shell
from vws_app.components.scheduled import scheduled_badge
from vws_app.components.translated import t, t_by_code
from vws_app.components.translation_panel import pair_state_badge, unpublish_control
from vws_app.services.content import categories
from vws_app.state.admin_posts import AdminPostsState


def _choice(name: str, codes: list[str], prefix: str) -> rx.Component:
    """A filter select whose options are catalogue texts; "any" clears it."""
    return _labelled_filter(
        name,
        rx.select.root(
            rx.select.trigger(placeholder=t(f"admin_filter_{name}"), id=f"posts-filter-{name}"),
            rx.select.content(
                rx.select.item(t("admin_any"), value="any"),
                *[rx.select.item(t(f"{prefix}{code}"), value=code) for code in codes],
            ),
            value=rx.cond(AdminPostsState.filters[name] == "", "any", AdminPostsState.filters[name]),
            on_change=lambda value: AdminPostsState.set_filter(name, value),
        ),
    )


def _labelled_filter(name: str, control: rx.Component) -> rx.Component:
    """A filter with its visible label above it."""
    return filter_with_label(
        "admin_search" if name == "query" else f"admin_filter_{name}", f"posts-filter-{name}", control
    )


def _post_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    published = row["status"] == "published"
    return keyed_by_id(
        rx.table.row(
            rx.table.cell(rx.link(row["title"], href="/admin/posts/edit?id=" + row["id"])),
            rx.table.cell(row["language"].upper()),
            rx.table.cell(
                rx.cond(
                    row["scheduled"] != "", scheduled_badge(row["scheduled"]), t_by_code("admin_status_", row["status"])
                )
            ),
            rx.table.cell(t_by_code("category_", row["category"])),
            rx.table.cell(pair_state_badge(row["pair"])),
            rx.table.cell(row["date"]),
            rx.table.cell(
                rx.flex(
                    rx.cond(
                        published,
                        unpublish_control(
                            row["id"],
                            row["partner_published"],
                            rx.button(
                                t("admin_unpublish"),
                                on_click=AdminPostsState.set_status(row["id"].to(int), "draft"),
                                size="1",
                                variant="soft",
                            ),
                        ),
                        rx.button(
                            t("admin_publish"),
                            on_click=AdminPostsState.set_status(row["id"].to(int), "published"),
                            size="1",
                            variant="soft",
                        ),
                    ),
                    confirm_delete(AdminPostsState.delete_post(row["id"].to(int))),
                    gap="0.5rem",
                )
            ),
            class_name="admin-post-row",
        ),
        row["id"],
    )


def admin_posts_page() -> rx.Component:
    """The posts list."""
    return admin_shell(
        rx.flex(
            rx.heading(t("admin_nav_posts"), size="6", as_="h1"),
            rx.spacer(),
            # Redirects belong to posts' addresses: reached from here, so the sections fit one line.
            rx.link(t("admin_nav_redirects"), href="/admin/redirects", id="admin-redirects-link"),
            rx.link(t("admin_nav_media"), href="/admin/media", id="admin-media-link"),
            rx.link(rx.button(t("admin_new_post"), tab_index=-1), href="/admin/posts/edit", id="admin-new-post"),
            align="center",
            gap="1rem",
            wrap="wrap",
        ),
        rx.flex(
            _labelled_filter(
                "query",
                rx.input(
                    id="posts-filter-query",
                    value=AdminPostsState.filters["query"],
                    on_change=lambda value: AdminPostsState.set_filter("query", value),
                    type="search",
                ),
            ),
            _choice("language", ["en", "es"], "language_name_"),
            _choice("status", ["draft", "published"], "admin_status_"),
            _choice("category", categories(), "category_"),
            gap="0.75rem",
            wrap="wrap",
            align="end",
        ),
        notice(AdminPostsState),
        rx.cond(
            AdminPostsState.rows.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(t(key))
                            for key in (
                                "admin_field_title",
                                "admin_field_language",
                                "admin_field_status",
                                "admin_field_category",
                                "admin_pair_column",
                                "admin_field_published_at",
                                "admin_edit",
                            )
                        ]
                    )
                ),
                rx.table.body(rx.foreach(AdminPostsState.rows, _post_row)),
                width="100%",
            ),
            rx.text(t("admin_empty")),
        ),
    )
