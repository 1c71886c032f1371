/*
 * Fuzzes the buffered mg_parse_multipart(). Invariants: each part's data
 * lies within the input, and the parser always moves forward.
 */
#include <stdlib.h>

#include "plugins/http/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char var[64], file[64], *buf;
  const char *chunk;
  size_t chunk_len, pos = 0, n;
  int i;
  if (size > 1 << 20) return 0;
  buf = (char *) malloc(size + 1);
  if (buf == NULL) return 0;
  memcpy(buf, data, size);
  for (i = 0; i < 10000 && pos < size; i++) {
    n = mg_parse_multipart(buf + pos, size - pos, var, sizeof(var), file,
                           sizeof(file), &chunk, &chunk_len);
    if (n == 0) break;
    if (n > size - pos || chunk < buf + pos || chunk + chunk_len > buf + size) {
      abort();
    }
    if (strlen(var) >= sizeof(var) || strlen(file) >= sizeof(file)) abort();
    pos += n;
  }
  free(buf);
  return 0;
}
