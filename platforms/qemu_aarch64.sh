#!/bin/sh
# Runs an aarch64 Linux binary under qemu-user (no binfmt_misc here): the
# --run_under of `--config=aarch64`. Usage: qemu_aarch64.sh BINARY [ARGS...]
# A file that is not an ELF binary (an sh_test script) runs as it is.
set -eu
bin=$1
shift
if [ "$(head -c 4 "$bin" | od -An -c | tr -d ' ')" != '177ELF' ]; then
  exec "$bin" "$@"
fi
# The loader and libc must come from one package. With -L the loader is the
# cross sysroot's (libc6-*-cross), so libc must be too: not the multiarch
# libc6:<arch> (a newer build) that the loader would find first in
# /usr/lib/aarch64-linux-gnu; a mismatched pair crashes or hangs in
# pthread_create. BoringSSL's runtime is in /usr/lib/aarch64-linux-gnu/android.
exec /usr/bin/qemu-aarch64 \
  -L /usr/aarch64-linux-gnu \
  -E LD_LIBRARY_PATH=/usr/aarch64-linux-gnu/lib:/usr/lib/aarch64-linux-gnu/android \
  "$bin" "$@"
