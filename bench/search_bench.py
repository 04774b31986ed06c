"""Search latency (p50/p95) with 10,000 posts on SQLite and PostgreSQL, beside the posts list's page 1."""

# Run from the project root:  python bench/search_bench.py [--posts 10000] [--runs 30]
# Each engine gets a fresh migrated database (a temporary SQLite file; a throwaway PostgreSQL
# database on TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test), filled
# through the ORM so the search triggers run as they do for editors. Results: bench/README.md.

import argparse
import functools
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg  # noqa: E402
from sqlmodel import Session  # noqa: E402

from vws_app.models import Event, Post, PostStatus  # noqa: E402
from vws_app.services import content  # noqa: E402
from vws_app.services.database import engine_for, upgrade_to_head  # noqa: E402
from vws_app.services.search import search  # noqa: E402

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
WORDS = {
    "en": [
        "workers",
        "union",
        "strike",
        "wages",
        "solidarity",
        "democracy",
        "sanctions",
        "oil",
        "teachers",
        "nurses",
        "statement",
        "letter",
        "people",
        "struggle",
        "rights",
        "freedom",
        "regime",
        "repression",
        "election",
        "committee",
        "international",
        "movement",
    ],
    "es": [
        "trabajadores",
        "sindicato",
        "huelga",
        "salarios",
        "solidaridad",
        "democracia",
        "sanciones",
        "petróleo",
        "maestros",
        "enfermeras",
        "declaración",
        "carta",
        "pueblo",
        "lucha",
        "derechos",
        "libertad",
        "régimen",
        "represión",
        "elección",
    ],
}
# (label, query): a word in about half the posts, a rare word, an accent-folded word,
# a two-word query, a prefix, a word no post has.
QUERIES = [
    ("common word", "solidarity"),
    ("rare word", "guayana"),
    ("accent folded", "petroleo"),
    ("two words", "oil workers"),
    ("prefix", "democr"),
    ("no match", "zzyzx"),
]


def _text(generator: random.Random, language: str, words: int) -> str:
    vocabulary = WORDS[language]
    return " ".join(generator.choice(vocabulary) for _ in range(words))


def fill(session: Session, posts: int) -> None:
    """`posts` published posts (a tenth drafts), half Spanish, ~300 words each, and 200 events."""
    generator = random.Random(10_000)
    start = datetime(2015, 1, 1, tzinfo=UTC)
    for number in range(posts):
        language = "es" if number % 2 else "en"
        body = _text(generator, language, 300)
        if number % 500 == 0:
            body += " Guayana"
        session.add(
            Post(
                slug=f"post-{number}",
                language=language,
                title=_text(generator, language, 8),
                excerpt=_text(generator, language, 40),
                body=body,
                status=PostStatus.DRAFT.value if number % 10 == 9 else PostStatus.PUBLISHED.value,
                published_at=start + timedelta(hours=number * 7),
            )
        )
        if number % 1000 == 999:
            session.commit()
    for number in range(200):
        session.add(
            Event(
                title_en=_text(generator, "en", 6),
                title_es=_text(generator, "es", 6),
                description_en=_text(generator, "en", 60),
                description_es=_text(generator, "es", 60),
                starts_at=start + timedelta(days=number * 10),
            )
        )
    session.commit()


def timings(call, runs: int) -> tuple[float, float]:
    """p50 and p95 of `call` in milliseconds, after two warm-up calls."""
    call(), call()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return statistics.median(samples), cuts[18]


def measure(url: str, posts: int, runs: int) -> list[tuple[str, int, float, float]]:
    """Rows of (what, results, p50 ms, p95 ms) on the database at `url`."""
    upgrade_to_head(url)
    began = time.perf_counter()
    with Session(engine_for(url)) as session:
        fill(session, posts)
    print(f"  filled {url.split('://')[0]} in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    rows = []
    with Session(engine_for(url)) as session:
        p50, p95 = timings(lambda: content.list_posts(session, "en", page=1), runs)
        rows.append(("content.list_posts page 1", content.list_posts(session, "en").total, p50, p95))
        for label, query in QUERIES:
            p50, p95 = timings(functools.partial(search, session, query, "en"), runs)
            rows.append((f"search: {label} `{query}`", search(session, query, "en").total, p50, p95))
    engine_for(url).dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    arguments = parser.parse_args()
    results: dict[str, list] = {}
    with tempfile.TemporaryDirectory() as folder:
        results["SQLite"] = measure(f"sqlite:///{folder}/bench.db", arguments.posts, arguments.runs)
    name = f"vws_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        url = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
        results["PostgreSQL"] = measure(url, arguments.posts, arguments.runs)
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"\n{arguments.posts:,} posts (a tenth drafts, half Spanish), 200 events; {arguments.runs} runs each; "
        f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, load average after the run {load}.\n"
    )
    print("| what | results | SQLite p50 | SQLite p95 | PostgreSQL p50 | PostgreSQL p95 |")
    print("|---|---:|---:|---:|---:|---:|")
    for sqlite_row, pg_row in zip(results["SQLite"], results["PostgreSQL"], strict=True):
        total = f"{sqlite_row[1]}" if sqlite_row[1] == pg_row[1] else f"{sqlite_row[1]} / {pg_row[1]}"
        print(
            f"| {sqlite_row[0]} | {total} | {sqlite_row[2]:.1f} ms | {sqlite_row[3]:.1f} ms "
            f"| {pg_row[2]:.1f} ms | {pg_row[3]:.1f} ms |"
        )


if __name__ == "__main__":
    main()
