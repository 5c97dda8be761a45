#!/usr/bin/env bash
# Cold start and idle memory of the release app (issue 16), in a desktop session under Xvfb with no
# GPU: process start → first frame of the start screen (median of RUNS, default 10), then the
# memory of every process (app, WebKitWebProcess, WebKitNetworkProcess) idle on the start screen
# and with a folder of 1,000 objects open, and where the Rust process's memory goes (smaps).
# Also prints the sizes of the binary and, when built (`make package`), of the .deb.
#   tests/bench/app-start.sh [RUNS [BUILD]]   BUILD: release (default) or debug (no rebuild: as built)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
runs=${1:-10}
build=${2:-release}

if [ "$build" = release ]; then
  (cd "$repo/ui" && npm run --silent build >/dev/null)
  (cd "$repo" && cargo build --quiet --release -p osslite -p osslite-cli)
fi
bin="$repo/target/$build"
[ -d "$repo/tests/e2e/node_modules" ] || (cd "$repo/tests/e2e" && npm ci --no-audit --no-fund)

work=$(mktemp -d "${TMPDIR:-/tmp}/osslite-start-bench.XXXXXX")
. "$here/sandbox.sh"
export OSS_ACCESS_KEY_ID=LTAI5tBenchStartKey OSS_ACCESS_KEY_SECRET=bench-start-secret-not-real
start_sandbox "$bin/osslite-cli" "$work/root" --bucket bench
mkdir -p "$work/thousand"
for i in $(seq -w 1 1000); do printf 'object %s\n' "$i" >"$work/thousand/object-$i.txt"; done
"$bin/osslite-cli" cp -r --jobs 8 "$work/thousand" oss://bench/thousand/ --region cn-hangzhou --endpoint "$endpoint" --addressing path >/dev/null 2>&1

echo "machine load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary: target/$build/osslite $(stat -c %s "$bin/osslite" | numfmt --to=iec-i --suffix=B)"
for deb in "$bin"/bundle/deb/*.deb; do
  if [ -f "$deb" ]; then echo "package: $(basename "$deb") $(stat -c %s "$deb" | numfmt --to=iec-i --suffix=B)"; fi
done
OSSLITE_APP="$bin/osslite" OSSLITE_CLI="$bin/osslite-cli" \
  "$repo/tests/e2e/desktop-session.sh" node "$here/app-start.mjs" "$endpoint" bench thousand/ "$runs" 2>"$work/session.err" ||
  { tail -n 60 "$work/session.err" >&2; exit 1; }
