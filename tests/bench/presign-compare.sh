#!/usr/bin/env bash
# Presigns the same 100,000 GET URLs (one thread each) with osslite-core, alibabacloud-oss-v2
# (Python) and ali-oss (Node, signatureUrlV4) in one run, and prints the rates and our ratios.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
count=${1:-100000}
python=${OSSLITE_SDK_PYTHON:-$repo/target/sdk-venv/bin/python}

[ -x "$python" ] || { echo "missing $python: run 'make sdk-venv'" >&2; exit 1; }
[ -d "$here/node_modules/ali-oss" ] || (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
(cd "$repo" && cargo build --quiet --release -p osslite-core --example presign_throughput)

rate() { "$@" | awk '/^URLS_PER_SEC/ {print $2}'; }
ours=$(rate taskset -c 0 "$repo/target/release/examples/presign_throughput" "$count")
python_sdk=$(rate taskset -c 0 "$python" "$here/presign_sdk.py" "$count")
ali_oss=$(rate taskset -c 0 node "$here/presign_alioss.mjs" "$count")

printf '%-34s %12s %8s\n' "presigner ($count GET URLs, 1 core)" "URLs/s" "ours is"
printf '%-34s %12s %8s\n' "osslite-core" "$ours" "-"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
printf '%-34s %12s %8s\n' "alibabacloud-oss-v2 (Python)" "$python_sdk" "$(ratio "$ours" "$python_sdk")"
printf '%-34s %12s %8s\n' "ali-oss signatureUrlV4 (Node)" "$ali_oss" "$(ratio "$ours" "$ali_oss")"
