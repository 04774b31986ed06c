"""The operators' command line: creating editors from a terminal or a script."""

import io
import os
import subprocess
import sys

import pytest
from argon2 import PasswordHasher
from sqlmodel import Session, select

from vws_app import cli
from vws_app.models import Editor
from vws_app.services import audit, auth
from vws_app.services.database import engine_for
from vws_app.settings import PROJECT_ROOT

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Real argon2 with cheap parameters: these tests check behaviour, not hashing cost."""
    monkeypatch.setattr(auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


class FakeTerminal(io.StringIO):
    """Stdin that says it is a terminal, so the CLI asks with getpass."""

    def isatty(self) -> bool:
        return True


def editors_in(url: str) -> list[Editor]:
    with Session(engine_for(url)) as session:
        return list(session.exec(select(Editor)).all())


def run_main(monkeypatch, stdin_text: str, *argv: str) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin_text))
    return cli.main(["create-editor", *argv])


def test_create_editor_reads_the_password_from_piped_stdin(app_database, monkeypatch, capsys):
    status = run_main(monkeypatch, f"{PASSWORD}\n", " Ana@Example.org", "--role", "admin", "--name", "Ana")
    assert status == 0
    assert "Created admin ana@example.org" in capsys.readouterr().out
    [editor] = editors_in(app_database)
    assert (editor.email, editor.role, editor.display_name) == ("ana@example.org", "admin", "Ana")
    assert auth.verify_password(editor.password_hash, PASSWORD)
    with Session(engine_for(app_database)) as session:
        [entry] = audit.recent_entries(session)
    assert (entry.action, entry.entity, entry.entity_id) == ("create", "editor", editor.id)


def test_create_editor_asks_twice_on_a_terminal(app_database, monkeypatch, capsys):
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr(sys, "stdin", FakeTerminal())
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(answers))
    assert cli.main(["create-editor", "ana@example.org"]) == 0
    assert [editor.role for editor in editors_in(app_database)] == ["editor"]


def test_mismatched_passwords_create_nothing(app_database, monkeypatch, capsys):
    assert run_main(monkeypatch, f"{PASSWORD}\n{PASSWORD}!\n", "ana@example.org") == 1
    assert "do not match" in capsys.readouterr().err
    assert editors_in(app_database) == []


def test_weak_password_creates_nothing(app_database, monkeypatch, capsys):
    assert run_main(monkeypatch, "short\n", "ana@example.org") == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert editors_in(app_database) == []


def test_duplicate_email_is_refused(app_database, monkeypatch, capsys):
    assert run_main(monkeypatch, f"{PASSWORD}\n", "ana@example.org") == 0
    assert run_main(monkeypatch, f"{PASSWORD}\n", "ANA@example.org", "--role", "admin") == 1
    assert "already exists" in capsys.readouterr().err
    assert [editor.role for editor in editors_in(app_database)] == ["editor"]


def test_unknown_role_is_a_usage_error(app_database, monkeypatch, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_main(monkeypatch, f"{PASSWORD}\n", "ana@example.org", "--role", "owner")
    assert exit_info.value.code == 2


def run_module(url: str, stdin_text: str, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vws_app.cli", "create-editor", *argv],
        input=stdin_text,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": url},
        timeout=120,
        check=False,
    )


def test_module_creates_an_editor_with_piped_password(app_database):
    result = run_module(app_database, f"{PASSWORD}\n{PASSWORD}\n", "luis@example.org", "--name", "Luis")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("Created editor luis@example.org")
    assert [editor.email for editor in editors_in(app_database)] == ["luis@example.org"]


def test_module_migrates_a_fresh_database_first(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh' / 'vws.db'}"
    result = run_module(url, f"{PASSWORD}\n", "luis@example.org", "--role", "admin")
    assert result.returncode == 0, result.stderr
    assert [editor.role for editor in editors_in(url)] == ["admin"]
    engine_for(url).dispose()


def test_module_rejects_a_weak_password_with_non_zero_status(app_database):
    result = run_module(app_database, "short\n", "luis@example.org")
    assert result.returncode == 1
    assert "at least 12 characters" in result.stderr


def test_create_editor_states_the_password_rules_before_asking(app_database, monkeypatch, capsys):
    """On a terminal, the rules are on screen (stderr, with the prompts) before the first password prompt."""
    seen_before_prompt: list[str] = []

    def prompt(text: str = "") -> str:
        seen_before_prompt.append(capsys.readouterr().err)
        return PASSWORD

    monkeypatch.setattr(sys, "stdin", FakeTerminal())
    monkeypatch.setattr(cli.getpass, "getpass", prompt)
    assert cli.main(["create-editor", "ana@example.org"]) == 0
    rules = seen_before_prompt[0]
    assert "Password rules: at least 12 characters" in rules
    assert "most common passwords" in rules and "e-mail address" in rules
