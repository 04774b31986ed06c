"""`POST /contact` without the app: stored once by the service's rules, answered with a page in the visitor's language."""

from html.parser import HTMLParser

import pytest
from reflex_base.config import reload_config
from sqlmodel import select
from starlette.requests import Request
from starlette.testclient import TestClient

from tests.unit.fake_build import page, write_build
from vws_app.i18n import CATALOGUES
from vws_app.models import ContactMessage
from vws_app.server import page_shell
from vws_app.server.form_post import TOUCH_PAGE_STYLE, client_address
from vws_app.server.routes import backend_routes
from vws_app.services.server_frame import COMPLETE_ON_TOUCH_ATTRIBUTE, FRAME_CLASS

EN, ES = CATALOGUES["en"], CATALOGUES["es"]
SITE = "http://testserver"
# The app's own form as the build prerenders it (it posts here until the app is live).
COMPILED_FORM = (
    '<form class="Root" id="contact-form" method="post" noValidate=""><input id="contact-email" '
    'name="email" aria-describedby="contact-email-error" value=""/><p id="contact-email-error"></p></form>'
)
VALID = {"name": "Ana Rivas", "email": "ana.rivas@example.org", "phone": "", "message": "Quiero participar."}


class Elements(HTMLParser):
    """Each element with an `id`: its tag, attributes and text; and every `<script>` seen."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.by_id: dict[str, dict] = {}
        self.scripts = 0
        self._open: list[dict] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        attributes = dict(attrs)
        element = {"tag": tag, "attrs": attributes, "text": ""}
        if "id" in attributes:
            self.by_id[attributes["id"]] = element
        if tag not in ("input", "meta", "link", "br"):
            self._open.append(element)

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def text(self, element_id: str) -> str:
        return self.by_id[element_id]["text"].strip()

    def attr(self, element_id: str, name: str) -> str | None:
        return self.by_id[element_id]["attrs"].get(name)


@pytest.fixture
def client(app_database, monkeypatch, tmp_path) -> TestClient:
    """The backend's routes on the test database, with a stand-in build holding a contact page."""
    build = write_build(tmp_path / "client")
    compiled = page('import("/assets/contact-d4.js");').replace("<h1>VWS</h1>", COMPILED_FORM)
    (build / "contact.html").write_text(compiled, encoding="utf-8")
    monkeypatch.setattr(page_shell, "build_dir", lambda: build)
    monkeypatch.setenv("SITE_URL", SITE)
    monkeypatch.delenv("SMTP_URL", raising=False)
    monkeypatch.delenv("CONTACT_RATE_LIMIT", raising=False)
    return TestClient(backend_routes(), base_url=SITE)


def post(client: TestClient, fields: dict[str, str], *, origin: str | None = SITE, path: str = "/contact", **options):
    headers = {"origin": origin} if origin else {}
    return client.post(path, data=fields, headers=headers, **options)


def rows(session) -> list[ContactMessage]:
    session.expire_all()
    return list(session.exec(select(ContactMessage)))


def test_a_valid_post_stores_one_row_and_thanks_in_english(client, session):
    answer = post(client, {**VALID, "wants_meeting": "on"})
    assert answer.status_code == 200
    page_elements = Elements(answer.text)
    assert page_elements.text("contact-plain-outcome") == EN["contact_thanks"]
    assert page_elements.scripts == 0  # the answer stands alone: the app would replace it with an empty form
    assert answer.headers["cache-control"] == "no-store"
    [row] = rows(session)
    assert (row.name, row.email, row.message, row.wants_meeting, row.language) == (
        "Ana Rivas",
        "ana.rivas@example.org",
        "Quiero participar.",
        True,
        "en",
    )


