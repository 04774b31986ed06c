"""Every admin event refuses a client without a valid session: no data changed, none shown.

Any client can send any event over Reflex's websocket, so each handler of every admin
state is driven here through Reflex's own event processing (`process_event`, chained
events followed), with no session cookie, a made-up and an expired one on the tab's socket,
in a fresh tab and in a "stale" tab that a valid session had filled before it lapsed, and in
a tab whose token is replayed by a socket without its (still valid) cookie. The same call
with a valid session must have an effect, so a pass proves the check, not a broken
handler. Handlers are discovered, so one added later is covered without editing this file.
"""

import asyncio
import concurrent.futures
import contextvars
import importlib
import inspect
import io
import pkgutil
import secrets
import typing
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import reflex as rx
from argon2 import PasswordHasher
from reflex.istate.manager.memory import StateManagerMemory
from reflex.state import State
from reflex_base.event.context import EventContext
from reflex_base.event.processor.base_state_processor import process_event
from sqlmodel import select

import vws_app.state
from vws_app.models import (
    AccountPolicy,
    AllyLink,
    AuditEntry,
    ContactMessage,
    ContactNote,
    Editor,
    EditorSession,
    EditorTotp,
    Event,
    LetterSignature,
    LetterSignOn,
    MediaImage,
    OutboxMessage,
    Post,
    PostMailing,
    PostRevision,
    PrivacyText,
    RecoveryCode,
    Redirect,
    RetentionSetting,
    Rsvp,
    SiteText,
    SiteTextRevision,
    Subscriber,
    as_utc,
    utc_now,
)
from vws_app.server.admin_auth import SESSION_COOKIE, digest_cookie_header
from vws_app.services import auth, two_factor
from vws_app.services.database import open_session
from vws_app.services.seeding import seed_database
from vws_app.state.admin_session import AdminState, TabHandoverGuard

PASSWORD = "correct horse battery"
ADMIN_EMAIL = "admin@example.org"
EDITOR_EMAIL = "editor@example.org"
LISTED_EDITOR_EMAIL = "canary-editor@example.org"  # never signs in: only an admin list may show it
CANARY = "canary"  # in every admin-only row seeded here: finding it in a refused tab is a leak
CLIENT_TOKEN = "attacker-tab"
CONTENT_TABLES = (
    Post,
    Event,
    AllyLink,
    SiteText,
    ContactMessage,
    ContactNote,
    AuditEntry,
    Editor,
    EditorTotp,
    RecoveryCode,
    AccountPolicy,
    PrivacyText,
    RetentionSetting,
)
MAILING_TABLES = (Subscriber, PostMailing, OutboxMessage)  # a refused send or removal changes none of them
LETTER_TABLES = (LetterSignOn, LetterSignature)  # nor does a refused sign-on change or moderation
MEETING_TABLES = (Rsvp,)  # a refused RSVP change changes no RSVP
HISTORY_TABLES = (PostRevision, SiteTextRevision, Redirect)  # nor does a refused restore, redirect or import
MEDIA_TABLES = (MediaImage,)  # nor does a refused upload, description or deletion of a photo
TOKEN_KINDS = ("empty", "made_up", "expired")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# Deliberately callable without a session: signing in, the page-load check, and handlers
# that only keep what the editor types (any data they need goes through a checked handler).
PUBLIC_HANDLERS = {
    ("AdminState", "check_session"),
    ("AdminPostsState", "set_form_field"),
    ("AdminPostsState", "set_filter"),
    ("AdminEventsState", "set_form_field"),
    ("AdminAlliesState", "set_form_field"),
    ("AdminEditorsState", "set_form_field"),
    ("AdminAccountState", "set_form_field"),
    ("AdminTextsState", "set_text"),
    ("AdminPrivacyState", "set_text"),
    ("AdminPrivacyState", "keep_period"),
    ("AdminInboxState", "filter_by"),
    ("AdminInboxState", "set_filter"),
    ("AdminInboxState", "go_to_page"),
    ("AdminInboxState", "keep_note_draft"),
}
REFLEX_BUILTINS = {"setvar"}  # on every state; covered by its own test below
HELPER_NAMES = {"current_editor", "clear_admin_data"}  # must stay _underscored: not events
LOADER_PREFIXES = ("load", "open", "edit", "show")  # what a page runs to fill a tab
ENTITY_BY_PREFIX = {
    "assignee": Editor,
    "session": EditorSession,
    "post": Post,
    "message": ContactMessage,
    "event": Event,
    "ally": AllyLink,
    "entry": AuditEntry,
    "subscriber": Subscriber,
    "outbox": OutboxMessage,
    "signature": LetterSignature,
    "rsvp": Rsvp,
    "redirect": Redirect,
    "image": MediaImage,
}
ENTITY_BY_STATE = {
    "posts": Post,
    "inbox": ContactMessage,
    "events": Event,
    "allies": AllyLink,
    "audit": AuditEntry,
    "subscribers": Subscriber,
    "media": MediaImage,
}
STATUS_BY_ENTITY = {Post: "published", ContactMessage: "handled"}  # the canaries start draft / new
PAYLOAD_HINTS = {  # values a generic payload cannot guess, by parameter name
    "note_form": {"note": "A note from the access test"},
    "action": "approve",
    "slot": "mission_en",
    "text_slot": "short_en",
    "direction": 1,
    "field": "language",
    "value": "es",
    "name": "status",
    "role": "admin",
    "person_form": {"email": "Canary-Sender@example.org"},  # find a person: the canary message's sender
}


