/* Base64 (RFC 4648 section 4: standard alphabet, '=' padding). */
#include "mg/util.h"

static const char mg__b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Emits the 4 characters for the 3 pending bytes; only chunk_size + 1 of
 * them carry data, the rest are '='. */
static void mg__b64_emit(struct cs_base64_ctx *ctx) {
  const unsigned char *c = ctx->chunk;
  unsigned long v = ((unsigned long) c[0] << 16) | ((unsigned long) c[1] << 8) |
                    (unsigned long) c[2];
  int i;
  for (i = 0; i < 4; i++) {
    char ch =
        i <= ctx->chunk_size ? mg__b64_alphabet[(v >> (18 - 6 * i)) & 63] : '=';
    ctx->b64_putc(ch, ctx->user_data);
  }
  ctx->chunk_size = 0;
}

void cs_base64_init(struct cs_base64_ctx *ctx, cs_base64_putc_t b64_putc,
                    void *user_data) {
  memset(ctx, 0, sizeof(*ctx));
  ctx->b64_putc = b64_putc;
  ctx->user_data = user_data;
}

void cs_base64_update(struct cs_base64_ctx *ctx, const char *str, size_t len) {
  size_t i;
  for (i = 0; i < len; i++) {
    ctx->chunk[ctx->chunk_size++] = (unsigned char) str[i];
    if (ctx->chunk_size == 3) mg__b64_emit(ctx);
  }
}

void cs_base64_finish(struct cs_base64_ctx *ctx) {
  int i;
  if (ctx->chunk_size == 0) return;
  for (i = ctx->chunk_size; i < 3; i++) ctx->chunk[i] = 0;
  mg__b64_emit(ctx);
}

/* A cs_base64_putc_t writing to a char cursor (user_data is a char **). */
static void mg__b64_putc_mem(char ch, void *user_data) {
  char **cursor = (char **) user_data;
  *(*cursor)++ = ch;
}

/* A cs_base64_putc_t writing to the FILE * in user_data. */
static void mg__b64_putc_file(char ch, void *user_data) {
  fputc((unsigned char) ch, (FILE *) user_data);
}

void cs_base64_encode(const unsigned char *src, int src_len, char *dst) {
  struct cs_base64_ctx ctx;
  char *cursor = dst;
  cs_base64_init(&ctx, mg__b64_putc_mem, &cursor);
  if (src_len > 0) cs_base64_update(&ctx, (const char *) src, (size_t) src_len);
  cs_base64_finish(&ctx);
  *cursor = '\0';
}

void cs_fprint_base64(FILE *f, const unsigned char *src, int src_len) {
  struct cs_base64_ctx ctx;
  cs_base64_init(&ctx, mg__b64_putc_file, f);
  if (src_len > 0) cs_base64_update(&ctx, (const char *) src, (size_t) src_len);
  cs_base64_finish(&ctx);
}

/* Value of a base64 character: 0..63, 64 for '=', -1 if invalid. */
static int mg__b64_value(unsigned char ch) {
  if (ch >= 'A' && ch <= 'Z') return ch - 'A';
  if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
  if (ch >= '0' && ch <= '9') return ch - '0' + 52;
  if (ch == '+') return 62;
  if (ch == '/') return 63;
  if (ch == '=') return 64;
  return -1;
}

/* Decodes one group of n (2..4) characters into out. Returns the number of
 * bytes produced, or -1 if the group is malformed. Sets *last when the group
 * ends the data (padding, or a short unpadded group). */
static int mg__b64_group(const unsigned char *s, int n, unsigned char *out,
                         int *last) {
  int v[4] = {0, 0, 0, 0}, i, data = 0;
  for (i = 0; i < n; i++) {
    v[i] = mg__b64_value(s[i]);
    if (v[i] < 0) return -1;
    if (v[i] == 64) break; /* padding starts */
    data++;
  }
  if (data < 2) return -1; /* a group carries at least one byte */
  if (data < n) {          /* padded: only '=' may follow, up to 4 chars */
    if (n != 4) return -1;
    for (i = data; i < 4; i++) {
      if (s[i] != '=') return -1;
    }
  }
  *last = data < 4;
  out[0] = (unsigned char) (v[0] << 2 | v[1] >> 4);
  out[1] = (unsigned char) ((v[1] & 15) << 4 | v[2] >> 2);
  out[2] = (unsigned char) ((v[2] & 3) << 6 | v[3]);
  return data - 1;
}

/* Decodes whole groups of 4; a final group of 2 or 3 characters may come
 * without padding. Stops before the first malformed group. */
int cs_base64_decode(const unsigned char *s, int len, char *dst, int *dec_len) {
  int consumed = 0, produced = 0, last = 0;
  while (!last && consumed < len) {
    int n = len - consumed < 4 ? len - consumed : 4;
    unsigned char out[3];
    int k = n < 2 ? -1 : mg__b64_group(s + consumed, n, out, &last);
    if (k < 0) break;
    memcpy(dst + produced, out, (size_t) k);
    produced += k;
    consumed += n;
  }
  dst[produced] = '\0';
  if (dec_len != NULL) *dec_len = produced;
  return consumed;
}

void mg_base64_encode(const unsigned char *src, int src_len, char *dst) {
  cs_base64_encode(src, src_len, dst);
}

int mg_base64_decode(const unsigned char *s, int len, char *dst) {
  return cs_base64_decode(s, len, dst, NULL);
}

void mg_mbuf_append_base64_putc(char ch, void *user_data) {
  mbuf_append((struct mbuf *) user_data, &ch, 1);
}

void mg_mbuf_append_base64(struct mbuf *mbuf, const void *data, size_t len) {
  struct cs_base64_ctx ctx;
  cs_base64_init(&ctx, mg_mbuf_append_base64_putc, mbuf);
  cs_base64_update(&ctx, (const char *) data, len);
  cs_base64_finish(&ctx);
}

void mg_basic_auth_header(const struct mg_str user, const struct mg_str pass,
                          struct mbuf *buf) {
  static const char prefix[] = "Authorization: Basic ";
  struct cs_base64_ctx ctx;
  mbuf_append(buf, prefix, sizeof(prefix) - 1);
  cs_base64_init(&ctx, mg_mbuf_append_base64_putc, buf);
  cs_base64_update(&ctx, user.p, user.len);
  if (pass.p != NULL) {
    cs_base64_update(&ctx, ":", 1);
    cs_base64_update(&ctx, pass.p, pass.len);
  }
  cs_base64_finish(&ctx);
  mbuf_append(buf, "\r\n", 2);
}
