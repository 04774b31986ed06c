"""Public forms sent without the app (JavaScript off, or not loaded yet): read the body, check the origin, answer with a page.

A form on the site is a `POST` whose fields travel in the body, never in the address. The
compiled page's own form is handled by the app once it is live; until then, or without
JavaScript, the browser posts it here, and the answer is the same page written by the server
in the visitor's language: the form with the values kept and each error beside its field,
or the outcome. Later public forms (a mailing-list subscription, an RSVP) reuse all of it.
"""

import dataclasses
import html
import re
from urllib.parse import parse_qsl

from reflex_base.config import get_config
from starlette.requests import Request
from starlette.responses import HTMLResponse

from vws_app.i18n import translate
from vws_app.server.origins import is_own_origin
from vws_app.server.page_shell import NO_APP_MEDIA, ShellCache, fill
from vws_app.services.seo import FALLBACK_ID, SERVER_ONLY_ATTRIBUTE, PageMeta
from vws_app.services.server_frame import FRAME_CLASS, marked_complete_on_touch

MAX_FORM_BYTES = 128 * 1024  # a 5,000-character message, percent-encoded, with room to spare
MAX_FORM_FIELDS = 50
URLENCODED = "application/x-www-form-urlencoded"
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)
_shells = ShellCache()
# Only what the server's form needs beside the page's text style (assets/reading.css).
FORM_STYLE = (
    "<style>"
    f"#{FALLBACK_ID} form{{display:flex;flex-direction:column;gap:1rem;margin-top:1.5rem}}"
    f"#{FALLBACK_ID} label{{display:block;font-weight:600;font-size:1rem}}"
    f"#{FALLBACK_ID} input,#{FALLBACK_ID} textarea{{display:block;width:100%;box-sizing:border-box;"
    "font:inherit;padding:.5rem;border:1px solid #8d8d86;border-radius:4px;margin-top:.25rem}"
    f"#{FALLBACK_ID} input[type=checkbox]{{display:inline;width:auto;margin-right:.5rem}}"
    f"#{FALLBACK_ID} [aria-invalid=true]{{border-color:#ce2c31}}"
    f"#{FALLBACK_ID} .field-error{{color:#ce2c31;font-size:1rem;margin:.25rem 0 0}}"
    f"#{FALLBACK_ID} button{{font:inherit;padding:.5rem 1.25rem;width:fit-content}}"
    f"#{FALLBACK_ID} .trap{{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}}"
    "</style>"
)


class FormRefused(Exception):
    """The request is not a form this site accepts; `status` and `reason_key` say why."""

    def __init__(self, status: int, reason_key: str):
        super().__init__(reason_key)
        self.status = status
        self.reason_key = reason_key


@dataclasses.dataclass(frozen=True)
class FormField:
    """One field of a server-rendered form; `kind` is an input type, "textarea" or "checkbox"."""

    name: str
    label_key: str
    kind: str = "text"
    required: bool = True
    max_length: int | None = None
    autocomplete: str = ""


@dataclasses.dataclass(frozen=True)
class FormView:
    """What a form shows: values as sent, error texts per field, the outcome, hidden fields."""

    values: dict[str, str]
    errors: dict[str, str] = dataclasses.field(default_factory=dict)
    outcome: str = ""
    outcome_is_error: bool = False
    hidden: dict[str, str] = dataclasses.field(default_factory=dict)


def check_origin(request: Request) -> None:
    """Refuse a post that a page of another site (or no page at all) made a browser send.

    Raises:
        FormRefused: 403, when `Origin` is absent or not one of the site's own.
    """
    if not is_own_origin(request.headers.get("origin")):
        raise FormRefused(403, "form_refused_origin")


async def read_form(request: Request, max_bytes: int = MAX_FORM_BYTES) -> dict[str, str]:
    """The fields of a urlencoded body (the first value of each), read no further than `max_bytes`.

    Raises:
        FormRefused: 415 for another body type, 413 above `max_bytes`, 400 for too many fields.
    """
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != URLENCODED:
        raise FormRefused(415, "form_unreadable")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FormRefused(413, "form_too_large")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise FormRefused(413, "form_too_large")
    try:
        pairs = parse_qsl(
            body.decode("latin-1"),
            keep_blank_values=True,
            max_num_fields=MAX_FORM_FIELDS,
            encoding="utf-8",
            errors="replace",
        )
    except ValueError:
        raise FormRefused(400, "form_unreadable") from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)
    return fields


def client_address(request: Request) -> str:
    """The sender's address as the app computes it for its websocket (`REFLEX_TRUSTED_PROXY_HOPS`)."""
    address = request.client.host if request.client else "0.0.0.0"
    hops = get_config().trusted_proxy_hops
    if hops:
        forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    return address