def _admin_state_classes() -> list[type[AdminState]]:
    """AdminState and every subclass of it, once each vws_app.state.admin_* module is imported.

    Not filtered by module: any state that extends AdminState is reachable over the websocket.
    """
    for module in pkgutil.iter_modules(vws_app.state.__path__):
        if module.name.startswith("admin_"):
            importlib.import_module(f"vws_app.state.{module.name}")
    found, pending = [AdminState], [AdminState]
    while pending:
        for sub in pending.pop().__subclasses__():
            if sub not in found:
                found.append(sub)
                pending.append(sub)
    return found


ADMIN_STATES = _admin_state_classes()
STATE_BY_NAME = {cls.__name__: cls for cls in ADMIN_STATES}
ALL_HANDLERS = [(cls.__name__, name) for cls in ADMIN_STATES for name in cls.event_handlers]
CHECKED_HANDLERS = [ref for ref in ALL_HANDLERS if ref not in PUBLIC_HANDLERS and ref[1] not in REFLEX_BUILTINS]


@dataclass
class World:
    """The seeded test database: one canary row per admin-only table, ids by model."""

    ids: dict[type, int]
    upload_dir: Path
    router_data: dict = field(default_factory=dict)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """Real argon2 with cheap parameters: these tests check access, not hashing cost."""
    monkeypatch.setattr(auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def world(app_database, session, tmp_path, monkeypatch) -> World:
    """Seed content, an admin and an editor, and a canary row in every admin-only table."""
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "uploads"))
    seed_database(session)
    auth.create_editor(session, ADMIN_EMAIL, PASSWORD, role="admin")
    auth.create_editor(session, EDITOR_EMAIL, PASSWORD, role="editor")
    auth.create_editor(session, LISTED_EDITOR_EMAIL, PASSWORD, role="editor")
    for text in session.exec(select(SiteText)).all():
        text.body += f" {CANARY} text"
        session.add(text)
    starts = utc_now() + timedelta(days=7)
    rows = [
        Post(slug="canary-draft", title=f"{CANARY} draft post", language="en", status="draft", body=CANARY),
        Event(title_en=f"{CANARY} event", starts_at=starts, timezone="America/New_York"),
        AllyLink(name=f"{CANARY} ally", url="https://canary.example.org", position=0),
        ContactMessage(
            name="Ana", email="canary-sender@example.org", message=f"{CANARY} message", submission_key=uuid.uuid4().hex
        ),
        AuditEntry(editor_email=ADMIN_EMAIL, action="update", entity="post", summary=f"{CANARY} audit"),
        PrivacyText(kind="short", language="en", version=1, body=f"{CANARY} privacy notice"),
        Subscriber(email=f"{CANARY}-subscriber@example.org", language="es", status="confirmed", confirmed_at=utc_now()),
        OutboxMessage(
            kind="contact_notice",
            recipient=f"{CANARY}-recipient@example.org",
            subject="s",
            text_body="t",
            html_body="h",
            message_id=f"<{uuid.uuid4().hex}@example.org>",
            status="failed",
            attempts=8,
            last_error="550 no such user",
        ),
    ]
    session.add_all([*rows, AllyLink(name="Second ally", url="https://second.example.org", position=1)])
    session.commit()
    admin = session.exec(select(Editor).where(Editor.email == ADMIN_EMAIL)).one()
    other_session = EditorSession(
        token_hash=secrets.token_hex(32),
        editor_id=admin.id,
        user_agent=f"{CANARY} browser",
        expires_at=utc_now() + timedelta(hours=1),
    )
    rows.append(other_session)  # the admin's session in another browser: "Your sessions" may end it
    session.add(other_session)
    session.commit()
    ids = {type(row): row.id for row in rows}
    canary_post = rows[0]
    letter = LetterSignOn(translation_key=canary_post.translation_key, is_open=True, moderated=True)
    session.add(letter)
    session.commit()
    note = ContactNote(message_id=ids[ContactMessage], author_email=EDITOR_EMAIL, body=f"{CANARY} note")
    session.add(note)
    session.commit()
    listed = session.exec(select(Editor).where(Editor.email == LISTED_EDITOR_EMAIL)).one()
    ids.update({ContactNote: note.id, Editor: listed.id})
    signature = LetterSignature(
        letter_id=letter.id,
        email=f"{CANARY}-signer@example.org",
        email_key=f"{CANARY}-signer@example.org",
        name=f"{CANARY} signer",
        status="awaiting",
    )
    session.add(signature)
    session.commit()
    ids[LetterSignature] = signature.id
    session.add(PostMailing(translation_key=rows[0].translation_key, post_id=ids[Post]))  # the canary post, sent
    canary_rsvp = Rsvp(event_id=ids[Event], name=f"{CANARY} reader", email=f"{CANARY}-rsvp@example.org", note=CANARY)
    session.add(canary_rsvp)
    session.commit()
    ids[Rsvp] = canary_rsvp.id
    canary_redirect = Redirect(old_path=f"/{CANARY}-old-address", target_path=f"/{CANARY}-new-address")
    session.add(canary_redirect)
    session.commit()
    ids[Redirect] = canary_redirect.id
    canary_photo = MediaImage(
        file_stem=f"{CANARY}{uuid.uuid4().hex[:20]}",
        width=960,
        height=640,
        alt_en=f"{CANARY} photo",
        alt_es=f"{CANARY} foto",
    )  # a row only: no files needed
    session.add(canary_photo)
    session.commit()
    ids[MediaImage] = canary_photo.id
    router_data = {
        "pathname": "/admin/posts/edit",
        "asPath": f"/admin/posts/edit?id={ids[Post]}",
        "query": {"id": str(ids[Post])},
        "token": CLIENT_TOKEN,
        "sid": "sid",
        "ip": "203.0.113.9",
        "headers": {"origin": "http://localhost:3000"},
    }
    return World(ids=ids, upload_dir=tmp_path / "uploads", router_data=router_data)


