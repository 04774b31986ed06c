"""Lighthouse (mobile preset) on the production build's `/`, a seeded post and `/contact`, next to
the same home-page content as one plain static HTML page served by `python -m http.server`.

Run: .venv/bin/python bench/lighthouse.py [--runs 3]   (needs `npm install` in bench/ once)
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app_server import (
    BENCH_DIR,
    CHROMIUM,
    RESULTS_DIR,
    SEEDED_POST_SLUG,
    background_process,
    free_port,
    running_app,
    save_results,
    venv_env,
    wait_for,
)
from playwright.sync_api import sync_playwright

LIGHTHOUSE_BIN = BENCH_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
BUDGET = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 100}
PAGES = {"/": "/", "post": f"/posts/{SEEDED_POST_SLUG}", "/contact": "/contact"}
LIGHTHOUSE_TIMEOUT_S = 180

# Turns the hydrated page into plain semantic HTML: the same text, links, headings and
# landmarks, without scripts, classes, icons or hidden elements.
FLATTEN_JS = r"""
() => {
  const KEEP = new Set(['HEADER','NAV','MAIN','FOOTER','SECTION','ARTICLE','H1','H2','H3','H4','P','A',
                        'UL','OL','LI','FIGURE','FIGCAPTION','IMG','STRONG','EM','BLOCKQUOTE','TIME']);
  const ATTRS = ['href','alt','src','lang','hreflang','aria-label','id'];
  const esc = s => s.replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;').replace(/"/g,'&quot;');
  function walk(node) {
    if (node.nodeType === Node.TEXT_NODE) return esc(node.textContent);
    if (node.nodeType !== Node.ELEMENT_NODE) return '';
    const el = node;
    if (['SCRIPT','STYLE','SVG','BUTTON','NOSCRIPT','TEMPLATE'].includes(el.tagName.toUpperCase())) return '';
    if (el.getAttribute('aria-hidden') === 'true') return '';
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') return '';
    const inner = Array.from(el.childNodes).map(walk).join('');
    let tag = el.tagName.toUpperCase();
    if (el.classList.contains('post-card')) tag = 'ARTICLE';
    if (!KEEP.has(tag)) {
      const block = ['block','flex','grid'].includes(style.display);
      return block && inner.trim() ? `<div>${inner}</div>` : inner;
    }
    const attrs = ATTRS.filter(a => el.hasAttribute(a))
      .map(a => ` ${a}="${esc(el.getAttribute(a))}"`).join('');
    const lower = tag.toLowerCase();
    if (lower === 'img') return `<img${attrs} loading="lazy">`;
    return `<${lower}${attrs}>${inner}</${lower}>`;
  }
  const skip = document.querySelector('.skip-link');
  return {
    lang: document.documentElement.lang || 'en',
    title: document.title,
    description: (document.querySelector('meta[name=description]') || {}).content || '',
    body: (skip ? `<a class="skip-link" href="${esc(skip.getAttribute('href'))}">${esc(skip.textContent)}</a>\n` : '')
      + ['header','main','footer']
      .map(sel => document.querySelector(sel)).filter(Boolean).map(walk).join('\n'),
  };
}
"""

STATIC_CSS = """
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c2024;background:#fff}
header,main,footer{max-width:60rem;margin:0 auto;padding:1rem}
header nav a,footer a{margin-right:1rem}
a{color:#0d4fb8}
header{border-bottom:1px solid #ddd}footer{border-top:1px solid #ddd;margin-top:3rem}
article{border:1px solid #ddd;border-radius:8px;padding:1rem;margin:1rem 0}
.skip-link{position:absolute;left:-999px}.skip-link:focus{left:1rem}
h1{font-size:2rem}h2{font-size:1.5rem}h3{font-size:1.25rem}
"""


def write_static_equivalent(base_url: str, target_dir: Path) -> Path:
    """The hydrated home page's content as one static HTML file, with a little inline CSS."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(base_url + "/")
        page.wait_for_selector(".post-card", state="visible", timeout=30_000)
        page.wait_for_timeout(500)
        content = page.evaluate(FLATTEN_JS)
        browser.close()
    body = content["body"]
    html = (
        f'<!DOCTYPE html>\n<html lang="{content["lang"]}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{content["title"]}</title>\n<meta name="description" content="{content["description"]}">\n'
        f'<link rel="icon" href="data:,">\n<style>{STATIC_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n'
    )
    path = target_dir / "index.html"
    path.write_text(html, encoding="utf-8")
    return path


def run_lighthouse(url: str, output: Path) -> dict:
    """One Lighthouse run (mobile preset) of `url`; returns the parsed report (also kept in results/)."""
    command = [
        str(LIGHTHOUSE_BIN),
        url,
        "--output=json",
        f"--output-path={output}",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    subprocess.run(command, check=True, timeout=LIGHTHOUSE_TIMEOUT_S, env=venv_env({"CHROME_PATH": CHROMIUM}))
    RESULTS_DIR.mkdir(exist_ok=True)
    shutil.copy(output, RESULTS_DIR / f"lighthouse-report-{output.stem}.json")
    return json.loads(output.read_text(encoding="utf-8"))


def _resource_bytes(report: dict, resource_type: str) -> int:
    items = report["audits"].get("resource-summary", {}).get("details", {}).get("items", [])
    return next((int(item["transferSize"]) for item in items if item["resourceType"] == resource_type), 0)


def _examples(audit: dict, limit: int = 2) -> str:
    """A few of the elements or links an audit points at, for the report."""
    found = []
    for item in ((audit.get("details") or {}).get("items") or [])[:limit]:
        node = item.get("node") if isinstance(item.get("node"), dict) else None
        if node:
            found.append(node.get("snippet", "")[:120])
        elif item.get("href") or item.get("text"):
            found.append(f"{item.get('text', '')!r} → {item.get('href', '')}")
    return f" — e.g. {' | '.join(found)}" if found else ""


def _failing(report: dict, category: str) -> list[str]:
    """Audits of a category that score below 1 (performance: those Lighthouse says would save time)."""
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        score = audit.get("score")
        if score is None or score >= 1 or audit.get("scoreDisplayMode") in {"manual", "notApplicable", "informative"}:
            continue
        if category == "performance":
            if ref.get("group") == "metrics":
                continue
            savings = audit.get("metricSavings") or {}
            # CLS savings are unitless (0…1); weigh them like a second of LCP so they sort with the rest.
            gain = savings.get("LCP", 0) + savings.get("FCP", 0) + savings.get("TBT", 0) + 1000 * savings.get("CLS", 0)
            if gain <= 0:
                continue
            saved = ", ".join(
                f"{metric} {value:.0f} ms" if metric != "CLS" else f"CLS {value:.2f}"
                for metric, value in savings.items()
                if value
            )
            found.append((gain, f"{audit['id']}: {audit['title']} — {audit.get('displayValue', '')} (saves {saved})"))
        else:
            found.append((ref.get("weight", 0), f"{audit['id']}: {audit['title']}{_examples(audit)}"))
    return [text for _, text in sorted(found, key=lambda pair: -pair[0])]


def _layout_shift_culprits(report: dict) -> list[str]:
    """The elements that moved most (what makes CLS), per Lighthouse's layout-shifts audit."""
    items = (report["audits"].get("layout-shifts", {}).get("details") or {}).get("items") or []
    return [f"{item.get('score', 0):.3f}: {(item.get('node') or {}).get('snippet', '')[:120]}" for item in items[:3]]


def summarise(report: dict) -> dict:
    """Scores, metrics and bytes of one report."""
    audits = report["audits"]
    return {
        "scores": {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES},
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "total_bytes": int(audits["total-byte-weight"]["numericValue"]),
        "script_bytes": _resource_bytes(report, "script"),
        "requests": next(
            (
                int(i["requestCount"])
                for i in audits.get("resource-summary", {}).get("details", {}).get("items", [])
                if i["resourceType"] == "total"
            ),
            0,
        ),
        "issues": {name: _failing(report, name)[:6] for name in CATEGORIES},
        "layout_shift_culprits": _layout_shift_culprits(report),
        "lighthouse": report.get("lighthouseVersion"),
        "user_agent": report.get("environment", {}).get("hostUserAgent", ""),
    }


def median_run(runs: list[dict]) -> dict:
    """The run with the median performance score (Lighthouse's own advice for several runs)."""
    ordered = sorted(runs, key=lambda run: (run["scores"]["performance"], -run["lcp_ms"]))
    chosen = dict(ordered[len(ordered) // 2])
    chosen["performance_scores_all_runs"] = [run["scores"]["performance"] for run in runs]
    chosen["lcp_ms_all_runs"] = [run["lcp_ms"] for run in runs]
    return chosen


def budget_misses(results: dict) -> list[str]:
    """Each page and category that scored under the issue's budget."""
    return [
        f"{page}: {name} {result['scores'][name]} < {minimum}"
        for page, result in results.items()
        for name, minimum in BUDGET.items()
        if result["scores"][name] < minimum
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median is reported)")
    args = parser.parse_args()
    if not LIGHTHOUSE_BIN.exists():
        sys.exit(f"{LIGHTHOUSE_BIN} is missing: run `npm install` in bench/ (with .venv/bin first on PATH)")
    started = time.monotonic()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="vws_bench_lh_") as scratch_name:
        scratch = Path(scratch_name)
        with running_app("lighthouse") as app:
            for label, path in PAGES.items():
                slug = "home" if path == "/" else path.strip("/").split("/")[0]
                runs = [
                    summarise(run_lighthouse(app.url(path), scratch / f"{slug}-{i + 1}.json")) for i in range(args.runs)
                ]
                results[label] = median_run(runs)
                print(f"{label}: {results[label]['scores']} LCP {results[label]['lcp_ms']} ms", flush=True)
            static_dir = scratch / "static"
            static_dir.mkdir()
            write_static_equivalent(app.base_url, static_dir)
        port = free_port()
        command = [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(static_dir),
        ]
        with background_process(command, cwd=static_dir, log_path=scratch / "http.log"):
            wait_for(f"http://127.0.0.1:{port}/")
            runs = [
                summarise(run_lighthouse(f"http://127.0.0.1:{port}/", scratch / f"static-{i + 1}.json"))
                for i in range(args.runs)
            ]
            results["static / (http.server)"] = median_run(runs)
            results["static / (http.server)"]["html_bytes"] = (static_dir / "index.html").stat().st_size
        print(f"static: {results['static / (http.server)']['scores']}", flush=True)
    misses = budget_misses({k: v for k, v in results.items() if not k.startswith("static")})
    save_results(
        "lighthouse",
        {
            "runs_per_page": args.runs,
            "budget": BUDGET,
            "pages": results,
            "budget_misses": misses,
            "chrome_flags": CHROME_FLAGS,
            "wall_seconds": round(time.monotonic() - started),
        },
    )
    for miss in misses:
        print("BUDGET MISS", miss)


if __name__ == "__main__":
    main()
