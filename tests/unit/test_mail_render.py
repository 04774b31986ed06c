"""Mail templates and their layout: the recipient's language, the site's name and address, nothing remote, text escaped."""

import pytest

from vws_app.mail_templates.base import link, paragraphs
from vws_app.services.mail_render import UnknownTemplate, render
from vws_app.services.outbox import message_id_domain

CONTEXT = {
    "name": "Ana\u2028Pérez",
    "email": "ana@example.com",
    "phone": "",
    "wants_meeting": True,
    "message_language": "es",
    "message": "Hola\n\n<b>dos</b>",
    "inbox_url": "https://vws.example.org/admin/inbox",
}


@pytest.mark.parametrize(
    ("language", "subject", "footer"),
    [
        ("en", "New contact message from Ana Pérez", "Sent by the website of Venezuelan Workers Solidarity."),
        ("es", "Nuevo mensaje de contacto de Ana Pérez", "Enviado por el sitio web de Venezuelan Workers Solidarity."),
    ],
)
def test_contact_notice_is_in_the_recipients_language_with_the_sites_name_and_address(
    monkeypatch, language, subject, footer
):
    monkeypatch.setenv("SITE_URL", "https://vws.example.org")
    monkeypatch.setenv("SITE_POSTAL_ADDRESS", "PO Box 1, Caracas")
    rendered_subject, text, html = render("contact_notice", language, **CONTEXT)
    assert rendered_subject == subject  # the line separator became a space: one header line
    for part in (text, html):
        assert footer in part and "https://vws.example.org" in part and "PO Box 1, Caracas" in part
    assert f'<html lang="{language}">' in html


def test_html_has_no_images_no_remote_resources_and_escapes_what_visitors_typed():
    _, _, html = render("contact_notice", "en", **CONTEXT)
    assert "<img" not in html and "src=" not in html and "<link" not in html and "<script" not in html
    assert "&lt;b&gt;dos&lt;/b&gt;" in html
    assert '<a href="https://vws.example.org/admin/inbox"' in html  # the address itself: no rewriting


def test_paragraphs_and_links_are_built_from_escaped_text():
    assert paragraphs("a\nb\n\n<c>") == '<p style="margin:0 0 12px">a<br>b</p><p style="margin:0 0 12px">&lt;c&gt;</p>'
    assert (
        link("https://x.example/?a=1&b=2", "go")
        == '<a href="https://x.example/?a=1&amp;b=2" style="color:#1a4f8b">go</a>'
    )
    for unsafe in ("javascript:alert(1)", "data:text/html,x", "//evil.example"):
        with pytest.raises(ValueError):
            link(unsafe)


def test_a_template_missing_a_value_is_an_error_not_a_half_mail():
    with pytest.raises(TypeError):
        render("contact_notice", "en", name="Ana")
    with pytest.raises(UnknownTemplate):
        render("no_such_template", "en")


@pytest.mark.parametrize(
    ("mail_from", "site_url", "domain"),
    [
        ("Site <site@vws.example.org>", "", "vws.example.org"),
        ("site@exämple.org", "", "xn--exmple-cua.org"),
        ("", "https://vws.example.net", "vws.example.net"),
        ("site@" + "a" * 70 + ".org", "", "localhost"),  # a label too long for IDNA: still a valid Message-ID
    ],
)
def test_message_ids_take_the_senders_domain(monkeypatch, mail_from, site_url, domain):
    monkeypatch.setenv("MAIL_FROM", mail_from)
    monkeypatch.delenv("CONTACT_NOTIFY_FROM", raising=False)
    monkeypatch.delenv("CONTACT_NOTIFY_TO", raising=False)
    monkeypatch.setenv("SITE_URL", site_url or "http://localhost:3000")
    assert message_id_domain() == domain