# ---- driving a tab's state tree through Reflex's event processing ----


@dataclass
class Outcome:
    """What one client event (and the events it chained) sent back, or raised."""

    frontend: list = field(default_factory=list)
    deltas: list = field(default_factory=list)
    error: BaseException | None = None


def new_tab(world: World, token: str = "") -> State:
    """A fresh state tree for one browser tab on an admin page, its socket opened with session cookie `token`."""
    root = State(_reflex_internal_init=True)
    root.router_data = root._update_router_vars(world.router_data, {})
    use_cookie(root, token)
    return root


def use_cookie(root: State, token: str, raw_value: str | None = None) -> None:
    """From now on the tab's events come over a socket whose handshake carried session cookie `token`
    (none when empty), as the server's cookie middleware hands it to Reflex; `raw_value` sends
    that exact cookie value instead."""
    value = raw_value if raw_value is not None else token
    cookie = digest_cookie_header(f"lang=en; {SESSION_COOKIE}={value}" if value else "lang=en")
    headers = {**root.router_data.get("headers", {}), "cookie": cookie}
    root.router_data = root._update_router_vars({**root.router_data, "headers": headers}, root.router_data)


def substate(root: State, cls: type) -> Any:
    return root.get_substate(cls.get_full_name().split("."))


def send(root: State, cls: type, name: str, payload: dict) -> Outcome:
    """Process `cls.name(**payload)` as the event processor does, then every event it chains."""
    # On a thread of its own: when browser tests run in the same process, Playwright's sync
    # API keeps an event loop running on this thread, and asyncio.run refuses to nest.
    # The context goes along, as Reflex keeps what it needs in context variables.
    context = contextvars.copy_context()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as runner:
        return runner.submit(context.run, asyncio.run, _send(root, cls, name, payload)).result()


