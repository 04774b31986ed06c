"""How the post lists scale: 10 posts vs 10,000 posts in the database.

Service level, a fresh session per call as the app does: `list_posts` page 1 (also by category,
by month and its last page), `latest_posts` and the archive, with the counts remembered (every
request but the first after a write) and with nothing remembered (the first one after a write).
HTTP level: the server-rendered HTML of `/` and `/posts` (the first request after the posts
were added, then the median). Browser: Chromium until the first post card is visible.
Plans: every statement those calls run, with SQLite's EXPLAIN QUERY PLAN or PostgreSQL's
EXPLAIN ANALYZE, and its time alone. Budget: 10k/10 ≤ 2×.

Posts are inserted directly (published, alternating languages, one text in five in both
languages), plus one audit entry, as an editor's save leaves one (the page cache watches it).

Run: python bench/content_scale.py [--database sqlite|postgresql] [--service-only]
                                   [--service-calls 300] [--browser-loads 3]
PostgreSQL: a throwaway database on TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test).
"""

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from app_server import CHROMIUM, PROJECT_ROOT, percentile, running_app, save_results

SIZES = (10, 10_000)
BUDGET_RATIO = 2.0
HTTP_CALLS = 20
SERVICE_CALLS_MIN = 20  # every measurement makes at least this many calls …
SERVICE_SECONDS_MAX = 10  # … and stops adding calls after this long, so the run stays bounded
PLAN_RUNS = 15
CATEGORIES = ("statement", "open_letter", "article", "news")
PARAGRAPH = (
    "Los trabajadores venezolanos enfrentan salarios de hambre y la represión de sus sindicatos. "
    "Venezuelan workers face starvation wages and the repression of their unions; we stand with them. "
)
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _bench_rows(start: int, stop: int, now: datetime) -> list[dict]:
    """Post rows `start`…`stop-1`: alternating languages, every 5th pair of rows one text in two languages."""
    rows = []
    for number in range(start, stop):
        language = "en" if number % 2 == 0 else "es"
        paired = number % 10 in (0, 1)  # rows 10k and 10k+1 are one text in English and Spanish
        key = f"benchpair{number // 2:08d}" if paired else uuid.uuid4().hex
        moment = now - timedelta(minutes=number + 1)
        rows.append(
            {
                "slug": f"bench-post-{number}",
                "language": language,
                "translation_key": key,
                "title": f"Bench post {number}: solidarity with the workers of Venezuela",
                "excerpt": PARAGRAPH[:240],
                "body": "\n\n".join([PARAGRAPH * 3] * 6),
                "body_is_excerpt": False,
                "image_path": "",
                "image_credit": "",
                "category": CATEGORIES[number % len(CATEGORIES)],
                "status": "published",
                "published_at": moment,
                "created_at": moment,
                "updated_at": moment,
            }
        )
    return rows


def fill_to(session, target: int) -> int:
    """Insert bench posts (and one audit entry for the lot) until the table holds `target`; returns the count."""
    from sqlalchemy import func, insert, select, text

    from vws_app.models import AuditEntry, Post

    have = session.scalar(select(func.count()).select_from(Post))
    bench = session.scalar(select(func.count()).select_from(Post).where(Post.slug.like("bench-post-%")))
    if target > have:
        session.execute(insert(Post.__table__), _bench_rows(bench, bench + target - have, datetime.now(UTC)))
        session.add(
            AuditEntry(
                editor_email="bench@example.org",
                action="create",
                entity="post",
                summary=f"bench: {target - have} posts",
            )
        )
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("ANALYZE post"))  # as autovacuum soon would, so plans are steady-state
        session.commit()
    return session.scalar(select(func.count()).select_from(Post))


