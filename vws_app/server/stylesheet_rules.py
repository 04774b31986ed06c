"""A small reader and writer of minified CSS, enough to drop whole rules and declarations.

The build's one stylesheet is what Vite writes: minified, no nesting, no comments to keep.
`parse` turns it into rules (a prelude and either nested rules or declaration text) and
`render` writes them back as they were (bar whitespace between rules), so a pruning step can
work on rules without a CSS library (none is in the project's dependencies).
"""

import dataclasses

# At-rules whose block holds rules (pruned inside); every other block is kept as text.
GROUPING_AT_RULES = ("@media", "@supports", "@layer", "@container", "@scope", "@document")


@dataclasses.dataclass
class Rule:
    """`prelude{body}`, or a statement (`@import …;`) when `body` is None.

    `body` is declaration text for a style rule or a text-only at-rule (`@font-face`,
    `@keyframes`), and a list of rules for a grouping at-rule (`@media`, `@layer`…).
    """

    prelude: str
    body: "str | list[Rule] | None"


def _skip_string(text: str, start: int) -> int:
    """The index just after the quoted string that starts at `start`."""
    quote, index = text[start], start + 1
    while index < len(text) and text[index] != quote:
        index += 2 if text[index] == "\\" else 1
    return index + 1


def _skip_comment(text: str, start: int) -> int:
    end = text.find("*/", start + 2)
    return len(text) if end < 0 else end + 2


def _block_end(text: str, start: int) -> int:
    """The index of the `}` closing the block whose `{` is at `start`."""
    depth, index = 0, start
    while index < len(text):
        char = text[index]
        if char in "\"'":
            index = _skip_string(text, index)
            continue
        if text.startswith("/*", index):
            index = _skip_comment(text, index)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise ValueError("unbalanced braces in stylesheet")


def _groups_rules(prelude: str) -> bool:
    name = prelude.lstrip().split(None, 1)[0].split("(", 1)[0].lower() if prelude.strip() else ""
    return name in GROUPING_AT_RULES


def parse(text: str) -> list[Rule]:
    """The rules of `text`, in order (raises ValueError on unbalanced braces)."""
    rules: list[Rule] = []
    index, start = 0, 0
    while index < len(text):
        char = text[index]
        if char in "\"'":
            index = _skip_string(text, index)
        elif text.startswith("/*", index):
            index = _skip_comment(text, index)
        elif char == ";":  # a statement at this level: @import, @charset, @layer a, b;
            rules.append(Rule(text[start:index], None))
            index = start = index + 1
        elif char == "{":
            end = _block_end(text, index)
            prelude, inner = text[start:index], text[index + 1 : end]
            rules.append(Rule(prelude, parse(inner) if _groups_rules(prelude) else inner))
            index = start = end + 1
        else:
            index += 1
    if text[start:].strip():
        rules.append(Rule(text[start:], None))
    return rules


def render(rules: list[Rule]) -> str:
    """`rules` written back as CSS."""
    parts = []
    for rule in rules:
        if rule.body is None:
            parts.append(f"{rule.prelude};")
        elif isinstance(rule.body, list):
            parts.append(f"{rule.prelude}{{{render(rule.body)}}}")
        else:
            parts.append(f"{rule.prelude}{{{rule.body}}}")
    return "".join(parts)


def split_top_level(text: str, separator: str) -> list[str]:
    """`text` split at `separator` where it is outside brackets, parentheses and strings."""
    parts, depth, index, start = [], 0, 0, 0
    while index < len(text):
        char = text[index]
        if char in "\"'":
            index = _skip_string(text, index)
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
        index += 1
    parts.append(text[start:])
    return parts
