"""Post bodies become HTML that keeps the formatting and drops anything that could run code."""

from html.parser import HTMLParser

import pytest

from vws_app.services.markdown import render_markdown

SAFE_TAGS = {"p", "a", "img", "b", "strong", "em", "figure", "figcaption"}
HOSTILE_SOURCES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src='https://evil.example'></iframe>",
    "<a href='javascript:alert(1)'>click</a>",
    "[click](javascript:alert(1))",
    "[click](JavaScript:alert(1))",
    "[click](java&#115;cript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![pic](javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "Text <b onmouseover=alert(1)>bold</b> text",
]


class _TagCollector(HTMLParser):
    """Every real tag in a piece of HTML, with its attributes (escaped text is not a tag)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def _tags(html: str) -> list[tuple[str, dict[str, str]]]:
    collector = _TagCollector()
    collector.feed(html)
    return collector.tags


@pytest.mark.parametrize("source", HOSTILE_SOURCES)
def test_hostile_source_renders_no_active_html(source):
    tags = _tags(render_markdown(source))
    assert {tag for tag, _ in tags} <= SAFE_TAGS
    for tag, attributes in tags:
        assert not [name for name in attributes if name.startswith("on")], tag
        for name in ("href", "src"):
            url = attributes.get(name, "").strip().lower()
            assert not url.startswith(("javascript:", "data:", "vbscript:")), (tag, url)


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown("<script>alert(1)</script>")
    assert html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"


def test_raw_image_with_event_handler_is_escaped():
    html = render_markdown("<img src=x onerror=alert(1)>")
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_javascript_link_is_not_a_link():
    html = render_markdown("[x](javascript:alert(1))")
    assert "<a" not in html


def test_raw_iframe_is_not_embedded():
    html = render_markdown('<iframe src="https://www.youtube.com/embed/x"></iframe>')
    assert "<iframe" not in html
    assert "&lt;iframe" in html


def test_emphasis_and_strikethrough_are_kept():
    html = render_markdown("*solidarity* **now** ~~never~~")
    assert "<em>solidarity</em>" in html
    assert "<strong>now</strong>" in html
    assert "<s>never</s>" in html


def test_https_and_mailto_links_are_kept_and_marked_nofollow():
    html = render_markdown('[letter](https://example.org/letter "Open letter") and [mail](mailto:vws@example.org)')
    assert (
        '<a href="https://example.org/letter" title="Open letter" rel="noopener noreferrer nofollow">letter</a>' in html
    )
    assert '<a href="mailto:vws@example.org" rel="noopener noreferrer nofollow">mail</a>' in html


def test_site_relative_links_are_kept():
    assert 'href="/posts/statement"' in render_markdown("[see](/posts/statement)")


def test_lists_are_kept():
    html = render_markdown("- lift sanctions\n- free prisoners\n\n1. first\n2. second")
    assert "<ul>\n<li>lift sanctions</li>\n<li>free prisoners</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n<li>second</li>\n</ol>" in html


def test_quotes_code_and_subheadings_are_kept():
    html = render_markdown("## Demands\n\n> Workers of the world\n\n`code`\n\n---")
    assert "<h2>Demands</h2>" in html
    assert "<blockquote>\n<p>Workers of the world</p>\n</blockquote>" in html
    assert "<code>code</code>" in html
    assert "<hr>" in html


def test_tables_are_kept():
    html = render_markdown("| year | events |\n|---|---|\n| 2021 | 4 |")
    assert "<table>" in html and "<th>year</th>" in html and "<td>2021</td>" in html


def test_https_image_is_kept_with_its_alt_text():
    html = render_markdown("![March in Caracas](https://example.org/march.jpg)")
    assert '<img src="https://example.org/march.jpg" alt="March in Caracas">' in html


def test_image_alone_in_its_paragraph_is_a_figure_captioned_by_its_title():
    html = render_markdown('![A crowd](https://example.org/march.jpg "March in Caracas, <2021>")')
    assert html.startswith("<figure><img ")
    assert html.rstrip().endswith("<figcaption>March in Caracas, &lt;2021&gt;</figcaption></figure>")


def test_image_without_title_is_a_figure_without_caption_and_inline_image_stays_inline():
    assert "<figcaption>" not in render_markdown("![A crowd](https://example.org/march.jpg)")
    html = render_markdown('See ![icon](https://example.org/i.png "t") here')
    assert "<figure>" not in html and "<p>See <img " in html


def test_empty_or_missing_body_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


@pytest.mark.parametrize("source", ["# Our demands", "##### Our demands"])
def test_every_markdown_heading_level_stays_a_heading(source):
    html = render_markdown(source)
    assert any(f"<h{level}>Our demands</h{level}>" in html for level in range(2, 7))
    assert "<h1>" not in html  # the page title is the only <h1>