def service_calls() -> dict[str, Callable]:
    """What the bench times, by name: each takes a session; `_cold` ones first forget every count."""
    from vws_app.i18n import SITE_TIMEZONE, zone_info
    from vws_app.services import archive, content, post_counts

    today = datetime.now(zone_info(SITE_TIMEZONE))
    this_month = archive.period_bounds(today.year, today.month)

    def cold(call: Callable) -> Callable:
        return lambda session: (post_counts.forget_all(), call(session))[1]

    warm = {
        "list_posts": lambda s: content.list_posts(s, "en", page=1),
        "latest_posts": lambda s: content.latest_posts(s, "en"),
        "list_posts_category": lambda s: content.list_posts(s, "en", category="news"),
        "list_posts_this_month": lambda s: content.list_posts(s, "en", published_between=this_month),
        "list_posts_last_page": lambda s: content.list_posts(s, "en", page=1_000_000),
        "archive": lambda s: archive.archive(s, "en"),
    }
    return {**warm, "list_posts_cold": cold(warm["list_posts"]), "archive_cold": cold(warm["archive"])}


def time_service(calls: int) -> dict:
    """Mean, median and p95 of each service call, each call in its own session as the app does.

    Up to `calls` calls each, at least SERVICE_CALLS_MIN, adding none after SERVICE_SECONDS_MAX.
    """
    from vws_app.services.database import open_session

    results = {}
    for name, call in service_calls().items():
        for _ in range(5):  # warm-up: statement caches, database pages, remembered counts
            with open_session() as session:
                call(session)
        durations = []
        budget_ends = time.monotonic() + SERVICE_SECONDS_MAX
        while len(durations) < calls and (len(durations) < SERVICE_CALLS_MIN or time.monotonic() < budget_ends):
            started = time.perf_counter()
            with open_session() as session:
                shown = call(session)
            durations.append((time.perf_counter() - started) * 1000)
        results[name] = {
            "mean_ms": round(statistics.fmean(durations), 2),
            "median_ms": round(statistics.median(durations), 2),
            "p95_ms": round(percentile(durations, 0.95), 2),
            "calls": len(durations),
            "items": len(getattr(shown, "cards", shown)),
        }
    return results


def explain_statements(url: str) -> list[dict]:
    """Every statement the cold list, the home list and the archive run, with its plan and its time alone."""
    from sqlalchemy import event

    from vws_app.services.database import engine_for, open_session

    calls = service_calls()
    captured: list[tuple[str, str, object]] = []
    engine = engine_for(url)
    for name in ("list_posts_cold", "latest_posts", "archive_cold"):

        def capture(_conn, _cursor, statement, parameters, _context, _many, name=name):
            captured.append((name, statement, parameters))

        event.listen(engine, "before_cursor_execute", capture)
        try:
            with open_session() as session:
                calls[name](session)
        finally:
            event.remove(engine, "before_cursor_execute", capture)
    postgres = engine.dialect.name == "postgresql"
    explain = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " if postgres else "EXPLAIN QUERY PLAN "
    plans = []
    with engine.connect() as connection:
        for caller, statement, parameters in captured:
            rows = connection.exec_driver_sql(explain + statement, parameters).fetchall()
            durations = []
            for _ in range(PLAN_RUNS):
                started = time.perf_counter()
                connection.exec_driver_sql(statement, parameters).fetchall()
                durations.append((time.perf_counter() - started) * 1000)
            plans.append(
                {
                    "caller": caller,
                    "sql": " ".join(statement.split()),
                    "median_ms": round(statistics.median(durations), 3),
                    "plan": [row[0] if postgres else row[3] for row in rows],
                }
            )
    return plans


def time_http(base_url: str, paths: list[str]) -> dict:
    """The first fetch of each page's server-rendered HTML after the posts changed, then the median of the rest."""
    results = {}
    for path in paths:
        durations = []
        for _ in range(HTTP_CALLS + 1):
            started = time.perf_counter()
            with urllib.request.urlopen(base_url + path, timeout=30) as response:
                response.read()
            durations.append((time.perf_counter() - started) * 1000)
        first, rest = durations[0], durations[1:]
        results[path] = {
            "first_ms": round(first, 1),
            "median_ms": round(statistics.median(rest), 1),
            "p95_ms": round(percentile(rest, 0.95), 1),
        }
    return results


