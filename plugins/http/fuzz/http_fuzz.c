/*
 * Fuzzes mg_parse_http() (as a request and as a reply) and the chunked
 * coding parser. Invariants (abort() on violation): a parsed head lies
 * within the input and every slice of it too; a chunk's data lies within
 * the bytes the chunk parser says it took.
 */
#include <stdlib.h>

#include "plugins/http/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_in(struct mg_str s, const char *b, size_t n) {
  if (s.len == 0) return;
  if (s.p < b || s.p + s.len > b + n) abort();
}

static void check_head(const char *s, size_t n, int is_req) {
  struct http_message hm;
  int i, r = mg_parse_http(s, (int) n, &hm, is_req);
  if (r <= 0) return;
  if ((size_t) r > n) abort();
  check_in(hm.method, s, (size_t) r);
  check_in(hm.uri, s, (size_t) r);
  check_in(hm.proto, s, (size_t) r);
  check_in(hm.query_string, s, (size_t) r);
  check_in(hm.resp_status_msg, s, (size_t) r);
  for (i = 0; i < MG_MAX_HTTP_HEADERS; i++) {
    check_in(hm.header_names[i], s, (size_t) r);
    check_in(hm.header_values[i], s, (size_t) r);
  }
  if (hm.body.p != s + r) abort();
}

static void check_chunks(const char *s, size_t n) {
  size_t pos = 0;
  int i;
  for (i = 0; i < 1000 && pos < n; i++) {
    size_t off = 0, len = 0;
    long r = mg__http_parse_chunk(s + pos, n - pos, &off, &len);
    if (r <= 0) return;
    if ((size_t) r > n - pos || off + len > (size_t) r) abort();
    pos += (size_t) r;
    if (len == 0) return;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf;
  if (size > 1 << 20) return 0;
  buf = (char *) malloc(size + 1); /* exact-size copy: ASan sees overreads */
  if (buf == NULL) return 0;
  memcpy(buf, data, size);
  check_head(buf, size, 1);
  check_head(buf, size, 0);
  check_chunks(buf, size);
  free(buf);
  return 0;
}
