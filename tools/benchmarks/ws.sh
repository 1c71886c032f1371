#!/usr/bin/env bash
# tools/bench ws: WebSocket echo round trips per second and MB/s through our
# server (tools/benchmarks/ws:ws_echo) and through the npm `ws` package's
# echo server (testing/interop/ws/npm_server.js), in the same run, for
# small and large messages; prints both and the ratio.
#
# Environment: SECONDS_PER_RUN (default 5), REPEAT (runs per server and
# case, default 3; the median is printed), SMALL (bytes, default 64) with
# SMALL_CONNS connections (default 10), LARGE (default 1048576) with
# LARGE_CONNS (default 1), BAZEL_STARTUP (e.g. --output_base=...).
# Each server is pinned to core 0 and the load generator to core 1 (PIN=0:
# no pinning, for a machine whose core 0 is busy with other work).
set -euo pipefail
SECS="${SECONDS_PER_RUN:-5}"
REPEAT="${REPEAT:-3}"
SMALL="${SMALL:-64}"
SMALL_CONNS="${SMALL_CONNS:-10}"
LARGE="${LARGE:-1048576}"
LARGE_CONNS="${LARGE_CONNS:-1}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# shellcheck disable=SC2086
bazel ${BAZEL_STARTUP:-} build -c opt //tools/benchmarks/ws:ws_echo //tools/benchmarks/ws:ws_load >&2
# shellcheck disable=SC2086
bin="$(bazel ${BAZEL_STARTUP:-} info -c opt bazel-bin 2>/dev/null)"
modules="$root/testing/interop/node_modules"
[ -f "$modules/ws/package.json" ] || { echo "npm ws is missing under $modules (tools/bootstrap)" >&2; exit 1; }

scratch="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() {
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listens on $1" >&2
  return 1
}

# Runs a command on core $1 (exec: the caller's subshell becomes it, so a
# background one's $! is the program itself and cleanup can kill it).
pin() {
  if [ "${PIN:-1}" != 0 ] && command -v taskset >/dev/null; then
    exec taskset -c "$1" "${@:2}"
  fi
  exec "${@:2}"
}

ours_port="$(free_port)"
(pin 0 "$bin/tools/benchmarks/ws/ws_echo" "127.0.0.1:$ours_port") >"$scratch/ours.log" 2>&1 &
pids+=($!)
peer_port="$(free_port)"
(NODE_PATH="$modules" pin 0 node "$root/testing/interop/ws/npm_server.js" "$peer_port") >"$scratch/peer.log" 2>&1 &
pids+=($!)
wait_port "$ours_port"
wait_port "$peer_port"

run() { # port conns size -> "round_trips_per_s mb_per_s"
  (pin 1 "$bin/tools/benchmarks/ws/ws_load" "127.0.0.1:$1" "$2" "$3" "$SECS") |
    sed -n 's/.*round_trips_per_s=\([0-9]*\) mb_per_s=\([0-9.]*\).*/\1 \2/p'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

median() { tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : 0) }'; }

echo "WebSocket echo: binary messages, ${SECS}s per run, median of $REPEAT runs alternating the servers;"
echo "round trips/s and MB/s of payload each way"
printf '%-24s %12s %10s %14s %10s %8s\n' case "ours (rt/s)" "ours MB/s" "npm ws (rt/s)" "ws MB/s" ratio
for c in "small $SMALL $SMALL_CONNS" "large $LARGE $LARGE_CONNS"; do
  set -- $c
  label="$1: ${2} B x $3 conn"
  o_rts=""; o_mbs=""; p_rts=""; p_mbs=""
  for i in $(seq 1 "$REPEAT"); do
    # Alternate the order so neither server always runs first.
    if [ $((i % 2)) = 1 ]; then
      read -r a b <<<"$(run "$ours_port" "$3" "$2")"; o_rts="$o_rts ${a:-0}"; o_mbs="$o_mbs ${b:-0}"
      read -r a b <<<"$(run "$peer_port" "$3" "$2")"; p_rts="$p_rts ${a:-0}"; p_mbs="$p_mbs ${b:-0}"
    else
      read -r a b <<<"$(run "$peer_port" "$3" "$2")"; p_rts="$p_rts ${a:-0}"; p_mbs="$p_mbs ${b:-0}"
      read -r a b <<<"$(run "$ours_port" "$3" "$2")"; o_rts="$o_rts ${a:-0}"; o_mbs="$o_mbs ${b:-0}"
    fi
  done
  o_rt="$(echo $o_rts | median)"; o_mb="$(echo $o_mbs | median)"
  p_rt="$(echo $p_rts | median)"; p_mb="$(echo $p_mbs | median)"
  printf '%-24s %12s %10s %14s %10s %8s\n' "$label" "$o_rt" "$o_mb" "$p_rt" "$p_mb" "$(ratio "$o_rt" "$p_rt")"
done
