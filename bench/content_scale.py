"""How the post lists scale: 10 posts vs 10,000 posts in the database.

Service level: `list_posts(session, 'en', page=1)` and `latest_posts(session, 'en')`, many calls.
HTTP level: the server-rendered HTML of `/` and `/posts`, and Chromium loading each until the
first post card is visible. Also SQLite's EXPLAIN QUERY PLAN of every statement the list runs.
Posts are inserted directly (published, alternating languages, one text in five has both
languages) into the running production app's SQLite file. Budget: 10k/10 ≤ 2×.

Run: .venv/bin/python bench/content_scale.py [--service-calls 300] [--browser-loads 3]
"""

import argparse
import os
import sqlite3
import statistics
import sys
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta

from playwright.sync_api import sync_playwright

from app_server import CHROMIUM, percentile, running_app, save_results

SIZES = (10, 10_000)
BUDGET_RATIO = 2.0
HTTP_CALLS = 20
SERVICE_CALLS_MIN = 20  # every measurement makes at least this many calls …
SERVICE_SECONDS_MAX = 15  # … and stops adding calls after this long, so the run stays bounded
CATEGORIES = ("statement", "open_letter", "article", "news")
PARAGRAPH = (
    "Los trabajadores venezolanos enfrentan salarios de hambre y la represión de sus sindicatos. "
    "Venezuelan workers face starvation wages and the repression of their unions; we stand with them. "
)


def _bench_rows(start: int, stop: int, now: datetime) -> list[dict]:
    """Post rows `start`…`stop-1`: alternating languages, every 5th pair of rows one text in two languages."""
    rows = []
    for number in range(start, stop):
        language = "en" if number % 2 == 0 else "es"
        paired = number % 10 in (0, 1)  # rows 10k and 10k+1 are one text in English and Spanish
        key = f"benchpair{number // 2:08d}" if paired else uuid.uuid4().hex
        moment = now - timedelta(minutes=number + 1)
        rows.append({
            "slug": f"bench-post-{number}", "language": language, "translation_key": key,
            "title": f"Bench post {number}: solidarity with the workers of Venezuela",
            "excerpt": PARAGRAPH[:240], "body": "\n\n".join([PARAGRAPH * 3] * 6), "body_is_excerpt": False,
            "image_path": "", "image_credit": "", "category": CATEGORIES[number % len(CATEGORIES)],
            "status": "published", "published_at": moment, "created_at": moment, "updated_at": moment,
        })
    return rows


def fill_to(session, target: int) -> int:
    """Insert bench posts until the table holds `target` posts; returns the count."""
    from sqlalchemy import func, insert, select

    from vws_app.models import Post

    have = session.scalar(select(func.count()).select_from(Post))
    bench = session.scalar(select(func.count()).select_from(Post).where(Post.slug.like("bench-post-%")))
    if target > have:
        session.execute(insert(Post.__table__), _bench_rows(bench, bench + target - have, datetime.now(UTC)))
        session.commit()
    return session.scalar(select(func.count()).select_from(Post))


def time_service(calls: int) -> dict:
    """Mean and p95 of list_posts and latest_posts, each call in its own session as the app does.

    Up to `calls` calls each, at least SERVICE_CALLS_MIN, adding none after SERVICE_SECONDS_MAX.
    """
    from vws_app.services import content
    from vws_app.services.database import open_session

    results = {}
    for name, call in {
        "list_posts": lambda s: content.list_posts(s, "en", page=1),
        "latest_posts": lambda s: content.latest_posts(s, "en"),
    }.items():
        for _ in range(10):  # warm-up: statement caches, SQLite pages
            with open_session() as session:
                call(session)
        durations = []
        budget_ends = time.monotonic() + SERVICE_SECONDS_MAX
        while len(durations) < calls and (len(durations) < SERVICE_CALLS_MIN or time.monotonic() < budget_ends):
            started = time.perf_counter()
            with open_session() as session:
                cards = call(session)
            durations.append((time.perf_counter() - started) * 1000)
        shown = cards.cards if hasattr(cards, "cards") else cards
        results[name] = {"mean_ms": round(statistics.fmean(durations), 2), "median_ms": round(statistics.median(durations), 2),
                         "p95_ms": round(percentile(durations, 0.95), 2), "calls": len(durations), "cards": len(shown)}
    return results


