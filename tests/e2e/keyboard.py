"""Filling the contact form as a keyboard-only visitor does: Tab between fields, Space, Enter."""

from playwright.sync_api import Page, expect

FIELD_ORDER = ("email", "phone", "message")


def send_contact_form_by_keyboard(page: Page, name: str, rest: dict[str, str]) -> None:
    """With the name field focused: type `name`, Tab through `rest` (email, phone, message) typing each,
    tick the meeting box with Space and press Enter on Send."""
    expect(page.locator("#contact-name")).to_be_focused()
    page.keyboard.type(name)
    for field in FIELD_ORDER:
        page.keyboard.press("Tab")
        expect(page.locator(f"#contact-{field}")).to_be_focused()
        page.keyboard.type(rest[field])
    page.keyboard.press("Tab")
    checkbox = page.locator("#contact-wants-meeting")
    expect(checkbox).to_be_focused()
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("#contact-submit")).to_be_focused()
    page.keyboard.press("Enter")
