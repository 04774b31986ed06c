"""The one place for colours, spacing and type: the Radix theme and shared style values."""

import reflex as rx

# "inherit": the page follows the visitor's light or dark setting (`prefers-color-scheme`);
# Radix's steps 11/12 on 1/2 keep AA contrast in both, and assets/reading.css uses the same scales.
THEME = rx.theme(
    appearance="inherit",
    accent_color="crimson",
    gray_color="sand",
    radius="medium",
    scaling="100%",
)

CONTENT_MAX_WIDTH = "60rem"
HEADER_MAX_WIDTH = "76rem"
PAGE_PADDING_X = ["1rem", "1.5rem", "2rem"]
SECTION_GAP = "2rem"

GLOBAL_STYLE = {
    "html": {"scroll_behavior": "smooth"},
    "body": {"margin": "0"},
    ".skip-link": {
        "position": "absolute",
        "left": "-9999px",
        "top": "0.5rem",
        "z_index": "1000",
        "padding": "0.5rem 1rem",
        "background": "var(--accent-11)",
        "color": "var(--accent-1)",
        "border_radius": "var(--radius-2)",
    },
    ".skip-link:focus": {"left": "0.5rem"},
    # Radix draws its focus rings in --focus-8, the accent's step 8: 2.3:1 on white, under the 3:1
    # WCAG 1.4.11 asks of a focus indicator. Step 11 gives 5.4:1; ours uses the same colour. These
    # rules apply inside the theme's root, so they are set on every element, and beat Radix's
    # `[data-accent-color]` rule by specificity where a component picks its own accent.
    "*, [data-accent-color]": {"--focus-8": "var(--accent-11)"},
    ":focus-visible": {"outline": "3px solid var(--focus-8)", "outline_offset": "2px"},
    ".cta": {
        "padding": "1.5rem",
        "border_radius": "var(--radius-4)",
        "background": "var(--accent-a3)",
    },
    ".cta-link": {
        "display": "inline-block",
        "padding": "0.6rem 1.1rem",
        "border_radius": "var(--radius-3)",
        "background": "var(--accent-11)",
        "color": "var(--accent-1)",
        "font_weight": "500",
        "text_decoration": "none",
    },
    "mark": {"background": "var(--accent-a4)", "color": "inherit"},
    # A post's body is styled in assets/reading.css, which also reaches the server's text.
}

CARD_STYLE = {"width": "100%", "padding": "1.25rem"}
MUTED_TEXT = {"color": "var(--gray-11)"}
