#!/usr/bin/env bash
# Install the example app's npm packages once; later runs reuse them while package-lock.json is
# unchanged (tests share this node_modules between every project copy they make).
set -euo pipefail
app="$(cd "$(dirname "$0")/nextjs-app" && pwd)"
stamp="$app/node_modules/.csvimport-lock-sha256"
want="$(sha256sum "$app/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "examples/nextjs-app: node_modules up to date"
  exit 0
fi
echo "examples/nextjs-app: npm ci (about 2 minutes on a cold cache)"
(cd "$app" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" > "$stamp"
