"""The editors' admin services in one namespace: posts, events, allies and site texts.

The work lives in `editorial_posts` and `editorial_other` (shared errors in
`editorial_common`); this module only gathers their public names, so states write
`editorial.create_post(...)` and catch `editorial.ValidationFailed`.
"""

from vws_app.services.editorial_common import NotFound, ValidationFailed
from vws_app.services.editorial_other import (
    SITE_TEXT_KEYS,
    AllyInput,
    EventInput,
    create_ally,
    create_event,
    delete_ally,
    delete_event,
    is_web_url,
    list_allies_admin,
    list_events_admin,
    move_ally,
    site_texts_admin,
    update_ally,
    update_event,
    update_site_text,
)
from vws_app.services.editorial_posts import (
    PostInput,
    create_post,
    delete_post,
    search_posts,
    set_post_status,
    translation_candidates,
    translation_partner,
    update_post,
)

__all__ = [
    "SITE_TEXT_KEYS",
    "AllyInput",
    "EventInput",
    "NotFound",
    "PostInput",
    "ValidationFailed",
    "create_ally",
    "create_event",
    "create_post",
    "delete_ally",
    "delete_event",
    "delete_post",
    "is_web_url",
    "list_allies_admin",
    "list_events_admin",
    "move_ally",
    "search_posts",
    "set_post_status",
    "site_texts_admin",
    "translation_candidates",
    "translation_partner",
    "update_ally",
    "update_event",
    "update_post",
    "update_site_text",
]
