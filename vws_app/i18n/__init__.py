"""Message catalogues and the helpers that pick a language and format for it."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime
from babel.dates import format_skeleton
from babel.dates import format_time as _babel_format_time

from vws_app.i18n import en, es

DEFAULT_LANGUAGE = "en"
CATALOGUES: dict[str, dict[str, str]] = {"en": en.MESSAGES, "es": es.MESSAGES}
SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(CATALOGUES)
OTHER_LANGUAGE = {"en": "es", "es": "en"}
BABEL_LOCALES = {"en": "en_US", "es": "es"}
# Post dates are shown as they fell where the organisation works.
SITE_TIMEZONE = "America/New_York"


def normalise_language(value: str | None) -> str:
    """A supported language code for any input (`ES`, `es-VE`, junk), defaulting to English."""
    code = (value or "").strip().lower()[:2]
    return code if code in CATALOGUES else DEFAULT_LANGUAGE


def is_supported(value: str | None) -> bool:
    """True when `value` names a language the site is written in."""
    return (value or "").strip().lower()[:2] in CATALOGUES


def language_from_accept_header(header: str | None) -> str:
    """The first supported language a browser asks for, by its q-weights; else English.

    `es-VE,es;q=0.9,en;q=0.8` gives `es`; `fr-FR,fr` gives `en`.
    """
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            weighted.append((-quality, position, tag))
    for negative_quality, _, tag in sorted(weighted):
        if negative_quality < 0 and is_supported(tag):
            return normalise_language(tag)
    return DEFAULT_LANGUAGE


def translate(key: str, language: str, **params: object) -> str:
    """The catalogue text for `key` in `language`, with `{params}` filled in.

    Raises:
        KeyError: when the key is in no catalogue (a programming error).
    """
    text = CATALOGUES[normalise_language(language)][key]
    return text.format(**params) if params else text


def format_date(moment: datetime | None, language: str) -> str:
    """A long date in the visitor's language: "November 24, 2026" / "24 de noviembre de 2026"."""
    if moment is None:
        return ""
    return _babel_format_date(
        _aware(moment).astimezone(zone_info(SITE_TIMEZONE)),
        format="long",
        locale=BABEL_LOCALES[normalise_language(language)],
    )


def format_time(moment: datetime, language: str, timezone: str) -> str:
    """A time of day in the event's own time zone, with the zone named in the visitor's
    language: "6:30 PM Eastern Standard Time" / "18:30 hora estándar oriental"."""
    locale = BABEL_LOCALES[normalise_language(language)]
    zone = zone_info(timezone)
    moment = _aware(moment)
    clock = _babel_format_time(moment, format="short", tzinfo=zone, locale=locale)
    zone_name = _babel_format_datetime(moment, "zzzz", tzinfo=zone, locale=locale)
    return f"{clock} {zone_name}"


def format_event_date(moment: datetime, language: str, timezone: str) -> str:
    """The long date of an event as it falls in the event's own time zone."""
    return _babel_format_date(
        _aware(moment).astimezone(zone_info(timezone)),
        format="full",
        locale=BABEL_LOCALES[normalise_language(language)],
    )


def format_month(year: int, month: int, language: str) -> str:
    """A month's name and year in the visitor's language: "May 2021" / "mayo de 2021"."""
    return format_skeleton("yMMMM", datetime(year, month, 1), locale=BABEL_LOCALES[normalise_language(language)])


def _aware(moment: datetime) -> datetime:
    """A naive datetime (SQLite drops the zone) is stored UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def zone_info(name: str) -> ZoneInfo:
    """The tzinfo for an IANA zone name, falling back to UTC for an unknown name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
