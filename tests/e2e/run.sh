#!/usr/bin/env bash
# End-to-end tests of the real app window, in a desktop session (desktop-session.sh: Xvfb, a private
# session bus with an unlocked GNOME keyring, where profiles keep their secrets), then `npm test`
# (node --test, every *.test.mjs here, one file at a time).
# Needs target/debug/osslite, target/debug/osslite-cli (the sandbox server) and tauri-driver.
# Exits non-zero when a test fails or the run takes longer than 11.5 minutes.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi

exec ./desktop-session.sh timeout --kill-after=10 900 npm test
