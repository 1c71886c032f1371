/* libFuzzer target: the name decompressor. The input is a 2-byte offset,
 * a 1-byte destination size, then the message bytes. A name read must be
 * at most 253 characters and take bytes inside the message; when no label
 * holds a dot, encoding the text again must give the same wire form; and
 * mg_dns_uncompress_name() must agree and never write past dst_len. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plugins/dns/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Non-zero if some label of the wire name holds a dot. */
static int has_dotted_label(const unsigned char *wire) {
  size_t i;
  for (i = 0; wire[i] != 0; i += 1 + (size_t) wire[i]) {
    if (memchr(wire + i + 1, '.', wire[i]) != NULL) return 1;
  }
  return 0;
}

/* Encodes text again: the same wire form must come out. */
static void check_roundtrip(const unsigned char *wire, int wn, const char *text,
                            int n) {
  unsigned char again[MG__DNS_NAME_MAX];
  if (has_dotted_label(wire)) return;
  if (mg__dns_name_to_wire(text, (size_t) n, again) != wn ||
      memcmp(wire, again, (size_t) wn) != 0) {
    abort();
  }
}

/* mg_dns_uncompress_name() into a heap buffer of exactly dst_len bytes. */
static void check_uncompress(const uint8_t *data, size_t size, size_t off,
                             int dst_len, int r) {
  struct mg_dns_message msg;
  struct mg_str name;
  char *dst = (char *) malloc(dst_len > 0 ? (size_t) dst_len : 1);
  size_t n;
  if (dst == NULL) return;
  memset(&msg, 0, sizeof(msg));
  msg.pkt = mg_mk_str_n((const char *) data, size);
  name = mg_mk_str_n((const char *) data + off, 0);
  n = mg_dns_uncompress_name(&msg, &name, dst, dst_len);
  if (n > (size_t) dst_len || (r <= 0 && n != 0)) abort();
  if (r > 0 && dst_len > 0 &&
      n != ((size_t) r < (size_t) dst_len ? (size_t) r : (size_t) dst_len)) {
    abort();
  }
  free(dst);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  unsigned char wire[MG__DNS_NAME_MAX];
  char text[MG__DNS_NAME_MAX + 1];
  size_t off, in_place = 0;
  int dst_len, r, wn;
  if (size < 3) return 0;
  off = mg__dns_get16(data);
  dst_len = data[2];
  data += 3;
  size -= 3;
  wn = mg__dns_walk_name(data, size, off, size, wire, &in_place);
  r = mg__dns_read_name(data, size, off, size, text, &in_place);
  if ((wn < 0) != (r < 0) || r > 253) abort();
  if (r >= 0) {
    if (in_place == 0 || off + in_place > size) abort();
    check_roundtrip(wire, wn, text, r);
  }
  if (off < size) check_uncompress(data, size, off, dst_len, r);
  return 0;
}
