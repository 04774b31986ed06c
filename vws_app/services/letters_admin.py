"""The editors' side of open letters: sign-on settings, the moderation queue, counts, chart, CSV, the list as text.

Every change of signatures takes the letter's row lock first (`letters.lock_letter`) and
recounts under it, so the kept counts stay exact while readers confirm at the same time.
Deleting a signature erases it: the audit entry says only that one was removed.
"""

import dataclasses
from datetime import date, datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from vws_app.models import Editor, LetterSignature, LetterSignOn, Post, PostCategory, SignatureStatus, utc_now
from vws_app.services import audit
from vws_app.services.editorial_common import NotFound, ValidationFailed
from vws_app.services.inbox import csv_text
from vws_app.services.letter_fields import country_name
from vws_app.services.letters import erase, letter_for_key, lock_letter
from vws_app.services.row_ids import stored_ids

__all__ = ["NotFound", "ValidationFailed"]

STATUSES = tuple(status.value for status in SignatureStatus)
ACTIONS = ("approve", "hide", "delete")
PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_GOAL = 100_000_000
CHART_DAYS = 60
CSV_HEADER = (
    "id",
    "status",
    "name",
    "is_organisation",
    "is_public",
    "affiliation",
    "city",
    "country",
    "email",
    "language",
    "created_at",
    "confirmed_at",
)


@dataclasses.dataclass(frozen=True)
class LetterSummary:
    """One letter in the editors' list: its pair's key, a title to know it by, and its state."""

    translation_key: str
    title: str
    is_open: bool
    people: int
    organisations: int


def letters(session: Session) -> list[LetterSummary]:
    """Every open letter (by category) and every post pair that has sign-on, newest first, titled in English when it can."""
    with_sign_on = select(LetterSignOn.translation_key)
    posts = session.exec(
        select(Post)
        .where((col(Post.category) == PostCategory.OPEN_LETTER.value) | col(Post.translation_key).in_(with_sign_on))
        .order_by(col(Post.created_at).desc(), col(Post.id).desc())
    ).all()
    sign_ons = {row.translation_key: row for row in session.exec(select(LetterSignOn)).all()}
    titles: dict[str, str] = {}
    for post in posts:
        if post.translation_key not in titles or post.language == "en":
            titles[post.translation_key] = post.title
    return [
        LetterSummary(
            key,
            title,
            bool(key in sign_ons and sign_ons[key].is_open),
            sign_ons[key].people_count if key in sign_ons else 0,
            sign_ons[key].organisation_count if key in sign_ons else 0,
        )
        for key, title in titles.items()
    ]


def key_of_post(session: Session, post_id: int) -> str:
    """The translation key of post `post_id`.

    Raises:
        NotFound: no such post.
    """
    key = session.exec(select(Post.translation_key).where(Post.id == post_id)).first()
    if key is None:
        raise NotFound(f"post {post_id}")
    return key


def save_settings(
    session: Session,
    translation_key: str,
    editor: Editor,
    *,
    is_open: bool,
    moderated: bool,
    closes_on: str = "",
    goal: str = "",
) -> LetterSignOn:
    """Open or close sign-on and set its closing date (`YYYY-MM-DD`, end of that day UTC), goal and moderation; audited, committed.

    Raises:
        NotFound: no post has this key.
        ValidationFailed: the date or the goal is not valid (catalogue keys by field).
    """
    if session.exec(select(Post.id).where(Post.translation_key == translation_key)).first() is None:
        raise NotFound(translation_key)
    errors, closes_at, goal_number = {}, None, 0
    if closes_on.strip():
        try:
            closes_at = datetime.fromisoformat(closes_on.strip()[:10]).replace(tzinfo=utc_now().tzinfo) + timedelta(
                days=1
            )
        except ValueError:
            errors["closes_on"] = "admin_letters_error_date"
    if goal.strip():
        if not goal.strip().isdigit() or not 0 <= int(goal.strip()) <= MAX_GOAL:
            errors["goal"] = "admin_letters_error_goal"
        else:
            goal_number = int(goal.strip())
    if errors:
        raise ValidationFailed(errors)
    letter = letter_for_key(session, translation_key) or LetterSignOn(translation_key=translation_key)
    letter.is_open, letter.moderated, letter.closes_at, letter.goal = is_open, moderated, closes_at, goal_number
    letter.updated_at = utc_now()
    session.add(letter)
    session.flush()
    state = "open" if is_open else "closed"
    audit.record(
        session, editor, "update", "letter", letter.id, f"sign-on {state}, moderated={moderated}, goal={goal_number}"
    )
    session.commit()
    session.refresh(letter)
    return letter


def counts(session: Session, letter_id: int) -> dict[str, int]:
    """Signatures of the letter by status, zeros included."""
    found = dict(
        session.exec(
            select(LetterSignature.status, func.count())
            .where(LetterSignature.letter_id == letter_id)
            .group_by(LetterSignature.status)
        ).all()
    )
    return {status: found.get(status, 0) for status in STATUSES}


def _filtered(letter_id: int, query: str, status: str):
    statement = select(LetterSignature).where(LetterSignature.letter_id == letter_id)
    needle = query.strip().lower()
    if needle:
        statement = statement.where(
            func.lower(LetterSignature.name).contains(needle, autoescape=True)
            | func.lower(LetterSignature.email).contains(needle, autoescape=True)
            | func.lower(LetterSignature.affiliation).contains(needle, autoescape=True)
        )
    return statement.where(LetterSignature.status == status) if status else statement


