/* Domain names: reading (with compression pointers), text and wire forms
 * (RFC 1035 3.1, 4.1.4). */
#include "plugins/dns/internal.h"

/* Compression pointers followed in one name at most. Each must point before
 * the label run it is found in, so this only bounds the work. */
#define MAX_HOPS 64

uint16_t mg__dns_get16(const unsigned char *p) {
  return (uint16_t) ((p[0] << 8) | p[1]);
}

void mg__dns_put16(unsigned char *p, unsigned int v) {
  p[0] = (unsigned char) (v >> 8);
  p[1] = (unsigned char) v;
}

/* Follows the pointer at pkt[pos] (two bytes below end). Returns the target
 * or -1 when it is not strictly before run_start or points into the header. */
static long follow_pointer(const unsigned char *pkt, size_t pos, size_t end,
                           size_t run_start) {
  size_t target;
  if (pos + 1 >= end) return -1;
  target = ((size_t) (pkt[pos] & 0x3f) << 8) | pkt[pos + 1];
  if (target >= run_start || target < MG__DNS_HEADER_SIZE) return -1;
  return (long) target;
}

int mg__dns_walk_name(const unsigned char *pkt, size_t len, size_t off,
                      size_t limit, unsigned char *wire, size_t *in_place) {
  size_t pos = off, run_start = off, end = limit < len ? limit : len, n = 0;
  int hops = 0;
  for (;;) {
    unsigned int c;
    if (pos >= end) return -1;
    c = pkt[pos];
    if ((c & 0xc0) == 0xc0) {
      long target = follow_pointer(pkt, pos, end, run_start);
      if (target < 0 || ++hops > MAX_HOPS) return -1;
      if (hops == 1) *in_place = pos + 2 - off;
      pos = run_start = (size_t) target;
      end = len;
    } else if (c & 0xc0) {
      return -1; /* 0x40 and 0x80: label types not in RFC 1035 */
    } else if (n + 1 + c > MG__DNS_NAME_MAX || pos + 1 + c > end) {
      return -1; /* name over 255 octets, or label past the data */
    } else if (c == 0) {
      if (hops == 0) *in_place = pos + 1 - off;
      wire[n++] = 0;
      return (int) n;
    } else {
      memcpy(wire + n, pkt + pos, 1 + c);
      n += 1 + c;
      pos += 1 + c;
    }
  }
}

/* Dotted text of a wire name (valid, as made by mg__dns_walk_name()). */
static int wire_to_text(const unsigned char *wire, char *text) {
  size_t i = 0, n = 0;
  while (wire[i] != 0) {
    size_t l = wire[i];
    if (n > 0) text[n++] = '.';
    memcpy(text + n, wire + i + 1, l);
    n += l;
    i += 1 + l;
  }
  text[n] = '\0';
  return (int) n;
}

int mg__dns_read_name(const unsigned char *pkt, size_t len, size_t off,
                      size_t limit, char *text, size_t *in_place) {
  unsigned char wire[MG__DNS_NAME_MAX];
  if (mg__dns_walk_name(pkt, len, off, limit, wire, in_place) < 0) return -1;
  return wire_to_text(wire, text);
}

size_t mg_dns_uncompress_name(struct mg_dns_message *msg, struct mg_str *name,
                              char *dst, int dst_len) {
  char text[MG__DNS_NAME_MAX + 1];
  uintptr_t base, at;
  size_t off, limit, in_place, n;
  int r;
  if (msg == NULL || name == NULL || name->p == NULL || msg->pkt.p == NULL ||
      dst == NULL || dst_len <= 0) {
    return 0;
  }
  base = (uintptr_t) msg->pkt.p;
  at = (uintptr_t) name->p;
  if (at < base || at >= base + msg->pkt.len) return 0; /* not in msg */
  off = (size_t) (at - base);
  limit = msg->pkt.len;
  if (name->len > 0 && name->len < limit - off) limit = off + name->len;
  r = mg__dns_read_name((const unsigned char *) msg->pkt.p, msg->pkt.len, off,
                        limit, text, &in_place);
  if (r <= 0) return 0;
  n = (size_t) r;
  if (n < (size_t) dst_len) {
    memcpy(dst, text, n);
    memset(dst + n, 0, (size_t) dst_len - n);
    return n;
  }
  memcpy(dst, text, (size_t) dst_len);
  return (size_t) dst_len;
}

int mg__dns_name_to_wire(const char *name, size_t len, unsigned char *wire) {
  size_t i = 0, n = 0;
  if (name == NULL && len > 0) return -1;
  if (len > 0 && name[len - 1] == '.') len--; /* absolute form */
  while (i < len) {
    const char *dot = (const char *) memchr(name + i, '.', len - i);
    size_t l = dot != NULL ? (size_t) (dot - (name + i)) : len - i;
    if (l == 0 || l > 63 || n + 1 + l + 1 > MG__DNS_NAME_MAX) return -1;
    wire[n++] = (unsigned char) l;
    memcpy(wire + n, name + i, l);
    n += l;
    i += l + 1;
    if (dot != NULL && i == len) return -1; /* "a..": an empty label */
  }
  wire[n++] = 0;
  return (int) n;
}

int mg_dns_encode_name(struct mbuf *io, const char *name, size_t len) {
  unsigned char wire[MG__DNS_NAME_MAX];
  int n = mg__dns_name_to_wire(name, len, wire);
  if (n < 0 || io == NULL) return -1;
  if (mbuf_append(io, wire, (size_t) n) != (size_t) n) return -1;
  return n;
}
