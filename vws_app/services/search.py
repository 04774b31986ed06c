"""Full-text search over published posts and events, both languages, on the database's own engine."""

import dataclasses
import math
import re
import unicodedata
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, bindparam, text
from sqlmodel import Session

from vws_app.i18n import format_date, normalise_language
from vws_app.models import utc_now
from vws_app.services.rendered_text import markdown_plain_text
from vws_app.services.site_routes import EVENTS

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MAX_TERM_CHARS = 60
MAX_PER_PAGE = 50
MAX_PAGE = 100_000
PG_HEADLINE_CHARS = 30_000
# Noncharacters: never in real text, so they can mark matches inside the database's snippet.
MATCH_START, MATCH_END = "\ufdd0", "\ufdd1"
# Words a visitor may type as operators; as search words they would match nearly everything.
_OPERATOR_WORDS = {"AND", "OR", "NOT", "NEAR"}
_MARKDOWN_NOISE = re.compile(r"\]\([^)\s]*\)?|[*`#>\[\]]|(?<!\w)_+|_+(?!\w)")
_MARKERS = re.compile(f"([{MATCH_START}{MATCH_END}])")


@dataclasses.dataclass(frozen=True)
class SnippetPart:
    """A stretch of a snippet, and whether it is a word the query matched (shown in <mark>)."""

    text: str
    is_match: bool = False


@dataclasses.dataclass(frozen=True)
class SearchHit:
    """One post or event that matched, in one language."""

    kind: str
    title: str
    title_parts: list[SnippetPart]
    snippet: list[SnippetPart]
    language: str
    date_label: str
    url: str


@dataclasses.dataclass(frozen=True)
class SearchPage:
    """One page of results, with what pagination needs."""

    items: list[SearchHit]
    total: int
    page: int
    page_count: int


_COLUMNS: dict[str, Any] = dict(
    kind=String,
    ref_id=Integer,
    language=String,
    title=String,
    title_marked=String,
    snippet=String,
    slug=String,
    moment=DateTime(timezone=True),
    total=Integer,
)
# Posts are indexed only while published; the date check hides scheduled ones until their time.
_VISIBLE = "(kind = 'event' OR moment <= :now)"

# Every query ranks all matches (and counts them in the same pass), then marks up one page only:
# the engines would otherwise build a snippet for each match before sorting.
_SQLITE_MATCHES = f"""
    FROM search_index JOIN search_index_entry AS entry ON entry.id = search_index.rowid
    WHERE search_index MATCH :match AND {_VISIBLE}"""
_SQLITE_COUNT = text(f"SELECT count(*) {_SQLITE_MATCHES}")
_SQLITE_ROWS = text(f"""
    WITH matches AS (
        SELECT entry.*, language = :language AS preferred, bm25(search_index, 8.0, 1.0) AS score
        {_SQLITE_MATCHES}
    ), page AS (
        SELECT *, count(*) OVER () AS total FROM matches
        ORDER BY preferred DESC, score, moment DESC, id LIMIT :limit OFFSET :offset
    )
    SELECT page.kind, page.ref_id, page.language, search_index.title, page.slug, page.moment, page.total,
           highlight(search_index, 0, :start, :end) AS title_marked,
           snippet(search_index, 1, :start, :end, '…', 24) AS snippet
    FROM page JOIN search_index ON search_index.rowid = page.id
    WHERE search_index MATCH :match
    ORDER BY page.preferred DESC, page.score, page.moment DESC, page.id
""")


def _pg_half(config: str, language_test: str) -> str:
    """The matches in one language, found with its own configuration through its own GIN index."""
    query = f"to_tsquery('{config}', :tsquery)"
    return f"""
        SELECT id, kind, ref_id, language, moment, {query} AS query, ts_rank(document, {query}) AS score
        FROM search_index WHERE {language_test} AND document @@ {query} AND {_VISIBLE}"""


_PG_MATCHES = _pg_half("vws_spanish", "language = 'es'") + " UNION ALL " + _pg_half("vws_english", "language <> 'es'")
_PG_COUNT = text(f"SELECT count(*) FROM ({_PG_MATCHES}) AS matches")
_PG_ORDER = "preferred DESC, score DESC, moment DESC, id"
# Ranked and cut to one page first, so ts_headline (the slow part) runs on that page's rows only.
# ts_headline re-reads the text (about 1 ms per 1,000 words), so it sees a long post's start only.
_PG_ROWS = text(f"""
    WITH page AS (
        SELECT *, language = :language AS preferred, count(*) OVER () AS total FROM ({_PG_MATCHES}) AS matches
        ORDER BY {_PG_ORDER} LIMIT :limit OFFSET :offset
    )
    SELECT page.kind, page.ref_id, page.language, entry.title, entry.slug, page.moment, page.total,
           ts_headline(search_index_config(page.language), entry.title, page.query, :title_headline) AS title_marked,
           ts_headline(search_index_config(page.language), left(entry.body, :headline_chars), page.query, :headline)
               AS snippet
    FROM page JOIN search_index AS entry ON entry.id = page.id
    ORDER BY page.preferred DESC, page.score DESC, page.moment DESC, page.id
""")
_PG_MARKS = f'StartSel="{MATCH_START}", StopSel="{MATCH_END}"'
_PG_HEADLINE = f'{_PG_MARKS}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
_PG_TITLE_HEADLINE = f"{_PG_MARKS}, HighlightAll=true"


