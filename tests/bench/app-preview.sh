#!/usr/bin/env bash
# Preview of a 20 MB JPEG in the real app window (WebKitGTK under Xvfb): from the click on its row
# to the `load` event of the thumbnail drawn in the details panel (the sandbox resizes it with
# x-oss-process=image/resize), median of ROUNDS clicks. See app-preview.mjs.
#   tests/bench/app-preview.sh [ROUNDS]        release builds; PROFILE=debug for debug builds
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rounds=${1:-9}
profile=${PROFILE:-release}
flag=$([ "$profile" = release ] && echo --release || true)

(cd "$repo/ui" && npm run --silent build >/dev/null)
(cd "$repo" && cargo build --quiet $flag -p osslite -p osslite-cli &&
  cargo build --quiet $flag -p osslite-sandbox --example make_image)
[ -d "$repo/tests/e2e/node_modules" ] || (cd "$repo/tests/e2e" && npm ci --no-audit --no-fund)
bin="$repo/target/$profile"

work=$(mktemp -d "${TMPDIR:-/tmp}/osslite-preview-bench.XXXXXX")
. "$here/sandbox.sh"
export OSS_ACCESS_KEY_ID=LTAI5tBenchPreviewKey OSS_ACCESS_KEY_SECRET=bench-preview-secret-not-real
start_sandbox "$bin/osslite-cli" "$work/root" --bucket bench

# 3000×2000 of noise at quality 100 is about 20 MB; comment segments pad it to exactly 20,000,000
# bytes (under the 20 MiB OSS's image processing takes).
"$bin/examples/make_image" "$work/photo.jpg" 3000 2000 20000000 >&2
"$bin/examples/make_image" "$work/small.png" 64 48 >&2
for file in photo.jpg small.png; do
  "$bin/osslite-cli" cp "$work/$file" "oss://bench/pics/$file" --endpoint "$endpoint" --addressing path \
    --region cn-hangzhou >/dev/null
done

echo "machine load: $(cut -d' ' -f1-3 /proc/loadavg)"
OSSLITE_APP="$bin/osslite" OSSLITE_CLI="$bin/osslite-cli" \
  "$repo/tests/e2e/desktop-session.sh" node "$here/app-preview.mjs" "$endpoint" bench pics/ "$rounds" 2>"$work/session.err" ||
  { tail -n 60 "$work/session.err" >&2; exit 1; }
