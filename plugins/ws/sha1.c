/* SHA-1 as FIPS 180-4 section 6.1 describes it, and the handshake's
 * Sec-WebSocket-Accept value (RFC 6455 section 4.2.2). */
#include "plugins/ws/internal.h"

#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

/* Big-endian 32-bit word at p (bytes, so any alignment). */
static uint32_t load_be32(const unsigned char *p) {
  return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) |
         ((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

/* Processes one 512-bit block (6.1.2 steps 1-4). */
static void sha1_block(uint32_t h[5], const unsigned char *block) {
  uint32_t w[80], a, b, c, d, e, f, k, t;
  int i;
  for (i = 0; i < 16; i++) w[i] = load_be32(block + 4 * i);
  for (i = 16; i < 80; i++) {
    w[i] = ROTL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  }
  a = h[0];
  b = h[1];
  c = h[2];
  d = h[3];
  e = h[4];
  for (i = 0; i < 80; i++) {
    if (i < 20) {
      f = (b & c) ^ (~b & d); /* Ch */
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d; /* Parity */
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) ^ (b & d) ^ (c & d); /* Maj */
      k = 0x8f1bbcdc;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6;
    }
    t = ROTL(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = ROTL(b, 30);
    b = a;
    a = t;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

void mg__sha1_init(struct mg__sha1 *c) {
  c->h[0] = 0x67452301; /* initial hash value, 5.3.1 */
  c->h[1] = 0xefcdab89;
  c->h[2] = 0x98badcfe;
  c->h[3] = 0x10325476;
  c->h[4] = 0xc3d2e1f0;
  c->bytes = 0;
}

void mg__sha1_update(struct mg__sha1 *c, const void *data, size_t len) {
  const unsigned char *p = (const unsigned char *) data;
  size_t used = (size_t) (c->bytes % 64);
  c->bytes += len;
  if (used > 0) {
    size_t take = 64 - used < len ? 64 - used : len;
    memcpy(c->buf + used, p, take);
    p += take;
    len -= take;
    if (used + take < 64) return;
    sha1_block(c->h, c->buf);
  }
  for (; len >= 64; p += 64, len -= 64) sha1_block(c->h, p);
  if (len > 0) memcpy(c->buf, p, len);
}

void mg__sha1_final(struct mg__sha1 *c, unsigned char digest[20]) {
  uint64_t bits = c->bytes * 8;
  size_t used = (size_t) (c->bytes % 64);
  int i;
  /* Padding (5.1.1): a 1 bit, zeros, then the 64-bit length. */
  c->buf[used++] = 0x80;
  if (used > 56) {
    memset(c->buf + used, 0, 64 - used);
    sha1_block(c->h, c->buf);
    used = 0;
  }
  memset(c->buf + used, 0, 56 - used);
  for (i = 0; i < 8; i++)
    c->buf[56 + i] = (unsigned char) (bits >> (56 - 8 * i));
  sha1_block(c->h, c->buf);
  for (i = 0; i < 20; i++) {
    digest[i] = (unsigned char) (c->h[i / 4] >> (24 - 8 * (i % 4)));
  }
}

void mg__ws_accept_key(struct mg_str key, char out[29]) {
  static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  struct mg__sha1 c;
  unsigned char digest[20];
  mg__sha1_init(&c);
  mg__sha1_update(&c, key.p, key.len);
  mg__sha1_update(&c, guid, sizeof(guid) - 1);
  mg__sha1_final(&c, digest);
  mg_base64_encode(digest, (int) sizeof(digest), out);
}
