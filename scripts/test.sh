#!/usr/bin/env bash
# Install everything the tests need (Python packages into .venv, Debian's Chromium for the
# browser tests, Debian's nginx for the README's recipe) and run the whole suite.
# Usage: scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
. .venv/bin/activate
pip install --quiet --upgrade pip
pip install --quiet -r requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "Browser tests need Debian's Chromium: sudo apt-get install chromium" >&2
    fi
fi
if [ ! -x /usr/sbin/nginx ] || [ ! -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx libnginx-mod-http-brotli-static >/dev/null
    else
        echo "The nginx recipe's tests need Debian's nginx: sudo apt-get install nginx libnginx-mod-http-brotli-static" >&2
    fi
fi
exec python -m pytest "$@"
