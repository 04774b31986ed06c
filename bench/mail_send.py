"""A post sent to 10,000 subscribers through a local SMTP sink: messages/s, and the public pages' p95 during the send beside without it.

One run: the production app (its own SQLite file) and `python -m vws_app.cli mail-worker` beside
it, an aiosmtpd sink on 127.0.0.1 that counts what it accepts, 10,000 confirmed subscribers (60 %
English, 40 % Spanish). First the public pages are loaded with nothing else going on (baseline).
Then the post is sent from the admin in Chromium (sign in, `/admin/mailing`, choose the post,
send, confirm: the app queues the mails on a worker thread of its own process, as in
production) while the same load runs until the sink has every message, and a probe makes one
small write every 0.2 s (how long the send keeps other writers, such as the subscribe form,
waiting). The script fails unless exactly 10,000 messages arrived and every outbox row is sent.
Run: .venv/bin/python bench/mail_send.py [--subscribers 10000] [--baseline-seconds 30] [--clients 4]
"""

import argparse
import http.client
import os
import subprocess
import sys
import threading
import time

from aiosmtpd.controller import Controller
from app_server import (
    CHROMIUM,
    PROJECT_ROOT,
    SEEDED_POST_SLUG,
    background_process,
    free_port,
    percentile,
    running_app,
    save_results,
    venv_env,
)
from playwright.sync_api import sync_playwright

PAGES = ("/", f"/posts/{SEEDED_POST_SLUG}")
SEND_TIMEOUT_S = 900
EDITOR_EMAIL, EDITOR_PASSWORD = "bench-editor@example.org", "a long bench password"


class CountingSink:
    """An SMTP server's handler that accepts every message and counts it (and its recipients)."""

    def __init__(self):
        self.count = 0
        self.recipients: set[str] = set()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.count += 1
            self.recipients.update(envelope.rcpt_tos)
        return "250 OK"


