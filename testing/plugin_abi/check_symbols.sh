#!/usr/bin/env bash
# check_symbols.sh BINARY [+SYMBOL|-SYMBOL]...: +SYMBOL must be defined in
# BINARY, -SYMBOL must not be (checked with nm). Also runs BINARY, which
# must exit 0.
set -euo pipefail
bin="$1"
shift
syms="$(nm --defined-only "$bin" | awk '{print $3}')"
fail=0
for want in "$@"; do
  name="${want:1}"
  if grep -qx "$name" <<<"$syms"; then present=1; else present=0; fi
  case "$want" in
    +*) [ "$present" = 1 ] || { echo "missing: $name"; fail=1; } ;;
    -*) [ "$present" = 0 ] || { echo "linked but not picked: $name"; fail=1; } ;;
  esac
done
if [ -n "${MG_TEST_LAUNCHER:-}" ]; then
  $MG_TEST_LAUNCHER "$bin" || { echo "program failed"; fail=1; }
else
  "$bin" || { echo "program failed"; fail=1; }
fi
[ "$fail" = 0 ] && echo "symbols as picked: $*"
exit "$fail"
