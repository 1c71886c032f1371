#!/usr/bin/env bash
# Builds the wasm32 test suites and runs them in headless Chromium through
# the harness page (run.js). What tools/test runs for "wasm (Chromium)".
#
#   testing/browser/run_all.sh [--out DIR] [--timeout SEC] [PATTERN...]
#
# PATTERN: Bazel target patterns (default //...). The suites are the cc_test
# targets they match, minus those the wasm config leaves out (tags no_wasm,
# fuzz, stress, heavy; and manual); a browser runs no shell scripts, so
# sh_tests are not suites. A suite that does not build counts as failed.
# --out DIR gets harness.png and summary.json (default ./browser-out).
# The last line is "browser: P passed, F failed", counted per suite.
# Set BAZEL to run another bazel command, e.g.
# BAZEL="bazel --output_base=/tmp/ob" testing/browser/run_all.sh.
# Needs `npm ci` done in testing/browser (tools/bootstrap does it).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
read -r -a bazel <<<"${BAZEL:-bazel}"

run_args=()
patterns=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out | --timeout)
      run_args+=("$1" "$2")
      shift 2
      ;;
    -h | --help)
      sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
      exit 0
      ;;
    *)
      patterns+=("$1")
      shift
      ;;
  esac
done
[ ${#patterns[@]} -gt 0 ] || patterns=(//...)

if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "run_all.sh: playwright-core is missing: run 'npm ci' in testing/browser" >&2
  exit 2
fi

set_expr="set(${patterns[*]})"
excluded='attr(tags, "\b(no_wasm|fuzz|stress|heavy|manual)\b", tests('"$set_expr"'))'
mapfile -t tests < <("${bazel[@]}" query --noshow_progress \
  "kind(cc_test, tests($set_expr)) except $excluded" 2>/dev/null | sort)
if [ ${#tests[@]} -eq 0 ]; then
  echo "run_all.sh: no wasm test suites in ${patterns[*]}" >&2
  exit 1
fi

echo "run_all.sh: building ${#tests[@]} suites with --config=wasm..." >&2
bep=$(mktemp)
trap 'rm -f "$bep"' EXIT
build_rc=0
"${bazel[@]}" build --config=wasm --keep_going --build_event_json_file="$bep" \
  "${tests[@]}" || build_rc=$?

# The binaries of the suites that built, from the build events: a label and
# its output per line.
mapfile -t built < <(node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n");
  for (const l of lines) {
    if (!l) continue;
    const ev = JSON.parse(l);
    const id = ev.id && ev.id.targetCompleted;
    if (!id || !ev.completed || !ev.completed.success) continue;
    const out = (ev.completed.importantOutput || []).find((o) => o.uri.startsWith("file://"));
    if (out) console.log(id.label + "\t" + decodeURIComponent(new URL(out.uri).pathname));
  }' "$bep")

files=()
declare -A ok
for line in "${built[@]}"; do
  ok["${line%%$'\t'*}"]=1
  files+=("${line#*$'\t'}")
done
failed=()
for t in "${tests[@]}"; do
  [ -n "${ok[$t]:-}" ] || failed+=("$t")
done

out=browser-out
for ((i = 0; i < ${#run_args[@]}; i += 2)); do
  [ "${run_args[$i]}" = --out ] && out=${run_args[$((i + 1))]}
done
rm -f "$out/summary.json"

# The page and the suites are served by the library's own HTTP server
# (harness_server.c, built for this machine), from a folder staged here.
serve_with_mongoose() {
  local stage srv_bin url pid rc2=0
  "${bazel[@]}" build //testing/browser:harness_server >&2 || return 99
  srv_bin="$("${bazel[@]}" info bazel-bin 2>/dev/null)/testing/browser/harness_server"
  stage=$(mktemp -d)
  "$here/stage.sh" "$stage/www" "${files[@]}"
  coproc SRV { exec "$srv_bin" "$stage/www"; }
  pid=$SRV_PID
  read -r -t 20 url <&"${SRV[0]}" || url=""
  if [ -z "$url" ]; then
    kill "$pid" 2>/dev/null || true
    rm -rf "$stage"
    return 99
  fi
  echo "run_all.sh: harness served by our HTTP server at $url" >&2
  node "$here/run.js" "${run_args[@]}" --base-url "$url" "${files[@]}" || rc2=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$stage"
  return "$rc2"
}

rc=0
if [ ${#files[@]} -gt 0 ]; then
  serve_with_mongoose || rc=$?
  if [ "$rc" -eq 99 ]; then
    echo "run_all.sh: our harness server did not start; using serve.js" >&2
    rc=0
    node "$here/run.js" "${run_args[@]}" "${files[@]}" || rc=$?
  fi
fi
if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED TO BUILD  %s\n' "${failed[@]}"
  rc=1
fi
# Last line, per suite (test target) like tools/test counts: a suite that
# did not build, or whose run did not finish, is failed.
read -r sp sf < <(node -e '
  let s = {suitesPassed: 0, suitesFailed: 0};
  try { s = require(require("path").resolve(process.argv[1])); } catch (e) {}
  const ran = s.suitesPassed + s.suitesFailed;
  console.log(s.suitesPassed, s.suitesFailed + Math.max(0, process.argv[2] - ran));
' "$out/summary.json" "${#files[@]}")
echo "browser: $sp passed, $((sf + ${#failed[@]})) failed"
exit $rc
