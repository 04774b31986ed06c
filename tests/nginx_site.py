"""Debian's nginx running the README's recipe (`docs/nginx-site.conf`) on this machine, for the tests and `bench/`.

The recipe is used as written; only what differs here is replaced: the listening addresses
(a free port, no TLS), the app's address and the page-files folder. nginx runs in the
foreground in its own process group, with its pid, logs and temporary files in a folder of its own.
"""

import contextlib
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RECIPE = PROJECT_ROOT / "docs" / "nginx-site.conf"
NGINX = Path("/usr/sbin/nginx")
BROTLI_STATIC_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
RECIPE_APP = "http://127.0.0.1:8000"
RECIPE_PAGE_FILES = "/var/lib/vws/page-files"
RECIPE_TLS_LISTEN = "listen 443 ssl http2;"
RECIPE_PLAIN_LISTEN = "listen 80;"
START_TIMEOUT_S = 15
MAIN_CONFIG = """{load_module}{user}worker_processes {workers};
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {access_log};
    client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp; fastcgi_temp_path {root}/tmp;
    uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
    keepalive_requests 100000;
{site}
}}
"""


def unavailable_reason() -> str | None:
    """Why the recipe cannot run here, or None."""
    if not NGINX.exists():
        return f"Debian's nginx is not installed ({NGINX}): apt-get install nginx libnginx-mod-http-brotli-static"
    if not BROTLI_STATIC_MODULE.exists():
        return "Debian's Brotli module for nginx is not installed: apt-get install libnginx-mod-http-brotli-static"
    return None


def site_config(*, port: int, redirect_port: int, app_url: str, page_files: Path) -> str:
    """The recipe's `server` blocks and maps, with this machine's ports, app and folder."""
    recipe = RECIPE.read_text(encoding="utf-8")
    for expected in (RECIPE_TLS_LISTEN, RECIPE_PLAIN_LISTEN, RECIPE_APP, RECIPE_PAGE_FILES):
        assert expected in recipe, f"the recipe no longer has {expected!r}: update tests/nginx_site.py"
    lines = [line for line in recipe.splitlines() if "ssl_certificate" not in line]
    site = "\n".join(lines)
    site = site.replace(RECIPE_TLS_LISTEN, f"listen 127.0.0.1:{port};")
    site = site.replace(RECIPE_PLAIN_LISTEN, f"listen 127.0.0.1:{redirect_port};")
    return site.replace(RECIPE_APP, app_url).replace(RECIPE_PAGE_FILES, str(page_files))


def main_config(root: Path, site: str, *, workers: int = 1, access_log: bool = True) -> str:
    """A whole nginx.conf around `site` that keeps everything in `root` (no system paths but the module)."""
    return MAIN_CONFIG.format(
        workers=workers,
        access_log=f"{root}/access.log" if access_log else "off",
        load_module=f"load_module {BROTLI_STATIC_MODULE};\n",
        # As root, workers would run as nobody and could not read the tests' 0700 folders.
        user="user root;\n" if os.geteuid() == 0 else "",
        root=root,
        site=site,
    )


def config_refusal(root: Path) -> str:
    """What `nginx -t` says is wrong with `root`/nginx.conf ("" when nginx accepts it)."""
    command = [str(NGINX), "-p", str(root), "-e", str(root / "error.log"), "-c", str(root / "nginx.conf"), "-t"]
    checked = subprocess.run(command, capture_output=True, text=True, check=False)
    return "" if checked.returncode == 0 else checked.stderr


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@contextlib.contextmanager
def running_nginx(root: Path, site: str, port: int, **settings) -> Iterator[subprocess.Popen]:
    """nginx with `site` listening on `port` until the block ends; its files (logs, pid) in `root`.

    `settings` go to `main_config` (`workers`, `access_log`).
    """
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    config = root / "nginx.conf"
    config.write_text(main_config(root, site, **settings), encoding="utf-8")
    command = [str(NGINX), "-p", str(root), "-e", str(root / "error.log"), "-c", str(config), "-g", "daemon off;"]
    refusal = config_refusal(root)
    if refusal:
        raise RuntimeError(f"nginx refused the recipe:\n{refusal}")
    with (root / "nginx.out").open("w", encoding="utf-8") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _answers(f"http://127.0.0.1:{port}/healthz"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start:\n{(root / 'error.log').read_text(errors='replace')}")
            time.sleep(0.1)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGQUIT)  # graceful: finish the requests in hand
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