async def _send(root: State, cls: type, name: str, payload: dict) -> Outcome:
    outcome, chained, manager = Outcome(), [], StateManagerMemory()

    async def enqueue(_token, *events):
        chained.extend(events)

    async def emit_event(_token, *events):
        outcome.frontend.extend(events)

    async def emit_delta(_token, delta):
        outcome.deltas.append(delta)

    context = EventContext(
        token=CLIENT_TOKEN,
        state_manager=manager,
        enqueue_impl=enqueue,
        emit_delta_impl=emit_delta,
        emit_event_impl=emit_event,
        router_data=root.router_data,
    )
    queue = deque([(cls, name, payload)])
    with context:
        while queue and outcome.error is None:
            target_cls, handler_name, args = queue.popleft()
            try:
                await process_event(
                    handler=target_cls.event_handlers[handler_name],
                    payload=args,
                    state=substate(root, target_cls),
                    root_state=root,
                )
            except Exception as error:  # noqa: BLE001 - a crash is an outcome to judge, like any other
                outcome.error = error
            for event in chained:
                path, _, chained_name = event.name.rpartition(".")
                queue.append((type(root.get_substate(path.split("."))), chained_name, dict(event.payload)))
            chained.clear()
    await manager.close()
    return outcome


def payload_for(world: World, cls: type, name: str) -> dict:
    """Arguments a client could send that would act on a canary row if nothing checked."""
    fn = cls.event_handlers[name].fn
    hints = typing.get_type_hints(fn)
    payload = {}
    for parameter in list(inspect.signature(fn).parameters.values())[1:]:
        if parameter.default is inspect.Parameter.empty:
            payload[parameter.name] = _value_for(world, cls, parameter.name, hints.get(parameter.name))
    return payload


def _entity_for(cls: type, parameter: str) -> type:
    """The table a parameter points into: by its name ("ally_id"), else by its state's name."""
    for prefix, model in ENTITY_BY_PREFIX.items():
        if parameter.startswith(prefix):
            return model
    return next((model for word, model in ENTITY_BY_STATE.items() if word in cls.__name__.lower()), Post)


