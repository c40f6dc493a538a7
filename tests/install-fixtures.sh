#!/usr/bin/env bash
# Install the npm packages of every fixture project in tests/fixtures/projects from its own
# lockfile, with its own package manager (the command in its fixture.json). A fixture whose
# lockfile is unchanged since its last install is skipped. Tests copy the fixtures with their
# node_modules hard-linked, so each is installed once per machine. Arguments name the fixtures
# to install (default: all of them).
set -euo pipefail
cd "$(dirname "$0")/fixtures/projects"
export CI=1 NEXT_TELEMETRY_DISABLED=1 COREPACK_ENABLE_DOWNLOAD_PROMPT=0
# This machine reaches the npm registry only, where corepack cannot verify the signatures of
# pnpm and yarn releases, nor fetch yarn berry from its own host.
export COREPACK_INTEGRITY_KEYS=0 COREPACK_NPM_REGISTRY=https://registry.npmjs.org
# The fixtures' package managers, as their users have them: bun and yarn classic from the npm
# registry, pnpm and yarn berry through Node's corepack (package.json `packageManager`).
command -v bun >/dev/null 2>&1 || npm install --global --no-audit --no-fund --loglevel=error bun@1.4.5
command -v yarn >/dev/null 2>&1 || npm install --global --no-audit --no-fund --loglevel=error yarn@1.22.22
command -v pnpm >/dev/null 2>&1 || corepack enable pnpm
status=0
[ $# -gt 0 ] || set -- */
for fixture in "$@"; do
  fixture=${fixture%/}
  [ -f "$fixture/fixture.json" ] || continue
  want=$(cat "$fixture/package.json" "$fixture"/{package-lock.json,pnpm-lock.yaml,yarn.lock,bun.lock} \
    2>/dev/null | sha256sum | cut -d' ' -f1) || true
  stamp="$fixture/node_modules/.csvimport-lock-sha256"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "$fixture: node_modules up to date"
    continue
  fi
  command=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["install"])' \
    "$fixture/fixture.json")
  echo "$fixture: $command"
  if (cd "$fixture" && rm -rf node_modules && bash -c "$command" > ../.install-"$fixture".log 2>&1); then
    echo "$want" > "$stamp"
  else
    echo "$fixture: install failed (see tests/fixtures/projects/.install-$fixture.log)"
    status=1
  fi
done
exit $status
