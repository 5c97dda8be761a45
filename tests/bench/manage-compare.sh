#!/usr/bin/env bash
# Server-side management against a local sandbox, OSS Lite's CLI and alibabacloud-oss-v2
# (Python) in one run: moving a folder of N small objects (default 10,000), and copying one
# large object (default 5 GiB) in parts. Prints seconds, our ratio, and the object bytes each
# client process sent and received (from /proc/PID/io: rchar/wchar of its sockets and files).
#   tests/bench/manage-compare.sh [OBJECTS] [SIZE_MIB] [PART_SIZE_MIB] [PARALLEL]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
objects=${1:-10000}
size_mib=${2:-5120}
part_mib=${3:-64}
parallel=${4:-8}
python=${OSSLITE_SDK_PYTHON:-$repo/target/sdk-venv/bin/python}
cli=$repo/target/release/osslite-cli

[ -x "$python" ] || { echo "missing $python: run 'make sdk-venv'" >&2; exit 1; }
(cd "$repo" && cargo build --quiet --release -p osslite-cli)

work=$(mktemp -d "${TMPDIR:-/tmp}/osslite-manage-bench.XXXXXX")
. "$here/sandbox.sh"
export OSS_ACCESS_KEY_ID=LTAI5tManageBench OSS_ACCESS_KEY_SECRET=manage-bench-secret
start_sandbox "$cli" "$work/root" --bucket bench
conn=(--endpoint "$endpoint" --region cn-hangzhou --addressing path)

echo "uploading $objects small objects twice, and a ${size_mib} MiB object..." >&2
mkdir -p "$work/small"
for i in $(seq 1 "$objects"); do printf 'object %s\n' "$i" >"$work/small/f$i.txt"; done
"$cli" cp -r "$work/small" oss://bench/ours/ "${conn[@]}" --jobs 32 --checkpoint-dir "$work/cp" 2>/dev/null
"$cli" cp -r "$work/small" oss://bench/sdk/ "${conn[@]}" --jobs 32 --checkpoint-dir "$work/cp" 2>/dev/null
rm -rf "$work/small"
truncate -s "${size_mib}M" "$work/big.bin"
"$cli" cp "$work/big.bin" oss://bench/big.bin "${conn[@]}" --part-size 64M --parallel 8 --checkpoint-dir "$work/cp" 2>/dev/null
rm -f "$work/big.bin"

# Runs "$@" in the background and samples its /proc/PID/io until it ends; sets `secs` and
# `io_bytes` (bytes read plus written by the process: sockets and files).
measure() {
    local start end pid read written
    start=$(date +%s.%N)
    "$@" >"$work/run.out" 2>"$work/run.err" &
    pid=$!
    read=0 written=0
    while kill -0 "$pid" 2>/dev/null; do
        if [ -r "/proc/$pid/io" ]; then
            read=$(awk '/^rchar/ {print $2}' "/proc/$pid/io" 2>/dev/null || echo "$read")
            written=$(awk '/^wchar/ {print $2}' "/proc/$pid/io" 2>/dev/null || echo "$written")
        fi
        sleep 0.05
    done
    wait "$pid" || { echo "failed: $*" >&2; cat "$work/run.err" >&2; exit 1; }
    end=$(date +%s.%N)
    secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
    io_bytes=$((read + written))
}

results=()
record() { results+=("$1|$2|$secs|$io_bytes"); }

measure "$cli" mv -r oss://bench/ours/ oss://bench/ours-moved/ "${conn[@]}" --checkpoint-dir "$work/cp"
record "osslite-cli mv -r" "move $objects objects"
measure "$python" "$here/manage_sdk.py" move "$endpoint" bench sdk/ sdk-moved/
record "alibabacloud-oss-v2 (Python)" "move $objects objects"
measure "$cli" cp oss://bench/big.bin oss://bench/big-ours.bin "${conn[@]}" --checkpoint-dir "$work/cp" \
    --part-size "${part_mib}M" --parallel "$parallel"
record "osslite-cli cp" "copy ${size_mib} MiB"
measure "$python" "$here/manage_sdk.py" copy "$endpoint" bench big.bin big-sdk.bin "$((part_mib * 1048576))" "$parallel"
record "alibabacloud-oss-v2 (Python)" "copy ${size_mib} MiB"

left=$("$cli" du oss://bench/ours/ --json "${conn[@]}")
[ "$left" = '{"objects":0,"bytes":0,"byClass":{}}' ] || { echo "objects left behind by the move: $left" >&2; exit 1; }
moved=$("$cli" du oss://bench/ours-moved/ --json "${conn[@]}")
case "$moved" in "{\"objects\":$objects,"*) ;; *) echo "the move is incomplete: $moved" >&2; exit 1 ;; esac

printf '%s objects moved; %s MiB copied in %s MiB parts, %s in flight; loopback sandbox, %s cores\n' \
    "$objects" "$size_mib" "$part_mib" "$parallel" "$(nproc)"
printf '%-30s %-22s %9s %16s\n' tool job seconds "client I/O bytes"
declare -A ours
for row in "${results[@]}"; do
    IFS='|' read -r tool job secs io <<<"$row"
    printf '%-30s %-22s %9s %16s\n' "$tool" "$job" "$secs" "$io"
    if [[ "$tool" == osslite-cli* ]]; then
        ours[$job]=$secs
    else
        ratio=$(awk -v sdk="$secs" -v us="${ours[$job]}" 'BEGIN { printf "%.1fx", sdk / us }')
        printf '%-30s %-22s %s\n' "  osslite-cli is faster by" "$job" "$ratio"
    fi
done
