"""The contact form without the app (JavaScript off, or before hydration): a POST in the body, one row, the answer in the visitor's language."""

import uuid
from collections.abc import Callable
from urllib.parse import quote, quote_plus

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

from tests.e2e.conftest import DESKTOP_VIEWPORT, LiveApp
from tests.e2e.test_contact_form import open_contact, rows_with
from vws_app.i18n import CATALOGUES

EN, ES = CATALOGUES["en"], CATALOGUES["es"]


class RequestLog:
    """Every request a page made, to prove what went where."""

    def __init__(self, page: Page) -> None:
        self.requests: list[Request] = []
        page.on("request", lambda request: self.requests.append(request))

    def assert_no_url_holds(self, *secrets: str) -> None:
        """No address the page asked for carries any of `secrets`, raw or encoded."""
        for request in self.requests:
            for secret in secrets:
                for form in {secret, quote(secret), quote_plus(secret)}:
                    assert form not in request.url, f"{secret!r} travelled in {request.method} {request.url}"

    def documents(self) -> list[Request]:
        """The page loads (navigations) in order."""
        return [request for request in self.requests if request.is_navigation_request()]


def values(marker: str) -> dict[str, str]:
    return {
        "name": f"Ana {marker[:6]}",
        "email": f"ana.{marker[:6]}@example.org",
        "message": f"Quiero participar. {marker}",
    }


# The app's own form has ids `contact-…`; the form the server writes (for readers without
# JavaScript, and in every answer to a post) has `contact-plain-…`.
APP_FORM, SERVER_FORM = "contact", "contact-plain"


def fill_and_send(page: Page, typed: dict[str, str], prefix: str = SERVER_FORM) -> None:
    for name, text in typed.items():
        page.locator(f"#{prefix}-{name}").fill(text)
    page.locator(f"#{prefix}-submit").click()


def expect_posted_in_the_body(log: RequestLog, typed: dict[str, str]) -> None:
    """The form's load was a POST to /contact whose body, not address, held the fields."""
    [posted] = [request for request in log.documents() if request.method == "POST"]
    assert posted.url.split("?")[0].endswith("/contact")
    assert quote_plus(typed["message"]) in (posted.post_data or "")
    headers = posted.response().headers  # the app's security headers, and never kept in a cache
    assert "form-action 'self'" in headers["content-security-policy"]
    assert (headers["x-frame-options"], headers["cache-control"]) == ("DENY", "no-store")
    assert not [request for request in log.documents() if "email=" in request.url or "message=" in request.url]


@pytest.fixture
def no_js_page(new_context: Callable[..., BrowserContext]) -> Callable[[str], Page]:
    """A page in a context with JavaScript off, in a browser `locale`."""
    return lambda locale="en-US": new_context(locale=locale, java_script_enabled=False).new_page()


@pytest.mark.parametrize(
    ("path", "locale", "catalogue", "language"),
    [
        ("/contact", "en-US", EN, "en"),
        ("/contact?lang=es", "es-VE", ES, "es"),
    ],
)
def test_without_javascript_the_form_stores_one_row_and_thanks_in_the_language(
    live_app: LiveApp, no_js_page, path, locale, catalogue, language
):
    page = no_js_page(locale)
    log = RequestLog(page)
    page.goto(path)
    expect(page.locator(f'label[for="{SERVER_FORM}-message"]')).to_have_text(catalogue["contact_message"])
    marker = uuid.uuid4().hex
    typed = values(marker)
    fill_and_send(page, typed)
    expect(page.locator(f"#{SERVER_FORM}-outcome")).to_have_text(catalogue["contact_thanks"])
    expect(page.locator("html")).to_have_attribute("lang", language)
    [row] = rows_with(live_app, marker)
    assert (row.name, row.email, row.language) == (typed["name"], typed["email"], language)
    expect_posted_in_the_body(log, typed)
    log.assert_no_url_holds(*typed.values())


