#!/usr/bin/env bash
# tools/bench dns: DNS queries per second of the reference's captive DNS
# server example (examples/captive_dns_server, udp://:5353, answering every
# A query with 127.0.0.1) against dnsmasq answering the same names the same
# way (--address=/#/127.0.0.1) in the same run, both under dnsperf over
# UDP; prints both and the ratio.
#
# Environment: SECS per run (default 10), NAMES in the query file (default
# 1000), BAZEL_STARTUP (e.g. --output_base=...). Each server is pinned to
# core 0, dnsperf to core 1. The example binds 5353: nothing else may.
set -euo pipefail
SECS="${SECS:-10}"
NAMES="${NAMES:-1000}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
command -v dnsperf >/dev/null || { echo "dnsperf is not installed (apt-get install dnsperf)" >&2; exit 1; }
command -v dig >/dev/null || { echo "dig is not installed (apt-get install dnsutils)" >&2; exit 1; }
dnsmasq_bin="$(command -v dnsmasq || echo /usr/sbin/dnsmasq)"
[ -x "$dnsmasq_bin" ] || { echo "dnsmasq is not installed (apt-get install dnsmasq-base)" >&2; exit 1; }
# shellcheck disable=SC2086
bazel ${BAZEL_STARTUP:-} build -c opt //examples/captive_dns_server >&2
# shellcheck disable=SC2086
bin="$(bazel ${BAZEL_STARTUP:-} info -c opt bazel-bin 2>/dev/null)"

scratch="$(mktemp -d)"
pids=()
cleanup() {
  # $p may be the subshell running pin(): stop what it started too.
  for p in "${pids[@]}"; do pkill -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

free_udp_port() {
  python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

pin() { if command -v taskset >/dev/null; then taskset -c "$1" "${@:2}"; else "${@:2}"; fi; }

# Waits until the server on port $1 answers an A query with 127.0.0.1.
wait_dns() {
  for _ in $(seq 1 100); do
    [ "$(dig @127.0.0.1 -p "$1" +short +tries=1 +time=1 ready.example A 2>/dev/null)" = 127.0.0.1 ] && return 0
    sleep 0.05
  done
  echo "no DNS server answers on $1" >&2
  return 1
}

# The same names for both servers.
for i in $(seq 1 "$NAMES"); do echo "host$i.example.com A"; done >"$scratch/queries.txt"

# Queries per second reported by dnsperf against port $1.
qps() {
  pin 1 dnsperf -s 127.0.0.1 -p "$1" -d "$scratch/queries.txt" -l "$SECS" \
    >"$scratch/dnsperf_$1.txt" 2>&1 || true
  local lost
  lost="$(awk '/Queries lost:/ {print $3}' "$scratch/dnsperf_$1.txt")"
  echo "  port $1: $(grep -E 'Queries (sent|completed|lost)' "$scratch/dnsperf_$1.txt" | tr -s ' ' | tr '\n' ';')" >&2
  [ "${lost:-1}" = 0 ] || echo "  warning: $lost queries lost on port $1" >&2
  awk '/Queries per second:/ {print $4}' "$scratch/dnsperf_$1.txt"
}

# Ours: the example, its per-query log line to /dev/null.
pin 0 "$bin/examples/captive_dns_server/captive_dns_server" >/dev/null 2>"$scratch/ours.log" &
pids+=($!)
wait_dns 5353

# dnsmasq: same answers, no cache involved, no logging, its own port.
dm_port="$(free_udp_port)"
pin 0 "$dnsmasq_bin" --no-daemon --port="$dm_port" --listen-address=127.0.0.1 \
  --bind-interfaces --no-resolv --no-hosts --conf-file=/dev/null --pid-file= \
  --address=/#/127.0.0.1 >"$scratch/dnsmasq.log" 2>&1 &
pids+=($!)
wait_dns "$dm_port"

echo "dnsperf, $SECS s each, $NAMES names, UDP:" >&2
ours="$(qps 5353)"
theirs="$(qps "$dm_port")"
printf 'captive_dns_server (ours): %s queries/s\n' "$ours"
printf 'dnsmasq:                   %s queries/s\n' "$theirs"
awk -v a="$ours" -v b="$theirs" 'BEGIN { if (b > 0) printf "ratio ours/dnsmasq:        %.2f\n", a / b }'
