"""Read-only queries behind the public pages: posts, translations, events, allies, site texts."""

import dataclasses
import math
from collections import defaultdict
from datetime import datetime

from sqlalchemy import case, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from vws_app.i18n import OTHER_LANGUAGE, format_date, format_event_date, format_time, normalise_language, zone_info
from vws_app.models import AllyLink, Event, Post, PostCategory, PostStatus, SiteText, as_utc, utc_now
from vws_app.services import post_counts, post_pictures, recurrence
from vws_app.services.calendar_files import place_in
from vws_app.services.letter_counts import count_labels
from vws_app.services.post_pictures import PostPicture
from vws_app.services.row_ids import id_of

POSTS_PER_PAGE = 10
HOME_POST_COUNT = 4
NEXT_DATES = 3  # meetings after the next one that a repeating event lists

NO_PICTURE = PostPicture()  # a card without a photo (frozen, so one shared value is safe)


@dataclasses.dataclass(frozen=True)
class PostCard:
    """What a list shows of one post."""

    slug: str
    title: str
    excerpt: str
    language: str
    category: str
    date_label: str
    image_path: str
    image_credit: str
    translation_slug: str = ""
    translation_language: str = ""
    signature_label: str = ""  # an open letter's count ("12 people have signed"), in the visitor's language
    only_in_language: str = ""  # the post's language when it has no version in the visitor's: "Only available in …"
    picture: PostPicture = PostPicture()  # its photo on file; older posts have only `image_path`


@dataclasses.dataclass(frozen=True)
class PostPage:
    """One page of a post list, with what pagination needs."""

    cards: list[PostCard]
    page: int
    page_count: int
    total: int


@dataclasses.dataclass(frozen=True)
class EventView:
    """An event as a visitor reads it, in their language."""

    id: int
    title: str
    description: str
    date_label: str
    time_label: str
    year: int
    place: str
    is_online: bool  # the link itself is private: only people who RSVP receive it
    cancelled: bool = False
    rsvp_enabled: bool = False
    next_dates: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class AllyView:
    """An allied organisation as a visitor reads it, in their language."""

    name: str
    url: str
    description: str


def _published(now: datetime | None = None):
    """The filter for posts a visitor may see: published, with a publish date not in the future."""
    return (col(Post.status) == PostStatus.PUBLISHED.value) & (col(Post.published_at) <= (now or utc_now()))


def _published_after_key_lookup():
    """`_published()` for queries whose rows come from the `translation_key` index.

    Wrapped in a CASE, which no index can serve: SQLite, which keeps no statistics here,
    would otherwise walk every published row by `status` to check a handful of keys
    (bench/README.md §4). PostgreSQL plans the same either way.
    """
    return case((_published(), 1), else_=0) == 1


def _visible_in_language(language: str):
    """Posts in `language`, plus the posts that have no published version in it.

    One correlated NOT EXISTS ("no other published version in `language`"), which the
    database answers per row through the unique (translation_key, language) index. Written
    without an OR ("in `language` OR NOT EXISTS …"): PostgreSQL turns that form into a hash
    of every translated key, built on each query, so a page would cost O(posts) there.
    """
    version = aliased(Post)
    has_other_version_in_language = (
        select(version.id)
        .where(version.translation_key == Post.translation_key, version.language == language)
        .where(version.id != Post.id)
        .where(version.status == PostStatus.PUBLISHED.value, col(version.published_at) <= utc_now())
        .exists()
    )
    return ~has_other_version_in_language


def _listed(language: str, category: str = "", published_between: tuple[datetime, datetime] | None = None) -> list:
    """The conditions of a public list: visible posts, one version per text, optionally narrowed."""
    conditions = [_published(), _visible_in_language(language)]
    if category:
        conditions.append(Post.category == category)
    if published_between:
        conditions += [col(Post.published_at) >= published_between[0], col(Post.published_at) < published_between[1]]
    return conditions


def _newest(session: Session, conditions: list, *, offset: int, limit: int) -> list[Post]:
    """Matching posts newest first, rows `offset` to `offset + limit - 1`.

    This is the order of `ix_post_published` (status, published_at, id, …), so the database
    walks that index from its newest end and stops once it has the page.
    """
    return list(
        session.exec(
            select(Post)
            .where(*conditions)
            .order_by(col(Post.published_at).desc(), col(Post.id).desc())
            .offset(offset)
            .limit(limit)
        ).all()
    )


