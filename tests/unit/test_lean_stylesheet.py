"""The build keeps only the Radix Themes rules its pages can use, and renames the stylesheet after its content."""

import json
from pathlib import Path

import pytest

from vws_app.server.build_steps import in_use, loaded_scripts, prune_stylesheets
from vws_app.server.lean_stylesheet import InUse, colour_scales, prune
from vws_app.server.stylesheet_rules import parse, render

# Shaped like the stylesheet Vite writes from Radix Themes: merged colour rules, P3 inside
# @supports/@media, accent maps, components, responsive utilities, keyframes, a layer.
RADIX_LIKE = (
    "@layer __reflex_base{*{margin:0}}"
    ":root,.light,.light-theme{--crimson-1:#fffcfd;--violet-1:#fdfcfe;--gray-1:#fcfcfc;--sand-1:#fdfdfc;--black-a1:#0000000d}"
    "@supports (color:color(display-p3 1 1 1)){@media (color-gamut:p3){:root{--violet-2:color(display-p3 .98 .97 .99);"
    "--crimson-2:color(display-p3 .99 .96 .97)}}}"
    ".radix-themes:where([data-accent-color=crimson]),[data-accent-color=violet]{--accent-1:var(--crimson-1)}"
    "[data-accent-color=violet]{--accent-1:var(--violet-1)}"
    ".radix-themes:where([data-gray-color=sand]){--gray-1:var(--sand-1)}"
    ".rt-Button:where(.rt-variant-soft){color:var(--accent-11)}"
    ".rt-SegmentedControlRoot{display:inline-grid}.rt-SegmentedControlRoot,.rt-Button{cursor:pointer}"
    ".rt-SegmentedControlRoot,.rt-Badge{gap:1px}"
    ".rt-r-gtc-2{grid-template-columns:repeat(2,minmax(0,1fr))}"
    "@media (min-width:520px){.xs\\:rt-r-gtc-2{grid-template-columns:repeat(2,minmax(0,1fr))}}"
    "@media (min-width:768px){.sm\\:rt-r-gtc-2{grid-template-columns:repeat(2,minmax(0,1fr))}}"
    "@keyframes rt-fade-in{0%{opacity:0}to{opacity:1}}"
    '.post-body a[href^="http"]:after{content:"{ ; }"}'
)
USED = InUse(
    components=frozenset({"rt-Button", "rt-Badge"}),
    colours=frozenset({"crimson", "sand", "gray"}),
    breakpoints=frozenset({"sm"}),
)


def test_the_reader_writes_back_what_it_read():
    assert render(parse(RADIX_LIKE)) == RADIX_LIKE


def test_the_colour_scales_offered_are_read_from_the_stylesheet():
    assert colour_scales(RADIX_LIKE) == {"crimson", "violet", "sand"}


def test_unused_colour_scales_lose_their_properties_light_dark_and_p3():
    lean = prune(RADIX_LIKE, USED)
    assert "--violet-" not in lean
    assert "--crimson-1:#fffcfd" in lean and "--crimson-2:color(display-p3" in lean
    assert "--gray-1:#fcfcfc" in lean and "--sand-1:#fdfdfc" in lean and "--black-a1" in lean


def test_selectors_for_unused_accents_go_and_the_rest_of_their_rule_stays():
    lean = prune(RADIX_LIKE, USED)
    assert "data-accent-color=violet" not in lean
    assert ".radix-themes:where([data-accent-color=crimson]){--accent-1:var(--crimson-1)}" in lean
    assert ".radix-themes:where([data-gray-color=sand])" in lean


def test_rules_of_components_no_script_writes_go_and_shared_rules_keep_the_used_ones():
    lean = prune(RADIX_LIKE, USED)
    assert "rt-SegmentedControlRoot" not in lean
    assert ".rt-Button:where(.rt-variant-soft){color:var(--accent-11)}" in lean
    assert ".rt-Button{cursor:pointer}" in lean
    assert ".rt-Badge{gap:1px}" in lean


def test_responsive_variants_go_only_for_breakpoints_no_page_uses():
    lean = prune(RADIX_LIKE, USED)
    assert "xs\\:rt-r-gtc-2" not in lean and "@media (min-width:520px)" not in lean
    assert "@media (min-width:768px){.sm\\:rt-r-gtc-2{" in lean
    assert ".rt-r-gtc-2{" in lean


