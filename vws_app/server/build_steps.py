"""How the frontend is built: Radix Themes imported by name, and a smaller stylesheet after Vite.

`RadixThemesByName` is Reflex's Radix Themes plugin without one side effect: Reflex registers
every plugin's npm package as a library for components evaluated at run time (`rx.dynamic`),
and its root then imports the whole `@radix-ui/themes` namespace. That import keeps every
component in one chunk (~280 KB, 75 KB Brotli) that every page loads, even when deferred
(`frontend_lazy_bundled_libraries`: a dynamic import of a namespace still stops tree-shaking).
The site evaluates no component at run time; its pages import the components they use by
name, and the package is still installed because those components name it.


Reflex calls a plugin's `post_build` with the built files (`.web/build/client`) before it
writes their `.br`/`.gz` copies, so whatever is changed here is also what is compressed and
served. `LeanStylesheetPlugin` prunes the Radix Themes stylesheet to what the build can use
(`lean_stylesheet.py`) and renames it after its new content: build files are cached by
browsers for a year under their name, and Vite's name hashes the stylesheet before pruning,
so a later build that keeps more under the same name would leave returning visitors with
the old, smaller file.
"""

import hashlib
import json
import logging
import re
from pathlib import Path

import reflex as rx

from vws_app.server.lean_stylesheet import BREAKPOINTS, InUse, colour_scales, prune

ASSETS = "assets"
_MANIFEST = "window.__reactRouterManifest="
_RELATIVE_IMPORT = re.compile(
    r"""(?:from|import)\s*["'`]\./([\w.-]+\.js)["'`]|import\(\s*["'`]\./([\w.-]+\.js)["'`]\s*\)"""
)
_COMPONENT_CLASS = re.compile(r"rt-[A-Z][A-Za-z0-9]*")
_BREAKPOINT_KEY = re.compile(r"""["'](""" + "|".join(BREAKPOINTS) + r""")["']\]?\s*:""")
# The compiled app (not node_modules): where a page names a colour or a breakpoint.
COMPILED_APP_DIRS = ("app", "app_components", "utils", "styles")
TEXT_SUFFIXES = {".html", ".js", ".css", ".json"}
ALWAYS_KEPT_COLOURS = frozenset({"gray"})  # Radix's own default grey, behind `--gray-*`
logger = logging.getLogger(__name__)


def _manifest(assets: Path) -> dict | None:
    for path in sorted(assets.glob("manifest-*.js")):
        text = path.read_text(encoding="utf-8")
        if text.startswith(_MANIFEST):
            return json.loads(text[len(_MANIFEST) :].rstrip().rstrip(";"))
    return None


def loaded_scripts(static_dir: Path) -> list[Path]:
    """The build's scripts a page can load: every route's modules and what they import, statically or not.

    The root route's own `import()`s are left out: they can only be namespaces Reflex loads
    for components evaluated at run time (`frontend_lazy_bundled_libraries`), which would count
    every component as used. Without a manifest (another Reflex version), every script counts.
    """
    assets = static_dir / ASSETS
    manifest = _manifest(assets)
    if manifest is None:
        return sorted(assets.glob("*.js")) + sorted(static_dir.glob("*.js"))
    modules = [manifest["entry"], *manifest["routes"].values()]
    root_module = manifest["routes"].get("root", {}).get("module")
    queue = [url for module in modules for url in (module["module"], *module.get("imports", []))]
    seen: set[str] = set()
    while queue:
        name = queue.pop().rsplit("/", 1)[-1]
        if name in seen or not (assets / name).is_file():
            continue
        seen.add(name)
        text = (assets / name).read_text(encoding="utf-8")
        for static, dynamic in _RELATIVE_IMPORT.findall(text):
            if static or f"/{ASSETS}/{name}" != root_module:
                queue.append(static or dynamic)
    return [assets / name for name in sorted(seen)] + sorted(static_dir.glob("*.js"))


def _texts(paths: list[Path]) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in paths)


def _compiled_app_sources(web_dir: Path) -> str:
    return _texts(
        [
            path
            for folder in COMPILED_APP_DIRS
            for path in sorted((web_dir / folder).rglob("*"))
            if path.is_file() and path.suffix in {".js", ".jsx", ".css"}
        ]
    )


def _python_sources() -> str:
    """The app's own Python: a colour can come from state at run time (`LetterState.outcome_colour`)."""
    return _texts(sorted(Path(__file__).resolve().parents[1].rglob("*.py")))


def in_use(static_dir: Path, offered_colours: frozenset[str]) -> InUse:
    """The components, colours and breakpoints the build at `static_dir` can show."""
    web_dir = static_dir.parent.parent
    scripts = _texts(loaded_scripts(static_dir)) + _texts(sorted(static_dir.rglob("*.html")))
    app_sources = _compiled_app_sources(web_dir)
    named = app_sources + _python_sources()
    colours = {colour for colour in offered_colours if re.search(rf"""["'`]{colour}["'`]|--{colour}-""", named)}
    return InUse(
        components=frozenset(_COMPONENT_CLASS.findall(scripts)),
        colours=frozenset(colours) | ALWAYS_KEPT_COLOURS,
        breakpoints=frozenset(_BREAKPOINT_KEY.findall(app_sources)),
    )


def _renamed(path: Path, css: str) -> Path:
    """`path`'s name with Vite's hash replaced by one of `css` (`name-<hash>.css`)."""
    digest = hashlib.sha256(css.encode("utf-8")).hexdigest()[:10]
    stem = path.stem.rsplit("-", 1)[0]
    return path.with_name(f"{stem}-{digest}.css")


def _replace_everywhere(static_dir: Path, old: str, new: str) -> None:
    for path in static_dir.rglob("*"):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            if old in text:
                path.write_text(text.replace(old, new), encoding="utf-8", errors="surrogateescape")


def prune_stylesheets(static_dir: Path) -> list[tuple[str, int, int]]:
    """Prune each Radix stylesheet of the build in place, renamed; returns (new name, bytes before, after)."""
    changed = []
    for path in sorted((static_dir / ASSETS).glob("*.css")):
        css = path.read_text(encoding="utf-8")
        if ".radix-themes" not in css:
            continue
        lean = prune(css, in_use(static_dir, colour_scales(css)))
        target = _renamed(path, lean)
        path.unlink()
        target.write_text(lean, encoding="utf-8")
        _replace_everywhere(static_dir, path.name, target.name)
        changed.append((target.name, len(css), len(lean)))
    return changed


class RadixThemesByName(rx.plugins.RadixThemesPlugin):
    """Radix Themes (theme, stylesheet, package) without its namespace bundled for run-time components."""

    def get_frontend_dependencies(self, **context) -> tuple[str, ...]:
        return ()


class LeanStylesheetPlugin(rx.plugins.Plugin):
    """Runs `prune_stylesheets` on every production build (`reflex run --env prod`, `reflex export`)."""

    def post_build(self, **context) -> None:
        for name, before, after in prune_stylesheets(context["static_dir"]):
            logger.info("Stylesheet %s: %s -> %s bytes (parts no page uses dropped)", name, f"{before:,}", f"{after:,}")
