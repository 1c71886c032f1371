/*
 * The SSI scanner and argument parsers on arbitrary bytes: the input is
 * scanned whole and as a reader would see it in two pieces; every token
 * must cover input, stay inside it, and the parsers must stay inside the
 * directive they were given.
 */
#include <stdint.h>
#include <stdlib.h>

#include "plugins/ssi/internal.h"

static void check_args(struct mg_str args) {
  struct mg_str path, cmd;
  int kind;
  if (mg__ssi_include_arg(args, &kind, &path) == 0 &&
      (path.p < args.p || path.p + path.len > args.p + args.len)) {
    abort();
  }
  if (mg__ssi_exec_arg(args, &cmd) == 0 &&
      (cmd.p < args.p || cmd.p + cmd.len > args.p + args.len)) {
    abort();
  }
}

static void scan_all(const char *buf, size_t len, size_t visible) {
  size_t at = 0;
  int guard = 0;
  while (at < len && guard++ < 1000000) {
    struct mg__ssi_token t;
    size_t have = (visible > at ? visible : len) - at;
    int eof = at + have == len;
    mg__ssi_scan(buf + at, have, eof, &t);
    if (t.kind == MG__SSI_MORE) {
      if (eof || have >= MG__SSI_MAX_DIRECTIVE) abort();
      visible = len; /* the rest arrives */
      continue;
    }
    if (t.len == 0 || t.len > have) abort();
    if (t.kind == MG__SSI_DIRECTIVE) check_args(t.args);
    at += t.len;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *buf = (const char *) data;
  scan_all(buf, size, size);
  scan_all(buf, size, size / 2);
  return 0;
}
