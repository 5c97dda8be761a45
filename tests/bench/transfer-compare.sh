#!/usr/bin/env bash
# Uploads and downloads the same file (default 2 GiB) to and from a local sandbox with
# `osslite-cli cp` and with alibabacloud-oss-v2's Uploader / Downloader (Python), same part size
# and parallelism, in one run; prints throughput, peak RSS (GNU time) and our ratios.
#   tests/bench/transfer-compare.sh [SIZE_MIB] [PART_SIZE_MIB] [PARALLEL]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
size_mib=${1:-2048}
part_mib=${2:-8}
parallel=${3:-4}
python=${OSSLITE_SDK_PYTHON:-$repo/target/sdk-venv/bin/python}
cli=$repo/target/release/osslite-cli

[ -x "$python" ] || { echo "missing $python: run 'make sdk-venv'" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time (Debian package 'time')" >&2; exit 1; }
(cd "$repo" && cargo build --quiet --release -p osslite-cli)

work=$(mktemp -d "${TMPDIR:-/tmp}/osslite-transfer-bench.XXXXXX")
. "$here/sandbox.sh"
export OSS_ACCESS_KEY_ID=LTAI5tTransferBench OSS_ACCESS_KEY_SECRET=transfer-bench-secret
start_sandbox "$cli" "$work/root" --bucket bench

echo "generating ${size_mib} MiB of random data..." >&2
head -c "$((size_mib * 1048576))" /dev/urandom >"$work/data.bin"
bytes=$((size_mib * 1048576))

# Runs "$@" under GNU time; sets `secs` (wall clock) and `rss_kib` (peak resident set).
measure() {
    # Each run starts with the page cache's dirty data written out, so none pays for another's.
    sync
    sleep 2
    /usr/bin/time -f 'WALL %e RSS %M' -o "$work/time.txt" "$@" >"$work/run.out" 2>"$work/run.err" || {
        echo "failed: $*" >&2; cat "$work/run.err" >&2; exit 1
    }
    secs=$(awk '/^WALL/ {print $2}' "$work/time.txt")
    rss_kib=$(awk '/^WALL/ {print $4}' "$work/time.txt")
}

cp_args=(--endpoint "$endpoint" --region cn-hangzhou --addressing path --checkpoint-dir "$work/checkpoints"
    --part-size "${part_mib}M" --parallel "$parallel" --multipart-threshold "${part_mib}M" --on-conflict overwrite)
part_bytes=$((part_mib * 1048576))

results=()
record() { results+=("$1|$2|$secs|$rss_kib"); }

measure "$cli" cp "$work/data.bin" oss://bench/ours.bin "${cp_args[@]}"
record "osslite-cli cp" upload
measure "$python" "$here/transfer_sdk.py" upload "$endpoint" bench sdk.bin "$work/data.bin" "$part_bytes" "$parallel"
record "alibabacloud-oss-v2 (Python)" upload
measure "$cli" cp oss://bench/ours.bin "$work/ours.down" "${cp_args[@]}"
record "osslite-cli cp" download
cmp -s "$work/data.bin" "$work/ours.down" || { echo "our download differs from the file" >&2; exit 1; }
rm -f "$work/ours.down"
measure "$python" "$here/transfer_sdk.py" download "$endpoint" bench sdk.bin "$work/sdk.down" "$part_bytes" "$parallel"
record "alibabacloud-oss-v2 (Python)" download
cmp -s "$work/data.bin" "$work/sdk.down" || { echo "the SDK's download differs from the file" >&2; exit 1; }

printf '%s MiB, %s MiB parts, %s in flight, loopback sandbox, %s cores\n' "$size_mib" "$part_mib" "$parallel" "$(nproc)"
printf '%-30s %-9s %9s %10s %12s\n' tool direction seconds "MiB/s" "peak RSS MiB"
declare -A ours
for row in "${results[@]}"; do
    IFS='|' read -r tool direction secs rss <<<"$row"
    rate=$(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.0f", b / 1048576 / s }')
    printf '%-30s %-9s %9s %10s %12s\n' "$tool" "$direction" "$secs" "$rate" "$((rss / 1024))"
    if [ "$tool" = "osslite-cli cp" ]; then
        ours[$direction]=$secs
    else
        ratio=$(awk -v sdk="$secs" -v us="${ours[$direction]}" 'BEGIN { printf "%.2fx", sdk / us }')
        printf '%-30s %-9s %s\n' "  osslite-cli throughput is" "$direction" "$ratio"
    fi
done