def _value_for(world: World, cls: type, parameter: str, hint: Any) -> Any:
    if typing.get_origin(hint) is list and typing.get_args(hint)[0] is rx.UploadFile:
        return [rx.UploadFile(file=io.BytesIO(PNG), path=Path("photo.png"), size=len(PNG))]
    entity = _entity_for(cls, parameter)
    if parameter.endswith("_id"):
        return world.ids[entity] if hint is int else str(world.ids[entity])
    if parameter == "status":
        return STATUS_BY_ENTITY.get(entity, "published")
    if parameter in PAYLOAD_HINTS:
        return PAYLOAD_HINTS[parameter]
    return {int: 1, bool: True, dict: {}}.get(hint, "x")


# ---- what can be observed: the database, the tab's admin data, files and sent events ----


def table_snapshot(
    tables=CONTENT_TABLES + MAILING_TABLES + LETTER_TABLES + MEETING_TABLES + HISTORY_TABLES + MEDIA_TABLES,
) -> dict[str, list[dict]]:
    """Every row of `tables`, ordered by id, times in UTC."""
    with open_session() as session:
        return {
            model.__tablename__: [
                _plain(row.model_dump())
                for row in session.exec(select(model).order_by(*model.__table__.primary_key.columns))
            ]
            for model in tables
        }


def _plain(value: Any) -> Any:
    """A comparable copy (Reflex wraps state lists and dicts in proxies; SQLite drops time zones)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    return as_utc(value).isoformat() if hasattr(value, "tzinfo") and hasattr(value, "hour") else value


def admin_view(root: State) -> dict[str, Any]:
    """Every var of every admin state in this tab, backend-only and computed ones included."""
    view = {}
    for cls in ADMIN_STATES:
        state = substate(root, cls)
        own = [name for name, var in cls.get_fields().items() if getattr(var, "_owner", cls) is cls]
        for name in [*own, *cls.computed_vars]:
            view[f"{cls.__name__}.{name}"] = _plain(getattr(state, name))
    return view


def session_count() -> int:
    with open_session() as session:
        return len(session.exec(select(EditorSession.id)).all())


def observe(world: World, root: State) -> dict[str, Any]:
    return {
        "tables": table_snapshot(),
        "view": admin_view(root),
        "sessions": session_count(),
        "uploads": sorted(path.name for path in world.upload_dir.glob("*")),
    }


def leaks(root: State, outcome: Outcome) -> list[str]:
    """Where admin-only data appears: the tab's vars, or the deltas and events sent to the client."""
    places = {
        **admin_view(root),
        "sent deltas": outcome.deltas,
        "sent events": [(event.name, event.payload) for event in outcome.frontend],
    }
    return [place for place, data in places.items() if CANARY in repr(data).lower()]


def token_of(kind: str, email: str = ADMIN_EMAIL) -> str:
    """A session token: valid, or one of the kinds a refused client may hold."""
    if kind == "empty":
        return ""
    if kind == "made_up":
        return secrets.token_urlsafe(32)
    now = utc_now() - timedelta(hours=13) if kind == "expired" else None
    with open_session() as session:
        return auth.sign_in(session, email, PASSWORD, "test-client", now=now)


def prime(world: World, root: State, cls: type) -> None:
    """Fill the tab as an editor's visit would: run the state's page loaders with a valid session."""
    use_cookie(root, token_of("valid"))
    for name in cls.event_handlers:
        if name.startswith(LOADER_PREFIXES) and (cls.__name__, name) not in PUBLIC_HANDLERS:
            assert send(root, cls, name, payload_for(world, cls, name)).error is None, name


def _changed_beyond_clearing(before: dict, after: dict, default: dict) -> list[str]:
    """Vars that are neither as they were nor back at their defaults."""
    return [key for key, value in after.items() if value != before[key] and value != default[key]]


def _state_and_name(ref: tuple[str, str]) -> tuple[type, str]:
    return STATE_BY_NAME[ref[0]], ref[1]


# ---- the tests ----


