"""What the browser tests count as an error in the app's log, and which part of the log a test is held to."""

from pathlib import Path

import pytest

from scripts.app_log import LogWatch, allowance, error_entries

QUIET_LOG = """\
───────────────────────────── Starting Reflex App ──────────────────────────────
Info: Initializing the web directory.
[INFO] Starting granian (main PID: 4242)
[WARNING] Worker-1 took long to start
2026-11-30 05:47:53,428 WARNING vws_app.socket: refused an event from 127.0.0.1 (ERRORS in payload)
2026-11-30 05:47:53,430 INFO vws_app.startup: Seeded 12 rows
[2026-11-30 05:47:54 +0000] 127.0.0.1 - "GET /ERROR HTTP/1.1" 404 0.412
App running at: http://0.0.0.0:43599/
"""
HANDLER_TRACEBACK = """\
Traceback (most recent call last):
  File "/app/reflex/state.py", line 1800, in _process_event
    events = fn(**payload)
             ^^^^^^^^^^^^^
  File "/app/vws_app/state/contact.py", line 90, in submit
    raise ValueError("no such message")
ValueError: no such message
"""
CHAINED_TRACEBACK = """\
2026-11-30 05:48:00,001 ERROR vws_app.server.contact_post: storing a message failed
Traceback (most recent call last):
  File "/app/vws_app/services/contact.py", line 10, in store
    session.commit()
sqlite3.OperationalError: database is locked

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/app/vws_app/server/contact_post.py", line 40, in post
    store(form)
sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) database is locked
"""


def test_a_quiet_log_has_no_errors():
    assert error_entries(QUIET_LOG) == []


@pytest.mark.parametrize(
    "line",
    [
        "[ERROR] Unexpected exit from worker-1",
        "[CRITICAL] Worker crash loop detected",
        "ERROR:    Exception in ASGI application",
        "2026-11-30 05:47:53,428 ERROR vws_app.mail_sender: SMTP refused the message",
        "ERROR [alembic.runtime.migration] Can't locate revision",
    ],
)
def test_a_line_at_error_level_is_an_error_in_every_format_the_log_holds(line: str):
    assert error_entries(QUIET_LOG + line + "\n" + QUIET_LOG) == [line]


def test_a_traceback_is_one_error_from_its_first_line_to_the_exception():
    entries = error_entries(QUIET_LOG + HANDLER_TRACEBACK + QUIET_LOG)

    assert entries == [HANDLER_TRACEBACK.rstrip("\n")]


def test_a_logged_exception_and_its_chained_tracebacks_are_one_error():
    entries = error_entries(CHAINED_TRACEBACK + "[INFO] Shutting down granian\n")

    assert entries == [CHAINED_TRACEBACK.rstrip("\n")]


def test_each_reading_reports_what_the_log_gained_since_the_previous_one(tmp_path: Path):
    log_path = tmp_path / "reflex.log"
    log_path.write_text(QUIET_LOG + "[ERROR] the server did not bind\n", encoding="utf-8")
    watch = LogWatch()
    watch.watch(log_path)

    assert watch.new_errors() == [f"{log_path}:\n[ERROR] the server did not bind"]  # from its first line
    assert watch.new_errors() == []

    with log_path.open("a", encoding="utf-8") as log:
        log.write(QUIET_LOG + HANDLER_TRACEBACK)

    assert watch.new_errors() == [f"{log_path}:\n{HANDLER_TRACEBACK.rstrip()}"]


def test_a_line_still_being_written_is_read_once_it_is_complete(tmp_path: Path):
    log_path = tmp_path / "reflex.log"
    log_path.write_text("[ERR", encoding="utf-8")
    watch = LogWatch()
    watch.watch(log_path)

    assert watch.new_errors() == []

    with log_path.open("a", encoding="utf-8") as log:
        log.write("OR] Unexpected exit from worker-1\n")

    assert watch.new_errors() == [f"{log_path}:\n[ERROR] Unexpected exit from worker-1"]


def test_a_log_not_written_yet_has_no_errors(tmp_path: Path):
    watch = LogWatch()
    watch.watch(tmp_path / "server.log")

    assert watch.new_errors() == []


def test_an_allowance_lets_through_only_the_errors_it_names(tmp_path: Path):
    log_path = tmp_path / "reflex.log"
    log_path.write_text(HANDLER_TRACEBACK + "[ERROR] Unexpected exit from worker-1\n", encoding="utf-8")
    watch = LogWatch()
    watch.watch(log_path)

    assert watch.new_errors(allowance([r"Unexpected exit from worker-\d"])) == [
        f"{log_path}:\n{HANDLER_TRACEBACK.rstrip()}"
    ]

    with log_path.open("a", encoding="utf-8") as log:
        log.write(HANDLER_TRACEBACK + "[ERROR] Unexpected exit from worker-1\n")

    assert watch.new_errors(allowance([r"Unexpected exit", r"ValueError: no such message"])) == []


@pytest.mark.parametrize("pattern", ["", ".*", "(ERROR)?", r"\s*"])
def test_an_allowance_that_would_let_every_error_through_is_refused(pattern: str):
    with pytest.raises(ValueError, match="matches anything"):
        allowance([pattern])
