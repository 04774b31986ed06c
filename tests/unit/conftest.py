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
