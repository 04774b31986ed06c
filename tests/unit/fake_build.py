"""A small stand-in for the production build's page files, with inline scripts like those Reflex writes."""

from pathlib import Path

THEME = "document.documentElement.classList.add(localStorage.getItem('theme') || 'light');"
STREAM = 'window.__reactRouterContext.streamController.enqueue("[{\\"_1\\":2},\\"loaderData\\"]\\n");'
ROUTES = {
    "index.html": 'import * as route0 from "/assets/root-a1.js"; import("/assets/entry.client-b2.js");',
    "__spa-fallback.html": 'import * as route0 from "/assets/root-a1.js"; window.__reactRouterRouteModules = {root: route0};',
    "404.html": 'import * as route0 from "/assets/root-a1.js"; window.__reactRouterRouteModules = {root: route0};',
    "admin/index.html": 'import * as route1 from "/assets/admin-c3.js"; import("/assets/entry.client-b2.js");',
}
NOT_A_PAGE = ("assets/stray.html", "alert('not a page of the build')")


def page(route_script: str) -> str:
    """A page as the build writes it: head script, an external module, then the route's inline scripts."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>'
        f"<script>{THEME}</script><title>VWS</title></head>"
        '<body><div id="root"><main><h1>VWS</h1></main></div>'
        '<script src="/assets/entry.client-b2.js" type="module"></script><script></script>'
        f'<script type="module" async="">{route_script}</script><script>{STREAM}</script></body></html>'
    )


def write_build(root: Path) -> Path:
    """Write the pages (and one HTML file among the assets, which is not a page) under `root`; return `root`."""
    for name, route_script in ROUTES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page(route_script), encoding="utf-8")
    stray_name, stray_script = NOT_A_PAGE
    (root / stray_name).parent.mkdir(parents=True, exist_ok=True)
    (root / stray_name).write_text(f"<script>{stray_script}</script>", encoding="utf-8")
    return root


def page_scripts() -> set[str]:
    """The text of every non-empty inline script in the pages."""
    return {THEME, STREAM, *ROUTES.values()}