@pytest.mark.parametrize(
    "how", [{"path": "/contact?lang=es"}, {"cookies": {"vws_lang": "es"}}, {"headers_lang": "es-VE,es;q=0.9"}]
)
def test_a_spanish_visitor_is_thanked_in_spanish(client, session, how):
    options = {"path": how["path"]} if "path" in how else {}
    if "cookies" in how:
        client.cookies.update(how["cookies"])
    headers = {"origin": SITE, "accept-language": how.get("headers_lang", "en")}
    answer = client.post(options.get("path", "/contact"), data=VALID, headers=headers)
    assert answer.status_code == 200
    assert '<html lang="es"' in answer.text
    assert Elements(answer.text).text("contact-plain-outcome") == ES["contact_thanks"]
    assert [row.language for row in rows(session)] == ["es"]


def test_an_invalid_post_shows_errors_beside_the_fields_and_keeps_every_value(client, session):
    sent = {
        "name": "Ana <b>Rivas</b>",
        "email": "not-an-address",
        "phone": "12",
        "message": "<script>x()</script>\nLínea 2",
    }
    answer = post(client, sent, path="/contact?lang=es")
    assert answer.status_code == 200
    found = Elements(answer.text)
    assert found.text("contact-plain-email-error") == ES["contact_error_email_invalid"]
    assert found.text("contact-plain-phone-error") == ES["contact_error_phone_invalid"]
    assert found.text("contact-plain-name-error") == ""
    assert found.attr("contact-plain-email", "aria-invalid") == "true"
    assert found.attr("contact-plain-name", "aria-invalid") == "false"
    assert "autofocus" in found.by_id["contact-plain-email"]["attrs"]  # the first wrong field takes the cursor
    assert "autofocus" not in found.by_id["contact-plain-phone"]["attrs"]
    assert found.attr("contact-plain-email", "aria-describedby") == "contact-plain-email-error"
    assert found.attr("contact-plain-name", "value") == "Ana <b>Rivas</b>"
    assert found.attr("contact-plain-email", "value") == "not-an-address"
    assert found.text("contact-plain-message") == "<script>x()</script>\nLínea 2"
    assert "<script>x()" not in answer.text  # kept as text, never as markup
    assert (
        'id="contact-form"' not in answer.text and 'id="contact-email"' not in answer.text
    )  # the app's hidden copy is gone
    assert found.text("contact-plain-outcome") == ES["contact_form_has_errors"]
    assert found.attr("contact-plain-form", "method") == "post"
    assert found.attr("contact-plain-form", "action") == "/contact?lang=es"
    assert rows(session) == []


def test_the_form_the_server_writes_stores_one_row_however_often_it_is_sent(client, session):
    form_key = _hidden_value(post(client, {**VALID, "email": ""}).text, "form_key")
    assert len(form_key) == 32
    for _ in range(3):  # sent, then reloaded twice (the browser posts the same body again)
        assert post(client, {**VALID, "form_key": form_key}).status_code == 200
    assert len(rows(session)) == 1


def test_a_double_post_of_the_compiled_form_stores_one_row(client, session):
    """The page's own form carries no key: the second identical post is recognised by the service."""
    assert post(client, VALID).status_code == 200
    assert post(client, VALID).status_code == 200
    assert len(rows(session)) == 1


@pytest.mark.parametrize("origin", ["https://evil.example", "null", None])
def test_a_post_from_another_origin_or_none_is_refused_and_stores_nothing(client, session, origin):
    answer = post(client, VALID, origin=origin)
    assert answer.status_code == 403
    assert Elements(answer.text).text("contact-plain-outcome") == EN["form_refused_origin"]
    assert rows(session) == []


def test_a_filled_honeypot_is_thanked_and_stores_nothing(client, session):
    answer = post(client, {**VALID, "website": "http://spam.example"})
    assert answer.status_code == 200
    assert Elements(answer.text).text("contact-plain-outcome") == EN["contact_thanks"]
    assert rows(session) == []


def test_too_many_messages_get_the_rate_limit_message_with_values_kept(client, session, monkeypatch):
    monkeypatch.setenv("CONTACT_RATE_LIMIT", "2")
    for number in range(2):
        assert post(client, {**VALID, "message": f"Message {number}"}).status_code == 200
    answer = post(client, {**VALID, "message": "One too many"})
    assert answer.status_code == 429
    found = Elements(answer.text)
    assert found.text("contact-plain-outcome").startswith(EN["contact_error_rate_limited"].split("{")[0])
    assert found.text("contact-plain-message") == "One too many"
    assert len(rows(session)) == 2


