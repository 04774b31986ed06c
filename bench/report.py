"""Print the measured numbers in bench/results/*.json as Markdown tables (for bench/README.md).

Run: .venv/bin/python bench/report.py
"""

import json

from app_server import RESULTS_DIR


def _load(name: str) -> dict | None:
    path = RESULTS_DIR / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _machine(result: dict) -> str:
    machine = result["machine"]
    return (
        f"_{machine['date_utc']} UTC, {machine['cores']} cores ({machine['cpu']}), "
        f"load average at the end {machine['load_average_1_5_15']}, app at {machine.get('app_revision', '?')}_"
    )


def lighthouse(result: dict) -> list[str]:
    lines = [
        "### Lighthouse (mobile preset)",
        _machine(result),
        "",
        f"Median of {result['runs_per_page']} run(s) per page (by performance score); "
        f"performance scores of every run: "
        + "; ".join(f"{page} {run.get('performance_scores_all_runs')}" for page, run in result["pages"].items()),
        "",
        "| page | perf | a11y | best pr. | SEO | FCP | LCP | TBT | total bytes | JS bytes | requests |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for page, run in result["pages"].items():
        scores = run["scores"]
        lines.append(
            f"| {page} | {scores['performance']} | {scores['accessibility']} | {scores['best-practices']} | {scores['seo']} "
            f"| {run['fcp_ms'] / 1000:.1f} s | {run['lcp_ms'] / 1000:.1f} s | {run['tbt_ms']} ms "
            f"| {run['total_bytes'] / 1024:.0f} KiB | {run['script_bytes'] / 1024:.0f} KiB | {run['requests']} |"
        )
    lines += ["", f"Budget misses: {', '.join(result['budget_misses']) or 'none'}", ""]
    for page, run in result["pages"].items():
        issues = [f"{category}: {issue}" for category, found in run["issues"].items() for issue in found]
        if issues:
            lines.append(f"- **{page}**: " + "; ".join(issues))
    return lines


def throughput(result: dict) -> list[str]:
    settings = result["settings"]
    lines = [
        "### Throughput (wrk)",
        _machine(result),
        "",
        f"wrk {settings['wrk_threads']} threads, {settings['connections']} connections, {settings['duration_s']} s per run, "
        f"`Accept-Encoding: {settings['accept_encoding']}`; nginx {settings['nginx_workers']} worker.",
        "",
        "| page | server | req/s | p50 | p95 | p99 | bytes/response | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label in result["reflex_prod"]:
        for server, key in (
            ("Reflex prod (granian, 1 worker)", "reflex_prod"),
            ("nginx, static build", "nginx_static"),
        ):
            run = result[key][label]
            lines.append(
                f"| {label} | {server} | {run['requests_per_s']:.0f} | {run['p50_ms']} ms | {run['p95_ms']} ms "
                f"| {run['p99_ms']} ms | {run['bytes_per_response']} ({run['check']['encoding']}) | {run['errors']} |"
            )
    lines.append("")
    for label, ratio in result["ratios"].items():
        lines.append(
            f"- {label}: nginx serves {ratio['throughput_nginx_over_reflex']}× the requests/s; "
            f"Reflex's p95 is {ratio['p95_reflex_over_nginx']}× nginx's"
        )
    return lines


def contact(result: dict) -> list[str]:
    rtt, check = result["round_trip_ms"], result["database_check"]
    settings = result["settings"]
    return [
        "### Contact form under load (socket.io)",
        _machine(result),
        "",
        "| clients | messages | p50 | p95 | p99 | max | wall | msg/s | outcomes | rows stored | distinct | all stored |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {settings['clients']} | {rtt['count']} | {rtt['p50']} ms | {rtt['p95']} ms | {rtt['p99']} ms | {rtt['max']} ms "
        f"| {result['wall_seconds']} s | {result['messages_per_second']} | {result['outcomes']} "
        f"| {check['rows_stored_by_load']} | {check['run_distinct_messages']} | {check['every_sent_message_stored']} |",
        "",
        f"Connect + hydrate per client: p50 {result['connect_and_hydrate_ms']['p50']} ms, "
        f"p95 {result['connect_and_hydrate_ms']['p95']} ms. python-socketio {settings['python_socketio']}, reflex {settings['reflex']}.",
    ]


def content(result: dict) -> list[str]:
    small, large = result["sizes"]["10"], result["sizes"]["10000"]
    rows = [
        (
            "list_posts('en', page=1), mean",
            small["service"]["list_posts"]["mean_ms"],
            large["service"]["list_posts"]["mean_ms"],
            "ms",
        ),
        (
            "latest_posts('en'), mean",
            small["service"]["latest_posts"]["mean_ms"],
            large["service"]["latest_posts"]["mean_ms"],
            "ms",
        ),
        *[
            (
                f"GET {path} HTML, median",
                small["http_html"][path]["median_ms"],
                large["http_html"][path]["median_ms"],
                "ms",
            )
            for path in small["http_html"]
        ],
        *[
            (
                f"Chromium {path} first card, median",
                small["browser_first_card"][path]["median_ms"],
                large["browser_first_card"][path]["median_ms"],
                "ms",
            )
            for path in small["browser_first_card"]
        ],
    ]
    lines = [
        "### Content scale (10 vs 10,000 posts)",
        _machine(result),
        "",
        "| measure | 10 posts | 10,000 posts | 10k / 10 |",
        "|---|---|---|---|",
    ]
    for name, a, b, unit in rows:
        lines.append(f"| {name} | {a} {unit} | {b} {unit} | {b / a:.1f}× |")
    lines += [
        "",
        f"Calls: service {small['service']['list_posts']['calls']} / {large['service']['list_posts']['calls']}; "
        f"budget ≤ {result['budget_ratio']}×; misses: {', '.join(result['budget_misses']) or 'none'}",
        "",
        "EXPLAIN QUERY PLAN at 10,000 posts:",
        "",
        "```",
    ]
    for plan in result["explain_query_plan_10k"]:
        lines.append(plan["sql"][:200] + ("…" if len(plan["sql"]) > 200 else ""))
        lines += [f"    {step}" for step in plan["plan"]]
    lines.append("```")
    what_if = result.get("what_if_sqlite_ms_10k")
    if what_if:
        lines += [
            "",
            "SQLite alone at 10,000 posts (median of 15, on a copy; candidates with an index on (status, published_at)):",
            "",
            "| statement | ms |",
            "|---|---|",
        ]
        lines += [f"| {name} | {ms} |" for name, ms in what_if.items()]
    return lines


def main() -> None:
    for name, render in (
        ("lighthouse", lighthouse),
        ("throughput", throughput),
        ("contact_load", contact),
        ("content_scale", content),
    ):
        result = _load(name)
        print("\n".join(render(result)) if result else f"### {name}\n(no results yet: run bench/{name}.py)")
        print()


if __name__ == "__main__":
    main()
