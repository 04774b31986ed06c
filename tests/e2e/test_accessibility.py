"""Accessibility in Chromium: axe-core finds nothing serious on any public page in either language; keyboard use."""

import dataclasses
import re
import uuid
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session, select

from tests.e2e.conftest import LiveApp
from tests.e2e.keyboard import send_contact_form_by_keyboard
from tests.e2e.waits import expect_language_saved
from vws_app.i18n import CATALOGUES
from vws_app.models import ContactMessage
from vws_app.services.database import engine_for
from vws_app.services.seeding import load_seed_content
from vws_app.services.slugs import slug_from_title

BROWSER_LOCALES = {"en": "en-US", "es": "es-VE"}
LANGUAGES = list(BROWSER_LOCALES)
BLOCKING_IMPACTS = ("serious", "critical")
MAX_TABS = 40
SEED_POST = next(post for post in load_seed_content()["posts"] if post["translation_group"] == "myanmar")
SEED_YEAR = SEED_POST["published_at"][:4]
AXE = Axe()

MIN_RING_CONTRAST = 3.0  # WCAG 1.4.11, non-text contrast (AA)
# The outlines and shadows drawn on an element and its parent (Radix rings a text field's wrapper),
# pseudo-elements included (Radix rings a checkbox's ::before), each with the background it is drawn over.
FOCUS_RINGS = """element => {
  const backdrop = node => {
    for (let above = node.parentElement; above; above = above.parentElement) {
      const colour = getComputedStyle(above).backgroundColor;
      if (colour !== 'transparent' && !/^rgba\\(.*,\\s*0\\)$/.test(colour)) return colour;
    }
    return 'rgb(255, 255, 255)';
  };
  return [element, element.parentElement].flatMap(node => [null, '::before', '::after'].flatMap(pseudo => {
    const style = getComputedStyle(node, pseudo);
    const where = node.tagName + (pseudo || '');
    const rings = [];
    if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
      rings.push({ring: `${where} outline ${style.outlineWidth} ${style.outlineColor}`, colour: style.outlineColor});
    if (style.boxShadow !== 'none') rings.push({ring: `${where} shadow ${style.boxShadow}`, colour: style.boxShadow});
    return rings.map(ring => ({...ring, backdrop: backdrop(node)}));
  }));
}"""
DESCRIBE = """element => [element.tagName.toLowerCase(), element.id && '#' + element.id, element.getAttribute('href'),
  element.getAttribute('aria-label') || element.textContent.trim().slice(0, 40)].filter(Boolean).join(' ')"""


@dataclasses.dataclass(frozen=True)
class PublicPage:
    """A page to check: its address and an element that shows once its own data has loaded."""

    path: str
    ready: str


PUBLIC_PAGES = {
    "home": PublicPage("/", ".post-card"),
    "posts": PublicPage("/posts", ".post-card"),
    "posts-archive-year": PublicPage(f"/posts?year={SEED_YEAR}", ".post-card"),
    "post": PublicPage(f"/posts/{slug_from_title(SEED_POST['title'])}", "#translation-link"),
    "events": PublicPage("/events", ".event-card, #events-empty"),
    "allies": PublicPage("/allies", ".ally-card, #allies-empty"),
    "contact": PublicPage("/contact", "#contact-form"),
    "search-hits": PublicPage("/search?q=myanmar", ".search-hit"),
    "search-no-hits": PublicPage("/search?q=zzqxwvnothing", "#search-empty"),
    "search-prompt": PublicPage("/search", "#search-prompt"),
    "not-found": PublicPage("/no-such-page", "#not-found"),
}


def open_live(new_context: Callable[..., BrowserContext], language: str, public_page: PublicPage) -> Page:
    """Open the page for a browser asking for `language`, and wait until it has hydrated in it with its data."""
    page = new_context(locale=BROWSER_LOCALES[language]).new_page()
    page.goto(public_page.path)
    expect_language_saved(page, language)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(public_page.ready).first).to_be_visible()
    return page


def expect_no_serious_violations(page: Page) -> None:
    """Run axe-core (all its default rules, colour contrast included); fail listing each serious or critical one."""
    violations = [found for found in AXE.run(page).response["violations"] if found["impact"] in BLOCKING_IMPACTS]
    report = [
        f"{found['id']} ({found['impact']}): {found['help']}\n"
        + "\n".join(f"    {' '.join(map(str, node['target']))}: {node['failureSummary']}" for node in found["nodes"])
        for found in violations
    ]
    assert not report, f"axe on {page.url}:\n" + "\n".join(report)


def _rgb(css: str, under: tuple[float, ...] = (255, 255, 255)) -> tuple[float, ...]:
    """The first rgb()/rgba() colour in `css`, composited over `under`."""
    found = re.search(r"rgba?\(([^)]*)\)", css)
    assert found, f"no rgb() colour in {css!r}"
    red, green, blue, *alpha = (float(part) for part in re.split(r"[\s,/]+", found[1].strip()))
    opacity = alpha[0] if alpha else 1.0
    return tuple(opacity * own + (1 - opacity) * below for own, below in zip((red, green, blue), under, strict=True))


