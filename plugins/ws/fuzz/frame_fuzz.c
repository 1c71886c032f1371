/*
 * Fuzzes the frame decoder. The first byte picks the decoder's settings
 * (server or client side, defragmentation, a small or large size limit);
 * the rest is fed as a receive buffer in pieces, as the plugin does.
 * Invariants: items lie inside the window, consumed bytes are within it,
 * and the window never grows.
 */
#include <stdlib.h>

#include "plugins/ws/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct mg__ws_decoder d;
  unsigned char *buf;
  size_t have = 0, fed = 0, step;
  int i;
  if (size < 1 || size > (1 << 20)) return 0;
  memset(&d, 0, sizeof(d));
  d.expect_masked = data[0] & 1;
  d.no_defrag = (data[0] >> 1) & 1;
  d.max_size = (data[0] & 4) ? 64 : (uint64_t) 1 << 20;
  step = (size_t) (data[0] >> 3) + 1;
  data++;
  size--;
  buf = (unsigned char *) malloc(size + 1);
  if (buf == NULL) return 0;
  for (i = 0; i < 100000; i++) {
    struct mg__ws_item it;
    size_t len, before;
    if (fed < size) { /* a receive of up to `step` bytes */
      size_t n = size - fed < step ? size - fed : step;
      memcpy(buf + have, data + fed, n);
      have += n;
      fed += n;
    }
    len = before = have;
    mg__ws_decode(&d, buf, &len, &it);
    if (len > before) abort();
    have = len;
    if (it.kind == MG__WS_FAIL) {
      if (it.status != 1002 && it.status != 1007 && it.status != 1009) abort();
      break;
    }
    if (it.kind == MG__WS_MORE) {
      if (fed >= size) break;
      continue;
    }
    if (it.off + it.len > have || it.consumed > have) abort();
    if (it.kind == MG__WS_DATA && it.len > d.max_size) abort();
    if (it.kind == MG__WS_CONTROL && it.len > 125) abort();
    memmove(buf, buf + it.consumed, have - it.consumed);
    have -= it.consumed;
  }
  free(buf);
  return 0;
}