def test_every_admin_state_is_discovered_and_only_the_listed_handlers_are_public():
    assert {"AdminState", "AdminPostsState", "AdminInboxState"} <= STATE_BY_NAME.keys()
    excluded = {ref for ref in ALL_HANDLERS if ref in PUBLIC_HANDLERS}
    assert excluded == PUBLIC_HANDLERS, "a public handler was renamed or removed: update PUBLIC_HANDLERS"
    assert all("setvar" in cls.event_handlers for cls in ADMIN_STATES)
    assert {name for _cls, name in CHECKED_HANDLERS} >= {"delete_post", "load_list", "set_status", "load"}


@pytest.mark.parametrize("ref", CHECKED_HANDLERS, ids=".".join)
def test_admin_handler_refuses_a_client_without_a_valid_session(world, ref):
    """No session, a made-up one or an expired one: nothing in the database changes, no file is
    written, nothing but a redirect is sent, and the tab holds no admin data afterwards, even
    a stale tab filled while a session was valid; with a valid session the same call acts.

    Regression: while the check was the public method `current_editor`, Reflex made it an
    event handler, and an inherited handler runs bound to the state that defines it, so the
    check ran on AdminState and a refused call left its substate's rows and forms in the tab.
    """
    cls, name = _state_and_name(ref)
    default = admin_view(new_tab(world))
    for kind in TOKEN_KINDS:
        for stale in (False, True):
            root = new_tab(world)
            if stale:
                prime(world, root, cls)
                assert cls is AdminState or leaks(root, Outcome()), f"priming {cls.__name__} showed nothing"
            use_cookie(root, token_of(kind))
            before = observe(world, root)
            outcome = send(root, cls, name, payload_for(world, cls, name))
            after = observe(world, root)
            where = f"{'stale' if stale else 'fresh'} tab, {kind} token"
            assert after["tables"] == before["tables"], f"{where}: the database changed"
            assert after["sessions"] <= before["sessions"], f"{where}: a session was opened"
            assert after["uploads"] == before["uploads"], f"{where}: a file was stored"
            leaked = leaks(root, outcome)
            assert not leaked, f"{where}: the tab holds admin data in {leaked}"
            assert not _changed_beyond_clearing(before["view"], after["view"], default), where
            assert {event.name for event in outcome.frontend} <= {"_redirect"}, where
            assert outcome.error is None, f"{where}: {outcome.error!r}"
    assert _acts_with_a_valid_session(world, cls, name), (
        f"{cls.__name__}.{name} did nothing even with a valid session, so its refusal proves "
        "nothing: add a value to PAYLOAD_HINTS that makes it act"
    )


def _acts_with_a_valid_session(world: World, cls: type, name: str) -> bool:
    """Whether the call of the refusal test, made with a valid session, has any visible effect."""
    for stale in (True, False):  # a filled form saves; an empty list loads
        root = new_tab(world, token_of("valid"))
        if stale:
            prime(world, root, cls)
        before = observe(world, root)
        outcome = send(root, cls, name, payload_for(world, cls, name))
        after = observe(world, root)
        assert outcome.error is None, f"{cls.__name__}.{name} raised with a valid session: {outcome.error!r}"
        data_changed = [
            key
            for key in after["view"]
            if not key.startswith("AdminState.") and after["view"][key] != before["view"][key]
        ]
        if outcome.frontend or data_changed or {**after, "view": None} != {**before, "view": None}:
            return True
    return False


@pytest.mark.parametrize("ref", sorted(PUBLIC_HANDLERS), ids=".".join)
def test_public_admin_handler_changes_no_content_and_shows_no_admin_data(world, ref):
    """Typing into a form, signing in with a wrong password or checking the session is open to
    anyone, but whatever it chains to is checked: nothing changes and nothing is shown."""
    cls, name = _state_and_name(ref)
    for kind in TOKEN_KINDS:
        root = new_tab(world, token_of(kind))
        before = table_snapshot()
        outcome = send(root, cls, name, payload_for(world, cls, name))
        assert table_snapshot() == before, kind
        assert not leaks(root, outcome), kind
        assert {event.name for event in outcome.frontend} <= {"_redirect"}, kind
        assert outcome.error is None, repr(outcome.error)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # state logic: one engine is enough
