#!/usr/bin/env bash
# Lists 100,000 objects from a local sandbox with osslite-core and with alibabacloud-oss-v2's
# paginator in one run (objects/s, peak RSS), then times `osslite-cli presign -r --csv` over them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
count=${1:-100000}
python=${OSSLITE_SDK_PYTHON:-$repo/target/sdk-venv/bin/python}
[ -x "$python" ] || { echo "missing $python: run 'make sdk-venv'" >&2; exit 1; }

(cd "$repo" && cargo build --quiet --release -p osslite-cli && cargo build --quiet --release -p osslite-core --example list_throughput)
work=$(mktemp -d "${TMPDIR:-/tmp}/osslite-list-bench.XXXXXX")
. "$here/sandbox.sh"
export OSS_ACCESS_KEY_ID=LTAI5tBenchListKey OSS_ACCESS_KEY_SECRET=bench-list-secret-not-real
start_sandbox "$repo/target/release/osslite-cli" "$work/root" --bucket bench

field() { awk -v name="$1" '{for (i = 1; i < NF; i++) if ($i == name) print $(i + 1)}'; }
echo "populating $count objects..." >&2
"$repo/target/release/examples/list_throughput" "$endpoint" bench big/ --populate "$count" > /dev/null
ours=$("$repo/target/release/examples/list_throughput" "$endpoint" bench big/)
sdk=$("$python" "$here/list_sdk.py" "$endpoint" bench big/)
started=$(date +%s.%N)
"$repo/target/release/osslite-cli" presign oss://bench/big/ -r --csv "$work/urls.csv" \
  --endpoint "$endpoint" --region cn-hangzhou --addressing path 2> /dev/null
export_seconds=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
rows=$(($(wc -l < "$work/urls.csv") - 1))

printf '%-36s %10s %14s %14s\n' "listing $count objects (1000/page)" objects "objects/s" "peak RSS MiB"
for row in "osslite-core|$ours" "alibabacloud-oss-v2 paginator|$sdk"; do
  name=${row%%|*}; line=${row#*|}
  printf '%-36s %10s %14s %14s\n' "$name" "$(echo "$line" | field OBJECTS)" "$(echo "$line" | field OBJECTS_PER_SEC)" \
    "$(awk -v k="$(echo "$line" | field PEAK_RSS_KB)" 'BEGIN { printf "%.1f", k / 1024 }')"
done
awk -v a="$(echo "$ours" | field OBJECTS_PER_SEC)" -v b="$(echo "$sdk" | field OBJECTS_PER_SEC)" \
  'BEGIN { printf "osslite-core lists %.1fx as fast as the SDK\n", a / b }'
echo "presign -r --csv: $rows rows in $export_seconds s"
