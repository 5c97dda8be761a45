#!/usr/bin/env bash
# Runs a command in a desktop session like a user's: an Xvfb display (1600x1000, room for the
# 1440×900 window of layout.test.mjs), a private D-Bus session bus with an unlocked GNOME keyring
# in it, English UI text. Used by run.sh (the e2e tests) and the app benchmarks in tests/bench/.
#   tests/e2e/desktop-session.sh COMMAND [ARG...]
set -euo pipefail

# The keyring file goes to $XDG_DATA_HOME/keyrings/: a fresh one per session, removed afterwards.
# (The app gets its own data/config/cache homes from support.mjs.)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/osslite-session.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME="$scratch/data"
mkdir -p "$XDG_DATA_HOME"

# The UI follows the system language; tests and benchmarks read English text.
export LANG=en_US.UTF-8 LANGUAGE=en

# --unlock reads the keyring password from stdin (it must not be empty) and creates the login
# keyring on first use; the daemon ends with the session bus.
xvfb-run -a -s '-screen 0 1600x1000x24' dbus-run-session -- sh -c '
  printf %s osslite-session-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"
' desktop-session "$@"
