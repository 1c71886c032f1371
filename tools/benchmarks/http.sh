#!/usr/bin/env bash
# tools/bench http: our HTTP server (one single-threaded manager, built
# with -c opt) side by side with nginx (one worker, access log off), each
# serving a small file and a 1 MiB file over keep-alive, loaded by wrk.
# Servers are pinned to CPU 0 and wrk to CPU 1 (taskset). Prints
# requests/s of both and the ratio, and requests per CPU-second of each
# server (its user+system time), which a busy machine disturbs less.
#
# Environment: SECS per run (default 10), CONNS (default 50),
# BAZEL_STARTUP (e.g. --output_base=...).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
duration="${SECS:-10}"
conns="${CONNS:-50}"
for tool in wrk nginx taskset curl python3; do
  command -v "$tool" >/dev/null || { echo "http bench: $tool is missing (apt-get install wrk nginx-light curl)" >&2; exit 2; }
done

cd "$repo"
# shellcheck disable=SC2086
bazel ${BAZEL_STARTUP:-} build -c opt //tools/benchmarks/http:http_server >&2
# shellcheck disable=SC2086
bin="$(bazel ${BAZEL_STARTUP:-} info -c opt bazel-bin 2>/dev/null)/tools/benchmarks/http/http_server"

scratch="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

mkdir -p "$scratch/www" "$scratch/tmp"
chmod 755 "$scratch" "$scratch/www" # nginx workers (user nobody) read the files
head -c 100 /dev/zero | tr '\0' 'x' > "$scratch/www/small.html"
head -c $((1024 * 1024)) /dev/urandom > "$scratch/www/big.bin"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
mg_port="$(free_port)"
nginx_port="$(free_port)"
while [ "$nginx_port" = "$mg_port" ]; do nginx_port="$(free_port)"; done

cat > "$scratch/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $scratch/nginx.pid;
error_log $scratch/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
  types { text/html html; }
  client_body_temp_path $scratch/tmp/body;
  proxy_temp_path $scratch/tmp/proxy;
  fastcgi_temp_path $scratch/tmp/fastcgi;
  uwsgi_temp_path $scratch/tmp/uwsgi;
  scgi_temp_path $scratch/tmp/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $scratch/www;
  }
}
CONF

taskset -c 0 "$bin" "$mg_port" "$scratch/www" &
pids+=($!)
taskset -c 0 nginx -c "$scratch/nginx.conf" -p "$scratch" &
pids+=($!)

wait_up() {
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$1/small.html" && return 0
    sleep 0.1
  done
  echo "http bench: server on port $1 did not start" >&2
  exit 1
}
wait_up "$mg_port"
wait_up "$nginx_port"

# Both must really serve the files (200, every byte): a server answering
# 403 or 404 is fast and would make the comparison meaningless.
for port in "$mg_port" "$nginx_port"; do
  for f in small.html big.bin; do
    got="$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$port/$f")"
    want="200 $(stat -c %s "$scratch/www/$f")"
    if [ "$got" != "$want" ]; then
      echo "http bench: port $port /$f answered '$got', not '$want'" >&2
      [ "$port" = "$nginx_port" ] && cat "$scratch/error.log" >&2
      exit 1
    fi
  done
done

# CPU time (clock ticks) a process has used.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# One wrk run against port/file, measuring process pid: prints requests/s
# and requests per CPU-second of the server (robust on a busy machine).
run() {
  local port="$1" file="$2" pid="$3" t0 t1 out
  t0="$(cpu_ticks "$pid")"
  out="$(taskset -c 1 wrk -t1 -c"$conns" -d"${duration}s" "http://127.0.0.1:$port/$file")"
  t1="$(cpu_ticks "$pid")"
  echo "$out" | awk -v ticks="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" '
    /requests in/ {n = $1}
    /^Requests\/sec:/ {rps = $2}
    END {printf "%s %.0f\n", rps, (ticks > 0 ? n * hz / ticks : 0)}'
}

# nginx serves from its worker process.
nginx_worker="$(pgrep -P "${pids[1]}" | head -1)"
[ -n "$nginx_worker" ] || nginx_worker="${pids[1]}"

printf '%-12s %12s %12s %7s   %14s %14s %7s\n' file mongoose/s nginx/s ratio \
  mongoose/cpu-s nginx/cpu-s ratio
for f in small.html big.bin; do
  read -r mg mg_cpu < <(run "$mg_port" "$f" "${pids[0]}")
  read -r ng ng_cpu < <(run "$nginx_port" "$f" "$nginx_worker")
  ratio="$(awk -v a="$mg" -v b="$ng" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
  cratio="$(awk -v a="$mg_cpu" -v b="$ng_cpu" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
  printf '%-12s %12s %12s %7s   %14s %14s %7s\n' "$f" "$mg" "$ng" "$ratio" \
    "$mg_cpu" "$ng_cpu" "$cratio"
done
