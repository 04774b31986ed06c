"""Requests/s and p99 of `/`, a post and `/posts` with 10,000 posts in the database, through the README's
nginx recipe with page files, beside the same nginx serving the same bytes as a plain static file, and
the app alone; each app process's resident memory after the load; then how long an edit takes to show
through nginx. One run, one machine, one nginx (both servers in it).

The posts are inserted as `content_scale.py` does (`fill_to`) once the first page files are there; the
measuring waits until the site has written a file for every one of them and its processes are idle.

Run: .venv/bin/python bench/page_files.py [--duration 10] [--connections 32] [--posts 10000] [--edits 20]
Needs wrk and Debian's nginx with the Brotli module (apt-get install -y wrk nginx libnginx-mod-http-brotli-static).
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

from app_server import PROJECT_ROOT, free_port, running_app, save_results
from content_scale import fill_to
from throughput import PATHS as THROUGHPUT_PATHS
from throughput import WRK_THREADS, cpu_seconds, measure, resident_memory

sys.path.insert(0, str(PROJECT_ROOT))  # the recipe's runner and the services, for the edits
from sqlalchemy import func, select  # noqa: E402
from sqlmodel import Session, col  # noqa: E402

from tests.nginx_site import running_nginx, site_config, unavailable_reason  # noqa: E402
from vws_app.models import Editor, Post, utc_now  # noqa: E402
from vws_app.server.page_files import INCLUDE_NAME  # noqa: E402
from vws_app.services import editorial  # noqa: E402
from vws_app.services.database import engine_for  # noqa: E402
from vws_app.services.editorial import PostInput  # noqa: E402

PATHS = {**THROUGHPUT_PATHS, "/posts": "/posts"}  # `/posts`: page 1 of the list, measured with 10,000 posts
FIRST_FILES_WITHIN_S = 120
ALL_FILES_WITHIN_S = (
    1800  # 10,000 posts rendered and compressed twice each by one worker; slower when the machine is busy
)
FILES_POLL_S = 2.0
QUIET_WINDOW_S = 3.0
QUIET_CPU_SHARE = 0.15  # the app's processes used under 15 % of a core over the window: the writer is done
EDIT_VISIBLE_WITHIN_S = 30
POLL_S = 0.005
# The same bytes as a static site would hold them: the page files themselves, copied.
STATIC_SERVER = """
server {{
    listen 127.0.0.1:{port};
    root {root};
    types {{ }}
    default_type text/html;
    charset utf-8;
    gzip_static on;
    brotli_static on;
    location / {{ try_files $uri.html =404; }}
}}
"""


def copy_as_static(page_files: Path, target: Path) -> None:
    """The English files of `PATHS` under `target`, at the same addresses, for nginx's plain static server."""
    generation = next(entry for entry in page_files.iterdir() if entry.is_dir())
    for path in PATHS.values():
        folder = "any" if path.startswith("/posts/") else "en"
        for suffix in ("", ".gz", ".br"):
            source = generation / f"{folder}{path}.html{suffix}"
            destination = target / f"{path.lstrip('/')}.html{suffix}"
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


def seed_posts(database_url: str, total: int) -> int:
    """Bench posts (published, as `content_scale.py` inserts them) until the database holds `total`; how many."""
    with Session(engine_for(database_url)) as session:
        fill_to(session, total)
        return session.scalar(select(func.count()).select_from(Post).where(col(Post.slug).like("bench-post-%")))


def wait_for_all_files(pages: Path, bench_posts: int, app_root: Path, within_s: float) -> float:
    """Wait until the site wrote a page file for each bench post and its processes went quiet; seconds waited."""
    started = time.monotonic()
    deadline = started + within_s
    written = 0
    while time.monotonic() < deadline:
        folders = [entry / "any" / "posts" for entry in pages.iterdir() if entry.is_dir()]
        written = sum(1 for folder in folders if folder.is_dir() for _ in folder.glob("bench-post-*.html"))
        if written >= bench_posts:
            pids = [process["pid"] for process in resident_memory(app_root)]
            before = cpu_seconds(pids)
            time.sleep(QUIET_WINDOW_S)
            if cpu_seconds(pids) - before < QUIET_CPU_SHARE * QUIET_WINDOW_S:
                return time.monotonic() - started
        else:
            time.sleep(FILES_POLL_S)
    raise SystemExit(f"{written} of {bench_posts} post files, or the app still busy, after {within_s:.0f} s")


def nginx_pids(master: int) -> list[int]:
    """nginx's master and its workers."""
    children = Path(f"/proc/{master}/task/{master}/children")
    return [master, *map(int, children.read_text().split())] if children.exists() else [master]


def served_from_file(url: str) -> dict:
    """One browser-like request: status, compression and whether nginx sent a file (an ETag: the app sends none)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
        encoding = response.headers.get("content-encoding") or "none"
        return {
            "status": response.status,
            "bytes": len(body),
            "encoding": encoding,
            "from_file": response.headers.get("etag") is not None,
        }


def measure_checked(base_url: str, duration_s: int, connections: int, server_pids: list[int]) -> dict:
    """`throughput.measure` (warm-up, then wrk per path), each path's result with where its answer came from."""
    checks = {label: served_from_file(base_url + path) for label, path in PATHS.items()}
    results = measure(base_url, duration_s, connections, server_pids, PATHS)
    return {label: {**result, "check": checks[label]} for label, result in results.items()}


