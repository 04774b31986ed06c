"""Keep only the part of the Radix Themes stylesheet that the compiled pages can use.

Radix Themes ships one stylesheet for every colour scale (light, dark, alpha and P3 steps of
about 30 colours), every component and every responsive variant of its layout classes: 51 KB
Brotli, render-blocking on every page, of which a page uses a few KB. The site uses one
accent, one grey, a few colours named in its components, the components its pages import
and two breakpoints. `prune` drops, from a stylesheet:

- the custom properties of colour scales nothing names (`--<colour>-3: …`),
- selectors for an accent or grey nothing uses (`[data-accent-color=<colour>]`),
- selectors for a component whose class no loaded script writes (`.rt-SegmentedControlRoot`),
- the responsive variants of breakpoints no page uses (`.lg\\:rt-r-p-4` inside `@media`),

and keeps everything else byte for byte. What is in use is read from the build itself
(`in_use`), so a component or colour added to a page is kept by the next build without
anyone listing it. The build step that applies this is `build_steps.py`.
"""

import dataclasses
import re

from vws_app.server.stylesheet_rules import Rule, parse, render, split_top_level

BREAKPOINTS = ("xs", "sm", "md", "lg", "xl")
_COMPONENT_CLASS = re.compile(r"\.(rt-[A-Z][A-Za-z0-9]*)")
_COLOUR_SELECTOR = re.compile(r"\[data-(?:accent|gray)-color=[\"']?([a-z]+)[\"']?\]")
_BREAKPOINT_CLASS = re.compile(r"\.(" + "|".join(BREAKPOINTS) + r")\\:rt-")
_CUSTOM_PROPERTY = re.compile(r"\s*--([a-z]+)-")


@dataclasses.dataclass(frozen=True)
class InUse:
    """What the compiled pages can show: component classes (`rt-Button`), colour scales and breakpoints."""

    components: frozenset[str]
    colours: frozenset[str]
    breakpoints: frozenset[str]


def colour_scales(css: str) -> frozenset[str]:
    """The colour scales a stylesheet offers, as it names them in its accent and grey selectors."""
    return frozenset(_COLOUR_SELECTOR.findall(css))


def _selector_kept(selector: str, in_use: InUse) -> bool:
    if any(name not in in_use.components for name in _COMPONENT_CLASS.findall(selector)):
        return False
    if any(colour not in in_use.colours for colour in _COLOUR_SELECTOR.findall(selector)):
        return False
    return all(point in in_use.breakpoints for point in _BREAKPOINT_CLASS.findall(selector))


def _declarations_kept(body: str, unused_colours: frozenset[str]) -> str:
    """`body` without the custom properties of unused colour scales (unchanged when there are none)."""
    declarations = split_top_level(body, ";")
    kept = [
        declaration
        for declaration in declarations
        if not ((match := _CUSTOM_PROPERTY.match(declaration)) and match[1] in unused_colours)
    ]
    return body if len(kept) == len(declarations) else ";".join(kept)


def _pruned(rules: list[Rule], in_use: InUse, unused_colours: frozenset[str]) -> list[Rule]:
    kept: list[Rule] = []
    for rule in rules:
        if isinstance(rule.body, list):
            inner = _pruned(rule.body, in_use, unused_colours)
            if inner or not rule.body:
                kept.append(Rule(rule.prelude, inner))
        elif rule.body is None or rule.prelude.lstrip().startswith("@"):
            kept.append(rule)  # statements, @font-face, @keyframes
        else:
            selectors = split_top_level(rule.prelude, ",")
            chosen = [selector for selector in selectors if _selector_kept(selector, in_use)]
            body = _declarations_kept(rule.body, unused_colours)
            if chosen and body.strip(" ;"):
                kept.append(Rule(rule.prelude if len(chosen) == len(selectors) else ",".join(chosen), body))
    return kept


def prune(css: str, in_use: InUse) -> str:
    """`css` without the rules, selectors and colour properties `in_use` shows no page can need."""
    unused_colours = colour_scales(css) - in_use.colours
    return render(_pruned(parse(css), in_use, unused_colours))
