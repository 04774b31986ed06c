"""Bounds what one client can make the event socket do: connections, event rate, and the log lines its junk costs.

Reflex's `EventNamespace` accepts any number of sockets and events and writes a traceback for
every event that names no handler. `LimitedEventNamespace` is that namespace with limits in
front (installed by `install_socket_limits(app)`), keyed on the client address as Reflex
computes it (honouring `REFLEX_TRUSTED_PROXY_HOPS`). Counts are per worker process.
"""

import dataclasses
import inspect
import logging
import os
from collections import Counter
from typing import Any

from reflex import constants
from reflex.app import App, EventNamespace
from reflex_base.registry import RegistrationContext
from socketio.exceptions import ConnectionRefusedError as SocketRefused  # the client gets its message

from vws_app.server.closed_tabs import ClosedTabs
from vws_app.server.rate_buckets import Buckets, OncePerWindow

logger = logging.getLogger("vws_app.socket")
REFUSED_EVENT = "refused"  # what a client over its event budget is told, once per window


def _setting(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        return default


@dataclasses.dataclass(frozen=True)
class SocketLimits:
    """Per-client limits; the defaults leave room for a household or office behind one address."""

    max_connections: int = 60  # open sockets per address at once, and the burst of new ones
    connections_per_minute: float = 120  # new sockets per address once that burst is spent
    events_per_second: float = 20  # per socket, sustained; a person typing sends a few
    event_burst: int = 100  # per socket: a page load's burst of events
    address_events_per_second: float = 200  # all sockets of one address together

    @classmethod
    def from_environment(cls) -> "SocketLimits":
        """`SOCKET_MAX_CONNECTIONS`, `SOCKET_CONNECTIONS_PER_MINUTE`, `SOCKET_EVENTS_PER_SECOND`,
        `SOCKET_EVENT_BURST`, `SOCKET_ADDRESS_EVENTS_PER_SECOND`; unset or unreadable means the default."""
        return cls(
            max_connections=int(_setting("SOCKET_MAX_CONNECTIONS", cls.max_connections)),
            connections_per_minute=_setting("SOCKET_CONNECTIONS_PER_MINUTE", cls.connections_per_minute),
            events_per_second=_setting("SOCKET_EVENTS_PER_SECOND", cls.events_per_second),
            event_burst=int(_setting("SOCKET_EVENT_BURST", cls.event_burst)),
            address_events_per_second=_setting("SOCKET_ADDRESS_EVENTS_PER_SECOND", cls.address_events_per_second),
        )


def handler_accepts(fn: Any, payload: dict) -> bool:
    """Whether `fn(state, **payload)` binds: no unknown argument, none missing."""
    try:
        inspect.signature(fn).bind(None, **payload)
    except TypeError:
        return False
    return True


def malformed_reason(data: Any, handlers: dict | None) -> str | None:
    """Why an event from a client cannot be processed (a few words), or None when it can."""
    if not isinstance(data, dict):
        return "not an object"
    name, payload, router_data = data.get("name"), data.get("payload", {}), data.get("router_data", {})
    if not isinstance(name, str) or not isinstance(payload, dict) or not isinstance(router_data, dict):
        return "malformed fields"
    if not all(isinstance(key, str) for key in payload):
        return "malformed payload"
    if handlers is None:
        return None  # no registry to check against: Reflex decides
    registered = handlers.get(name)
    if registered is None:
        return "unknown handler"
    if not handler_accepts(registered.handler.fn, payload):
        return "arguments do not fit"
    return None


def registered_handlers() -> dict | None:
    try:
        return RegistrationContext.get().event_handlers
    except LookupError:
        return None


class LimitedEventNamespace(EventNamespace):
    """Reflex's event namespace with per-client limits and quiet refusals."""

    def __init__(self, namespace: str, app: App, limits: SocketLimits) -> None:
        super().__init__(namespace, app)
        self.limits = limits
        self.client_of_sid: dict[str, str] = {}
        self.open_sockets: Counter[str] = Counter()
        self.new_connections = Buckets(capacity=limits.max_connections, per_second=limits.connections_per_minute / 60)
        self.socket_events = Buckets(capacity=limits.event_burst, per_second=limits.events_per_second)
        self.address_events = Buckets(
            capacity=limits.address_events_per_second * 5, per_second=limits.address_events_per_second
        )
        self.log_once = OncePerWindow(seconds=60)
        self.told = OncePerWindow(seconds=60)
        self.closed_tabs = ClosedTabs(app, lambda token: token in self._token_manager.token_to_sid)

    def client_address(self, sid: str, environ: dict) -> str:
        """The client address exactly as Reflex gives it to handlers (`router.session.client_ip`)."""
        return self._build_static_router_data(sid, environ)[constants.RouteVar.CLIENT_IP]

    async def on_connect(self, sid: str, environ: dict, auth: Any = None):
        client = self.client_address(sid, environ)
        if self.open_sockets[client] >= self.limits.max_connections:
            self.note(client, "connection", f"refused sockets from {client}: {self.limits.max_connections} open")
            raise SocketRefused("too many connections from your address")
        if not self.new_connections.take(client):
            self.note(client, "connection", f"refused sockets from {client}: too many new ones")
            raise SocketRefused("too many new connections from your address; try again in a minute")
        self.client_of_sid[sid] = client
        self.open_sockets[client] += 1
        try:
            await super().on_connect(sid, environ, auth)
        except BaseException:
            self.forget(sid)
            raise

    def on_disconnect(self, sid: str, reason: Any = None):
        self.forget(sid)
        client_token = self.sid_to_token.get(sid)
        cleanup = super().on_disconnect(sid)
        self.closed_tabs.closed(client_token)
        return cleanup

    def forget(self, sid: str) -> None:
        self.socket_events.forget(sid)
        client = self.client_of_sid.pop(sid, None)
        if client is not None:
            self.open_sockets[client] -= 1
            if self.open_sockets[client] <= 0:
                del self.open_sockets[client]

    async def on_event(self, sid: str, data: Any):
        client = self.client_of_sid.get(sid, sid)
        if not (self.socket_events.take(sid) and self.address_events.take(client)):
            self.note(client, "rate", f"dropped events from {client}: over its budget")
            if self.told.first(sid):
                await self.emit(REFUSED_EVENT, {"reason": "rate_limited"}, to=sid)
            return
        reason = malformed_reason(data, registered_handlers())
        if reason is not None:
            self.note(client, "malformed", f"ignored events from {client}: {reason}")
            return
        await super().on_event(sid, data)

    def note(self, client: str, kind: str, line: str) -> bool:
        """Log `line` unless this client's `kind` of trouble was logged in the last minute; True if logged."""
        if not self.log_once.first(f"{kind}|{client}"):
            return False
        logger.warning(line)
        return True


def install_socket_limits(app: App, limits: SocketLimits | None = None) -> LimitedEventNamespace:
    """Replace the app's event namespace with the limited one (same name, same app); call once, after `rx.App(...)`."""
    current = app.event_namespace
    if app.sio is None or current is None:
        raise RuntimeError("the app has no event socket to limit")
    limited = LimitedEventNamespace(current.namespace, app, limits or SocketLimits.from_environment())
    app.sio.register_namespace(limited)
    app._event_namespace = limited  # Reflex reads its namespace from here (App.event_namespace)
    return limited
