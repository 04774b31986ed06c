#!/usr/bin/env bash
# Lint, formatting and types, as CI runs them before the tests (settings in pyproject.toml).
# Usage: scripts/lint.sh   (in the project's .venv, after `pip install -r requirements-dev.txt`).
# To fix what can be fixed: `ruff check --fix . && ruff format .`, then run this again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${VIRTUAL_ENV:-}" ] && [ -f .venv/bin/activate ]; then
    . .venv/bin/activate
fi
status=0
ruff check . || status=1
ruff format --check . || status=1
mypy || status=1
exit "$status"