def search(session: Session, query: str, language: str, page: int = 1, per_page: int = 10) -> SearchPage:
    """Published posts and events matching every word of `query`, the visitor's language first.

    Case and accents do not matter; the last word also matches as a prefix. Any text is a
    valid query: operators and punctuation are not interpreted, and a query with no words
    gives an empty page. A page number past the end gives the last page.

    Raises:
        NotImplementedError: when the session's database is neither SQLite nor PostgreSQL.
    """
    language = normalise_language(language)
    per_page = min(max(1, int(per_page)), MAX_PER_PAGE)
    terms = _terms(query)
    if not terms:
        return SearchPage([], 0, 1, 1)
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        count_sql, rows_sql = _SQLITE_COUNT, _SQLITE_ROWS
        params: dict[str, object] = {"match": _fts5_match(terms), "start": MATCH_START, "end": MATCH_END}
    elif dialect == "postgresql":
        count_sql, rows_sql = _PG_COUNT, _PG_ROWS
        params = {
            "tsquery": _tsquery_text(terms),
            "headline": _PG_HEADLINE,
            "title_headline": _PG_TITLE_HEADLINE,
            "headline_chars": PG_HEADLINE_CHARS,
        }
    else:
        raise NotImplementedError(f"search is not written for {dialect}")
    now = bindparam("now", utc_now(), type_=DateTime(timezone=True))
    count_sql, rows_query = count_sql.bindparams(now), rows_sql.bindparams(now).columns(**_COLUMNS)
    page = _page_number(page)

    def rows_of(number: int) -> list:
        limits = {"language": language, "limit": per_page, "offset": (number - 1) * per_page}
        # sqlmodel types exec() for select/update only; a text() query runs through it as through execute()
        return list(session.exec(rows_query, params={**params, **limits}).all())  # type: ignore[call-overload]

    rows = rows_of(page)
    total = rows[0].total if rows else 0
    if not rows and page > 1:  # past the end: show the last page
        total = session.exec(count_sql, params=params).scalar_one()  # type: ignore[call-overload]  # text(), as above
        page = max(1, math.ceil(total / per_page))
        rows = rows_of(page) if total else []
    page_count = max(1, math.ceil(total / per_page))
    return SearchPage([_hit(row, language) for row in rows], total, min(page, page_count), page_count)


def _page_number(value: object) -> int:
    """A page number from anything: nonsense means 1, and a huge one is cut (it means "the last")."""
    try:
        return min(max(1, int(value)), MAX_PAGE)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return 1


def _terms(query: object) -> list[str]:
    """The words of a query: runs of letters, digits and their marks; nothing else survives.

    Bounded (a few short words), so a 10,000-character paste costs no more than a short query.
    """
    raw = unicodedata.normalize("NFKC", str(query or "")[: MAX_QUERY_CHARS * 2])[:MAX_QUERY_CHARS]
    words: list[str] = []
    current: list[str] = []
    for char in raw + " ":
        if unicodedata.category(char)[0] in "LNM":
            current.append(char)
            continue
        word = "".join(current)[:MAX_TERM_CHARS]
        current = []
        if any(unicodedata.category(c)[0] in "LN" for c in word) and word not in _OPERATOR_WORDS:
            words.append(word)
    terms: dict[str, str] = {}
    for word in words:
        terms.setdefault(word.casefold(), word)
    return list(terms.values())[:MAX_TERMS]


def _fts5_match(terms: list[str]) -> str:
    """An FTS5 query of quoted strings (so no word is read as syntax), the last one a prefix."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    if len(terms[-1]) >= 2:
        quoted[-1] += "*"
    return " ".join(quoted)


def _tsquery_text(terms: list[str]) -> str:
    """A to_tsquery text of quoted lexemes joined by AND, the last one a prefix."""
    quoted = ["'" + term.replace("\\", "\\\\").replace("'", "''") + "'" for term in terms]
    if len(terms[-1]) >= 2:
        quoted[-1] += ":*"
    return " & ".join(quoted)


def _hit(row, language: str) -> SearchHit:
    """A result row as the page shows it, its date in the visitor's language."""
    moment: datetime | None = row.moment
    return SearchHit(
        kind=row.kind,
        title=row.title,
        title_parts=_marked_parts(row.title_marked or row.title),
        # Rendered like the live page (its match markers pass through), then cleared of marks a cut left.
        snippet=_marked_parts(markdown_plain_text(row.snippet or ""), from_markdown=True),
        language=row.language,
        date_label=format_date(moment, language),
        url=f"/posts/{row.slug}" if row.kind == "post" else EVENTS.path,
    )


def _marked_parts(marked: str, *, from_markdown: bool = False) -> list[SnippetPart]:
    """Text with the database's match markers as plain-text parts (Markdown marks removed from bodies)."""
    parts: list[SnippetPart] = []
    in_match = False
    for piece in _MARKERS.split(marked):
        if piece in (MATCH_START, MATCH_END):
            in_match = piece == MATCH_START
            continue
        if from_markdown:
            piece = re.sub(r"\s+", " ", piece if in_match else _MARKDOWN_NOISE.sub("", piece))
        if not piece:
            continue
        if parts and parts[-1].is_match == in_match:
            parts[-1] = SnippetPart(parts[-1].text + piece, in_match)
        else:
            parts.append(SnippetPart(piece, in_match))
    return parts
