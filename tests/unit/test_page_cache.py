"""The filled-page cache: rebuilt when an editor writes or a scheduled post comes due, never otherwise."""

from datetime import timedelta

from tests.unit.content_builders import add_post, days_ago
from vws_app.models import PostStatus, as_utc, utc_now
from vws_app.server.page_cache import ContentVersion, PageCache, content_version
from vws_app.services import audit


class CountingBuilder:
    """A build function that says how often it ran."""

    def __init__(self, value: object = "page") -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


STEADY = ContentVersion(last_write=1, next_publication=None)


def test_version_is_stable_while_nothing_is_written(session):
    assert content_version(session) == content_version(session)


def test_an_editors_write_moves_the_version(session):
    before = content_version(session)
    audit.record(session, None, "update", "site_text", 1, "mission (en)")
    session.commit()
    after = content_version(session)
    assert after != before
    assert after.last_write is not None and after.last_write > (before.last_write or 0)


def test_any_write_to_posts_moves_the_version_even_without_an_audit_entry(session):
    before = content_version(session)
    add_post(session, "Typed in by hand")
    assert content_version(session).posts_stamp != before.posts_stamp


def test_the_next_scheduled_publication_is_part_of_the_version(session):
    add_post(session, "Already out", published_at=days_ago(1))
    add_post(session, "Draft for later", status=PostStatus.DRAFT.value, published_at=days_ago(-1))
    soon = add_post(session, "Out tomorrow", published_at=days_ago(-1))
    add_post(session, "Out next week", published_at=days_ago(-7))
    version = content_version(session)
    assert version.next_publication == as_utc(soon.published_at)
    assert 0 < version.seconds_until_publication() <= timedelta(days=1).total_seconds()


def test_without_scheduled_posts_the_publication_never_expires_an_entry(session):
    add_post(session, "Already out", published_at=days_ago(1))
    assert content_version(session).next_publication is None
    assert content_version(session).seconds_until_publication() == float("inf")


def test_a_page_is_built_once_per_version():
    cache, build = PageCache(), CountingBuilder()
    assert cache.get_or_build("home", STEADY, build) == "page"
    assert cache.get_or_build("home", STEADY, build) == "page"
    assert build.calls == 1
    cache.get_or_build("home", ContentVersion(last_write=2, next_publication=None), build)
    assert build.calls == 2


def test_keys_are_cached_apart():
    cache, english, spanish = PageCache(), CountingBuilder("en"), CountingBuilder("es")
    assert cache.get_or_build(("/", "en"), STEADY, english) == "en"
    assert cache.get_or_build(("/", "es"), STEADY, spanish) == "es"
    assert cache.get_or_build(("/", "en"), STEADY, english) == "en"
    assert (english.calls, spanish.calls) == (1, 1)


def test_a_missing_page_is_not_cached():
    cache, build = PageCache(), CountingBuilder(None)
    assert cache.get_or_build("unknown-slug", STEADY, build) is None
    assert cache.get_or_build("unknown-slug", STEADY, build) is None
    assert build.calls == 2


def test_an_entry_is_rebuilt_once_its_scheduled_post_is_due():
    due = ContentVersion(last_write=1, next_publication=utc_now() - timedelta(seconds=1))
    cache, build = PageCache(), CountingBuilder()
    cache.get_or_build("home", due, build)
    cache.get_or_build("home", due, build)
    assert build.calls == 2


def test_entries_age_out_even_when_nothing_is_written():
    cache, build = PageCache(max_age_s=0), CountingBuilder()
    cache.get_or_build("events", STEADY, build)
    cache.get_or_build("events", STEADY, build)
    assert build.calls == 2


def test_the_least_recently_used_entry_goes_first():
    cache = PageCache(max_entries=2)
    builds = {key: CountingBuilder(key) for key in "abc"}
    cache.get_or_build("a", STEADY, builds["a"])
    cache.get_or_build("b", STEADY, builds["b"])
    cache.get_or_build("a", STEADY, builds["a"])  # "b" is now the oldest
    cache.get_or_build("c", STEADY, builds["c"])
    cache.get_or_build("a", STEADY, builds["a"])
    cache.get_or_build("b", STEADY, builds["b"])
    assert (builds["a"].calls, builds["b"].calls, builds["c"].calls) == (1, 2, 1)
