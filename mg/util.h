/* Utilities that need no connection: base64, hexdump, URL encoding, files,
 * threads, address printing. */
#ifndef MG_UTIL_H
#define MG_UTIL_H

#include "mg/mbuf.h"
#include "mg/str.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- base64 (RFC 4648, standard alphabet, '=' padding) --- */

/* Receives one encoded character from the streaming encoder. */
typedef void (*cs_base64_putc_t)(char, void *);

/* Streaming encoder state: init, update as often as needed, finish. */
struct cs_base64_ctx {
  cs_base64_putc_t b64_putc; /* output callback */
  unsigned char chunk[3];    /* pending input bytes */
  int chunk_size;            /* how many of chunk[] are pending */
  void *user_data;           /* passed to b64_putc */
};

void cs_base64_init(struct cs_base64_ctx *ctx, cs_base64_putc_t putc,
                    void *user_data);
void cs_base64_update(struct cs_base64_ctx *ctx, const char *str, size_t len);
void cs_base64_finish(struct cs_base64_ctx *ctx);

/* Encodes src into dst (4 * ((src_len + 2) / 3) + 1 bytes), NUL-terminated. */
void cs_base64_encode(const unsigned char *src, int src_len, char *dst);
void cs_fprint_base64(FILE *f, const unsigned char *src, int src_len);

/* Decodes up to len bytes of s into dst (at least 3 * len / 4 + 1 bytes,
 * NUL-terminated). Stops at the first invalid character or at the end of
 * the padding. Returns how many input bytes were consumed; *dec_len (if not
 * NULL) gets the decoded length. */
int cs_base64_decode(const unsigned char *s, int len, char *dst, int *dec_len);

/* Base64-encodes src into dst, NUL-terminated. */
void mg_base64_encode(const unsigned char *src, int src_len, char *dst);

/* Decodes base64 s into dst, NUL-terminated. Returns the number of input
 * characters consumed: len on success, less on an invalid character. */
int mg_base64_decode(const unsigned char *s, int len, char *dst);

/* Encodes len bytes at data as base64 and appends them to mbuf. */
void mg_mbuf_append_base64(struct mbuf *mbuf, const void *data, size_t len);

/* A cs_base64_putc_t that appends to the struct mbuf in user_data. */
void mg_mbuf_append_base64_putc(char ch, void *user_data);

/* Appends "Authorization: Basic <base64(user:pass)>\r\n" to buf. With
 * pass.p == NULL, user already holds "user:pass". */
void mg_basic_auth_header(const struct mg_str user, const struct mg_str pass,
                          struct mbuf *buf);

/* --- hexdump --- */

/* Writes a hexdump(1)-like dump of buf into dst (NUL-terminated). Returns
 * the length of the full dump; output past dst_len is discarded. */
int mg_hexdump(const void *buf, int len, char *dst, int dst_len);

/* mg_hexdump() to a stream. */
void mg_hexdumpf(FILE *fp, const void *buf, int len);

/* --- URL encoding, tokens --- */

#define MG_URL_ENCODE_F_SPACE_AS_PLUS (1 << 0)
#define MG_URL_ENCODE_F_UPPERCASE_HEX (1 << 1)

/* Percent-encodes src, leaving alphanumerics and `safe` as they are. The
 * result is heap-allocated (MG_MALLOC) and NUL-terminated; free with MG_FREE.
 * On allocation failure p is NULL. */
struct mg_str mg_url_encode_opt(const struct mg_str src,
                                const struct mg_str safe, unsigned int flags);

/* mg_url_encode_opt(src, "._-$,;~()/", 0). */
struct mg_str mg_url_encode(const struct mg_str src);

/* Records in v the token from s up to the first delimiter (or end_string),
 * then skips the delimiters that follow it, and returns where parsing
 * stopped: the start of the next token. Called in sequence, it walks the
 * tokens; a field that starts with a delimiter gives an empty token (so
 * "Host:\r\n" gives an empty value, as in the reference). NUL is never a
 * delimiter. */
const char *mg_skip(const char *s, const char *end_string,
                    const char *delimiters, struct mg_str *v);

/* Non-zero on a big-endian target. */
int mg_is_big_endian(void);

/* --- files (UTF-8 paths); MG_USER_FILE_FUNCTIONS lets a program supply its
 * own mg_stat, mg_fopen, mg_open, mg_fread and mg_fwrite --- */
int mg_stat(const char *path, cs_stat_t *st);
FILE *mg_fopen(const char *path, const char *mode);
int mg_open(const char *path, int flag, int mode);
size_t mg_fread(void *ptr, size_t size, size_t count, FILE *f);
size_t mg_fwrite(const void *ptr, size_t size, size_t count, FILE *f);

/* --- threads --- */
#if MG_ENABLE_THREADS
/* Starts a detached thread running thread_func(thread_func_param). Returns
 * an opaque non-NULL handle on success, NULL on failure. */
void *mg_start_thread(void *(*thread_func)(void *), void *thread_func_param);
#endif

/* --- addresses --- */
#define MG_SOCK_STRINGIFY_IP 1
#define MG_SOCK_STRINGIFY_PORT 2
#define MG_SOCK_STRINGIFY_REMOTE 4

/* Prints sa's address and/or port (flags MG_SOCK_STRINGIFY_IP/PORT) into
 * buf: "1.2.3.4:80", "[::1]:80" when both, bare forms otherwise. Returns
 * the length written, 0 on error (buf is then ""). */
int mg_sock_addr_to_str(const union socket_address *sa, char *buf, size_t len,
                        int flags);

/* Legacy: prints the local (or with MG_SOCK_STRINGIFY_REMOTE, the remote)
 * address of a socket. */
void mg_sock_to_str(sock_t sock, char *buf, size_t len, int flags);

#ifdef __cplusplus
}
#endif

#endif /* MG_UTIL_H */
