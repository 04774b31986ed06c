"""Per-client budgets for the event socket, and which client events are junk, judged against the real app's handlers."""

import pytest

from vws_app.server.rate_buckets import Buckets, OncePerWindow
from vws_app.server.socket_limits import SocketLimits, malformed_reason


class Clock:
    """Time that moves only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def handlers() -> dict:
    from vws_app.vws_app import app

    return app._registration_context.event_handlers


def contact_handler(handlers: dict, name: str) -> str:
    return next(full for full in handlers if full.endswith("contact____contact_state." + name))


def test_a_bucket_allows_its_burst_then_its_rate():
    clock = Clock()
    buckets = Buckets(capacity=3, per_second=2, clock=clock)
    assert [buckets.take("a") for _ in range(4)] == [True, True, True, False]
    assert buckets.take("b")  # another client has its own
    clock.now += 0.5
    assert buckets.take("a") and not buckets.take("a")


def test_idle_clients_are_forgotten():
    clock = Clock()
    buckets = Buckets(capacity=2, per_second=1, clock=clock)
    for client in range(500):
        buckets.take(str(client))
    clock.now += 120
    buckets.take("late")
    assert set(buckets.levels) == {"late"}


def test_one_line_per_client_per_window():
    clock = Clock()
    once = OncePerWindow(60, clock=clock)
    assert [once.first("x") for _ in range(3)] == [True, False, False]
    assert once.first("y")
    clock.now += 61
    assert once.first("x")


def test_limits_come_from_the_environment_with_safe_defaults(monkeypatch):
    monkeypatch.setenv("SOCKET_EVENTS_PER_SECOND", "5")
    monkeypatch.setenv("SOCKET_MAX_CONNECTIONS", "nonsense")
    limits = SocketLimits.from_environment()
    assert limits.events_per_second == 5
    assert limits.max_connections == SocketLimits.max_connections


def test_real_events_pass(handlers):
    submit = contact_handler(handlers, "submit")
    assert malformed_reason({"name": submit, "payload": {"form_data": {}}, "router_data": {}}, handlers) is None
    field = contact_handler(handlers, "set_field")
    assert malformed_reason({"name": field, "payload": {"field": "name", "value": "Ana"}}, handlers) is None


@pytest.mark.parametrize(
    "data, reason",
    [
        ("a string", "not an object"),
        (["list"], "not an object"),
        ({"name": 7}, "malformed fields"),
        ({"name": "x", "payload": []}, "malformed fields"),
        ({"name": "reflex___state____state.no_such_handler", "payload": {}}, "unknown handler"),
    ],
)
def test_junk_events_are_named(handlers, data, reason):
    assert malformed_reason(data, handlers) == reason


def test_arguments_that_do_not_fit_the_handler_are_junk(handlers):
    field = contact_handler(handlers, "set_field")
    assert malformed_reason({"name": field, "payload": {"field": "name"}}, handlers) == "arguments do not fit"
    assert (
        malformed_reason({"name": field, "payload": {"field": "a", "value": "b", "x": 1}}, handlers)
        == "arguments do not fit"
    )
