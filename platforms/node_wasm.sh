#!/bin/sh
# Runs a wasm32 test binary under Node: the --run_under of `--config=wasm`.
# The wasm toolchain links with -sSINGLE_FILE=1, so a "binary" is one
# JavaScript file with the wasm module inside. Usage: node_wasm.sh BINARY
# [ARGS...]. A file starting with #! (an sh_test script) runs as it is.
set -eu
bin=$1
shift
if [ "$(head -c 2 "$bin")" = '#!' ]; then
  exec "$bin" "$@"
fi
exec /usr/bin/node "$bin" "$@"
