"""What search engines and link previews read about an event page: title, description, alternates, schema.org/Event."""

from sqlmodel import Session

from vws_app.i18n import SUPPORTED_LANGUAGES, normalise_language, translate
from vws_app.models import Event
from vws_app.services.calendar_files import event_path
from vws_app.services.event_details import EventDetails, details_of
from vws_app.services.seo import PageMeta, _page_title, _shorten, json_for_script
from vws_app.settings import site_url

SCHEMA_STATUS = {True: "https://schema.org/EventCancelled", False: "https://schema.org/EventScheduled"}


def event_meta(session: Session, event_id: int, language: str) -> PageMeta | None:
    """Meta and text of an event's page in `language`; None for an unknown event."""
    event = session.get(Event, event_id) if 0 < event_id < 10**12 else None
    if event is None:
        return None
    language = normalise_language(language)
    details = details_of(event, language)
    path = event_path(event.id or 0)
    when = f"{details.date_label}, {details.time_label}" + (f" – {details.end_label}" if details.end_label else "")
    paragraphs = [when]
    if details.cancelled:
        paragraphs.insert(0, translate("events_cancelled", language))
    if details.place:
        paragraphs.append(f"{translate('events_place', language)}: {details.place}")
    if details.is_online:
        paragraphs.append(translate("events_online_private", language))
    paragraphs += details.description.split("\n\n")
    if details.next_dates:
        paragraphs.append(f"{translate('events_next_dates', language)}: " + "; ".join(details.next_dates))
    return PageMeta(
        title=_page_title(details.title, language, is_home=False),
        description=_shorten(f"{when}. {details.description}"),
        path=f"{path}?lang={language}",
        language=language,
        alternates={code: f"{path}?lang={code}" for code in SUPPORTED_LANGUAGES},
        heading=details.title,
        paragraphs=paragraphs,
        json_ld=json_ld(event, details, language),
    )


def json_ld(event: Event, details: EventDetails, language: str) -> str:
    """schema.org/Event as JSON safe inside a `<script>` block; an online meeting's place is its public page."""
    page = f"{site_url()}{event_path(event.id or 0)}?lang={language}"
    locations: list[dict] = []
    if details.place:
        locations.append({"@type": "Place", "name": details.place, "address": details.place})
    if event.online_url:
        locations.append({"@type": "VirtualLocation", "url": page})  # never the private link
    mode = ("Mixed" if event.place else "Online") if event.online_url else "Offline"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": details.title,
        "description": details.description,
        "startDate": details.start_iso,
        "endDate": details.end_iso,
        "eventStatus": SCHEMA_STATUS[event.cancelled],
        "eventAttendanceMode": f"https://schema.org/{mode}EventAttendanceMode",
        "location": locations[0] if len(locations) == 1 else locations,
        "inLanguage": language,
        "url": page,
        "organizer": {"@type": "Organization", "name": translate("site_name", language), "url": site_url()},
    }
    return json_for_script(data)