def explain_list_query(database_path) -> list[dict]:
    """Every statement list_posts runs, captured from SQLAlchemy, with SQLite's plan for it."""
    from sqlalchemy import event

    from vws_app.services import content
    from vws_app.services.database import engine_for, open_session
    from vws_app.settings import database_url

    captured: list[tuple[str, tuple]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        captured.append((statement, tuple(parameters or ())))

    engine = engine_for(database_url())
    event.listen(engine, "before_cursor_execute", capture)
    try:
        with open_session() as session:
            content.list_posts(session, "en", page=1)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    plans = []
    with sqlite3.connect(database_path) as connection:
        for statement, parameters in captured:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            rows = connection.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
            plans.append({"sql": " ".join(statement.split()), "plan": [row[3] for row in rows], "params": list(parameters)})
    return plans


def time_http(base_url: str, paths: list[str]) -> dict:
    """Median time to fetch each page's server-rendered HTML (it queries the posts too)."""
    results = {}
    for path in paths:
        durations = []
        for _ in range(HTTP_CALLS):
            started = time.perf_counter()
            with urllib.request.urlopen(base_url + path, timeout=30) as response:
                response.read()
            durations.append((time.perf_counter() - started) * 1000)
        results[path] = {"median_ms": round(statistics.median(durations), 1), "p95_ms": round(percentile(durations, 0.95), 1)}
    return results


def time_browser(base_url: str, paths: list[str], loads: int) -> dict:
    """Chromium, a fresh profile each load: ms from navigation start until the first card is visible."""
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


# What-if: the same three reads written so SQLite can stop after one page, on a copy of the
# 10k database with one extra index. Evidence for the fix proposed in README.md, not app code.
_VISIBLE_NOT_EXISTS = (
    "(p.language = :lang OR NOT EXISTS (SELECT 1 FROM post AS o WHERE o.translation_key = p.translation_key"
    " AND o.language = :lang AND o.status = 'published' AND o.published_at <= :now))"
)
CANDIDATES = {
    "page, NOT EXISTS + index (status, published_at)":
        "SELECT p.* FROM post AS p WHERE p.status = 'published' AND p.published_at <= :now AND "
        + _VISIBLE_NOT_EXISTS + " ORDER BY p.published_at DESC, p.id DESC LIMIT 10",
    "count, NOT EXISTS (still reads every published row)":
        "SELECT count(*) FROM post AS p WHERE p.status = 'published' AND p.published_at <= :now AND " + _VISIBLE_NOT_EXISTS,
}


def time_candidates(database_path, captured_plans: list[dict]) -> dict:
    """Median ms of the app's current statements vs the candidates, on a copy with one more index."""
    import shutil
    import tempfile
    from pathlib import Path

    results = {}
    with tempfile.TemporaryDirectory(prefix="vws_bench_whatif_") as scratch:
        copy = Path(scratch) / "copy.db"
        with sqlite3.connect(database_path) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        with sqlite3.connect(copy) as connection:
            def median_ms(sql: str, params) -> float:
                durations = []
                for _ in range(15):
                    started = time.perf_counter()
                    connection.execute(sql, params).fetchall()
                    durations.append((time.perf_counter() - started) * 1000)
                return round(statistics.median(durations), 2)

            for index, plan in enumerate(captured_plans):
                results[f"current statement {index + 1}: {plan['sql'][:60]}…"] = median_ms(plan["sql"], plan["params"])
            connection.execute("CREATE INDEX ix_whatif_published ON post (status, published_at)")
            params = {"now": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"), "lang": "en"}
            for name, sql in CANDIDATES.items():
                results[name] = median_ms(sql, params)
            # The translations lookup as captured, with `+` so SQLite uses the translation_key index.
            lookup = next((plan for plan in captured_plans if "translation_key IN (" in plan["sql"]), None)
            if lookup is not None:
                steered = lookup["sql"].replace("post.status = ?", "+post.status = ?").replace("post.published_at <= ?", "+post.published_at <= ?")
                results["translations, same statement steered to the translation_key index (+status)"] = median_ms(steered, lookup["params"])
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--service-calls", type=int, default=300)
    parser.add_argument("--browser-loads", type=int, default=3)
    args = parser.parse_args()
    started = time.monotonic()
    by_size: dict[int, dict] = {}
    with running_app("content_scale") as app:
        # The bench process reads the same SQLite file through the app's own services.
        os.environ["DATABASE_URL"] = app.database_url
        sys.path.insert(0, str(app.root))
        from vws_app.services.database import open_session

        for size in SIZES:
            fill_started = time.monotonic()
            with open_session() as session:
                count = fill_to(session, size)
            print(f"{count} posts (filled in {time.monotonic() - fill_started:.1f} s)", flush=True)
            by_size[size] = {
                "posts": count,
                "service": time_service(args.service_calls),
                "http_html": time_http(app.base_url, ["/", "/posts"]),
                "browser_first_card": time_browser(app.base_url, ["/", "/posts"], args.browser_loads),
            }
            print(by_size[size], flush=True)
        plans = explain_list_query(app.database_path)
        what_if = time_candidates(app.database_path, plans)
        print(what_if, flush=True)
    small, large = (by_size[size] for size in SIZES)
    ratios = {
        "service_list_posts_mean": round(large["service"]["list_posts"]["mean_ms"] / small["service"]["list_posts"]["mean_ms"], 2),
        "service_latest_posts_mean": round(large["service"]["latest_posts"]["mean_ms"] / small["service"]["latest_posts"]["mean_ms"], 2),
        **{f"http_html_{path}_median": round(large["http_html"][path]["median_ms"] / small["http_html"][path]["median_ms"], 2)
           for path in small["http_html"]},
        **{f"browser_first_card_{path}_median": round(large["browser_first_card"][path]["median_ms"] / small["browser_first_card"][path]["median_ms"], 2)
           for path in small["browser_first_card"]},
    }
    misses = [f"{name} {ratio}× > {BUDGET_RATIO}×" for name, ratio in ratios.items() if ratio > BUDGET_RATIO]
    save_results("content_scale", {
        "sizes": {str(size): result for size, result in by_size.items()},
        "ratios_10k_over_10": ratios, "budget_ratio": BUDGET_RATIO, "budget_misses": misses,
        "explain_query_plan_10k": [{k: v for k, v in plan.items() if k != "params"} for plan in plans],
        "what_if_sqlite_ms_10k": what_if, "wall_seconds": round(time.monotonic() - started),
    })
    for plan in plans:
        print(plan["sql"][:160], "…\n   ", "\n    ".join(plan["plan"]))
    print(ratios)
    for miss in misses:
        print("BUDGET MISS", miss)


if __name__ == "__main__":
    main()
