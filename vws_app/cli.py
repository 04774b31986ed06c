"""Command line for the site's operators: `python -m vws_app.cli create-editor EMAIL`."""

import argparse
import getpass
import sys

from vws_app.models import EditorRole
from vws_app.services import audit
from vws_app.services.auth import EditorExists, InvalidEditorEmail, WeakPassword, create_editor
from vws_app.services.database import open_session, upgrade_to_head


class PasswordMismatch(Exception):
    """The password and its confirmation differ."""


def read_password() -> str:
    """The new password: asked twice without echo on a terminal, else read from stdin.

    From a pipe the first line is the password; a second line, if given, must repeat it
    (so both `echo pw |` and `printf 'pw\\npw\\n' |` work in scripts).

    Raises:
        PasswordMismatch: the two entries differ.
    """
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
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the process exit status (argparse exits 2 on bad usage)."""
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
