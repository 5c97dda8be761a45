#!/usr/bin/env bash
# Issue 7's benchmark: the same file (default 2 GiB) uploaded and downloaded through the real app
# window (release build, WebKitGTK under Xvfb, started the way a user starts a transfer: Upload →
# the GTK "Upload files" dialog; select → Download → the GTK "Choose a folder" dialog) and with
# `osslite-cli cp`, same part size and parallelism, in one run against one local sandbox. Prints
# MiB/s of both, the app/CLI ratio, and the RSS of the CLI, of the app's Rust process and of the
# web view (WebKitWebProcess + WebKitNetworkProcess) during each transfer. Every download is
# compared with the source file. ROUNDS rounds (default 5; the machine may be busy) give medians.
# See app-transfer.mjs for what each figure measures.
#   tests/bench/app-transfer.sh [SIZE_MIB] [ROUNDS]
# Needs about 3 × SIZE_MIB of free disk in $TMPDIR (the file, the object and, while the sandbox
# completes a multipart upload, its parts).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
size_mib=${1:-2048}
rounds=${2:-5}

(cd "$repo/ui" && npm run --silent build >/dev/null)
(cd "$repo" && cargo build --quiet --release -p osslite -p osslite-cli)
[ -d "$repo/tests/e2e/node_modules" ] || (cd "$repo/tests/e2e" && npm ci --no-audit --no-fund)
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time (Debian package 'time')" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/osslite-app-transfer-bench.XXXXXX")
. "$here/sandbox.sh"
export OSS_ACCESS_KEY_ID=LTAI5tBenchTransferKey OSS_ACCESS_KEY_SECRET=bench-transfer-secret-not-real
start_sandbox "$repo/target/release/osslite-cli" "$work/root" --bucket bench

echo "generating ${size_mib} MiB of random data..." >&2
mkdir -p "$work/files"
head -c "$((size_mib * 1048576))" /dev/urandom >"$work/files/data.bin"

echo "machine load: $(cut -d' ' -f1-3 /proc/loadavg)"
# The session's D-Bus, portal and WebKit chatter goes to a log, shown only when the run fails.
OSSLITE_APP="$repo/target/release/osslite" OSSLITE_CLI="$repo/target/release/osslite-cli" OSSLITE_SANDBOX_PID="$sandbox_pid" \
  "$repo/tests/e2e/desktop-session.sh" node "$here/app-transfer.mjs" "$endpoint" bench "$work/files/data.bin" "$work" "$rounds" \
  2>"$work/session.err" || { tail -n 60 "$work/session.err" >&2; exit 1; }
echo "machine load: $(cut -d' ' -f1-3 /proc/loadavg)"