class PageLoad:
    """`clients` threads fetching the public pages in turn (keep-alive), recording each response time."""

    def __init__(self, port: int, clients: int):
        self.port, self.clients = port, clients
        self.times_ms: list[float] = []
        self.errors = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def _client(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        number = 0
        while not self._stop.is_set():
            path = PAGES[number % len(PAGES)]
            number += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            elapsed = (time.perf_counter() - started) * 1000
            with self._lock:
                if ok:
                    self.times_ms.append(elapsed)
                else:
                    self.errors += 1
        connection.close()

    def __enter__(self) -> "PageLoad":
        self._threads = [threading.Thread(target=self._client, daemon=True) for _ in range(self.clients)]
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def summary(self, seconds: float) -> dict:
        return {
            "requests": len(self.times_ms),
            "errors": self.errors,
            "requests_per_s": round(len(self.times_ms) / seconds, 1),
            "p50_ms": round(percentile(self.times_ms, 0.5), 1),
            "p95_ms": round(percentile(self.times_ms, 0.95), 1),
        }


class WriteProbe:
    """Small writes (a pending subscriber, as the public form adds) every 0.2 s: how long a writer waits meanwhile.

    On SQLite one writer at a time holds the database; this shows how long the send keeps others out.
    """

    def __init__(self, database_url: str):
        self.database_url = database_url
        self.times_ms: list[float] = []
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from sqlalchemy.exc import OperationalError

        from vws_app.models import Subscriber
        from vws_app.services.database import open_session

        number = 0
        while not self._stop.wait(0.2):
            number += 1
            started = time.perf_counter()
            try:
                with open_session(self.database_url) as session:
                    session.add(Subscriber(email=f"probe-{time.time_ns()}-{number}@example.org", status="pending"))
                    session.commit()
                self.times_ms.append((time.perf_counter() - started) * 1000)
            except OperationalError:
                self.failures += 1

    def __enter__(self) -> "WriteProbe":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def summary(self) -> dict:
        return {
            "writes": len(self.times_ms),
            "failed_locked": self.failures,
            "p95_ms": round(percentile(self.times_ms, 0.95), 1),
            "max_ms": round(max(self.times_ms, default=0), 1),
        }


def add_audience(database_url: str, subscribers: int) -> None:
    """The subscribers, in one bulk insert per 2,000."""
    from sqlalchemy import insert

    from vws_app.models import Subscriber, utc_now
    from vws_app.services.database import open_session

    now = utc_now()
    rows = [
        {
            "email": f"reader-{number}@example.org",
            "language": "en" if number % 5 < 3 else "es",
            "status": "confirmed",
            "consent_language": "en",
            "consent_text": "",
            "last_request_client_hash": "",
            "created_at": now,
            "confirmed_at": now,
        }
        for number in range(subscribers)
    ]
    with open_session(database_url) as session:
        for start in range(0, len(rows), 2000):
            session.execute(insert(Subscriber), rows[start : start + 2000])
        session.commit()


def create_editor(database_url: str) -> None:
    """An admin made with the real CLI, as an operator would."""
    subprocess.run(
        [sys.executable, "-m", "vws_app.cli", "create-editor", EDITOR_EMAIL, "--role", "admin"],
        input=f"{EDITOR_PASSWORD}\n{EDITOR_PASSWORD}\n",
        text=True,
        capture_output=True,
        check=True,
        cwd=PROJECT_ROOT,
        env=venv_env({"DATABASE_URL": database_url}),
        timeout=120,
    )


class AdminTab:
    """Chromium signed in to the admin, on the send page with the seeded post chosen."""

    def __init__(self, base_url: str):
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        self.page = self._browser.new_page(base_url=base_url)
        self.page.set_default_timeout(60_000)

    def open_send_page(self, post_id: int) -> None:
        page = self.page
        page.goto("/admin")
        page.wait_for_function("() => document.cookie.includes('vws_lang=')")  # live: the form posts to the server
        page.locator("#admin-email").fill(EDITOR_EMAIL)
        page.locator("#admin-password").fill(EDITOR_PASSWORD)
        page.locator("#admin-sign-in").click()
        page.locator("#admin-sign-out").wait_for()
        page.get_by_role("navigation", name="Editors' admin").get_by_role("link", name="Send to subscribers").click()
        page.locator(f"#mailing-post option[value='{post_id}']").wait_for(state="attached")
        page.locator("#mailing-post").select_option(str(post_id))
        page.locator(".mailing-preview").nth(1).wait_for()

    def send(self) -> tuple[int, float]:
        """Press send and confirm; (rows queued, seconds until the page says so)."""
        started = time.perf_counter()
        self.page.locator("#mailing-send").click()
        self.page.locator("#mailing-send-confirm").click()
        message = self.page.locator("#mailing-message", has_text="e-mails are queued")
        message.wait_for(timeout=SEND_TIMEOUT_S * 1000)
        return int(message.inner_text().split()[0].replace(",", "")), time.perf_counter() - started

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()


def seeded_post_id(database_url: str) -> int:
    from sqlmodel import select

    from vws_app.models import Post
    from vws_app.services.database import open_session

    with open_session(database_url) as session:
        return session.exec(select(Post.id).where(Post.slug == SEEDED_POST_SLUG)).one()


def unsent_rows(database_url: str) -> int:
    from sqlmodel import func, select

    from vws_app.models import OutboxMessage
    from vws_app.services.database import open_session

    with open_session(database_url) as session:
        return session.exec(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent")).one()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--baseline-seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    sys.path.insert(0, str(PROJECT_ROOT))  # vws_app, for the services

    sink = CountingSink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    mail_env = {
        "SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
        "MAIL_RATE_PER_MINUTE": "0",
        "MAIL_POLL_SECONDS": "0.5",
        "MAIL_FROM": "statements@vws.example.org",
    }
    try:
        with running_app("mail_send", extra_env=mail_env) as app:
            add_audience(app.database_url, args.subscribers)
            create_editor(app.database_url)
            admin = AdminTab(app.base_url)
            admin.open_send_page(seeded_post_id(app.database_url))
            worker_env = venv_env({"DATABASE_URL": app.database_url, **mail_env})
            with background_process(
                [sys.executable, "-m", "vws_app.cli", "mail-worker"],
                cwd=PROJECT_ROOT,
                log_path=app.root / "mail-worker.log",
                env=worker_env,
            ):
                load_before = os.getloadavg()
                print(f"[mail_send] baseline: public pages for {args.baseline_seconds:.0f} s …", flush=True)
                with PageLoad(app.port, args.clients) as baseline:
                    time.sleep(args.baseline_seconds)
                baseline_result = baseline.summary(args.baseline_seconds)

                print(f"[mail_send] sending to {args.subscribers} subscribers under the same load …", flush=True)
                with PageLoad(app.port, args.clients) as during, WriteProbe(app.database_url) as writes:
                    started = time.perf_counter()
                    queued, enqueue_seconds = admin.send()
                    writes_while_enqueueing = writes.summary()
                    deadline = started + SEND_TIMEOUT_S
                    while sink.count < queued and time.perf_counter() < deadline:
                        time.sleep(0.2)
                    send_seconds = time.perf_counter() - started
                load_after = os.getloadavg()
                during_result = during.summary(send_seconds)
                writes_result = writes.summary()
                while unsent_rows(app.database_url) and time.perf_counter() < deadline:
                    time.sleep(0.2)  # the last rows are marked sent just after the sink has them
                left = unsent_rows(app.database_url)
            admin.close()
    finally:
        smtp.stop()

    if queued != args.subscribers or sink.count != args.subscribers or len(sink.recipients) != args.subscribers or left:
        raise SystemExit(
            f"expected {args.subscribers} messages: queued {queued}, received {sink.count} "
            f"({len(sink.recipients)} recipients), {left} rows not sent"
        )
    results = {
        "subscribers": args.subscribers,
        "enqueue_seconds": round(enqueue_seconds, 2),
        "send_seconds": round(send_seconds, 1),
        "messages_per_s": round(sink.count / send_seconds, 1),
        "other_writes_while_enqueueing": writes_while_enqueueing,
        "other_writes_during_whole_send": writes_result,
        "pages_without_send": baseline_result,
        "pages_during_send": during_result,
        "p95_ratio_during_over_without": round(during_result["p95_ms"] / max(baseline_result["p95_ms"], 0.01), 2),
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in load_after],
    }
    print(results, flush=True)
    save_results("mail_send", results)


if __name__ == "__main__":
    main()
