"""Pages kept in each worker's memory still change on every worker within a second of an editor's save."""

import http.client
import time
import uuid
from collections.abc import Iterator

import pytest
from sqlmodel import Session, select

from tests.e2e.admin_helpers import create_editor_with_cli
from tests.e2e.prod_cluster import ProdCluster, running_cluster
from vws_app.models import Editor
from vws_app.services.database import engine_for
from vws_app.services.editorial import update_site_text

pytestmark = pytest.mark.e2e

WORKERS = 2
EDITOR_EMAIL = "fast-pages@example.org"
DEADLINE_S = 1.0  # issue 20: an editor's change shows on every worker within a second
MAX_CONNECTIONS_TRIED = 60
BROWSER_HEADERS = {"Accept-Encoding": "identity", "Accept-Language": "en-US,en;q=0.9"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProdCluster]:
    with running_cluster(tmp_path_factory, "vws_fast_pages", workers=WORKERS) as started:
        create_editor_with_cli(started.database_url, EDITOR_EMAIL)
        yield started


def home_page(connection: http.client.HTTPConnection) -> str:
    """`/` over a kept-alive connection, as a browser asks for it."""
    connection.request("GET", "/", headers=BROWSER_HEADERS)
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    assert response.status == 200, body[:500]
    return body


def one_connection_per_worker(cluster: ProdCluster) -> dict[int, http.client.HTTPConnection]:
    """Kept-alive connections until every worker holds one, by worker pid (the kernel spreads new connections)."""
    found: dict[int, http.client.HTTPConnection] = {}
    for _attempt in range(MAX_CONNECTIONS_TRIED):
        connection = http.client.HTTPConnection("127.0.0.1", cluster.port, timeout=20)
        home_page(connection)
        new_owners = cluster.connection_owners() - set(found)
        if len(new_owners) == 1:
            found[new_owners.pop()] = connection
        else:
            connection.close()
        if len(found) == len(cluster.worker_pids()) == WORKERS:
            return found
    pytest.fail(f"{len(found)} of {WORKERS} workers reached in {MAX_CONNECTIONS_TRIED} connections")


def test_an_editors_change_shows_on_every_worker_within_a_second(cluster: ProdCluster):
    connections = one_connection_per_worker(cluster)
    for connection in connections.values():
        home_page(connection)  # kept in that worker's memory now, and sent from it
        home_page(connection)
    mission = f"Solidarity across every border {uuid.uuid4().hex[:8]}"
    assert all(mission not in home_page(connection) for connection in connections.values())

    with Session(engine_for(cluster.database_url)) as session:
        editor = session.exec(select(Editor).where(Editor.email == EDITOR_EMAIL)).one()
        update_site_text(session, "mission", "en", mission, editor)
    deadline = time.monotonic() + DEADLINE_S
    waiting = set(connections)
    while waiting and time.monotonic() < deadline:
        waiting = {pid for pid in waiting if mission not in home_page(connections[pid])}
    for connection in connections.values():
        connection.close()
    assert not waiting, f"workers {sorted(waiting)} still sent the old page {DEADLINE_S} s after the save"
