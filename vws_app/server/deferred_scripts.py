"""Let a page paint before its JavaScript is fetched.

The compiled pages ask for all ~25 script chunks (about 230 KiB compressed) in `<head>`
(`<link rel="modulepreload">`) and import the app from an inline module script. On a slow
phone connection those downloads share the line with the one render-blocking stylesheet,
and the browser's main thread is busy with them, so the server-filled page the visitor
could already read stays blank for seconds (Lighthouse measured first paint at ~3 s on
its mobile profile, against 0.8 s for the same text as plain HTML).

`defer_app_scripts` rewrites a page so the same chunks are asked for right after the first
frame is painted: the preload hints move into the bootstrap script, which waits for that
frame and then imports the same modules in the same order. Hydration starts a frame later;
nothing else changes. A page whose bootstrap does not have the expected shape (another
Reflex version) is returned unchanged. Phones and browsers that asked to save data do not load
the app at all where the server's page is whole without it (`WANTS_APP`).
"""

import json
import re

from vws_app.services.server_frame import COMPLETE_ATTRIBUTE, COMPLETE_ON_TOUCH_ATTRIBUTE

_MODULE_PRELOAD = re.compile(r'<link rel="modulepreload" href="([^"]+)"/>')
_BOOTSTRAP = re.compile(r'<script type="module" async="">(?P<body>.*?)</script>', re.DOTALL)
_STATIC_IMPORT = re.compile(r'\s*import (?:\* as (?P<name>\w+) from )?"(?P<url>[^"]+)";')
# Where the server frame says a page is whole without the app (the reading pages: their text,
# links and forms work as plain HTML, see `services/server_frame.py`), a phone or tablet (a touch
# screen as its main pointer) and a browser that asked to save data (Chrome's Lite mode,
# `navigator.connection.saveData`) do not load the app at all: about 200 KB of script and the
# seconds a phone's processor spends starting React, for a page that already shows everything.
# A computer with a mouse loads it after the first paint, as before.
# A page whose form is whole without the app only on a touch screen (its style shows the server's
# form there, `server/form_post.py`) skips it on a phone only.
TOUCH = 'matchMedia("(pointer: coarse)").matches'
WANTS_APP = (
    f'!((document.querySelector("[{COMPLETE_ATTRIBUTE}]") && (navigator.connection?.saveData || {TOUCH}))'
    f' || (document.querySelector("[{COMPLETE_ON_TOUCH_ATTRIBUTE}]") && {TOUCH}))'
)
# Two animation frames' worth: the first paint has happened when the timer fires.
_AFTER_FIRST_PAINT = "await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted)));"


def _imports_and_rest(body: str) -> tuple[list[tuple[str | None, str]], str]:
    """The leading static imports of a module script as (binding, url), and the code after them."""
    imports, position = [], 0
    while match := _STATIC_IMPORT.match(body, position):
        imports.append((match["name"], match["url"]))
        position = match.end()
    return imports, body[position:]


def _deferred_bootstrap(body: str, preloads: list[str]) -> str | None:
    """The bootstrap module rewritten to wait for the first paint; None if it has no static imports."""
    imports, rest = _imports_and_rest(body)
    if not imports:
        return None
    hints = (
        f'for (const href of {json.dumps(preloads)}) {{ const link = document.createElement("link");'
        ' link.rel = "modulepreload"; link.href = href; document.head.append(link); }'
    )
    loads = " ".join(
        f"const {name} = await import({json.dumps(url)});" if name else f"await import({json.dumps(url)});"
        for name, url in imports
    )
    return f"if ({WANTS_APP}) {{ {_AFTER_FIRST_PAINT} {hints} {loads}{rest} }}"


def defer_app_scripts(page: str) -> str:
    """`page` with its script downloads starting after the first paint (unchanged if its shape is unknown)."""
    bootstrap = _BOOTSTRAP.search(page)
    if bootstrap is None:
        return page
    preloads = _MODULE_PRELOAD.findall(page)
    deferred = _deferred_bootstrap(bootstrap["body"], preloads)
    if deferred is None:
        return page
    page = page[: bootstrap.start()] + f'<script type="module">{deferred}</script>' + page[bootstrap.end() :]
    return _MODULE_PRELOAD.sub("", page)
