"""The page's scripts are asked for after its first paint: same modules, same order, nothing lost."""

from vws_app.server.deferred_scripts import WANTS_APP, defer_app_scripts

PAGE = (
    '<html><head><link href="/assets/styles.css" rel="stylesheet"/>'
    '<link rel="modulepreload" href="/assets/manifest-1.js"/><link rel="modulepreload" href="/assets/root-2.js"/>'
    '<link rel="modulepreload" href="/assets/entry.client-3.js"/><script>window.theme = "light";</script></head>'
    "<body><main>Text</main><script>window.__reactRouterContext = {};</script>"
    '<script type="module" async="">import "/assets/manifest-1.js"; import * as route0 from "/assets/root-2.js";'
    ' import * as route1 from "/assets/_index-4.js";\n  window.__reactRouterRouteModules = {"root":route0,"routes/_index":route1};\n'
    'import("/assets/entry.client-3.js");</script></body></html>'
)


def _bootstrap(page: str) -> str:
    start = page.index('<script type="module">') + len('<script type="module">')
    return page[start : page.index("</script>", start)]


def test_preload_hints_leave_the_head_and_are_added_after_the_first_paint():
    deferred = defer_app_scripts(PAGE)
    assert 'rel="modulepreload"' not in deferred
    script = _bootstrap(deferred)
    assert script.startswith(f"if ({WANTS_APP}) {{ await new Promise((painted) => requestAnimationFrame(")
    assert script.endswith("}")
    assert '["/assets/manifest-1.js", "/assets/root-2.js", "/assets/entry.client-3.js"]' in script
    assert script.index("requestAnimationFrame") < script.index("modulepreload") < script.index("import(")


def test_the_same_modules_are_imported_in_the_same_order_with_the_same_names():
    script = _bootstrap(defer_app_scripts(PAGE))
    assert 'await import("/assets/manifest-1.js"); const route0 = await import("/assets/root-2.js");' in script
    assert 'const route1 = await import("/assets/_index-4.js");' in script
    assert (
        script.index("route1 = await")
        < script.index("window.__reactRouterRouteModules")
        < script.index('import("/assets/entry.client-3.js")')
    )
    assert 'import "/' not in script and "import * as" not in script  # no static import is left to fetch early


def test_everything_else_on_the_page_is_kept():
    deferred = defer_app_scripts(PAGE)
    for kept in (
        '<link href="/assets/styles.css" rel="stylesheet"/>',
        '<script>window.theme = "light";</script>',
        "<main>Text</main>",
        "<script>window.__reactRouterContext = {};</script>",
    ):
        assert kept in deferred
    assert 'async=""' not in deferred


def test_a_page_of_another_shape_is_left_alone():
    without_bootstrap = PAGE.replace('type="module" async=""', "")
    assert defer_app_scripts(without_bootstrap) == without_bootstrap
    only_dynamic = PAGE.replace(
        'import "/assets/manifest-1.js"; import * as route0 from "/assets/root-2.js";'
        ' import * as route1 from "/assets/_index-4.js";',
        "",
    )
    assert defer_app_scripts(only_dynamic) == only_dynamic


def test_deferring_twice_changes_nothing_more():
    once = defer_app_scripts(PAGE)
    assert defer_app_scripts(once) == once
