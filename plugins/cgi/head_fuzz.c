/*
 * The CGI header block parser on arbitrary bytes: whatever it returns, the
 * slices it reports lie inside the input and the length within it.
 */
#include <stdint.h>
#include <stdlib.h>

#include "plugins/cgi/internal.h"

static void inside(struct mg_str s, const char *buf, size_t len) {
  if (s.len > 0 && (s.p < buf || s.p + s.len > buf + len)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *buf = (const char *) data;
  struct mg__cgi_head h;
  long n = mg__cgi_parse_head(buf, size, &h);
  int i;
  if (n > (long) size) abort();
  if (n > 0) {
    inside(h.reason, buf, size);
    inside(h.location, buf, size);
    if (h.num_fields < 0 || h.num_fields > MG__CGI_MAX_FIELDS) abort();
    for (i = 0; i < h.num_fields; i++) {
      inside(h.names[i], buf, size);
      inside(h.values[i], buf, size);
    }
  }
  return 0;
}
