"""scripts/serve.py keeps the outbox's sender running beside the site and stops it gracefully."""

import importlib.util
import os
import signal

import pytest
from sqlmodel import select

from tests.unit.smtp_server import Collector, start_server, wait_until
from vws_app.models import OutboxMessage
from vws_app.services.outbox import enqueue
from vws_app.settings import PROJECT_ROOT

CONTEXT = {
    "name": "Ana",
    "email": "ana@example.com",
    "phone": "",
    "wants_meeting": False,
    "message_language": "en",
    "message": "Hello",
    "inbox_url": "https://vws.example.org/admin/inbox",
}


def load_serve():
    spec = importlib.util.spec_from_file_location("serve_script", PROJECT_ROOT / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def statuses(session) -> set[str]:
    session.expire_all()
    return {row.status for row in session.exec(select(OutboxMessage)).all()}


@pytest.fixture
def serve():
    return load_serve()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # process handling: one engine is enough
def test_serve_starts_the_sender_restarts_it_when_it_dies_and_stops_it_gracefully(
    session, database_url, serve, monkeypatch
):
    collector = Collector()
    controller = start_server(collector)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SMTP_URL": f"smtp://127.0.0.1:{controller.port}",
        "MAIL_POLL_SECONDS": "0.1",
        "MAIL_RATE_PER_MINUTE": "0",
        "MAIL_FROM": "site@vws.example.org",
    }
    monkeypatch.setattr(serve, "MAIL_WORKER_RESTART_S", 0.0)  # restart at once in this test
    worker = restarted = None
    try:
        worker = serve.keep_mail_worker(None, env)
        assert serve.keep_mail_worker(worker, env) is worker  # running: left alone
        enqueue(
            session,
            kind="contact_notice",
            to="ed@example.org",
            language="en",
            template="contact_notice",
            context=CONTEXT,
        )
        session.commit()
        wait_until(lambda: statuses(session) == {"sent"})
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        restarted = serve.keep_mail_worker(worker, env)
        assert restarted.pid != worker.pid and restarted.poll() is None
        enqueue(
            session,
            kind="contact_notice",
            to="ed2@example.org",
            language="en",
            template="contact_notice",
            context=CONTEXT,
        )
        session.commit()
        wait_until(lambda: statuses(session) == {"sent"} and len(collector.envelopes) == 2)
        serve.stop_mail_worker(restarted, 10)
        assert restarted.returncode == 0  # SIGTERM: it finished and exited by itself
    finally:
        for process in (worker, restarted):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
        controller.stop()
    assert [envelope.rcpt_tos for envelope in collector.envelopes] == [["ed@example.org"], ["ed2@example.org"]]


def test_mail_worker_zero_leaves_sending_to_another_process(serve):
    assert serve.keep_mail_worker(None, {**os.environ, "MAIL_WORKER": "0"}) is None
    serve.stop_mail_worker(None, 1)  # nothing to stop: no error
