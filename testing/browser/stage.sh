#!/usr/bin/env bash
# stage.sh DIR BINARY...: lays out the harness for a static server in DIR:
# the page files, suites/NAME.js for each wasm test binary (NAME: its path
# below bazel-out/.../bin/, as serve.js names it) and suites.json.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
shift
rm -rf "$dir"
mkdir -p "$dir/suites"
cp "$here/index.html" "$here/harness.js" "$here/suite_worker.js" "$here/harness.css" "$dir/"
list=""
declare -A seen
for f in "$@"; do
  name=${f##*/bin/}
  [ "$name" != "$f" ] || name=$(basename "$f")
  name=${name%.js}
  base=$name
  i=2
  while [ -n "${seen[$name]:-}" ]; do name="$base~$i"; i=$((i + 1)); done
  seen[$name]=1
  mkdir -p "$dir/suites/$(dirname "$name")"
  cp "$f" "$dir/suites/$name.js"
  list+="${list:+,}{\"name\":\"$name\",\"url\":\"suites/$name.js\"}"
done
printf '[%s]\n' "$list" >"$dir/suites.json"