@pytest.mark.parametrize("cls", ADMIN_STATES, ids=lambda cls: cls.__name__)
def test_setvar_cannot_set_any_admin_var_or_plant_a_session_token(world, cls):
    """Reflex's built-in `setvar` event calls `set_<name>`: no admin var may be reachable that way."""
    planted = token_of("valid")
    names = [*cls.get_fields(), *(attribute[4:] for attribute in dir(cls) if attribute.startswith("set_"))]
    for var_name in names:
        root = new_tab(world)
        before = observe(world, root)
        outcome = send(root, cls, "setvar", {"var_name": var_name, "value": planted})
        after = observe(world, root)
        assert after == before, f"setvar({var_name!r}) changed something"
        assert not leaks(root, outcome), var_name


def test_a_valid_session_deletes_a_post_and_marks_a_message_handled(world):
    """Positive control: the refusals above come from the session check, not broken handlers."""
    posts, inbox = STATE_BY_NAME["AdminPostsState"], STATE_BY_NAME["AdminInboxState"]
    with open_session() as session:
        seeded = session.exec(select(Post).where(Post.status == "published").order_by(Post.id)).first()
    root = new_tab(world, token_of("valid"))
    assert send(root, posts, "delete_post", {"post_id": seeded.id}).error is None
    assert send(root, inbox, "set_status", {"message_id": world.ids[ContactMessage], "status": "handled"}).error is None
    with open_session() as session:
        assert session.get(Post, seeded.id) is None
        assert session.get(ContactMessage, world.ids[ContactMessage]).status == "handled"
        actions = [(entry.action, entry.entity) for entry in session.exec(select(AuditEntry)).all()]
    assert ("delete", "post") in actions and ("handle", "contact_message") in actions
    assert substate(root, posts).rows and substate(root, inbox).messages  # each handler reloaded its list


def test_an_editor_session_cannot_read_the_audit_log(world):
    """The audit log is for admins: an editor's valid session loads nothing of it."""
    if "AdminAuditState" not in STATE_BY_NAME:
        pytest.skip("vws_app.state.admin_audit.AdminAuditState does not exist yet")
    audit = STATE_BY_NAME["AdminAuditState"]
    handlers = [
        name for name in audit.event_handlers if (audit.__name__, name) in CHECKED_HANDLERS and name not in HELPER_NAMES
    ]
    for name in handlers:
        root = new_tab(world, token_of("valid", email=EDITOR_EMAIL))
        before = table_snapshot()
        outcome = send(root, audit, name, payload_for(world, audit, name))
        assert table_snapshot() == before, name
        assert not leaks(root, outcome), f"{name} showed the audit log to an editor"
        assert outcome.error is None, repr(outcome.error)
    admin_tab = new_tab(world, token_of("valid"))
    send(admin_tab, audit, "load", {})
    assert leaks(admin_tab, Outcome()), "control: an admin does see the log"


def _prime_every_admin_state(world: World) -> State:
    """A tab in which the editor has visited every admin page (one valid session throughout)."""
    root = new_tab(world)
    for cls in ADMIN_STATES:
        prime(world, root, cls)
    assert {"AdminPostsState.rows", "AdminInboxState.messages"} <= set(leaks(root, Outcome()))
    return root


