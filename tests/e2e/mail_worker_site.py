"""A production build beside `python -m vws_app.cli mail-worker`, both sending to a test SMTP server (mail browser tests)."""

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path

from tests.e2e.conftest import VENV_BIN, LiveApp, running_reflex
from tests.unit.smtp_server import Collector, parsed, start_server, wait_until

STOP_GRACE_S = 15


class MailSite:
    """The running app and the SMTP server its mail-worker sends to; subclasses add what their tests read."""

    def __init__(self, app: LiveApp, collector: Collector):
        self.app, self.collector = app, collector

    def message_to(self, address: str) -> EmailMessage:
        """The latest message that reached `address`, waiting for it up to a minute."""

        def arrived():
            found = [parsed(e) for e in list(self.collector.envelopes) if address in e.rcpt_tos]
            return found[-1] if found else None

        return wait_until(arrived, timeout=60)


@contextmanager
def app_with_mail_worker(build_dir: Path, settings: dict[str, str]) -> Iterator[tuple[LiveApp, Collector]]:
    """The app built in `build_dir` (`SITE_URL` its own address) and a mail-worker, both with `settings`
    and `SMTP_URL` naming the SMTP server started here; yields the app and what that server received."""
    collector = Collector()
    server = start_server(collector)
    settings = {**settings, "SMTP_URL": f"smtp://127.0.0.1:{server.port}"}
    try:
        with running_reflex(build_dir, "prod", extra_env=lambda base_url: {**settings, "SITE_URL": base_url}) as app:
            worker = subprocess.Popen(
                [str(VENV_BIN / "python"), "-m", "vws_app.cli", "mail-worker"],
                cwd=app.root,
                env={**os.environ, **settings, "SITE_URL": app.base_url, "DATABASE_URL": app.database_url},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                yield app, collector
            finally:
                worker.terminate()
                try:
                    worker.wait(timeout=STOP_GRACE_S)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
    finally:
        server.stop()
