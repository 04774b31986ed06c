"""Command line for the site's operators: `create-editor EMAIL`, `migrate`, `backup PATH`, `restore PATH`, `mail-worker`."""

import argparse
import getpass
import logging
import signal
import sys
import threading
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from vws_app.models import EditorRole
from vws_app.services import audit, backups, daily_jobs, letter_purge, mail_sender, passwords
from vws_app.services.auth import EditorExists, InvalidEditorEmail, WeakPassword, create_editor
from vws_app.services.database import open_session, upgrade_to_head
from vws_app.services.periodic_jobs import PeriodicJob
from vws_app.startup import LOG_FORMAT, prepare_database


class PasswordMismatch(Exception):
    """The password and its confirmation differ."""


def read_password() -> str:
    """The new password: asked twice without echo on a terminal, else read from stdin.

    From a pipe the first line is the password; a second line, if given, must repeat it
    (so both `echo pw |` and `printf 'pw\\npw\\n' |` work in scripts).

    Raises:
        PasswordMismatch: the two entries differ.
    """
    print(passwords.rules_text(), file=sys.stderr)  # beside the prompts, not in the output scripts read
    if sys.stdin is not None and sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        confirmation = getpass.getpass("Repeat the password: ")
    else:
        lines = sys.stdin.read().splitlines() if sys.stdin is not None else []
        password = lines[0] if lines else ""
        confirmation = lines[1] if len(lines) > 1 else password
    if password != confirmation:
        raise PasswordMismatch("the passwords do not match")
    return password


def create_editor_command(args: argparse.Namespace) -> int:
    """Create one editor on the configured database (migrated first); the exit status."""
    try:
        password = read_password()
        upgrade_to_head()
        with open_session() as session:
            editor = create_editor(session, args.email, password, role=args.role, display_name=args.name)
            summary = f"{editor.role} {editor.email} (command line)"
            audit.record(session, None, "create", "editor", editor.id, summary)
            session.commit()
            print(f"Created {editor.role} {editor.email} (id {editor.id}).")
    except (PasswordMismatch, WeakPassword, InvalidEditorEmail, EditorExists) as error:
        print(f"error: {error}; no editor was created.", file=sys.stderr)
        return 1
    return 0


def migrate_command(_args: argparse.Namespace) -> int:
    """Bring the configured database to the newest schema and add first-run content; the exit status.

    Run it once before starting several workers, so they do not all migrate a new database at once.
    """
    try:
        prepare_database()
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        print(f"error: the database could not be migrated: {error.__class__.__name__}: {reason}", file=sys.stderr)
        return 1
    print(f"{backups.describe()} is migrated and seeded.")
    return 0


def backup_command(args: argparse.Namespace) -> int:
    """Write a consistent backup of the configured database to `args.path`; the exit status."""
    try:
        written = backups.backup_database(Path(args.path))
    except backups.BackupError as error:
        print(f"error: {error}; no backup was written.", file=sys.stderr)
        return 1
    print(f"Backed up {backups.describe()} to {written} ({written.stat().st_size} bytes).")
    return 0


def confirmed(question: str) -> bool:
    """Whether the operator answers `yes` (typed in full) to `question`."""
    print(f"{question} Type 'yes' to continue: ", end="", flush=True)
    answer = sys.stdin.readline() if sys.stdin is not None else ""
    return answer.strip().lower() == "yes"


def restore_command(args: argparse.Namespace) -> int:
    """Replace the configured database's contents with the backup at `args.path`; the exit status."""
    try:
        target = backups.describe()
        if not args.yes and not confirmed(f"This replaces every row in {target} with the backup {args.path}."):
            print("Nothing was restored.", file=sys.stderr)
            return 1
        backups.restore_database(Path(args.path))
    except backups.BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Restored {target} from {args.path}.")
    return 0


def mail_worker_command(_args: argparse.Namespace) -> int:
    """Send the outbox's due mail until SIGTERM or SIGINT (README "Mail"); the exit status."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    jobs = [  # run by the sender's loop between rounds (README "Meetings", "Open letters")
        PeriodicJob(
            "meeting reminders", mail_sender.REMINDER_CHECK_SECONDS, lambda: mail_sender.queue_reminders(open_session)
        ),
        PeriodicJob("letter purge", letter_purge.PURGE_EVERY_S, lambda: letter_purge.purge_expired(open_session)),
        # Once per UTC day across every mail-worker (README "What is stored about visitors").
        PeriodicJob("retention purge", daily_jobs.CHECK_EVERY_S, lambda: daily_jobs.run_retention(open_session)),
    ]
    mail_sender.run(open_session, stop, jobs)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per operation."""
    parser = argparse.ArgumentParser(prog="python -m vws_app.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser(
        "create-editor",
        help="create an editor account; the password is asked twice, or read from stdin when piped",
    )
    create.add_argument("email", help="the editor's email, used to sign in")
    create.add_argument("--role", choices=[role.value for role in EditorRole], default=EditorRole.EDITOR.value)
    create.add_argument("--name", default="", help="the name shown in the admin")
    create.set_defaults(handler=create_editor_command)
    migrate = commands.add_parser("migrate", help="migrate the configured database to the newest schema and seed it")
    migrate.set_defaults(handler=migrate_command)
    backup = commands.add_parser("backup", help="write a consistent backup of the configured database to PATH")
    backup.add_argument("path", help="the backup file to write (SQLite file, or pg_dump custom format)")
    backup.set_defaults(handler=backup_command)
    restore = commands.add_parser("restore", help="replace the configured database's contents with the backup at PATH")
    restore.add_argument("path", help="a file written by the backup command")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(handler=restore_command)
    worker = commands.add_parser("mail-worker", help="send the outbox's due e-mail until stopped (SIGTERM)")
    worker.set_defaults(handler=mail_worker_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the process exit status (argparse exits 2 on bad usage)."""
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