def edit_delays(database_url: str, nginx_url: str, edits: int) -> list[float]:
    """Seconds from an editor's save (through the services) until nginx sends the new text, per edit."""
    engine = engine_for(database_url)
    with Session(engine) as session:
        editor = Editor(email=f"bench-{uuid.uuid4().hex[:8]}@example.org", display_name="Bench", password_hash="-")
        session.add(editor)
        session.commit()
        session.refresh(editor)
        moment = utc_now() - timedelta(minutes=1)
        post = editorial.create_post(
            session, PostInput(title="Bench edits", body="Start.", status="published", published_at=moment), editor
        )
        delays = []
        for number in range(edits):
            marker = f"edit-{number}-{uuid.uuid4().hex[:8]}"
            saved = time.monotonic()
            editorial.update_post(
                session,
                post.id,
                PostInput(title="Bench edits", body=marker, status="published", published_at=moment),
                editor,
            )
            while marker.encode() not in urllib.request.urlopen(f"{nginx_url}/posts/{post.slug}", timeout=10).read():
                if time.monotonic() - saved > EDIT_VISIBLE_WITHIN_S:
                    raise RuntimeError(f"edit {number} not visible through nginx after {EDIT_VISIBLE_WITHIN_S} s")
                time.sleep(POLL_S)
            delays.append(time.monotonic() - saved)
        session.delete(session.get(Post, post.id))
        session.commit()
    return delays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured wrk run")
    parser.add_argument("--connections", type=int, default=32, help="open connections")
    parser.add_argument("--nginx-workers", type=int, default=1, help="nginx worker processes (Reflex prod runs one)")
    parser.add_argument("--edits", type=int, default=20, help="edits timed until nginx shows them")
    parser.add_argument("--posts", type=int, default=10_000, help="posts in the database while measuring")
    parser.add_argument("--files-within", type=float, default=ALL_FILES_WITHIN_S, help="seconds to wait for the files")
    args = parser.parse_args()
    if shutil.which("wrk") is None or (reason := unavailable_reason()):
        sys.exit(f"wrk and Debian's nginx with its Brotli module are needed ({reason or 'apt-get install -y wrk'})")
    started = time.monotonic()
    load_at_start = [round(value, 2) for value in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="vws_bench_page_files_") as scratch_name:
        scratch = Path(scratch_name)
        pages = scratch / "page-files"
        with running_app("page_files", {"PAGE_FILES_DIR": str(pages)}) as app:
            deadline = time.monotonic() + FIRST_FILES_WITHIN_S
            while not (pages / INCLUDE_NAME).exists():
                if time.monotonic() > deadline:
                    sys.exit(f"no page files after {FIRST_FILES_WITHIN_S} s")
                time.sleep(0.2)
            app_root = app.root.resolve()
            bench_posts = seed_posts(app.database_url, args.posts)
            print(f"{bench_posts} bench posts inserted; waiting for their page files …", flush=True)
            files_s = wait_for_all_files(pages, bench_posts, app_root, args.files_within)
            print(f"every post has its page file after {files_s:.0f} s", flush=True)
            memory_before = resident_memory(app_root)
            copy_as_static(pages, scratch / "static")
            port, static_port = free_port(), free_port()
            site = site_config(port=port, redirect_port=free_port(), app_url=app.base_url, page_files=pages)
            site += STATIC_SERVER.format(port=static_port, root=scratch / "static")
            with running_nginx(scratch / "nginx", site, port, workers=args.nginx_workers, access_log=False) as nginx:
                servers = nginx_pids(nginx.pid)
                print("nginx, README recipe with page files:", flush=True)
                proxied = measure_checked(f"http://127.0.0.1:{port}", args.duration, args.connections, servers)
                not_files = [label for label, result in proxied.items() if not result["check"]["from_file"]]
                if not_files:
                    sys.exit(f"the recipe passed {not_files} to the app instead of sending their files")
                print("nginx, the same bytes as a static file:", flush=True)
                static = measure_checked(f"http://127.0.0.1:{static_port}", args.duration, args.connections, servers)
                print("the app alone:", flush=True)
                app_pids = [process["pid"] for process in resident_memory(app_root)]
                alone = measure_checked(app.base_url, args.duration, args.connections, app_pids)
                memory_after = resident_memory(app_root)
                print(f"  resident memory after the load: {memory_after}", flush=True)
                delays = edit_delays(app.database_url, f"http://127.0.0.1:{port}", args.edits)
    ratios = {
        label: {
            "page_files_over_static": round(proxied[label]["requests_per_s"] / static[label]["requests_per_s"], 2),
            "page_files_over_app": round(proxied[label]["requests_per_s"] / alone[label]["requests_per_s"], 1),
        }
        for label in PATHS
    }
    edit = {"edits": len(delays), "median_s": round(statistics.median(delays), 3), "max_s": round(max(delays), 3)}
    save_results(
        "page_files",
        {
            "settings": {
                "duration_s": args.duration,
                "connections": args.connections,
                "wrk_threads": WRK_THREADS,
                "nginx_workers": args.nginx_workers,
                "accept_encoding": "gzip, deflate, br",
                "posts": args.posts,
                "bench_posts": bench_posts,
            },
            "load_average_1_5_15_at_start": load_at_start,
            "page_files_for_every_post_s": round(files_s),
            "nginx_page_files": proxied,
            "nginx_static": static,
            "app_alone": alone,
            "ratios": ratios,
            "app_processes_before_load": memory_before,
            "app_processes_after_load": memory_after,
            "edit_visible_through_nginx": edit,
            "wall_seconds": round(time.monotonic() - started),
        },
    )
    print(json.dumps({"ratios": ratios, "edit_visible_through_nginx": edit, "memory": memory_after}, indent=2))


if __name__ == "__main__":
    main()