def render_form(
    fields: list[FormField], view: FormView, *, language: str, action: str, submit_key: str, id_prefix: str
) -> str:
    """A `POST` form in `language` whose fields keep `view.values` and show each error beside its field."""
    escape = html.escape
    parts = [f'<form method="post" action="{escape(action)}" id="{id_prefix}-form" novalidate>']
    parts += [
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">' for name, value in view.hidden.items()
    ]
    first_wrong = next((field.name for field in fields if field.name in view.errors), None)
    for field in fields:
        label = translate(field.label_key, language)
        parts.append(_render_field(field, view, id_prefix, label, focus=field.name == first_wrong))
    parts.append(f'<button type="submit" id="{id_prefix}-submit">{escape(translate(submit_key, language))}</button>')
    if view.outcome:
        role = "alert" if view.outcome_is_error else "status"
        parts.append(f'<p id="{id_prefix}-outcome" role="{role}">{escape(view.outcome)}</p>')
    parts.append("</form>")
    return "".join(parts)


def _render_field(field: FormField, view: FormView, id_prefix: str, label: str, *, focus: bool = False) -> str:
    """Label, control and error of one field; a checkbox is ticked when its value was sent.

    `focus` puts the cursor in it on load (the first wrong field), with no script needed.
    """
    escape = html.escape
    input_id = f"{id_prefix}-{field.name.replace('_', '-')}"
    value = view.values.get(field.name, "")
    if field.kind == "checkbox":
        checked = " checked" if value else ""
        return (
            f'<label for="{input_id}"><input type="checkbox" id="{input_id}" name="{field.name}"{checked}>'
            f"{escape(label)}</label>"
        )
    error = view.errors.get(field.name, "")
    error_id = f"{input_id}-error"
    attributes = (
        f'id="{input_id}" name="{field.name}" aria-invalid="{"true" if error else "false"}" '
        f'aria-describedby="{error_id}"'
        + (" required" if field.required else "")
        + (f' maxlength="{field.max_length}"' if field.max_length else "")
        + (f' autocomplete="{field.autocomplete}"' if field.autocomplete else "")
        + (" autofocus" if focus else "")
    )
    if field.kind == "textarea":
        control = f'<textarea rows="6" {attributes}>{escape(value)}</textarea>'
    else:
        control = f'<input type="{field.kind}" {attributes} value="{escape(value)}">'
    return (
        f'<div><label for="{input_id}">{escape(label)}</label>{control}'
        f'<p id="{error_id}" class="field-error" aria-live="polite">{escape(error)}</p></div>'
    )


def in_server_text(page: str, content_html: str) -> str:
    """`page` with `content_html` at the end of the server's text (the last `<article>`, after the app)."""
    head, article_end, tail = page.rpartition("</article>")
    return head + content_html + article_end + tail if article_end else page


# On a touch screen and without JavaScript the server's page is the page: the app is hidden (on a
# phone never loaded, `server/deferred_scripts.py`), the frame and the server's form are shown.
# `(scripting: none)` is there for browsers that read it; `<noscript>` for the others.
_SERVER_PAGE_RULES = (
    ".radix-themes{display:none}"
    f".{FRAME_CLASS}{{position:absolute;top:0;left:0;right:0}}"
    ".server-header,.server-footer{display:flex}"
    ".server-form{display:block}"
)
TOUCH_PAGE_STYLE = (
    f'<style {SERVER_ONLY_ATTRIBUTE}="">.server-form{{display:none}}{NO_APP_MEDIA}{{{_SERVER_PAGE_RULES}}}</style>'
)


def for_touch_and_without_javascript(page: str, form_html: str) -> str:
    """A filled page whose readers on a touch screen or without JavaScript get `form_html` in the server's
    text, and not the app; everyone else sees the app and its own form, unchanged. The server's form
    has ids of its own (its prefix), so both can share the document."""
    style = f"{TOUCH_PAGE_STYLE}<noscript><style>{_SERVER_PAGE_RULES}</style></noscript>{FORM_STYLE}"
    page = marked_complete_on_touch(page.replace("</head>", style + "</head>", 1))
    return in_server_text(page, f'<div class="server-form">{form_html}</div>')


def without_compiled_form(page: str, form_id: str) -> str:
    """`page` without the app's own `<form id=form_id>`, which the server's form replaces (one id, one form)."""
    return re.sub(rf'<form\b[^>]*\bid="{re.escape(form_id)}"[^>]*>.*?</form>', "", page, count=1, flags=re.DOTALL)


def form_page(route: str, meta: PageMeta, content_html: str, *, form_id: str, status: int = 200) -> HTMLResponse:
    """The compiled page of `route` with `content_html` in the server's text, in `meta.language`.

    The app's scripts are left out: this answer is complete as it is, and the live app would
    replace it with an empty form. The app's hidden copy of the form (`form_id`) goes too.
    Never cached: it holds what the visitor typed.
    """
    page = _shells.page_for(route)
    if page is None:
        body = f'<article id="{FALLBACK_ID}" lang="{meta.language}"></article>'
        page = (
            f'<!DOCTYPE html><html lang="{meta.language}"><head><meta charset="utf-8"></head><body>{body}</body></html>'
        )
    else:
        page = without_compiled_form(_SCRIPT.sub("", fill(page, meta, text_first=True)), form_id)
    page = in_server_text(page, content_html).replace("</head>", FORM_STYLE + "</head>", 1)
    return HTMLResponse(
        page, status_code=status, headers={"cache-control": "no-store", "vary": "Cookie, Accept-Language"}
    )