@pytest.mark.parametrize("ending", ["sign_out", "expiry"])
def test_a_tab_keeps_no_admin_data_once_its_session_ends(world, ending):
    """Signing out (the server ends the session and the browser drops the cookie), or the
    page-load check after the session lapsed, empties every admin state of the tab, not only
    the one that asked (Reflex re-sends a tab's whole state on hydrate)."""
    root = _prime_every_admin_state(world)
    if ending == "sign_out":
        with open_session() as session:
            for row in session.exec(select(EditorSession)).all():
                session.delete(row)
            session.commit()
        use_cookie(root, "")
    else:
        with open_session() as session:
            for row in session.exec(select(EditorSession)).all():
                row.created_at = row.last_seen_at = utc_now() - timedelta(hours=13)
                session.add(row)
            session.commit()
    assert send(root, AdminState, "check_session", {}).error is None
    assert substate(root, AdminState)._bound_digest == ""
    kept = leaks(root, Outcome())
    assert not kept, f"signed out, yet the tab still holds {kept}"


@pytest.mark.parametrize("ref", CHECKED_HANDLERS, ids=".".join)
def test_a_replayed_tab_token_without_the_session_cookie_is_refused(world, ref):
    """The tab's Reflex token copied to another browser: its state was filled under a session
    that is still valid, but the new socket carries no session cookie, or presents the digest
    the state keeps as if it were the cookie. Nothing changes, nothing is shown or sent."""
    cls, name = _state_and_name(ref)
    for label, raw_value in (("no cookie", ""), ("digest as cookie", None)):
        root = new_tab(world)
        prime(world, root, cls)
        digest = substate(root, AdminState)._bound_digest
        assert digest and session_count() >= 1
        use_cookie(root, "", raw_value=f"sha256:{digest}" if raw_value is None else raw_value)
        before = observe(world, root)
        outcome = send(root, cls, name, payload_for(world, cls, name))
        after = observe(world, root)
        assert after["tables"] == before["tables"], f"{label}: the database changed"
        assert after["uploads"] == before["uploads"], f"{label}: a file was stored"
        assert not leaks(root, outcome), f"{label}: admin data shown"
        assert {event.name for event in outcome.frontend} <= {"_redirect"}, label
        assert outcome.error is None, f"{label}: {outcome.error!r}"


def test_a_socket_without_the_tabs_session_gets_none_of_its_data_on_hydrate(world):
    """Reflex sends a tab's whole state when a socket (re)connects with its token; before that,
    the guard drops the admin data unless the socket carries the session it was loaded under."""
    root = _prime_every_admin_state(world)
    same = _preprocess(root)
    assert leaks(root, Outcome()) and same is None, "the tab's own browser keeps its data"
    use_cookie(root, token_of("made_up"))
    assert _preprocess(root) is None
    kept = leaks(root, Outcome())
    assert not kept, f"another browser's socket would be sent {kept}"
    assert not substate(root, AdminState).signed_in


def _preprocess(root: State):
    """Run the handover guard as Reflex does before an event of this tab's socket."""

    async def run():
        return await TabHandoverGuard().preprocess(None, root, None)

    context = contextvars.copy_context()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as runner:
        return runner.submit(context.run, asyncio.run, run()).result()


def test_admin_helpers_are_not_client_callable_events():
    """Reflex makes every public method of a state an event: the session check and the data
    clearing must stay underscored, or any client could call them (and see the regression above)."""
    assert not [ref for ref in ALL_HANDLERS if ref[1].lstrip("_") in HELPER_NAMES]


def test_while_two_factor_is_required_an_editor_without_it_may_only_set_it_up(world):
    """The policy is checked on every event: other admin data stays out of the tab, the account page works."""
    with open_session() as session:
        two_factor.set_required(session, True)
        session.commit()
    posts, account = STATE_BY_NAME["AdminPostsState"], STATE_BY_NAME["AdminAccountState"]
    root = new_tab(world, token_of("valid"))
    outcome = send(root, posts, "load_list", {})
    assert outcome.error is None and not substate(root, posts).rows
    assert [event.name for event in outcome.frontend] == ["_redirect"]
    assert outcome.frontend[0].payload["path"] == "/admin/account"
    assert send(root, account, "load", {}).error is None and substate(root, account).two_factor_required
    assert send(root, account, "start_two_factor", {}).error is None and substate(root, account).new_secret
