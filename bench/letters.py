"""Open letters under load: 1,000 confirmations from 50 concurrent clients, and a letter page with 100 vs 100,000 signatures.

Against the production build (`app_server.running_app`, its own SQLite file):
1. Confirmations: 1,000 signatures are taken by the service (pending, a confirmation mail each in
   the outbox), then 50 client threads POST `/letters/confirm` with the tokens read from those
   mails (each client 20, one after another), as the mail's button does.
   Passes only with 1,000 shown rows, the kept count exactly 1,000 and the count in the page's
   HTML (several requests) saying so.
2. Page cost: the same letter with 100, then 100,000 shown signatures (bulk-inserted, counts set as
   the services keep them). Timed: what a page load reads (`LetterState`'s read and the server
   HTML's letter section, a fresh session per call as the app does) and GET of the post's HTML
   (the first after a change, then the median of 20). Budget: 100k / 100 ≤ 2×.

Run: python bench/letters.py [--clients 50 --signatures 1000 --workers 1]
"""

import argparse
import contextlib
import re
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta

from app_server import PROJECT_ROOT, percentile, running_app, save_results

sys.path.insert(0, str(PROJECT_ROOT))
SIZES = (100, 100_000)
BUDGET_RATIO = 2.0
CALLS = 200
HTTP_CALLS = 20
TOKEN = re.compile(r"/letters/confirm\?t=([\w-]+)")


def setup_letter(database_url: str, name: str) -> tuple[str, int]:
    """A published English letter and its Spanish version with sign-on open; (English slug, letter id)."""
    from sqlmodel import Session

    from vws_app.models import LetterSignOn, Post
    from vws_app.services.database import engine_for

    now = datetime.now(UTC) - timedelta(hours=1)
    with Session(engine_for(database_url)) as session:
        english = Post(
            slug=f"{name}-en",
            title="Bench letter",
            language="en",
            category="open_letter",
            status="published",
            published_at=now,
            body="Text of the letter.",
        )
        session.add(english)
        session.flush()
        session.add(
            Post(
                slug=f"{name}-es",
                title="Carta de prueba",
                language="es",
                category="open_letter",
                status="published",
                published_at=now,
                body="Texto.",
                translation_key=english.translation_key,
            )
        )
        letter = LetterSignOn(translation_key=english.translation_key, is_open=True)
        session.add(letter)
        session.commit()
        return english.slug, letter.id


def sign_many(database_url: str, slug: str, count: int) -> list[str]:
    """`count` pending signatures through the service (distinct clients); their confirmation tokens, from the outbox."""
    from sqlmodel import Session, select

    from vws_app.models import OutboxMessage
    from vws_app.services import letters
    from vws_app.services.database import engine_for
    from vws_app.services.letter_fields import SignRequest

    with Session(engine_for(database_url)) as session:
        for number in range(count):
            request = SignRequest(
                name=f"Signer {number}",
                email=f"signer{number}@example.org",
                consent=True,
                is_organisation=number % 10 == 0,
            )
            letters.sign(session, slug, request, client_address=f"10.0.{number // 250}.{number % 250}")
        bodies = session.exec(select(OutboxMessage.text_body).where(OutboxMessage.kind == letters.MAIL_KIND)).all()
    return [TOKEN.search(body).group(1) for body in bodies]


def confirm_concurrently(base_url: str, tokens: list[str], clients: int) -> dict:
    """`clients` threads POST the tokens (each its share, one after another); times and statuses."""
    shares = [tokens[index::clients] for index in range(clients)]
    times: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(share: list[str]) -> None:
        barrier.wait()
        for token in share:
            body = urllib.parse.urlencode({"t": token}).encode()
            # No Origin header: this port is not the configured SITE_URL (a browser's own-site POST passes the same check).
            request = urllib.request.Request(f"{base_url}/letters/confirm", data=body)
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    ok = response.status == 200 and "Thank you for signing" in response.read().decode()
            except OSError as error:
                ok, error_text = False, repr(error)
            else:
                error_text = "unexpected page"
            with lock:
                times.append(time.perf_counter() - started)
                if not ok:
                    failures.append(error_text)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "requests": len(times),
        "failures": len(failures),
        "first_failures": failures[:3],
        "wall_s": round(wall, 2),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(percentile(times, 0.95) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
        "per_s": round(len(times) / wall, 1),
    }


def check_counts(database_url: str, base_url: str, slug: str, letter_id: int, expected: int) -> dict:
    """Rows shown, the kept counts, and the count sentence in the server's HTML (asked several times)."""
    from sqlalchemy import func
    from sqlmodel import Session, select

    from vws_app.models import LetterSignature, LetterSignOn
    from vws_app.services.database import engine_for
    from vws_app.services.letter_counts import count_sentence

    with Session(engine_for(database_url)) as session:
        shown = session.exec(
            select(func.count()).where(LetterSignature.letter_id == letter_id, LetterSignature.status == "shown")
        ).one()
        letter = session.get(LetterSignOn, letter_id)
        kept = letter.people_count + letter.organisation_count
        sentence = count_sentence(letter.people_count, letter.organisation_count, "en")
    pages = [urllib.request.urlopen(f"{base_url}/posts/{slug}", timeout=30).read().decode() for _ in range(5)]
    in_html = all(sentence in page for page in pages)
    return {
        "shown_rows": shown,
        "kept_count": kept,
        "sentence": sentence,
        "in_every_html": in_html,
        "exact": shown == kept == expected and in_html,
    }


