#!/usr/bin/env bash
# tools/bench mqtt: messages delivered per second from one publisher to N
# subscribers through our broker (examples/mqtt_broker) and through
# mosquitto, at QoS 0 and QoS 1, in the same run; prints both and the ratio.
#
# Environment: SUBS (default 10), MSGS per run (default 100000), BYTES of
# payload (default 64), BAZEL_STARTUP (e.g. --output_base=...).
# Each broker is pinned to core 0 and the load generator to core 1.
set -euo pipefail
SUBS="${SUBS:-10}"
MSGS="${MSGS:-100000}"
BYTES="${BYTES:-64}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# shellcheck disable=SC2086
bazel ${BAZEL_STARTUP:-} build -c opt //examples/mqtt_broker //tools/benchmarks/mqtt:mqtt_load >&2
# shellcheck disable=SC2086
bin="$(bazel ${BAZEL_STARTUP:-} info -c opt bazel-bin 2>/dev/null)"
command -v mosquitto >/dev/null || { echo "mosquitto is not installed (tools/bootstrap)" >&2; exit 1; }

scratch="$(mktemp -d)"
pids=()
cleanup() {
  # $p may be the subshell running pin(): stop what it started too.
  for p in "${pids[@]}"; do pkill -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
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

pin() { if command -v taskset >/dev/null; then taskset -c "$1" "${@:2}"; else "${@:2}"; fi; }

ours_port="$(free_port)"
pin 0 "$bin/examples/mqtt_broker/mqtt_broker" "127.0.0.1:$ours_port" >"$scratch/ours.log" 2>&1 &
pids+=($!)
mosq_port="$(free_port)"
cat >"$scratch/mosquitto.conf" <<CONF
listener $mosq_port 127.0.0.1
allow_anonymous true
persistence false
log_dest none
CONF
[ "$(id -u)" = 0 ] && echo "user root" >>"$scratch/mosquitto.conf"
pin 0 mosquitto -c "$scratch/mosquitto.conf" >"$scratch/mosquitto.log" 2>&1 &
pids+=($!)
wait_port "$ours_port"
wait_port "$mosq_port"

run() { # port qos -> deliveries/s
  pin 1 "$bin/tools/benchmarks/mqtt/mqtt_load" "127.0.0.1:$1" "$SUBS" "$MSGS" "$2" "$BYTES" |
    sed -n 's/.*deliveries_per_s=\([0-9]*\).*/\1/p'
}

echo "MQTT: 1 publisher -> $SUBS subscribers, $MSGS messages of $BYTES bytes each run"
printf '%-6s %18s %18s %8s\n' QoS "ours (msg/s)" "mosquitto (msg/s)" ratio
for qos in 0 1; do
  # Alternate the order so neither broker always runs first.
  if [ "$qos" = 0 ]; then
    o="$(run "$ours_port" "$qos")"; m="$(run "$mosq_port" "$qos")"
  else
    m="$(run "$mosq_port" "$qos")"; o="$(run "$ours_port" "$qos")"
  fi
  ratio="$(awk -v a="$o" -v b="$m" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
  printf '%-6s %18s %18s %8s\n' "$qos" "$o" "$m" "$ratio"
done