def test_a_get_with_the_fields_in_the_address_stores_nothing(client, session):
    answer = client.get("/contact", params=VALID, headers={"origin": SITE})
    assert answer.status_code == 200
    assert rows(session) == []


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message_key"),
    [
        ("name=" + "a" * 200_000, "application/x-www-form-urlencoded", 413, "form_too_large"),
        (
            '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nAna\r\n--x--',
            "multipart/form-data; boundary=x",
            415,
            "form_unreadable",
        ),
        (
            "&".join(f"f{number}=1" for number in range(100)),
            "application/x-www-form-urlencoded",
            400,
            "form_unreadable",
        ),
    ],
)
def test_bodies_that_are_not_a_small_form_are_refused(client, session, body, content_type, status, message_key):
    answer = client.post("/contact?lang=es", content=body, headers={"origin": SITE, "content-type": content_type})
    assert answer.status_code == status
    assert Elements(answer.text).text("contact-plain-outcome") == ES[message_key]
    assert rows(session) == []


def _hidden_value(text: str, name: str) -> str:
    """The value of the hidden input `name` in a page."""

    class Hidden(HTMLParser):
        value = ""

        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if tag == "input" and attributes.get("type") == "hidden" and attributes.get("name") == name:
                Hidden.value = attributes.get("value", "")

    Hidden().feed(text)
    return Hidden.value


@pytest.mark.parametrize(("language", "catalogue"), [("en", EN), ("es", ES)])
def test_the_contact_page_gives_phones_and_readers_without_javascript_the_servers_form_in_their_language(
    client, language, catalogue
):
    answer = client.get(f"/contact?lang={language}")
    assert answer.status_code == 200
    assert COMPILED_FORM in answer.text  # the app's own form, untouched for hydration
    noscript = answer.text[answer.text.rindex('<div class="server-form">') :]  # the server's form
    found = Elements(noscript)
    assert found.attr("contact-plain-form", "method") == "post"
    assert found.attr("contact-plain-form", "action") == f"/contact?lang={language}"
    assert f'<label for="contact-plain-message">{catalogue["contact_message"]}</label>' in noscript
    assert found.text("contact-plain-submit") == catalogue["contact_submit"]
    head = answer.text[: answer.text.index("</head>")]
    # The app is hidden, and the server's form shown, only on a touch screen and where scripts do not run.
    assert TOUCH_PAGE_STYLE in head and "<noscript><style>.radix-themes{display:none}" in head
    assert f'{COMPLETE_ON_TOUCH_ATTRIBUTE}="" class="{FRAME_CLASS}"' in answer.text  # a phone skips the app


def _request(client_host: str, forwarded_for: str) -> Request:
    """A request as the server receives it from `client_host`, carrying an `X-Forwarded-For` header."""
    return Request(
        {
            "type": "http",
            "method": "POST",
            "path": "/contact",
            "headers": [(b"x-forwarded-for", forwarded_for.encode())],
            "client": (client_host, 50000),
        }
    )


def test_the_sender_is_the_peer_unless_proxies_are_trusted(monkeypatch):
    """As the app computes it: `X-Forwarded-For` counts only behind `REFLEX_TRUSTED_PROXY_HOPS` proxies."""
    request = _request("10.0.0.2", "203.0.113.9, 198.51.100.7")
    monkeypatch.delenv("REFLEX_TRUSTED_PROXY_HOPS", raising=False)
    reload_config()
    assert client_address(request) == "10.0.0.2"  # a visitor cannot pick their own address
    monkeypatch.setenv("REFLEX_TRUSTED_PROXY_HOPS", "1")
    reload_config()
    try:
        assert client_address(request) == "198.51.100.7"  # the address our one proxy saw
    finally:
        monkeypatch.delenv("REFLEX_TRUSTED_PROXY_HOPS")
        reload_config()
