#!/usr/bin/env bash
# Runs a test binary under valgrind: any memory error or leak
# (definite/indirect) after mg_mgr_free() fails the test.
set -euo pipefail
bin="$1"
shift
exec valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
  --show-leak-kinds=definite,indirect --error-exitcode=1 -q "$bin" "$@"