def to_card(post: Post, language: str, translation: Post | None = None, picture: PostPicture = NO_PICTURE) -> PostCard:
    """A post's card, its date in the visitor's language, with the way to its translation and its photo."""
    return PostCard(
        picture=picture,
        translation_slug=translation.slug if translation else "",
        translation_language=translation.language if translation else "",
        slug=post.slug,
        title=post.title,
        excerpt=post.excerpt,
        language=post.language,
        category=post.category,
        date_label=format_date(post.published_at, language),
        image_path=post.image_path,
        image_credit=post.image_credit,
    )


def _cards(session: Session, posts: list[Post], language: str) -> list[PostCard]:
    """The posts' cards in the visitor's language, each with the way to its translation."""
    translations = _published_translations(session, posts)
    pictures = _card_pictures(session, posts)
    cards = [
        dataclasses.replace(
            to_card(
                post,
                language,
                translations.get((post.translation_key, post.language)),
                pictures.get(id_of(post), PostPicture()),
            ),
            only_in_language=post.language if post.language != language else "",
        )
        for post in posts
    ]
    return _with_signature_labels(session, posts, cards, language)


def _card_pictures(session: Session, posts: list[Post]) -> dict[int, PostPicture]:
    """The photos on file of listed posts by post id (one query); the list's first picture is not lazy."""
    images = post_pictures.images_of(session, posts)
    first = next((post.id for post in posts if post_pictures.has_picture(post)), None)
    return {
        id_of(post): post_pictures.picture_of(
            images[int(post.media_image_id or 0)], post.language, first=post.id == first
        )
        for post in posts
        if post.media_image_id in images
    }


def _with_signature_labels(session: Session, posts: list[Post], cards: list[PostCard], language: str) -> list[PostCard]:
    """Each letter's card with its count of signatures (one query for the whole list)."""
    labels = count_labels(session, {post.translation_key for post in posts}, language)
    return [
        dataclasses.replace(card, signature_label=labels.get(post.translation_key, ""))
        for post, card in zip(posts, cards, strict=True)
    ]


def _published_translations(session: Session, posts: list[Post]) -> dict[tuple[str, str], Post]:
    """For each listed post, its published other-language version, found in one query."""
    keys = {post.translation_key for post in posts}
    if not keys:
        return {}
    others = session.exec(select(Post).where(col(Post.translation_key).in_(keys), _published_after_key_lookup())).all()
    listed = {(post.translation_key, post.language) for post in posts}
    return {
        (other.translation_key, OTHER_LANGUAGE[other.language]): other
        for other in others
        if (other.translation_key, other.language) not in listed and other.language in OTHER_LANGUAGE
    }


def count_posts(
    session: Session,
    language: str,
    *,
    category: str = "",
    published_between: tuple[datetime, datetime] | None = None,
) -> int:
    """How many posts `list_posts` shows in all with these filters.

    Counting reads every visible post, so the number is remembered until a post is written
    or a scheduled one goes live (see `post_counts`); a list page reads only its own rows.
    """
    language = normalise_language(language)
    return post_counts.remembered(
        session,
        ("list_total", language, category, published_between),
        lambda: session.exec(
            select(func.count()).select_from(Post).where(*_listed(language, category, published_between))
        ).one(),
    )


def list_posts(
    session: Session,
    language: str,
    *,
    category: str = "",
    published_between: tuple[datetime, datetime] | None = None,
    page: int = 1,
    per_page: int = POSTS_PER_PAGE,
) -> PostPage:
    """Published posts newest first, one version per text (the visitor's language where it exists).

    `published_between` (start inclusive, end exclusive) narrows the list to an archive period.
    An unknown category gives an empty page; a page number past the end gives the last page.
    Page n reads n × `per_page` index entries; the total comes from `count_posts`.
    """
    language = normalise_language(language)
    total = count_posts(session, language, category=category, published_between=published_between)
    page_count = max(1, math.ceil(total / per_page))
    page = min(max(1, page), page_count)
    conditions = _listed(language, category, published_between)
    posts = _newest(session, conditions, offset=(page - 1) * per_page, limit=per_page)
    return PostPage(_cards(session, posts, language), page, page_count, total)


def latest_posts(session: Session, language: str, limit: int = HOME_POST_COUNT) -> list[PostCard]:
    """The newest published posts for the home page: the list's first rows, without its count."""
    language = normalise_language(language)
    return _cards(session, _newest(session, _listed(language), offset=0, limit=limit), language)