def test_everything_that_is_not_radix_is_kept_as_it_was():
    lean = prune(RADIX_LIKE, USED)
    for kept in (
        "@layer __reflex_base{*{margin:0}}",
        "@keyframes rt-fade-in{0%{opacity:0}to{opacity:1}}",
        '.post-body a[href^="http"]:after{content:"{ ; }"}',
    ):
        assert kept in lean


def test_with_everything_in_use_nothing_changes():
    everything = InUse(
        components=frozenset({"rt-Button", "rt-Badge", "rt-SegmentedControlRoot"}),
        colours=colour_scales(RADIX_LIKE) | {"gray"},
        breakpoints=frozenset({"xs", "sm", "md", "lg", "xl"}),
    )
    assert prune(RADIX_LIKE, everything) == RADIX_LIKE


def _write_build(web: Path) -> Path:
    """A built app in `web` (.web): compiled sources, a manifest, scripts and one page using the stylesheet."""
    static = web / "build" / "client"
    assets = static / "assets"
    assets.mkdir(parents=True)
    (web / "app" / "routes").mkdir(parents=True)
    (web / "app" / "routes" / "_index.jsx").write_text(
        'jsx(RadixThemesGrid,{columns:({ ["initial"] : "1", ["sm"] : "2" })});'
        'jsx(RadixThemesTheme,{accentColor:"crimson",grayColor:"sand"})'
    )
    manifest = {
        "entry": {"module": "/assets/entry.client-a.js", "imports": ["/assets/react-b.js"]},
        "routes": {
            "root": {"module": "/assets/root-c.js", "imports": ["/assets/react-b.js"]},
            "routes/_index": {"module": "/assets/_index-d.js", "imports": []},
        },
    }
    (assets / "manifest-1.js").write_text("window.__reactRouterManifest=" + json.dumps(manifest) + ";")
    (assets / "entry.client-a.js").write_text('import{a}from"./react-b.js";')
    (assets / "react-b.js").write_text("export const a=1;")
    # The root's own import() is Reflex's lazy namespace of every component: not a page's.
    (assets / "root-c.js").write_text('const l={"@radix-ui/themes":()=>import(`./themes-all-e.js`)};')
    (assets / "themes-all-e.js").write_text("const c=`rt-SegmentedControlRoot`;")
    (assets / "_index-d.js").write_text('import{b}from"./button-f.js";const x=()=>import("./dialog-g.js");')
    (assets / "button-f.js").write_text('export const b="rt-Button";')
    (assets / "dialog-g.js").write_text('export const d="rt-Badge";')
    (assets / "__reflex_global_styles-Vite1234.css").write_text(RADIX_LIKE)
    (static / "index.html").write_text('<link rel="stylesheet" href="/assets/__reflex_global_styles-Vite1234.css"/>')
    return static


@pytest.fixture
def built(tmp_path) -> Path:
    return _write_build(tmp_path / ".web")


def test_the_scripts_a_page_can_load_leave_out_the_roots_lazy_namespace(built):
    names = {path.name for path in loaded_scripts(built)}
    assert {"entry.client-a.js", "react-b.js", "root-c.js", "_index-d.js", "button-f.js", "dialog-g.js"} <= names
    assert "themes-all-e.js" not in names


def test_what_is_in_use_is_read_from_the_build_and_the_compiled_pages(built):
    found = in_use(built, colour_scales(RADIX_LIKE))
    assert {"rt-Button", "rt-Badge"} <= found.components
    assert "rt-SegmentedControlRoot" not in found.components
    assert {"crimson", "sand", "gray"} <= found.colours and "violet" not in found.colours
    assert found.breakpoints == {"sm"}


def test_the_build_step_prunes_renames_and_points_every_page_at_the_new_file(built):
    [(name, before, after)] = prune_stylesheets(built)
    assert after < before
    assert not (built / "assets" / "__reflex_global_styles-Vite1234.css").exists()
    lean = (built / "assets" / name).read_text()
    assert name.startswith("__reflex_global_styles-") and "Vite1234" not in name
    assert "rt-SegmentedControlRoot" not in lean and "--violet-" not in lean and ".rt-Button{" in lean
    assert f'href="/assets/{name}"' in (built / "index.html").read_text()


def test_the_new_name_follows_the_content_so_a_cached_copy_is_never_the_wrong_one(tmp_path):
    first, second = _write_build(tmp_path / "a" / ".web"), _write_build(tmp_path / "b" / ".web")
    (second / "assets" / "button-f.js").write_text('export const b="rt-Button",s="rt-SegmentedControlRoot";')
    assert prune_stylesheets(first)[0][0] != prune_stylesheets(second)[0][0]
