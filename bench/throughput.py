"""Requests/s and p95 latency of `/` and a post page: the production server vs nginx serving the
same build's static frontend (`.web/build/client`), one after the other, on the same machine.

Run: .venv/bin/python bench/throughput.py [--duration 10] [--connections 32]
Needs wrk and nginx (Debian: apt-get install -y wrk nginx).
"""

import argparse
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
        "wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{duration_s}s", "--timeout", "5s",
        "-H", "Accept-Encoding: gzip, deflate, br", "-H", "Accept-Language: en-US,en;q=0.9",
        "-s", str(BENCH_DIR / "wrk_report.lua"), url,
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
        return {"status": response.status, "bytes": len(body), "encoding": response.headers.get("content-encoding") or "none"}


def measure(base_url: str, duration_s: int, connections: int) -> dict:
    """Every path against one server: a short warm-up, then the measured run."""
    results = {}
    for label, path in PATHS.items():
        check = fetch_check(base_url + path)
        wrk(base_url + path, WARMUP_S, connections)
        results[label] = {**wrk(base_url + path, duration_s, connections), "check": check}
        print(f"  {label}: {results[label]}", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured wrk run")
    parser.add_argument("--connections", type=int, default=32, help="open connections")
    parser.add_argument("--nginx-workers", type=int, default=1, help="nginx worker processes (Reflex prod runs one)")
    args = parser.parse_args()
    if shutil.which("wrk") is None or nginx_binary() is None:
        sys.exit("wrk and nginx are needed: apt-get install -y wrk nginx")
    started = time.monotonic()
    with running_app("throughput") as app, tempfile.TemporaryDirectory(prefix="vws_bench_nginx_") as scratch_name:
        print("reflex prod (granian):", flush=True)
        reflex = measure(app.base_url, args.duration, args.connections)
        scratch = Path(scratch_name)
        (scratch / "tmp").mkdir()
        port = free_port()
        conf = scratch / "nginx.conf"
        conf.write_text(NGINX_CONF.format(user=nginx_user(), workers=args.nginx_workers, root=scratch, port=port, static=app.static_client_dir))
        with background_process([nginx_binary(), "-c", str(conf), "-p", str(scratch)], cwd=scratch, log_path=scratch / "nginx.out"):
            wait_for(f"http://127.0.0.1:{port}/")
            print(f"nginx {args.nginx_workers} worker(s), static build:", flush=True)
            static = measure(f"http://127.0.0.1:{port}", args.duration, args.connections)
    ratios = {
        label: {
            "throughput_nginx_over_reflex": round(static[label]["requests_per_s"] / reflex[label]["requests_per_s"], 1),
            "p95_reflex_over_nginx": round(reflex[label]["p95_ms"] / max(static[label]["p95_ms"], 0.01), 1),
        }
        for label in PATHS
    }
    save_results("throughput", {
        "settings": {"duration_s": args.duration, "connections": args.connections, "wrk_threads": WRK_THREADS,
                     "nginx_workers": args.nginx_workers, "accept_encoding": "gzip, deflate, br"},
        "reflex_prod": reflex, "nginx_static": static, "ratios": ratios,
        "wall_seconds": round(time.monotonic() - started),
    })
    print(json.dumps(ratios, indent=2))


if __name__ == "__main__":
    main()