def time_browser(base_url: str, paths: list[str], loads: int) -> dict:
    """Chromium, a fresh profile each load: ms from navigation start until the first card is visible."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for path in paths:
            durations = []
            for _ in range(loads):
                context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
                page = context.new_page()
                page.goto(base_url + path, wait_until="commit")
                page.locator(".post-card").first.wait_for(state="visible", timeout=60_000)
                durations.append(page.evaluate("() => performance.now()"))
                context.close()
            results[path] = {"median_ms": round(statistics.median(durations)), "all_ms": [round(d) for d in durations]}
        browser.close()
    return results


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A throwaway PostgreSQL database for this run; its SQLAlchemy URL. Dropped at the end."""
    import psycopg

    name = f"vws_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    try:
        yield url
    finally:
        from vws_app.services.database import engine_for

        engine_for(url).dispose()
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def target(database: str, service_only: bool) -> Iterator[tuple[str, str | None]]:
    """(database URL, base URL of the running prod app or None), both gone afterwards."""
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(postgres_database()) if database == "postgresql" else None
        if service_only:
            if url is None:
                url = f"sqlite:///{stack.enter_context(tempfile.TemporaryDirectory(prefix='vws_bench_'))}/bench.db"
            os.environ["DATABASE_URL"] = url
            from vws_app.startup import prepare_database

            prepare_database()
            yield url, None
            return
        app = stack.enter_context(running_app("content_scale", {"DATABASE_URL": url} if url else None))
        os.environ["DATABASE_URL"] = url or app.database_url  # the bench reads it through the app's services
        yield os.environ["DATABASE_URL"], app.base_url


def measure(size: int, base_url: str | None, args) -> dict:
    from vws_app.services.database import open_session

    fill_started = time.monotonic()
    with open_session() as session:
        count = fill_to(session, size)
    print(f"{count} posts (filled in {time.monotonic() - fill_started:.1f} s)", flush=True)
    result = {"posts": count}
    if base_url:  # the first request after the fill pays for building the page and the counts
        result["http_html"] = time_http(base_url, ["/", "/posts"])
        result["browser_first_card"] = time_browser(base_url, ["/", "/posts"], args.browser_loads)
    result["service"] = time_service(args.service_calls)
    print(result, flush=True)
    return result


def ratios_of(small: dict, large: dict) -> dict:
    """10k / 10 for each measure (service: medians, the machine is shared and means swing)."""
    ratios = {
        f"service_{name}_median": round(large["service"][name]["median_ms"] / small["service"][name]["median_ms"], 2)
        for name in small["service"]
    }
    for kind in ("http_html", "browser_first_card"):
        for path in small.get(kind, {}):
            ratios[f"{kind}_{path}_median"] = round(large[kind][path]["median_ms"] / small[kind][path]["median_ms"], 2)
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--service-only", action="store_true", help="no app, no HTTP or browser: services and plans")
    parser.add_argument("--service-calls", type=int, default=300)
    parser.add_argument("--browser-loads", type=int, default=3)
    args = parser.parse_args()
    started = time.monotonic()
    sys.path.insert(0, str(PROJECT_ROOT))  # vws_app, for the services and the schema
    with target(args.database, args.service_only) as (url, base_url):
        by_size = {size: measure(size, base_url, args) for size in SIZES}
        plans = explain_statements(url)
    ratios = ratios_of(*(by_size[size] for size in SIZES))
    misses = [
        f"{name} {ratio}× > {BUDGET_RATIO}×"
        for name, ratio in ratios.items()
        if ratio > BUDGET_RATIO and "_cold" not in name and "last_page" not in name
    ]
    suffix = "" if args.database == "sqlite" else f"_{args.database}"
    save_results(
        "content_scale" + suffix + ("_service" if args.service_only else ""),
        {
            "database": args.database,
            "sizes": {str(size): result for size, result in by_size.items()},
            "ratios_10k_over_10": ratios,
            "budget_ratio": BUDGET_RATIO,
            "budget_misses": misses,
            "explain_query_plan_10k": plans,
            "wall_seconds": round(time.monotonic() - started),
        },
    )
    for plan in plans:
        print(f"[{plan['caller']}] {plan['median_ms']} ms  {plan['sql'][:150]} …\n   ", "\n    ".join(plan["plan"]))
    print(ratios)
    for miss in misses:
        print("BUDGET MISS", miss)


if __name__ == "__main__":
    main()
