#!/bin/sh
# emcc as the wasm32 toolchain's compiler and linker (see defs.bzl).
# An optimised link runs emscripten's JS optimiser, which needs Debian's
# node-acorn: /usr/bin/node may be a Node that does not look in
# /usr/share/nodejs by itself.
NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
export NODE_PATH
exec /usr/bin/emcc "$@"
