#!/bin/sh
# Runs an armv7 (armhf) Linux binary under qemu-user (no binfmt_misc here):
# the --run_under of `--config=armv7`. Usage: qemu_armv7.sh BINARY [ARGS...]
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
# /usr/lib/arm-linux-gnueabihf; a mismatched pair crashes or hangs in
# pthread_create. BoringSSL's runtime is in /usr/lib/arm-linux-gnueabihf/android.
exec /usr/bin/qemu-arm \
  -L /usr/arm-linux-gnueabihf \
  -E LD_LIBRARY_PATH=/usr/arm-linux-gnueabihf/lib:/usr/lib/arm-linux-gnueabihf/android \
  "$bin" "$@"