def fill_to(database_url: str, letter_id: int, target: int) -> None:
    """Bulk-insert shown signatures until the letter has `target`, and set its kept counts as the services would."""
    from sqlalchemy import func, insert, update
    from sqlmodel import Session, select

    from vws_app.models import LetterSignature, LetterSignOn
    from vws_app.services.database import engine_for

    now = datetime.now(UTC)
    with Session(engine_for(database_url)) as session:
        have = session.exec(
            select(func.count()).where(LetterSignature.letter_id == letter_id, LetterSignature.status == "shown")
        ).one()
        for start in range(have, target, 5_000):
            rows = [
                {
                    "letter_id": letter_id,
                    "email": f"bulk{n}@example.org",
                    "email_key": f"bulk{n}@example.org",
                    "name": f"Bulk signer {n}",
                    "affiliation": "Union local",
                    "city": "Caracas",
                    "country": "VE",
                    "is_public": n % 7 != 0,
                    "is_organisation": n % 50 == 0,
                    "language": "en",
                    "status": "shown",
                    "consent_language": "en",
                    "consent_text": "",
                    "last_request_client_hash": "",
                    "created_at": now,
                    "confirmed_at": now,
                    "shown_at": now - timedelta(seconds=n),
                }
                for n in range(start, min(start + 5_000, target))
            ]
            session.execute(insert(LetterSignature), rows)
        counts = dict(
            session.exec(
                select(LetterSignature.is_organisation, func.count())
                .where(LetterSignature.letter_id == letter_id, LetterSignature.status == "shown")
                .group_by(LetterSignature.is_organisation)
            ).all()
        )
        session.execute(
            update(LetterSignOn)
            .where(LetterSignOn.id == letter_id)
            .values(people_count=counts.get(False, 0), organisation_count=counts.get(True, 0), updated_at=now)
        )
        session.commit()


def page_costs(database_url: str, base_url: str, slug: str) -> dict:
    """Median times of what a letter page reads, service level and over HTTP."""
    import os

    os.environ["DATABASE_URL"] = database_url
    from vws_app.server.letter_pages import letter_section
    from vws_app.services.database import open_session
    from vws_app.state.letter import _read

    def timed(call, count: int) -> float:
        samples = []
        for _ in range(count):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
        return round(statistics.median(samples) * 1000, 2)

    def section() -> None:
        with open_session() as session:
            letter_section(session, slug, "en")

    def get() -> None:
        urllib.request.urlopen(f"{base_url}/posts/{slug}", timeout=30).read()

    started = time.perf_counter()
    get()
    first = round((time.perf_counter() - started) * 1000, 2)
    return {
        "live_read_ms": timed(lambda: _read(slug, 1), CALLS),
        "server_section_ms": timed(section, CALLS),
        "html_first_after_change_ms": first,
        "html_median_ms": timed(get, HTTP_CALLS),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--signatures", type=int, default=1000)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="backend workers; more than one share Redis db 7 and a throwaway PostgreSQL database",
    )
    args = parser.parse_args()
    results: dict = {"workers": args.workers, "database": "postgresql" if args.workers > 1 else "sqlite"}
    with contextlib.ExitStack() as stack:
        settings = {"LETTER_SIGN_RATE_LIMIT": "100000"}
        if args.workers > 1:  # several workers on one new SQLite file would all migrate it at once
            from content_scale import postgres_database

            from vws_app.services.database import upgrade_to_head

            url = stack.enter_context(postgres_database())
            upgrade_to_head(url)
            settings |= {
                "GRANIAN_WORKERS": str(args.workers),
                "REDIS_URL": "redis://127.0.0.1:6379/7",
                "DATABASE_URL": url,
            }
        app = stack.enter_context(running_app("letters", settings))
        run(app, settings.get("DATABASE_URL", app.database_url), args, results)
    small, large = results[f"page_{SIZES[0]}"], results[f"page_{SIZES[1]}"]
    results["ratios"] = {key: round(large[key] / small[key], 2) for key in small if small[key]}
    print("ratios 100k/100:", results["ratios"], flush=True)
    save_results(f"letters_{results['database']}_{args.workers}w", results)
    budget_met = all(
        ratio <= BUDGET_RATIO for key, ratio in results["ratios"].items() if key != "html_first_after_change_ms"
    )
    return 0 if results["counts"]["exact"] and results["confirmations"]["failures"] == 0 and budget_met else 1


def run(app, database_url: str, args, results: dict) -> None:
    """The two measurements against the running `app` whose database is `database_url`."""
    slug, letter_id = setup_letter(database_url, "bench-letter")
    tokens = sign_many(database_url, slug, args.signatures)
    print(f"{len(tokens)} pending signatures; confirming from {args.clients} clients …", flush=True)
    results["confirmations"] = confirm_concurrently(app.base_url, tokens, args.clients)
    results["counts"] = check_counts(database_url, app.base_url, slug, letter_id, args.signatures)
    print(results["confirmations"], results["counts"], flush=True)
    slug, letter_id = setup_letter(database_url, "bench-scale")
    for size in SIZES:
        fill_to(database_url, letter_id, size)
        results[f"page_{size}"] = page_costs(database_url, app.base_url, slug)
        print(size, results[f"page_{size}"], flush=True)


if __name__ == "__main__":
    sys.exit(main())
