/* MD5 (RFC 1321), for HTTP Digest authentication (RFC 7616). */
#include "plugins/http/internal.h"

#if MG__HTTP_DIGEST

/* Per-round shift amounts. */
static const unsigned char k_shift[64] = {
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

/* floor(abs(sin(i + 1)) * 2^32). */
static const uint32_t k_sine[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
    0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
    0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
    0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
    0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
    0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
    0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

static uint32_t rotl(uint32_t x, unsigned n) {
  return (x << n) | (x >> (32 - n));
}

/* Processes one 64-byte block. */
static void md5_block(uint32_t st[4], const unsigned char *b) {
  uint32_t w[16], a = st[0], bb = st[1], c = st[2], d = st[3];
  int i;
  for (i = 0; i < 16; i++) {
    w[i] = (uint32_t) b[i * 4] | (uint32_t) b[i * 4 + 1] << 8 |
           (uint32_t) b[i * 4 + 2] << 16 | (uint32_t) b[i * 4 + 3] << 24;
  }
  for (i = 0; i < 64; i++) {
    uint32_t f, t;
    int g;
    if (i < 16) {
      f = (bb & c) | (~bb & d);
      g = i;
    } else if (i < 32) {
      f = (d & bb) | (~d & c);
      g = (5 * i + 1) % 16;
    } else if (i < 48) {
      f = bb ^ c ^ d;
      g = (3 * i + 5) % 16;
    } else {
      f = c ^ (bb | ~d);
      g = (7 * i) % 16;
    }
    t = d;
    d = c;
    c = bb;
    bb = bb + rotl(a + f + k_sine[i] + w[g], k_shift[i]);
    a = t;
  }
  st[0] += a;
  st[1] += bb;
  st[2] += c;
  st[3] += d;
}

void mg__md5_init(struct mg__md5 *c) {
  c->state[0] = 0x67452301;
  c->state[1] = 0xefcdab89;
  c->state[2] = 0x98badcfe;
  c->state[3] = 0x10325476;
  c->bytes = 0;
}

void mg__md5_update(struct mg__md5 *c, const void *data, size_t len) {
  const unsigned char *p = (const unsigned char *) data;
  while (len > 0) {
    size_t used = (size_t) (c->bytes % 64), n = 64 - used;
    if (n > len) n = len;
    memcpy(c->buf + used, p, n);
    c->bytes += n;
    p += n;
    len -= n;
    if (c->bytes % 64 == 0) md5_block(c->state, c->buf);
  }
}

void mg__md5_final(struct mg__md5 *c, unsigned char digest[16]) {
  uint64_t bits = c->bytes * 8;
  unsigned char pad[72];
  size_t used = (size_t) (c->bytes % 64);
  size_t padlen = used < 56 ? 56 - used : 120 - used;
  int i;
  memset(pad, 0, sizeof(pad));
  pad[0] = 0x80;
  for (i = 0; i < 8; i++)
    pad[padlen + (size_t) i] = (unsigned char) (bits >> (8 * i));
  mg__md5_update(c, pad, padlen + 8);
  for (i = 0; i < 16; i++) {
    digest[i] = (unsigned char) (c->state[i / 4] >> (8 * (i % 4)));
  }
}

void mg__md5_hex_join(char out[33], const struct mg_str *parts, int n) {
  struct mg__md5 c;
  unsigned char d[16];
  int i;
  mg__md5_init(&c);
  for (i = 0; i < n; i++) {
    if (i > 0) mg__md5_update(&c, ":", 1);
    mg__md5_update(&c, parts[i].p, parts[i].len);
  }
  mg__md5_final(&c, d);
  for (i = 0; i < 16; i++) {
    static const char hex[] = "0123456789abcdef";
    out[i * 2] = hex[d[i] >> 4];
    out[i * 2 + 1] = hex[d[i] & 15];
  }
  out[32] = '\0';
}

#else
typedef int mg__http_md5_left_out; /* not an empty translation unit */
#endif /* MG__HTTP_DIGEST */
