"""Requests/s and p50/p95/p99 latency of `/` and a post page: the production server (one worker) vs nginx
serving the very bytes the app sent for them (saved as files, with their gzip copies), one after the
other, on the same machine; then each app process's resident memory after the load.

Run: .venv/bin/python bench/throughput.py [--duration 10] [--connections 32] [--workers 1]
Needs wrk and nginx (Debian: apt-get install -y wrk nginx).
"""

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from app_server import BENCH_DIR, SEEDED_POST_SLUG, background_process, free_port, running_app, save_results, wait_for

PATHS = {"/": "/", "post": f"/posts/{SEEDED_POST_SLUG}"}
WRK_THREADS = 2
WARMUP_S = 2
NGINX_CONF = """
{user}worker_processes {workers};
pid {root}/nginx.pid;
error_log {root}/error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp; fastcgi_temp_path {root}/tmp;
    uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {static};
        gzip_static on;
        location / {{ try_files $uri $uri.html $uri/index.html /__spa-fallback.html; }}
    }}
}}
"""


def nginx_binary() -> str | None:
    """nginx from PATH, or Debian's /usr/sbin (not on a plain user's PATH)."""
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def nginx_user() -> str:
    """As root, nginx's workers would run as www-data and could not read our 0700 temp dirs."""
    return "user root;\n" if os.geteuid() == 0 else ""


def wrk(url: str, duration_s: int, connections: int) -> dict:
    """One bounded wrk run with browser-like compression; returns its numbers."""
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{connections}",
        f"-d{duration_s}s",
        "--timeout",
        "5s",
        "-H",
        "Accept-Encoding: gzip, deflate, br",
        "-H",
        "Accept-Language: en-US,en;q=0.9",
        "-s",
        str(BENCH_DIR / "wrk_report.lua"),
        url,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=duration_s + 30).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    raw = json.loads(line.removeprefix("WRK_JSON "))
    errors = sum(value for key, value in raw.items() if key.startswith("errors_"))
    return {
        "requests_per_s": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "requests": raw["requests"],
        "errors": errors,
        "bytes_per_response": round(raw["bytes"] / max(1, raw["requests"])),
    }


def fetch_check(url: str) -> dict:
    """One request as a browser would make it: status, body size and whether it came compressed."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
        return {
            "status": response.status,
            "bytes": len(body),
            "encoding": response.headers.get("content-encoding") or "none",
        }


def save_app_pages(base_url: str, folder: Path) -> None:
    """The app's answers for every measured path, as files nginx serves (`/` as index.html, gzip beside)."""
    for path in PATHS.values():
        request = urllib.request.Request(
            base_url + path, headers={"Accept-Encoding": "gzip", "Accept-Language": "en-US,en;q=0.9"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            body = gzip.decompress(raw) if response.headers.get("content-encoding") == "gzip" else raw
        target = folder / ("index.html" if path == "/" else path.lstrip("/") + ".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        (target.parent / (target.name + ".gz")).write_bytes(raw if raw != body else gzip.compress(body, 6))


def nginx_pids(scratch: Path) -> list[int]:
    """nginx's master and workers (children of the master named in its pid file)."""
    master = int((scratch / "nginx.pid").read_text().strip())
    children = Path(f"/proc/{master}/task/{master}/children")
    return [master, *map(int, children.read_text().split())] if children.exists() else [master]


def resident_memory(root: Path) -> list[dict]:
    """RSS of every process running from the app's folder (Reflex's supervisor and its workers)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if Path(os.readlink(status.parent / "cwd")) != root:
                continue
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            command = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        found.append(
            {
                "pid": int(status.parent.name),
                "ppid": int(fields["PPid"]),
                "rss_mib": round(int(fields.get("VmRSS", "0 kB").split()[0]) / 1024, 1),
                "command": command[:80],
            }
        )
    return sorted(found, key=lambda process: process["pid"])


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time the processes `pids` have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def measure(
    base_url: str, duration_s: int, connections: int, server_pids: list[int], paths: dict[str, str] = PATHS
) -> dict:
    """Every path (`PATHS` unless given) against one server: a short warm-up, then the measured run, with the
    CPU time the server spent on it (requests per CPU second hold still when other work slows the machine)."""
    results = {}
    for label, path in paths.items():
        check = fetch_check(base_url + path)
        wrk(base_url + path, WARMUP_S, connections)
        cpu_before = cpu_seconds(server_pids)
        run = wrk(base_url + path, duration_s, connections)
        cpu = cpu_seconds(server_pids) - cpu_before
        results[label] = {
            **run,
            "server_cpu_s": round(cpu, 2),
            "requests_per_server_cpu_s": round(run["requests"] / cpu) if cpu else None,
            "check": check,
        }
        print(f"  {label}: {results[label]}", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured wrk run")
    parser.add_argument("--connections", type=int, default=32, help="open connections")
    parser.add_argument("--nginx-workers", type=int, default=1, help="nginx worker processes (as many as the app's)")
    parser.add_argument("--workers", type=int, default=1, help="the app's granian workers (requests/s per worker)")
    args = parser.parse_args()
    if shutil.which("wrk") is None or nginx_binary() is None:
        sys.exit("wrk and nginx are needed: apt-get install -y wrk nginx")
    started = time.monotonic()
    extra_env = {"GRANIAN_WORKERS": str(args.workers)}
    with (
        running_app("throughput", extra_env) as app,
        tempfile.TemporaryDirectory(prefix="vws_bench_nginx_") as scratch_name,
    ):
        print(f"reflex prod (granian, {args.workers} worker(s)):", flush=True)
        reflex = measure(
            app.base_url, args.duration, args.connections, [p["pid"] for p in resident_memory(app.root.resolve())]
        )
        memory = resident_memory(app.root.resolve())
        print(f"  resident memory after the load: {memory}", flush=True)
        scratch = Path(scratch_name)
        (scratch / "tmp").mkdir()
        pages = scratch / "pages"
        save_app_pages(app.base_url, pages)
        port = free_port()
        conf = scratch / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(user=nginx_user(), workers=args.nginx_workers, root=scratch, port=port, static=pages)
        )
        with background_process(
            [nginx_binary(), "-c", str(conf), "-p", str(scratch)], cwd=scratch, log_path=scratch / "nginx.out"
        ):
            wait_for(f"http://127.0.0.1:{port}/")
            print(f"nginx {args.nginx_workers} worker(s), the app's pages as files:", flush=True)
            static = measure(f"http://127.0.0.1:{port}", args.duration, args.connections, nginx_pids(scratch))
    ratios = {
        label: {
            "throughput_nginx_over_reflex": round(static[label]["requests_per_s"] / reflex[label]["requests_per_s"], 1),
            "throughput_reflex_over_nginx": round(reflex[label]["requests_per_s"] / static[label]["requests_per_s"], 3),
            "p95_reflex_over_nginx": round(reflex[label]["p95_ms"] / max(static[label]["p95_ms"], 0.01), 1),
        }
        for label in PATHS
    }
    save_results(
        "throughput",
        {
            "settings": {
                "duration_s": args.duration,
                "connections": args.connections,
                "wrk_threads": WRK_THREADS,
                "nginx_workers": args.nginx_workers,
                "app_workers": args.workers,
                "accept_encoding": "gzip, deflate, br",
                "nginx_serves": "the app's own answers, saved as files",
            },
            "reflex_prod": reflex,
            "nginx_static": static,
            "ratios": ratios,
            "app_processes_after_load": memory,
            "wall_seconds": round(time.monotonic() - started),
        },
    )
    print(json.dumps(ratios, indent=2))


if __name__ == "__main__":
    main()
