#!/usr/bin/env bash
# Browsing COUNT objects (default 100,000) in one sandbox folder with the real app window (release
# build, WebKitGTK under Xvfb): first rows, load all, sort, scrolling, memory and CSV export.
# See app-browse.mjs for what each figure measures.
#   tests/bench/app-browse.sh [COUNT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
count=${1:-100000}
[ "$count" -gt 1000 ] || { echo "COUNT must be over 1000 (one page): the benchmark times \"Load all\"" >&2; exit 2; }

(cd "$repo/ui" && npm run --silent build >/dev/null)
(cd "$repo" && cargo build --quiet --release -p osslite -p osslite-cli &&
  cargo build --quiet --release -p osslite-core --example list_throughput)
[ -d "$repo/tests/e2e/node_modules" ] || (cd "$repo/tests/e2e" && npm ci --no-audit --no-fund)

work=$(mktemp -d "${TMPDIR:-/tmp}/osslite-browse-bench.XXXXXX")
. "$here/sandbox.sh"
export OSS_ACCESS_KEY_ID=LTAI5tBenchBrowseKey OSS_ACCESS_KEY_SECRET=bench-browse-secret-not-real
start_sandbox "$repo/target/release/osslite-cli" "$work/root" --bucket bench

echo "populating $count objects under big/..." >&2
"$repo/target/release/examples/list_throughput" "$endpoint" bench big/ --populate "$count" >/dev/null

echo "machine load: $(cut -d' ' -f1-3 /proc/loadavg)"
# The session's D-Bus, portal and WebKit chatter goes to a log, shown only when the run fails.
OSSLITE_APP="$repo/target/release/osslite" OSSLITE_CLI="$repo/target/release/osslite-cli" \
  "$repo/tests/e2e/desktop-session.sh" node "$here/app-browse.mjs" "$endpoint" bench big/ "$count" 2>"$work/session.err" ||
  { tail -n 60 "$work/session.err" >&2; exit 1; }
