#!/usr/bin/env bash
# check_no_tls.sh WITHOUT WITH: the program built without //mg:tls has no
# TLS code (no SSL_/BIO_ symbols, defined or wanted, no libssl/libcrypto);
# the same program with //mg:tls has them (so the check can fail).
set -euo pipefail
without="$1"
with="$2"
tls_syms() { nm "$1" | grep -E ' (SSL|SSL_CTX|BIO|ERR)_[A-Za-z_]+$|mg_plugin_tls' || true; }
tls_libs() { readelf -d "$1" | grep -E 'NEEDED.*lib(ssl|crypto)' || true; }
fail=0
if [ -n "$(tls_syms "$without")" ]; then
  echo "TLS symbols in a program without //mg:tls:"; tls_syms "$without"; fail=1
fi
if [ -n "$(tls_libs "$without")" ]; then
  echo "TLS libraries in a program without //mg:tls:"; tls_libs "$without"; fail=1
fi
[ -n "$(tls_syms "$with")" ] || { echo "control: no TLS symbols with //mg:tls"; fail=1; }
[ -n "$(tls_libs "$with")" ] || { echo "control: no libssl with //mg:tls"; fail=1; }
${MG_TEST_LAUNCHER:-} "$without" | grep -q "TLS is not available in this build" || {
  echo "without //mg:tls, a TLS listener was not refused as expected"; fail=1; }
${MG_TEST_LAUNCHER:-} "$with" | grep -q "cannot load ssl_cert" || {
  echo "with //mg:tls, a missing certificate was not reported"; fail=1; }
[ "$fail" = 0 ] && echo "no TLS code without //mg:tls"
exit "$fail"
