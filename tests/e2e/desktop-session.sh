#!/usr/bin/env bash
# Runs a command in a desktop session like a user's: an Xvfb display (1600x1000, room for the
# 1440×900 window of layout.test.mjs), a private D-Bus session bus with an unlocked GNOME keyring
# in it. Used by run.sh (the e2e tests), the app benchmarks in tests/bench/ and `make run` on a
# machine without a display.
#   tests/e2e/desktop-session.sh COMMAND [ARG...]
# OSSLITE_SESSION=user (`make run`) keeps the user's data homes and language; otherwise (tests) the
# session has English UI text and a scratch XDG_DATA_HOME.
set -euo pipefail

# The keyring file goes to $keyring_home/keyrings/: a fresh one per session, removed afterwards.
# (Tests give the app its own data/config/cache homes from support.mjs.)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/osslite-session.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
keyring_home="$scratch/data"
mkdir -p "$keyring_home"

if [ "${OSSLITE_SESSION:-test}" != user ]; then
  export XDG_DATA_HOME="$keyring_home"
  # The UI follows the system language; tests and benchmarks read English text.
  export LANG=en_US.UTF-8 LANGUAGE=en
fi

# --unlock reads the keyring password from stdin (it must not be empty) and creates the login
# keyring on first use; the daemon ends with the session bus.
KEYRING_HOME="$keyring_home" xvfb-run -a -s '-screen 0 1600x1000x24' dbus-run-session -- sh -c '
  printf %s osslite-session-keyring | XDG_DATA_HOME="$KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"
' desktop-session "$@"
