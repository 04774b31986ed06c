"""How a route tells the fast path (`fast_pages.py`) that its answer may be kept and sent again."""

import dataclasses

from starlette.requests import Request

MARK = "vws.fast_page"  # the scope key the fast path sets on requests it may answer from memory


@dataclasses.dataclass
class Mark:
    """Set by a route on a response that depends only on path, language and compression."""

    cacheable: bool = False
    by_language: bool = True  # False: the same page whatever the reader's language (posts)


def mark_cacheable(request: Request, *, by_language: bool = True) -> None:
    """This answer may be kept until the content changes (a no-op without the fast path, as in most tests)."""
    mark = request.scope.get(MARK)
    if mark is not None:
        mark.cacheable = True
        mark.by_language = by_language
