/*
 * Fuzzes the header parameter parser (mg_http_parse_header2 and the
 * fixed-buffer form), mg_get_http_var() and mg_url_decode(). Invariants:
 * the reported length matches what was written, and nothing is written
 * past the buffers.
 */
#include <stdlib.h>

#include "plugins/http/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const k_names[] = {"username", "nonce", "name", "filename",
                                      "boundary", "a",     "x"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *in, small[8], *p, dst[32];
  struct mg_str hdr;
  size_t i;
  int n;
  if (size > 1 << 16) return 0;
  in = (char *) malloc(size + 1);
  if (in == NULL) return 0;
  memcpy(in, data, size);
  hdr = mg_mk_str_n(in, size);
  for (i = 0; i < sizeof(k_names) / sizeof(k_names[0]); i++) {
    p = small;
    n = mg_http_parse_header2(&hdr, k_names[i], &p, sizeof(small));
    if (n < 0 || (n > 0 && strlen(p) > (size_t) n)) abort();
    if (p != small) free(p);
    n = mg_http_parse_header(&hdr, k_names[i], small, sizeof(small));
    if (n < 0 || n >= (int) sizeof(small)) abort();
    n = mg_get_http_var(&hdr, k_names[i], dst, sizeof(dst));
    if (n >= (int) sizeof(dst)) abort();
  }
  n = mg_url_decode(in, (int) size, dst, (int) sizeof(dst), 1);
  if (n >= (int) sizeof(dst) || memchr(dst, '\0', sizeof(dst)) == NULL) abort();
  if (n >= 0 && dst[n] != '\0') abort();
  free(in);
  return 0;
}
