"""Another site's page, opened in a visitor's browser, cannot use the visitor to talk to the backend.

A tiny HTTP server on another port plays the other site. Its page opens the event socket and
sends the contact form's submit event, as a hijacking page would; the same script run from
our own page stores a message, so the refusal is the Origin check and not a broken script.
"""

import contextlib
import http.server
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page
from sqlmodel import Session, select

from tests.e2e.conftest import LiveApp, _free_port
from tests.e2e.waits import expect_hydrated
from vws_app.i18n import CATALOGUES
from vws_app.models import ContactMessage
from vws_app.services.database import engine_for

CONTACT_SUBMIT = "reflex___state____state.vws_app___state___language____language_state.vws_app___state___contact____contact_state.submit"

# Opens /_event as Reflex's page does, sends the contact form's submit, and reports what happened.
HIJACK_SCRIPT = """
([socketUrl, eventName, marker]) => new Promise(resolve => {
  const seen = [];
  const socket = new WebSocket(socketUrl);
  const done = (how) => resolve({how, seen});
  socket.onmessage = (message) => {
    seen.push(message.data);
    if (message.data.startsWith('0{')) socket.send('40/_event,{}');
    else if (message.data.startsWith('40/_event')) {
      const event = {name: eventName, router_data: {pathname: '/contact', query: {}},
                     payload: {form_data: {name: 'Mallory', email: 'mallory@example.org', message: marker}}};
      socket.send('42/_event,' + JSON.stringify(['event', event]));
      done('sent');
    }
  };
  socket.onerror = () => done('error');
  socket.onclose = (closed) => done('closed ' + closed.code);
})
"""


def socket_url(live_app: LiveApp) -> str:
    return live_app.base_url.replace("http://", "ws://") + f"/_event/?EIO=4&transport=websocket&token={uuid.uuid4()}"


def other_site_page(live_app: LiveApp) -> bytes:
    """The other site's pages: one that posts a form to us the moment it loads."""
    return f"""<!doctype html><html><body>
<form id="f" method="post" action="{live_app.url("/contact")}">
<input name="name" value="Mallory"><input name="email" value="mallory@example.org"><input name="message" value="forged">
</form><script>document.getElementById('f').submit()</script></body></html>""".encode()


@contextlib.contextmanager
def other_site(live_app: LiveApp) -> Iterator[str]:
    """An HTTP server on another port (another origin) serving `/` (empty page) and `/form` (a cross-site POST)."""
    form_page = other_site_page(live_app)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the stdlib's name)
            body = form_page if self.path == "/form" else b"<!doctype html><title>elsewhere</title><p>elsewhere</p>"
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", _free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def visitor(browser: Browser) -> Iterator[Page]:
    """A visitor's tab on no site in particular; the refusals it meets log errors there on purpose, so they are not watched."""
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def messages_with(live_app: LiveApp, marker: str) -> list[ContactMessage]:
    with Session(engine_for(live_app.database_url)) as session:
        return list(session.exec(select(ContactMessage).where(ContactMessage.message.contains(marker))))


def wait_for_message(live_app: LiveApp, marker: str, timeout_s: float = 15) -> list[ContactMessage]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if found := messages_with(live_app, marker):
            return found
        time.sleep(0.2)
    pytest.fail(f"no message with {marker!r} stored within {timeout_s} s")


def test_the_socket_script_stores_a_message_when_run_from_our_own_page(live_app: LiveApp, page: Page):
    page.goto("/contact")
    expect_hydrated(page, CATALOGUES["en"]["contact_heading"])
    marker = f"own-origin {uuid.uuid4()}"
    outcome = page.evaluate(HIJACK_SCRIPT, [socket_url(live_app), CONTACT_SUBMIT, marker])
    assert outcome["how"] == "sent", outcome
    assert len(wait_for_message(live_app, marker)) == 1


def test_another_sites_page_cannot_open_the_socket_or_store_anything(live_app: LiveApp, visitor: Page):
    marker = f"cross-site {uuid.uuid4()}"
    with other_site(live_app) as elsewhere:
        visitor.goto(elsewhere + "/")
        outcome = visitor.evaluate(HIJACK_SCRIPT, [socket_url(live_app), CONTACT_SUBMIT, marker])
    assert outcome["how"] in ("error", "closed 1006"), outcome
    assert outcome["seen"] == []  # not even the server's greeting: refused at the handshake
    # The same script from our own origin stores within a second or two (test above); the refused
    # socket never got as far as sending, so the database has nothing to wait for.
    assert messages_with(live_app, marker) == []


def test_a_form_posted_from_another_site_is_refused(live_app: LiveApp, visitor: Page):
    with Session(engine_for(live_app.database_url)) as session:
        before = len(session.exec(select(ContactMessage.id)).all())
    with other_site(live_app) as elsewhere, visitor.expect_response(live_app.url("/contact")) as answer:
        visitor.goto(elsewhere + "/form")
    response = answer.value
    assert response.request.method == "POST"
    assert response.request.header_value("origin") == elsewhere
    assert response.status == 403
    with Session(engine_for(live_app.database_url)) as session:
        assert len(session.exec(select(ContactMessage.id)).all()) == before
