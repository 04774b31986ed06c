"""Which lines of a server log report an error, and which of them appeared since a given moment.

The browser tests fail a test whose run added such a line to the log of an app they started (as
Reflex's own integration tests fail on an ERROR from Reflex). The formats in that log (stdout and
stderr of `reflex run` or `scripts/serve.py`, one file):

- Granian, the backend server: `[ERROR] message`; uvicorn: `ERROR:    message`.
- The app's own loggers, other libraries' and the mail worker's (`vws_app/startup.py`, `LOG_FORMAT`):
  `2026-11-30 12:00:00,123 ERROR vws_app.server.x: message`.
- Reflex's console prints an ERROR record without any level (`reflex_base/utils/log.py`,
  `_LEVEL_STYLES`); what it logs with an exception (a failing event handler, an unknown event)
  comes with a Python traceback, which is recognised by its first line.
"""

import re
from collections.abc import Iterable
from pathlib import Path

# ERROR or CRITICAL as the level field: first on the line, bracketed or not, or after a date and a time.
LEVEL_FIELD = re.compile(r"^(?:\[[^\]]*\]\s*|\d{4}-\d\d-\d\d[ T]\S+\s+)?\[?(?:ERROR|CRITICAL)\b")
TRACEBACK_START = "Traceback (most recent call last):"
CHAINED_TRACEBACK = (
    "The above exception was the direct cause",
    "During handling of the above exception",
)


def error_entries(text: str) -> list[str]:
    """Each error in `text`: its ERROR line or traceback, with the traceback's frames and exception line."""
    lines = text.splitlines()
    entries: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not (LEVEL_FIELD.match(line) or line.startswith(TRACEBACK_START)):
            continue
        block = [line]
        if not line.startswith(TRACEBACK_START) and index < len(lines) and lines[index].startswith(TRACEBACK_START):
            block.append(lines[index])  # `logger.exception`: the message, then its traceback
            index += 1
        if block[-1].startswith(TRACEBACK_START):
            index = _traceback_end(lines, index, block)
        entries.append("\n".join(block))
    return entries


def _traceback_end(lines: list[str], index: int, block: list[str]) -> int:
    """Add the traceback's indented frames, its exception line and any chained traceback to `block`;
    the index of the first line after them."""
    while index < len(lines):
        line = lines[index]
        block.append(line)
        index += 1
        if line[:1] in (" ", "\t"):
            continue
        rest = [following for following in lines[index : index + 3] if following.strip()]
        if rest and rest[0].startswith(CHAINED_TRACEBACK):
            while index < len(lines) and not lines[index].startswith(TRACEBACK_START):
                block.append(lines[index])
                index += 1
            if index < len(lines):
                block.append(lines[index])  # the next traceback's first line; its frames follow
                index += 1
            continue
        return index  # the exception line ends it
    return index


def allowance(patterns: Iterable[str]) -> list[re.Pattern]:
    """The compiled `patterns` of a test's allowance.

    Raises:
        ValueError: a pattern that matches an empty entry, so would allow every error (`.*`, `""`).
    """
    compiled = [re.compile(pattern) for pattern in patterns]
    for pattern in compiled:
        if pattern.search(""):
            raise ValueError(f"allowance {pattern.pattern!r} matches anything; name the error the test provokes")
    return compiled


def unexpected(entries: Iterable[str], allowed: Iterable[re.Pattern]) -> list[str]:
    """The entries that no allowed pattern matches (searched anywhere in the entry, traceback included)."""
    allowed = list(allowed)
    return [entry for entry in entries if not any(pattern.search(entry) for pattern in allowed)]


class LogWatch:
    """The log files of the servers a run started, each read on from where the last reading ended."""

    def __init__(self) -> None:
        self.read_to: dict[Path, int] = {}

    def watch(self, path: Path) -> None:
        """Read `path` too, from its first line (a server's start-up counts)."""
        self.read_to.setdefault(path, 0)

    def new_errors(self, allowed: Iterable[re.Pattern] = (), only: Path | None = None) -> list[str]:
        """Every error not `allowed` that the logs (or the `only` one) gained since the last reading,
        as "<log>:\n<entry>". A line still being written (no newline yet) is left for the next reading."""
        found = []
        for path, offset in self.read_to.items():
            if not path.exists() or only not in (None, path):
                continue
            with path.open("rb") as log:
                log.seek(offset)
                gained = log.read()
            complete = gained[: gained.rfind(b"\n") + 1]
            self.read_to[path] = offset + len(complete)
            text = complete.decode("utf-8", errors="replace")
            found += [f"{path}:\n{entry}" for entry in unexpected(error_entries(text), allowed)]
        return found
