#!/usr/bin/env bash
# CompleteMultipartUpload against the sandbox for objects of several sizes (8 parts each), timed
# with the official Python SDK: the sandbox links the parts' files instead of copying them, so the
# time should not grow with the size.
#   tests/bench/complete-bench.sh [ROUNDS] [SIZE_MIB...]     (default: 5 rounds of 64 and 1024 MiB)
# OSSLITE_CLI picks the sandbox binary (default target/release/osslite-cli).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(64 1024)
cli=${OSSLITE_CLI:-target/release/osslite-cli}
[ -x "$cli" ] || { echo "$cli is missing: cargo build --release -p osslite-cli" >&2; exit 1; }
work=$(mktemp -d)
. tests/bench/sandbox.sh
export OSS_ACCESS_KEY_ID=BENCH$RANDOM OSS_ACCESS_KEY_SECRET=bench-secret-$RANDOM
start_sandbox "$cli" "$work/root" --bucket bench
for size in "${sizes[@]}"; do
  target/sdk-venv/bin/python tests/bench/complete_sdk.py "$endpoint" bench "$size" "$rounds"
done
