"""The site search box: a small GET form to /search, submitted in the app without a page reload."""

import reflex as rx
from reflex.vars import FunctionStringVar, Var

from vws_app.components.translated import t
from vws_app.services.search import MAX_QUERY_CHARS
from vws_app.services.site_routes import SEARCH

_ENCODE = FunctionStringVar.create("encodeURIComponent")


def _go_to_results(form_data: Var) -> rx.event.EventSpec:
    """Open /search?q=… in the app without a reload; action and method keep the markup a plain GET form."""
    return rx.redirect(Var.create(f"{SEARCH.path}?q=") + _ENCODE.call(form_data.to(dict)["q"].to(str)).to(str))


def search_box(
    value: Var | str = "",
    *,
    input_id: str = "site-search",
    label_key: str = "search_label",
    input_width: str = "11rem",
    **props,
) -> rx.Component:
    """An input named `q` and a submit button; `value` pre-fills it (the current query).

    `input_id` and `label_key` must differ per box on one page (two search landmarks with one name
    cannot be told apart by screen-reader users); `props` go to the form (`display`, `margin_left`, …).
    """
    return rx.el.form(
        rx.flex(
            rx.input(
                name="q",
                id=input_id,
                type="search",
                default_value=value,
                key=value,
                placeholder=t("search_placeholder"),
                aria_label=t(label_key),
                max_length=MAX_QUERY_CHARS,
                enter_key_hint="search",
                auto_complete="off",
                required=True,
                width=input_width,
            ),
            rx.icon_button(
                rx.icon("search", size=16, aria_hidden="true"),
                type="submit",
                variant="soft",
                aria_label=t("search_submit"),
                title=t("search_submit"),
            ),
            gap="0.5rem",
            align="center",
        ),
        action=SEARCH.path,
        method="get",
        role="search",
        aria_label=t(label_key),
        on_submit=_go_to_results,
        class_name="search-box",
        **props,
    )
