# Sourced by the benchmark scripts: starts a release `osslite-cli sandbox` on a free loopback port
# with its root under $work, and stops it (and removes $work) when the script exits.
#   start_sandbox CLI ROOT [SANDBOX ARGS...]   sets $endpoint; the keys come from OSS_ACCESS_KEY_*
# Needs $work (a scratch folder the script owns).

sandbox_pid=
stop_sandbox() {
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap stop_sandbox EXIT

start_sandbox() {
  local cli=$1 root=$2
  shift 2
  "$cli" sandbox --root "$root" "$@" >"$work/sandbox.out" 2>&1 &
  sandbox_pid=$!
  for _ in $(seq 100); do
    grep -q '^endpoint: ' "$work/sandbox.out" 2>/dev/null && break
    sleep 0.1
  done
  endpoint=$(sed -n 's/^endpoint: //p' "$work/sandbox.out" | head -1)
  [ -n "$endpoint" ] || { echo "the sandbox did not start:" >&2; cat "$work/sandbox.out" >&2; exit 1; }
}
