#!/usr/bin/env bash
# Set up and run the whole test suite: Python deps, the example app's npm packages, ruff, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e '.[test]'
bash examples/install-node-modules.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/pytest -q -p no:cacheprovider "$@"
