/*
 * Fuzzes mg_parse_uri(), mg_normalize_uri_path() and mg_assemble_uri().
 * Invariants (abort() on violation): a parsed URI reassembles (normalised)
 * and reparses to the same parts; a normalised path is absolute, has no "."
 * or ".." segment, and normalising it again changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mg/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless a and b hold the same bytes. */
static void check_same(struct mg_str a, struct mg_str b) {
  if (a.len != b.len || (a.len > 0 && memcmp(a.p, b.p, a.len) != 0)) abort();
}

/* Aborts if path is not a normalised absolute path. */
static void check_normalized(struct mg_str path) {
  struct mg_str seg;
  size_t i = 0, start;
  if (path.len == 0 || path.p[0] != '/') abort();
  while (i < path.len) {
    start = ++i;
    while (i < path.len && path.p[i] != '/') i++;
    seg = mg_mk_str_n(path.p + start, i - start);
    if (mg_vcmp(&seg, ".") == 0 || mg_vcmp(&seg, "..") == 0) abort();
  }
}

/* Normalises path (absolute ones only) and checks the result. */
static void fuzz_normalize(struct mg_str path) {
  char *buf, *buf2;
  struct mg_str out, out2;
  if (path.len == 0) return;
  buf = (char *) malloc(path.len);
  if (buf == NULL) return;
  out.p = buf;
  out.len = 0;
  if (mg_normalize_uri_path(&path, &out) != (path.p[0] == '/')) abort();
  if (out.len > path.len) abort();
  if (path.p[0] == '/') {
    check_normalized(out);
    buf2 = (char *) malloc(out.len);
    if (buf2 != NULL) {
      out2.p = buf2;
      out2.len = 0;
      if (!mg_normalize_uri_path(&out, &out2)) abort();
      check_same(out, out2);
      free(buf2);
    }
  }
  free(buf);
}

/* Assembles the parts with normalisation and checks the reparse. */
static void fuzz_roundtrip(struct mg_str scheme, struct mg_str user_info,
                           struct mg_str host, unsigned int port,
                           struct mg_str path, struct mg_str query,
                           struct mg_str fragment) {
  struct mg_str uri, s2, u2, h2, p2, q2, f2;
  unsigned int port2;
  if (mg_assemble_uri(&scheme, &user_info, &host, port, &path, &query,
                      &fragment, 1, &uri) != 0) {
    abort(); /* a parsed path is empty or absolute: this cannot fail */
  }
  if (mg_parse_uri(uri, &s2, &u2, &h2, &port2, &p2, &q2, &f2) != 0) abort();
  check_same(scheme, s2);
  check_same(user_info, u2);
  check_same(host, h2);
  if (port != port2) abort();
  check_same(query, q2);
  check_same(fragment, f2);
  check_normalized(p2);
  free((void *) uri.p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct mg_str in = mg_mk_str_n((const char *) data, size);
  struct mg_str scheme, user_info, host, path, query, fragment;
  unsigned int port = 0;
  fuzz_normalize(in);
  if (mg_parse_uri(in, &scheme, &user_info, &host, &port, &path, &query,
                   &fragment) != 0) {
    return 0;
  }
  if (port > 65535) abort();
  if (path.len > 0 && path.p[0] != '/') abort();
  fuzz_normalize(path);
  fuzz_roundtrip(scheme, user_info, host, port, path, query, fragment);
  return 0;
}
