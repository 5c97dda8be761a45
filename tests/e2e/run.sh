#!/usr/bin/env bash
# End-to-end tests of the real app window: Xvfb display + private session bus,
# then `npm test` (node --test). Needs target/debug/osslite and tauri-driver.
# Exits non-zero when a test fails or the run takes longer than 3 minutes.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi

exec xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- \
  timeout --kill-after=10 180 npm test
