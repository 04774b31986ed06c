"""Fixtures the service tests share."""

import pytest

from vws_app.models import Editor


@pytest.fixture
def editor(session) -> Editor:
    """An editor row to attribute writes to (services take the editor; signing in is tested elsewhere)."""
    row = Editor(email="marta@example.org", display_name="Marta", password_hash="not-a-real-hash")
    session.add(row)
    session.commit()
    return row


SHELL = '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><div id="root"></div></body></html>'


@pytest.fixture
def backend_client(app_database, tmp_path, monkeypatch):
    """The backend's own routes on the test database, with a stand-in page shell; redirects not followed."""
    from starlette.testclient import TestClient

    from vws_app.server import page_shell
    from vws_app.server.routes import backend_routes

    (tmp_path / "404.html").write_text(SHELL)
    monkeypatch.setattr(page_shell, "build_dir", lambda: tmp_path)
    return TestClient(backend_routes(), follow_redirects=False)
