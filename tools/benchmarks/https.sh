#!/usr/bin/env bash
# tools/bench https: TLS handshakes per second (a new connection per
# request) and keep-alive requests per second over TLS, our HTTPS server
# (tools/benchmarks/https) against nginx with the same certificate, key
# and file, in the same run; prints both and the ratio.
#
# Environment: SECS per run (default 10), CONNS (default 50), KEY ("ec",
# P-256, the default; or "rsa", 2048 bits), BAZEL_STARTUP (e.g.
# --output_base=...). Each server is pinned to core 0, wrk to core 1.
set -euo pipefail
SECS="${SECS:-10}"
CONNS="${CONNS:-50}"
KEY="${KEY:-ec}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
command -v wrk >/dev/null || { echo "wrk is not installed (tools/bootstrap)" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx is not installed (tools/bootstrap)" >&2; exit 1; }
# shellcheck disable=SC2086
bazel ${BAZEL_STARTUP:-} build -c opt //tools/benchmarks/https:https_server >&2
# shellcheck disable=SC2086
bin="$(bazel ${BAZEL_STARTUP:-} info -c opt bazel-bin 2>/dev/null)"

scratch="$(mktemp -d)"
chmod 755 "$scratch" # nginx workers (user nobody) read the page
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

# The certificate both servers present (made here: no key is committed).
if [ "$KEY" = rsa ]; then keyopts=(-newkey rsa:2048); else
  keyopts=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1); fi
openssl req -x509 "${keyopts[@]}" -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
  -keyout "$scratch/key.pem" -out "$scratch/cert.pem" 2>/dev/null
mkdir -p "$scratch/www" "$scratch/nginx"
chmod 755 "$scratch/www"
head -c 1024 /dev/zero | tr '\0' 'x' >"$scratch/www/index.html"

ours_port="$(free_port)"
pin 0 "$bin/tools/benchmarks/https/https_server" "127.0.0.1:$ours_port" \
  "$scratch/cert.pem" "$scratch/key.pem" "$scratch/www" >"$scratch/ours.log" 2>&1 &
pids+=($!)

nginx_port="$(free_port)"
cat >"$scratch/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $scratch/nginx/nginx.pid;
error_log $scratch/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000000;
  client_body_temp_path $scratch/nginx/body;
  proxy_temp_path $scratch/nginx/proxy;
  fastcgi_temp_path $scratch/nginx/fastcgi;
  uwsgi_temp_path $scratch/nginx/uwsgi;
  scgi_temp_path $scratch/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port ssl;
    ssl_certificate $scratch/cert.pem;
    ssl_certificate_key $scratch/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $scratch/www;
  }
}
CONF
pin 0 nginx -c "$scratch/nginx.conf" >"$scratch/nginx.log" 2>&1 &
pids+=($!)
wait_port "$ours_port"
wait_port "$nginx_port"

# Both must serve the page before anything is measured.
for p in "$ours_port" "$nginx_port"; do
  curl -sSf --cacert "$scratch/cert.pem" "https://localhost:$p/index.html" -o /dev/null
done

rps() { # port [wrk args...] -> requests/s
  pin 1 wrk -t1 -c"$CONNS" -d"${SECS}s" "${@:2}" "https://127.0.0.1:$1/index.html" |
    awk '/^Requests\/sec:/ { printf "%d", $2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

echo "HTTPS, 1 KiB file, $CONNS connections, ${SECS}s per run, $KEY key, wrk on core 1, servers on core 0"
printf '%-28s %14s %14s %8s\n' measure ours nginx ratio
o="$(rps "$ours_port" -H 'Connection: close')"
n="$(rps "$nginx_port" -H 'Connection: close')"
printf '%-28s %14s %14s %8s\n' "handshakes/s (conn: close)" "$o" "$n" "$(ratio "$o" "$n")"
n="$(rps "$nginx_port")"
o="$(rps "$ours_port")"
printf '%-28s %14s %14s %8s\n' "keep-alive requests/s" "$o" "$n" "$(ratio "$o" "$n")"