def _luminance(rgb: tuple[float, ...]) -> float:
    linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(colour: str, backdrop: str) -> float:
    """The WCAG contrast ratio of `colour` drawn over `backdrop` (CSS rgb()/rgba() strings)."""
    back = _rgb(backdrop)
    lighter, darker = sorted((_luminance(_rgb(colour, back)), _luminance(back)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element matching `selector` has focus."""
    target = page.locator(selector)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{selector} not reached in {MAX_TABS} presses of Tab")


def delete_contact_messages(live_app: LiveApp, marker: str) -> int:
    """Delete the stored contact messages whose text contains `marker`; how many there were."""
    with Session(engine_for(live_app.database_url)) as session:
        rows = session.exec(select(ContactMessage).where(ContactMessage.message.contains(marker))).all()
        for row in rows:
            session.delete(row)
        session.commit()
        return len(rows)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_no_serious_axe_violation(new_context: Callable[..., BrowserContext], name: str, language: str):
    """Every public page, hydrated in the reader's language, passes axe-core's serious and critical rules."""
    expect_no_serious_violations(open_live(new_context, language, PUBLIC_PAGES[name]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_contact_form_with_errors_has_no_serious_axe_violation(
    new_context: Callable[..., BrowserContext], language: str
):
    """The empty form, sent, shows an error beside each required field, and still passes axe-core."""
    page = open_live(new_context, language, PUBLIC_PAGES["contact"])
    page.locator("#contact-submit").click()
    expect(page.locator("#contact-name-error")).to_have_text(CATALOGUES[language]["contact_error_name_required"])
    expect(page.locator("#contact-message-error")).not_to_be_empty()
    expect_no_serious_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_first_tab_shows_skip_link_that_moves_focus_to_main(new_context: Callable[..., BrowserContext], language: str):
    """The first Tab shows "Skip to content" on screen; Enter on it puts focus on the page's main content."""
    page = open_live(new_context, language, PUBLIC_PAGES["home"])
    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_text(CATALOGUES[language]["skip_to_content"])
    expect(skip_link).to_be_in_viewport(ratio=1)
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()


def test_every_focusable_element_shows_a_focus_ring(new_context: Callable[..., BrowserContext]):
    """Tabbing through the contact page (links, search, toggle, fields, box, button), each focus draws a ring.

    A ring is an outline or shadow that is gone once the element is blurred, with 3:1 contrast against its background.
    """
    page = open_live(new_context, "en", PUBLIC_PAGES["contact"])
    reached, names, without_ring = [], [], []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate_handle("() => document.activeElement")
        if page.evaluate(
            "([element, reached]) => element === document.body || reached.includes(element)", [focused, reached]
        ):
            break
        reached.append(focused)
        names.append(focused.evaluate(DESCRIBE))
        rings = focused.evaluate(FOCUS_RINGS)
        focused.evaluate("element => element.blur()")
        unfocused = {ring["ring"] for ring in focused.evaluate(FOCUS_RINGS)}
        focused.evaluate("element => element.focus()")  # so the next Tab goes on from here
        contrasts = [
            contrast_ratio(ring["colour"], ring["backdrop"]) for ring in rings if ring["ring"] not in unfocused
        ]
        if max(contrasts, default=0) < MIN_RING_CONTRAST:
            without_ring.append(f"{names[-1]}: {[ring['ring'] for ring in rings]}, contrasts {contrasts}")
    assert len(names) > 10, f"Tab reached only {names}"
    assert not without_ring, "no focus ring with 3:1 contrast on:\n" + "\n".join(without_ring)


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_language_toggle_works_from_the_keyboard(new_context: Callable[..., BrowserContext], key: str):
    """Tab reaches the toggle; Enter or Space switches to Spanish and back, focus staying on it."""
    page = open_live(new_context, "en", PUBLIC_PAGES["home"])
    tab_to(page, "#language-toggle")
    for language in ("es", "en"):
        page.keyboard.press(key)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("main h1")).to_have_text(CATALOGUES[language]["home_about_heading"])
        expect_language_saved(page, language)
        expect(page.locator("#language-toggle")).to_be_focused()


def test_contact_form_errors_and_sending_with_the_keyboard_only(
    new_context: Callable[..., BrowserContext], live_app: LiveApp
):
    """In Spanish: skip link, Enter on the empty form shows errors, then type, Space ticks the box, Enter sends."""
    marker = uuid.uuid4().hex
    es = CATALOGUES["es"]
    page = open_live(new_context, "es", PUBLIC_PAGES["contact"])
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#contact-name")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#contact-name-error")).to_have_text(es["contact_error_name_required"])
    try:
        send_contact_form_by_keyboard(
            page,
            "Ana Rivas",
            {"email": "ana.rivas@example.org", "phone": "", "message": f"Quiero participar. {marker}"},
        )
        expect(page.locator("#contact-outcome")).to_have_text(es["contact_thanks"])
    finally:
        stored = delete_contact_messages(live_app, marker)
    assert stored == 1
