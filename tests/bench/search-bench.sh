#!/usr/bin/env bash
# Searches COUNT objects (default 100,000) in a local sandbox with `osslite-cli find`, end to end
# (process start, listing every key, filtering, printing the last match), three runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
count=${1:-100000}

(cd "$repo" && cargo build --quiet --release -p osslite-cli && cargo build --quiet --release -p osslite-core --example list_throughput)
work=$(mktemp -d "${TMPDIR:-/tmp}/osslite-search-bench.XXXXXX")
. "$here/sandbox.sh"
export OSS_ACCESS_KEY_ID=LTAI5tBenchSearchKey OSS_ACCESS_KEY_SECRET=bench-search-secret-not-real
start_sandbox "$repo/target/release/osslite-cli" "$work/root" --bucket bench

echo "populating $count objects..." >&2
"$repo/target/release/examples/list_throughput" "$endpoint" bench big/ --populate "$count" > /dev/null

cli=("$repo/target/release/osslite-cli" find oss://bench/big/ --name '*7*.txt' --min-size 512
  --endpoint "$endpoint" --region cn-hangzhou --addressing path)
for run in 1 2 3; do
  started=$(date +%s.%N)
  matches=$("${cli[@]}" 2> "$work/find.err" | wc -l)
  seconds=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
  echo "run $run: $(tail -1 "$work/find.err" | tr -d '\r'); $matches lines printed; $seconds s to the last result"
done