def visible_publish_dates(session: Session, language: str) -> list[datetime]:
    """When each text a visitor of `language` can list was published (for the archive's counts)."""
    language = normalise_language(language)
    moments = session.exec(select(Post.published_at).where(*_listed(language))).all()
    return [as_utc(moment) for moment in moments if moment is not None]  # listed posts all have a date


def published_post(session: Session, slug: str) -> Post | None:
    """The published post at `slug`, or None (drafts and future posts are not found)."""
    return session.exec(select(Post).where(Post.slug == slug, _published())).first()


def published_translation(session: Session, post: Post) -> Post | None:
    """The published version of `post` in the other language, if there is one."""
    return session.exec(
        select(Post).where(
            Post.translation_key == post.translation_key,
            Post.language != post.language,
            _published_after_key_lookup(),
        )
    ).first()


def categories() -> list[str]:
    """The category codes, in the order the filter shows them."""
    return [category.value for category in PostCategory]


def site_texts(session: Session, language: str) -> dict[str, str]:
    """Editable prose blocks (mission, goal) by key, falling back to English where untranslated."""
    rows = session.exec(select(SiteText).where(col(SiteText.language).in_(["en", normalise_language(language)]))).all()
    texts = {row.key: row.body for row in rows if row.language == "en"}
    texts.update({row.key: row.body for row in rows if row.language == normalise_language(language) and row.body})
    return texts


def _event_view(event: Event, language: str, now: datetime | None = None) -> EventView:
    """An event in the visitor's language, falling back to English for an untranslated field.

    A repeating event shows its next meeting (and the few after it) rather than its first.
    """
    spanish = language == "es"
    coming = recurrence.occurrences(event, now or utc_now(), NEXT_DATES + 1) if event.recurrence else []
    local_start = (coming[0] if coming else as_utc(event.starts_at)).astimezone(zone_info(event.timezone))
    return EventView(
        id=event.id or 0,
        title=(event.title_es if spanish and event.title_es else event.title_en),
        description=(event.description_es if spanish and event.description_es else event.description_en),
        date_label=format_event_date(local_start, language, event.timezone),
        time_label=format_time(local_start, language, event.timezone),
        year=local_start.year,
        place=place_in(event, language),
        is_online=bool(event.online_url),
        cancelled=event.cancelled,
        rsvp_enabled=event.rsvp_enabled,
        next_dates=[format_event_date(start, language, event.timezone) for start in coming[1:]],
    )


def _repeats_on(now: datetime):
    """Events that have not ended yet, or repeat (whether a repeat is still to come is checked per event)."""
    return (func.coalesce(Event.ends_at, Event.starts_at) >= now) | (Event.recurrence != "")


def upcoming_events(session: Session, language: str, now: datetime | None = None) -> list[EventView]:
    """Events that have not ended yet (a repeating one while a meeting is still to come), soonest first."""
    now = now or utc_now()
    candidates = session.exec(select(Event).where(_repeats_on(now))).all()
    coming = [(start, event) for event in candidates if (start := recurrence.next_start(event, now))]
    coming.sort(key=lambda pair: (pair[0], pair[1].id or 0))
    return [_event_view(event, normalise_language(language), now) for _start, event in coming]


def past_events_by_year(
    session: Session, language: str, now: datetime | None = None
) -> list[tuple[int, list[EventView]]]:
    """Events that have ended, grouped by year, newest year and newest event first."""
    now = now or utc_now()
    events = [
        event
        for event in session.exec(
            select(Event)
            .where((func.coalesce(Event.ends_at, Event.starts_at) < now) | (Event.recurrence != ""))
            .order_by(col(Event.starts_at).desc())
        ).all()
        if recurrence.next_start(event, now) is None
    ]
    by_year: dict[int, list[EventView]] = defaultdict(list)
    for event in events:
        view = _event_view(event, normalise_language(language))
        by_year[view.year].append(view)
    return sorted(by_year.items(), reverse=True)


def allies(session: Session, language: str) -> list[AllyView]:
    """Allied organisations in the editors' order, described in the visitor's language."""
    spanish = normalise_language(language) == "es"
    rows = session.exec(select(AllyLink).order_by(col(AllyLink.position), col(AllyLink.id))).all()
    return [
        AllyView(
            name=row.name,
            url=row.url,
            description=(row.description_es if spanish and row.description_es else row.description_en),
        )
        for row in rows
    ]


def visible_post_filter(now: datetime | None = None):
    """The filter for posts a visitor may see (published, dated now or earlier), for queries outside this module."""
    return _published(now)
