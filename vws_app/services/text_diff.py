"""A readable line diff of two versions of some fields, for the revision history (difflib)."""

import dataclasses
import difflib

CONTEXT_LINES = 2


@dataclasses.dataclass(frozen=True)
class DiffLine:
    """One line of a diff: "added", "removed", "same" (context) or "gap" (unchanged lines left out)."""

    kind: str
    text: str


@dataclasses.dataclass(frozen=True)
class FieldDiff:
    """The changed lines of one field (fields that did not change are not listed)."""

    field: str
    lines: list[DiffLine]


def diff_text(old: str, new: str) -> list[DiffLine]:
    """The lines removed from `old` and added in `new`, with a little unchanged context around them."""
    old_lines, new_lines = old.splitlines() or [""], new.splitlines() or [""]
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(CONTEXT_LINES):
        if lines:
            lines.append(DiffLine("gap", "…"))
        for tag, old_start, old_end, new_start, new_end in group:
            if tag == "equal":
                lines += [DiffLine("same", text) for text in old_lines[old_start:old_end]]
                continue
            lines += [DiffLine("removed", text) for text in old_lines[old_start:old_end]]
            lines += [DiffLine("added", text) for text in new_lines[new_start:new_end]]
    return lines


def diff_fields(old: dict[str, str], new: dict[str, str], fields: tuple[str, ...]) -> list[FieldDiff]:
    """Per field, in `fields` order, the diff of the ones whose value changed."""
    return [
        FieldDiff(field, diff_text(old.get(field, ""), new.get(field, "")))
        for field in fields
        if old.get(field, "") != new.get(field, "")
    ]