def search(
    session: Session, letter_id: int, query: str = "", status: str = "", page: int = 1, per_page: int = PER_PAGE
) -> tuple[list[LetterSignature], int]:
    """One page of the letter's signatures (name, address or affiliation containing `query`), newest first, and the total."""
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    statement = _filtered(letter_id, query, status)
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.exec(
        statement.order_by(col(LetterSignature.created_at).desc(), col(LetterSignature.id).desc())
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), total


def recount(session: Session, letter_id: int) -> None:
    """Set the kept counts from the rows (the caller holds the letter's lock)."""
    shown = dict(
        session.exec(
            select(LetterSignature.is_organisation, func.count())
            .where(LetterSignature.letter_id == letter_id, LetterSignature.status == SignatureStatus.SHOWN.value)
            .group_by(col(LetterSignature.is_organisation))
        ).all()
    )
    session.execute(
        update(LetterSignOn)
        .where(col(LetterSignOn.id) == letter_id)
        .values(people_count=shown.get(False, 0), organisation_count=shown.get(True, 0), updated_at=utc_now())
    )


def moderate(session: Session, letter_id: int, signature_ids: list[int], action: str, editor: Editor) -> int:
    """Approve, hide or delete (erase) the letter's signatures `signature_ids`; audited, committed. How many changed.

    Pending ones are never approved (their owner has not confirmed). Unknown ids are skipped.

    Raises:
        NotFound: no such letter.
        ValidationFailed: an unknown action.
    """
    if action not in ACTIONS:
        raise ValidationFailed({"action": "admin_letters_error_action"})
    if lock_letter(session, letter_id) is None:
        raise NotFound(f"letter {letter_id}")
    ids = [int(value) for value in signature_ids][:MAX_PER_PAGE]
    mine = col(LetterSignature.id).in_(ids) & (col(LetterSignature.letter_id) == letter_id)
    if action == "delete":
        found = stored_ids(session.exec(select(LetterSignature.id).where(mine)).all())
        changed = sum(1 for signature_id in found if erase(session, signature_id) is not None)
        summary = f"{changed} signature(s) removed"
    else:
        confirmed = (SignatureStatus.AWAITING.value, SignatureStatus.HIDDEN.value, SignatureStatus.SHOWN.value)
        target = SignatureStatus.SHOWN.value if action == "approve" else SignatureStatus.HIDDEN.value
        values = {"status": target, "shown_at": utc_now()} if action == "approve" else {"status": target}
        changed = session.exec(
            update(LetterSignature)
            .where(mine, col(LetterSignature.status).in_(confirmed), col(LetterSignature.status) != target)
            .values(values)
        ).rowcount
        summary = f"{changed} signature(s): {action}"
    recount(session, letter_id)
    audit.record(session, editor, "delete" if action == "delete" else "update", "signature", None, summary)
    session.commit()
    return changed


def confirmed_per_day(
    session: Session, letter_id: int, days: int = CHART_DAYS, today: date | None = None
) -> list[tuple[date, int]]:
    """Signatures confirmed on each of the last `days` days (UTC), oldest first, zeros included (one grouped query)."""
    today = today or utc_now().date()
    first = today - timedelta(days=days - 1)
    day = func.date(LetterSignature.confirmed_at)
    since = datetime.combine(first, datetime.min.time(), utc_now().tzinfo)
    rows = session.exec(
        select(day, func.count())
        .where(LetterSignature.letter_id == letter_id, col(LetterSignature.confirmed_at) >= since)
        .group_by(day)
    ).all()
    found = {date.fromisoformat(str(when)[:10]): number for when, number in rows}
    return [(first + timedelta(days=offset), found.get(first + timedelta(days=offset), 0)) for offset in range(days)]


def _when(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def export_csv(session: Session, letter_id: int, query: str = "", status: str = "") -> str:
    """The letter's matching signatures as spreadsheet-safe CSV with a BOM (the inbox's writer and formula guard)."""
    statement = _filtered(letter_id, query, status).order_by(col(LetterSignature.created_at), col(LetterSignature.id))
    rows = (
        (
            str(row.id),
            row.status,
            row.name,
            "yes" if row.is_organisation else "no",
            "yes" if row.is_public else "no",
            row.affiliation,
            row.city,
            row.country,
            row.email,
            row.language,
            _when(row.created_at),
            _when(row.confirmed_at),
        )
        for row in session.exec(statement).all()
    )
    return csv_text(CSV_HEADER, rows)


def list_as_text(session: Session, letter_id: int, language: str) -> str:
    """The public signatories, one a line ("Name, affiliation, city, country"), organisations first: to send the letter on."""
    rows = session.exec(
        select(LetterSignature)
        .where(
            LetterSignature.letter_id == letter_id,
            LetterSignature.status == SignatureStatus.SHOWN.value,
            col(LetterSignature.is_public).is_(True),
        )
        .order_by(col(LetterSignature.is_organisation).desc(), col(LetterSignature.shown_at), col(LetterSignature.id))
    ).all()
    return "\n".join(
        ", ".join(part for part in (row.name, row.affiliation, row.city, country_name(row.country, language)) if part)
        for row in rows
    )
