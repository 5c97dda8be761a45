#!/usr/bin/env bash
# End-to-end tests of the real app window: an Xvfb display, a private session bus with an
# unlocked GNOME keyring in it (profiles keep their secrets there), then `npm test` (node --test,
# every *.test.mjs here, one file at a time).
# Needs target/debug/osslite, target/debug/osslite-cli (the sandbox server) and tauri-driver.
# Exits non-zero when a test fails or the run takes longer than 3 minutes.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi

# The keyring file goes to $XDG_DATA_HOME/keyrings/: a fresh one per run, removed afterwards.
# (The app gets its own data/config/cache homes from support.mjs.)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/osslite-e2e-run.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME="$scratch/data"
mkdir -p "$XDG_DATA_HOME"

# The UI follows the system language; the tests read English text.
export LANG=en_US.UTF-8 LANGUAGE=en

# --unlock reads the keyring password from stdin (it must not be empty) and creates the login
# keyring on first use; the daemon ends with the session bus.
xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- sh -c '
  printf %s osslite-e2e-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec timeout --kill-after=10 180 npm test
'
