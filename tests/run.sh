#!/usr/bin/env bash
# Set up and run the whole test suite: Python deps, the example app's and the fixture projects'
# npm packages, ruff, pytest. The fixture matrix (tests/fixtures/projects) runs beside the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e '.[test]'
bash examples/install-node-modules.sh
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests"
  as_root=$([ "$(id -u)" = 0 ] || echo sudo)
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq chromium >/dev/null
fi
if ! { command -v initdb && command -v pg_ctl; } >/dev/null 2>&1 \
    && ! compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; then
  echo "installing Debian's postgresql for the fixture runtime test (it runs its own server)"
  as_root=$([ "$(id -u)" = 0 ] || echo sudo)
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq postgresql >/dev/null
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
pytest=(.venv/bin/pytest -q -p no:cacheprovider)
if [ $# -gt 0 ]; then  # a selection of tests: run just those
  bash tests/install-fixtures.sh
  exec "${pytest[@]}" "$@"
fi
# The fixture projects install and their matrix runs while the main suite runs.
basetemp=$(mktemp -d)
( bash tests/install-fixtures.sh && "${pytest[@]}" -m matrix --basetemp "$basetemp/matrix" ) \
  > .matrix.log 2>&1 &
matrix=$!
main_status=0
"${pytest[@]}" -m "not matrix" --basetemp "$basetemp/main" || main_status=$?
matrix_status=0
wait $matrix || matrix_status=$?
echo "--- fixture matrix (tests/fixtures/projects) ---"
cat .matrix.log
rm -rf "$basetemp"
exit $(( main_status || matrix_status ))