def test_without_javascript_errors_show_beside_the_fields_and_keep_the_values(live_app: LiveApp, no_js_page):
    page = no_js_page("es-VE")
    log = RequestLog(page)
    page.goto("/contact?lang=es")
    marker = uuid.uuid4().hex
    typed = {**values(marker), "email": "no-es-una-direccion"}
    fill_and_send(page, typed)
    expect(page.locator(f"#{SERVER_FORM}-email-error")).to_have_text(ES["contact_error_email_invalid"])
    expect(page.locator(f"#{SERVER_FORM}-email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{SERVER_FORM}-email")).to_be_focused()  # the first wrong field, without a script
    for name, text in typed.items():
        expect(page.locator(f"#{SERVER_FORM}-{name}")).to_have_value(text)
    assert rows_with(live_app, marker) == []
    # Corrected and sent again: a POST with the form's one-time key.
    page.locator(f"#{SERVER_FORM}-email").fill(f"ana.{marker[:6]}@example.org")
    page.locator(f"#{SERVER_FORM}-submit").click()
    expect(page.locator(f"#{SERVER_FORM}-outcome")).to_have_text(ES["contact_thanks"])
    assert len(rows_with(live_app, marker)) == 1
    assert [request.method for request in log.documents()] == ["GET", "POST", "POST"]
    log.assert_no_url_holds(*typed.values(), f"ana.{marker[:6]}@example.org")


def test_before_the_app_is_live_the_form_is_posted_not_sent_in_the_address(browser: Browser, live_app: LiveApp):
    """The app's scripts never arrive (as on a slow phone before they load): the page's own form still posts.

    A context of its own, not `new_context`: the blocked scripts make the page log errors on purpose.
    """
    context = browser.new_context(base_url=live_app.base_url, viewport=DESKTOP_VIEWPORT)
    try:
        context.route("**/assets/**/*.js", lambda route: route.abort())
        context.route("**/assets/*.js", lambda route: route.abort())
        page = context.new_page()
        log = RequestLog(page)
        page.goto("/contact")
        marker = uuid.uuid4().hex
        typed = values(marker)
        fill_and_send(page, typed, prefix=APP_FORM)
        expect(page.locator(f"#{SERVER_FORM}-outcome")).to_have_text(EN["contact_thanks"])
        assert len(rows_with(live_app, marker)) == 1
        expect_posted_in_the_body(log, typed)
        log.assert_no_url_holds(*typed.values())
    finally:
        context.close()


def test_once_the_app_is_live_it_sends_the_form_itself_without_a_page_post(live_app: LiveApp, page: Page):
    """The compiled form has `method="post"` for the time before hydration; the live app prevents that default."""
    log = RequestLog(page)
    open_contact(page)
    expect(page.locator("#contact-form")).to_have_attribute("method", "post")
    marker = uuid.uuid4().hex
    typed = values(marker)
    for name, text in typed.items():
        page.locator(f"#contact-{name}").fill(text)
        expect(page.locator(f"#contact-{name}")).to_have_value(text)
    page.locator("#contact-submit").click()
    expect(page.locator("#contact-outcome")).to_have_text(EN["contact_thanks"])
    assert len(rows_with(live_app, marker)) == 1
    assert [request.method for request in log.documents()] == ["GET"]
    assert not [request for request in log.requests if request.method == "POST" and "/contact" in request.url]
    log.assert_no_url_holds(*typed.values())


@pytest.mark.parametrize(("locale", "catalogue", "language"), [("en-US", EN, "en"), ("es-VE", ES, "es")])
def test_a_phone_writes_to_us_with_the_servers_form_and_no_app(
    live_app: LiveApp, new_context: Callable[..., BrowserContext], locale, catalogue, language
):
    """On a touch screen the contact page is the server's: its frame and form, no script fetched, a POST in the body."""
    page = new_context(locale=locale, viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True).new_page()
    log = RequestLog(page)
    page.goto("/contact")
    expect(page.locator(f'label[for="{SERVER_FORM}-message"]')).to_have_text(catalogue["contact_message"])
    expect(page.locator(f"#{SERVER_FORM}-form")).to_be_visible()
    expect(page.locator(f"#{APP_FORM}-form")).to_be_hidden()
    marker = uuid.uuid4().hex
    typed = values(marker)
    fill_and_send(page, typed)
    expect(page.locator(f"#{SERVER_FORM}-outcome")).to_have_text(catalogue["contact_thanks"])
    [row] = rows_with(live_app, marker)
    assert (row.email, row.language) == (typed["email"], language)
    expect_posted_in_the_body(log, typed)
    log.assert_no_url_holds(*typed.values())
    assert not [request.url for request in log.requests if request.resource_type == "script"]


def test_a_computer_still_gets_the_apps_form(live_app: LiveApp, new_context: Callable[..., BrowserContext]):
    page = new_context().new_page()
    page.goto("/contact")
    expect(page.locator(f"#{APP_FORM}-form")).to_be_visible()
    expect(page.locator(f"#{SERVER_FORM}-form")).to_be_hidden()
