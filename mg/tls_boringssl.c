/*
 * TLS with BoringSSL: the implementation behind mg/tls.h, registered as the
 * plugin "tls" (no events) whose per-manager init sets mgr->tls.
 *
 * Bytes go through a BIO of our own that calls the connection's interface
 * (tcp_recv/tcp_send), so TLS works on any transport, sockets or mem://.
 */
#include "mg/tls.h"
#include "mg/tls_boringssl.h"

#if MG_ENABLE_SSL /* else //mg:tls is tls_none.c; this file is empty */

#include <limits.h>
#include <pthread.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

/* Cipher suites for TLS 1.2 (TLS 1.3 suites are not configurable): ECDHE
 * with AEAD; OLD adds CBC and RSA key exchange. Never DHE, RC4, 3DES or
 * export suites. */
#define CIPHERS_AEAD                                           \
  "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" \
  "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" \
  "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
#define CIPHERS_CBC                                                      \
  "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:"  \
  "ECDHE-RSA-AES256-SHA:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA:" \
  "AES256-SHA"
/* TLS 1.2 PSK suites, used when a PSK is given without a cipher list. */
#define CIPHERS_PSK                                       \
  "ECDHE-PSK-CHACHA20-POLY1305:ECDHE-PSK-AES128-CBC-SHA:" \
  "ECDHE-PSK-AES256-CBC-SHA:PSK-AES128-CBC-SHA:PSK-AES256-CBC-SHA"

#if defined(MG_SSL_CRYPTO_MODERN)
#define DEFAULT_CIPHERS CIPHERS_AEAD
#define MIN_VERSION TLS1_3_VERSION
#elif defined(MG_SSL_CRYPTO_OLD)
#define DEFAULT_CIPHERS CIPHERS_AEAD ":" CIPHERS_CBC
#define MIN_VERSION TLS1_2_VERSION
#else
#define DEFAULT_CIPHERS CIPHERS_AEAD
#define MIN_VERSION TLS1_2_VERSION
#endif

/* nc->ssl_if_data. */
struct tls_conn {
  SSL_CTX *ctx; /* own context (listener, client); NULL when accepted */
  SSL *ssl;     /* the session; NULL on a listener */
  int io_err;   /* errno of the last failed transport call, or 0 */
  char psk_identity[PSK_MAX_IDENTITY_LEN + 1]; /* client PSK identity */
  uint8_t psk[32];                             /* client PSK */
  unsigned psk_len;                            /* 0: no PSK */
  char error[256];                             /* why TLS failed, or "" */
};

/* A client context, reused by connections with the same settings: loading
 * a CA bundle (the system one: ~140 certificates) costs milliseconds. */
struct mg__tls_ctx_entry {
  struct mg__tls_ctx_entry *next;
  char *key; /* cert, key, ca and cipher names, NUL-separated */
  size_t key_len;
  SSL_CTX *ctx; /* one reference held by the cache */
};

#define MAX_CACHED_CTX 8

static struct tls_conn *tls_of(const struct mg_connection *nc) {
  return (struct tls_conn *) nc->ssl_if_data;
}

/* ------------------------------------------------------------------ */
/* The BIO: reads and writes through nc's interface                    */

static BIO_METHOD *s_bio_method;
static pthread_once_t s_bio_once = PTHREAD_ONCE_INIT;

static int bio_read(BIO *b, char *buf, int len) {
  struct mg_connection *nc = (struct mg_connection *) BIO_get_data(b);
  long r;
  BIO_clear_retry_flags(b);
  if (len <= 0) return 0;
  r = nc->iface->vtable->tcp_recv(nc, buf, (size_t) len);
  if (r > 0) return (int) r;
  if (r == 0) {
    BIO_set_retry_read(b);
    return -1;
  }
  if (r == -EPIPE) return 0; /* the peer closed its side */
  tls_of(nc)->io_err = (int) -r;
  return -1;
}

static int bio_write(BIO *b, const char *buf, int len) {
  struct mg_connection *nc = (struct mg_connection *) BIO_get_data(b);
  long r;
  BIO_clear_retry_flags(b);
  if (len <= 0) return 0;
  r = nc->iface->vtable->tcp_send(nc, buf, (size_t) len);
  if (r > 0) return (int) r;
  if (r == 0) {
    BIO_set_retry_write(b);
    return -1;
  }
  tls_of(nc)->io_err = (int) -r;
  return -1;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr) {
  (void) b;
  (void) num;
  (void) ptr;
  return cmd == BIO_CTRL_FLUSH ? 1 : 0; /* writes are not buffered */
}

static void make_bio_method(void) {
  BIO_METHOD *m = BIO_meth_new(0, "mg_iface");
  if (m == NULL) return;
  BIO_meth_set_read(m, bio_read);
  BIO_meth_set_write(m, bio_write);
  BIO_meth_set_ctrl(m, bio_ctrl);
  s_bio_method = m;
}

/* Puts a BIO on nc's interface under tc->ssl. Returns 0 or -1. */
static int attach_bio(struct mg_connection *nc, struct tls_conn *tc) {
  BIO *b;
  pthread_once(&s_bio_once, make_bio_method);
  if (s_bio_method == NULL || (b = BIO_new(s_bio_method)) == NULL) return -1;
  BIO_set_data(b, nc);
  BIO_set_init(b, 1);
  SSL_set_bio(tc->ssl, b, b); /* one reference, owned by ssl */
  return 0;
}

/* ------------------------------------------------------------------ */
/* Errors                                                               */

/* Records why the last TLS call failed; returns the errno value for it. */
static int record_failure(struct tls_conn *tc, int ssl_err) {
  long verify = tc->ssl ? SSL_get_verify_result(tc->ssl) : X509_V_OK;
  uint32_t e = ERR_peek_last_error();
  const char *reason = e ? ERR_reason_error_string(e) : NULL;
  int code = EPROTO;
  if (verify != X509_V_OK &&
      ERR_GET_REASON(e) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
    snprintf(tc->error, sizeof(tc->error), "certificate verify failed: %s",
             X509_verify_cert_error_string(verify));
  } else if (e != 0) {
    snprintf(tc->error, sizeof(tc->error), "TLS error: %s",
             reason ? reason : "unknown");
  } else if (ssl_err == SSL_ERROR_SYSCALL && tc->io_err != 0) {
    snprintf(tc->error, sizeof(tc->error), "transport error: %s",
             strerror(tc->io_err));
    code = tc->io_err;
  } else {
    snprintf(tc->error, sizeof(tc->error), "the peer closed the connection");
    code = ECONNRESET;
  }
  ERR_clear_error();
  return code;
}

/* ------------------------------------------------------------------ */
/* Setup                                                                */

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes a PSK of 32 or 64 hex digits into tc. Returns 0 or -1. */
static int set_psk(struct tls_conn *tc, const char *identity, const char *key) {
  size_t i, n = key != NULL ? strlen(key) : 0;
  if (strlen(identity) > PSK_MAX_IDENTITY_LEN || (n != 32 && n != 64)) {
    return -1;
  }
  for (i = 0; i < n; i += 2) {
    int hi = hex_digit(key[i]), lo = hex_digit(key[i + 1]);
    if (hi < 0 || lo < 0) return -1;
    tc->psk[i / 2] = (uint8_t) (hi * 16 + lo);
  }
  tc->psk_len = (unsigned) (n / 2);
  snprintf(tc->psk_identity, sizeof(tc->psk_identity), "%s", identity);
  return 0;
}

static unsigned psk_client_cb(SSL *ssl, const char *hint, char *identity,
                              unsigned max_identity_len, uint8_t *psk,
                              unsigned max_psk_len) {
  BIO *b = SSL_get_rbio(ssl);
  struct mg_connection *nc =
      b ? (struct mg_connection *) BIO_get_data(b) : NULL;
  struct tls_conn *tc = nc ? tls_of(nc) : NULL;
  (void) hint;
  if (tc == NULL || tc->psk_len == 0 || tc->psk_len > max_psk_len ||
      strlen(tc->psk_identity) > max_identity_len) {
    return 0;
  }
  memcpy(identity, tc->psk_identity, strlen(tc->psk_identity) + 1);
  memcpy(psk, tc->psk, tc->psk_len);
  return tc->psk_len;
}

/* Loads a certificate chain and its key (key in the cert file when NULL). */
static const char *load_cert(SSL_CTX *ctx, const char *cert, const char *key) {
  if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
    return "cannot load ssl_cert";
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key ? key : cert, SSL_FILETYPE_PEM) !=
      1) {
    int reason = ERR_GET_REASON(ERR_peek_last_error());
    if (reason == X509_R_KEY_VALUES_MISMATCH ||
        reason == X509_R_KEY_TYPE_MISMATCH) {
      return "ssl_key does not match ssl_cert";
    }
    return key ? "cannot load ssl_key" : "cannot load the key from ssl_cert";
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return "ssl_key does not match ssl_cert";
  }
  return NULL;
}

/* Non-zero if ca names a CA bundle (not NULL, not "*"). */
static int verifies(const char *ca) {
  return ca != NULL && strcmp(ca, "*") != 0;
}

static const char *setup_server(SSL_CTX *ctx, const struct mg_tls_params *p) {
  static const unsigned char sid_ctx[] = "mg";
  const char *msg;
  if (p->cert == NULL) return "a TLS listener needs ssl_cert";
  if ((msg = load_cert(ctx, p->cert, p->key)) != NULL) return msg;
  SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1);
  if (verifies(p->ca_cert)) {
    STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(p->ca_cert);
    if (names == NULL ||
        SSL_CTX_load_verify_locations(ctx, p->ca_cert, NULL) != 1) {
      if (names != NULL) sk_X509_NAME_pop_free(names, X509_NAME_free);
      return "cannot load ssl_ca_cert";
    }
    SSL_CTX_set_client_CA_list(ctx, names); /* takes ownership */
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       NULL);
  }
  return NULL;
}

/* Sets the name the server's certificate must carry. Wildcard certificates
 * match one whole leftmost label (BoringSSL allows no partial wildcards). */
static const char *expect_name(SSL *ssl, const char *name) {
  X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
  unsigned char addr[16];
  int ok;
  if (inet_pton(AF_INET, name, addr) == 1 ||
      inet_pton(AF_INET6, name, addr) == 1) {
    ok = X509_VERIFY_PARAM_set1_ip_asc(param, name);
  } else {
    ok = X509_VERIFY_PARAM_set1_host(param, name, strlen(name));
  }
  return ok == 1 ? NULL : "invalid ssl_server_name";
}

/* The context settings of a client: certificate and CA files. */
static const char *setup_client_ctx(SSL_CTX *ctx,
                                    const struct mg_tls_params *p) {
  const char *msg;
  if (p->cert != NULL && (msg = load_cert(ctx, p->cert, p->key)) != NULL) {
    return msg;
  }
  if (verifies(p->ca_cert) &&
      SSL_CTX_load_verify_locations(ctx, p->ca_cert, NULL) != 1) {
    return "cannot load ssl_ca_cert";
  }
  return NULL;
}

/* The cipher list for p. */
static const char *ciphers_of(const struct mg_tls_params *p) {
  if (p->cipher_suites != NULL) return p->cipher_suites;
  return p->psk_identity != NULL ? CIPHERS_PSK ":" DEFAULT_CIPHERS
                                 : DEFAULT_CIPHERS;
}

/* A new context for p (a reference for the caller), or NULL and *err. */
static SSL_CTX *new_ctx(const struct mg_tls_params *p, const char **err) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_method());
  if (ctx == NULL) {
    *err = "out of memory";
    return NULL;
  }
  SSL_CTX_set_min_proto_version(ctx, MIN_VERSION);
  SSL_CTX_set_mode(
      ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_set_cipher_list(ctx, ciphers_of(p)) != 1) {
    *err = "no usable cipher suite in ssl_cipher_suites";
  } else {
    *err = p->is_server ? setup_server(ctx, p) : setup_client_ctx(ctx, p);
  }
  ERR_clear_error();
  if (*err != NULL) {
    SSL_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

/* Appends s and its NUL (or just a NUL for NULL) to buf at *len. */
static void add_key_part(char *buf, size_t cap, size_t *len, const char *s) {
  size_t n = s != NULL ? strlen(s) : 0;
  if (*len + n + 2 <= cap) {
    buf[(*len)++] = s != NULL ? 's' : '-';
    memcpy(buf + *len, s != NULL ? s : "", n);
    *len += n;
    buf[(*len)++] = '\0';
  } else {
    *len = cap + 1; /* too long: not cached */
  }
}

/* Frees a cache entry. */
static void drop_entry(struct mg__tls_ctx_entry *e) {
  SSL_CTX_free(e->ctx);
  MG_FREE(e->key);
  MG_FREE(e);
}

/* A client context for p from mgr's cache, or made (and cached). Returns a
 * reference for the caller, or NULL and *err. */
static SSL_CTX *client_ctx(struct mg_mgr *mgr, const struct mg_tls_params *p,
                           const char **err) {
  struct mg__tls_mgr *tm =
      (struct mg__tls_mgr *) mg_plugin_mgr_state(mgr, &mg_plugin_tls);
  char key[4096];
  size_t len = 0;
  struct mg__tls_ctx_entry *e, **pe;
  SSL_CTX *ctx;
  int n = 0;
  add_key_part(key, sizeof(key), &len, p->cert);
  add_key_part(key, sizeof(key), &len, p->key);
  add_key_part(key, sizeof(key), &len,
               verifies(p->ca_cert) ? p->ca_cert : NULL);
  add_key_part(key, sizeof(key), &len, ciphers_of(p));
  for (e = tm != NULL ? tm->cache : NULL; e != NULL && len <= sizeof(key);
       e = e->next) {
    if (e->key_len == len && memcmp(e->key, key, len) == 0) {
      SSL_CTX_up_ref(e->ctx);
      return e->ctx;
    }
  }
  if ((ctx = new_ctx(p, err)) == NULL) return NULL;
  if (tm == NULL || len > sizeof(key)) return ctx;
  e = (struct mg__tls_ctx_entry *) MG_CALLOC(1, sizeof(*e));
  if (e == NULL || (e->key = (char *) MG_MALLOC(len)) == NULL) {
    MG_FREE(e);
    return ctx;
  }
  memcpy(e->key, key, len);
  e->key_len = len;
  e->ctx = ctx;
  SSL_CTX_up_ref(ctx);
  e->next = tm->cache;
  tm->cache = e;
  for (pe = &tm->cache; *pe != NULL; pe = &(*pe)->next) {
    if (++n > MAX_CACHED_CTX) {
      drop_entry(*pe);
      *pe = NULL;
      break;
    }
  }
  return ctx;
}

static const char *setup_client(struct mg_connection *nc, struct tls_conn *tc,
                                const struct mg_tls_params *p) {
  const char *msg;
  if ((tc->ssl = SSL_new(tc->ctx)) == NULL || attach_bio(nc, tc) != 0) {
    return "out of memory";
  }
  SSL_set_connect_state(tc->ssl);
  if (verifies(p->ca_cert)) {
    SSL_set_verify(tc->ssl, SSL_VERIFY_PEER, NULL);
    if (p->server_name != NULL && strcmp(p->server_name, "*") != 0 &&
        (msg = expect_name(tc->ssl, p->server_name)) != NULL) {
      return msg;
    }
  }
  if (p->sni != NULL && SSL_set_tlsext_host_name(tc->ssl, p->sni) != 1) {
    return "invalid server name";
  }
  if (p->psk_identity != NULL) {
    if (set_psk(tc, p->psk_identity, p->psk_key) != 0) {
      return "ssl_psk_key must be 32 or 64 hex digits";
    }
    SSL_set_psk_client_callback(tc->ssl, psk_client_cb);
    SSL_set_max_proto_version(tc->ssl, TLS1_2_VERSION); /* PSK suites */
  }
  return NULL;
}

static int tls_setup(struct mg_connection *nc, const struct mg_tls_params *p,
                     const char **err) {
  struct tls_conn *tc = (struct tls_conn *) MG_CALLOC(1, sizeof(*tc));
  if (tc == NULL) {
    *err = "out of memory";
    return -1;
  }
  nc->ssl_if_data = tc;
  *err = NULL;
  tc->ctx = p->is_server ? new_ctx(p, err) : client_ctx(nc->mgr, p, err);
  if (tc->ctx == NULL) return -1;
  if (!p->is_server) *err = setup_client(nc, tc, p);
  ERR_clear_error();
  return *err == NULL ? 0 : -1;
}

static int tls_accept(struct mg_connection *nc, struct mg_connection *lc) {
  struct tls_conn *lt = tls_of(lc);
  struct tls_conn *tc = (struct tls_conn *) MG_CALLOC(1, sizeof(*tc));
  if (tc == NULL) return -1;
  nc->ssl_if_data = tc;
  if (lt == NULL || lt->ctx == NULL || (tc->ssl = SSL_new(lt->ctx)) == NULL ||
      attach_bio(nc, tc) != 0) {
    return -1;
  }
  SSL_set_accept_state(tc->ssl);
  return 0;
}

/* ------------------------------------------------------------------ */
/* I/O                                                                  */

/* Sets nc's MG_F_WANT_* flag for an SSL_ERROR_WANT_* result. */
static void want(struct mg_connection *nc, int ssl_err) {
  nc->flags &= ~(unsigned long) (MG_F_WANT_READ | MG_F_WANT_WRITE);
  nc->flags |=
      ssl_err == SSL_ERROR_WANT_WRITE ? MG_F_WANT_WRITE : MG_F_WANT_READ;
}

static int tls_handshake(struct mg_connection *nc) {
  struct tls_conn *tc = tls_of(nc);
  int r, e;
  ERR_clear_error();
  tc->io_err = 0;
  r = SSL_do_handshake(tc->ssl);
  if (r == 1) return MG_TLS_DONE;
  e = SSL_get_error(tc->ssl, r);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
    want(nc, e);
    return MG_TLS_AGAIN;
  }
  return -record_failure(tc, e);
}

static int clamp(size_t len) { return len > INT_MAX ? INT_MAX : (int) len; }

static long tls_recv(struct mg_connection *nc, void *buf, size_t len) {
  struct tls_conn *tc = tls_of(nc);
  int r, e;
  ERR_clear_error();
  tc->io_err = 0;
  r = SSL_read(tc->ssl, buf, clamp(len));
  if (r > 0) return r;
  e = SSL_get_error(tc->ssl, r);
  switch (e) {
    case SSL_ERROR_WANT_READ:
      return 0;
    case SSL_ERROR_WANT_WRITE:
      nc->flags |= MG_F_WANT_WRITE; /* the core retries when writable */
      return 0;
    case SSL_ERROR_ZERO_RETURN:
      return -EPIPE; /* close_notify */
    case SSL_ERROR_SYSCALL:
      if (tc->io_err == 0 && ERR_peek_error() == 0) return -EPIPE; /* EOF */
      return -record_failure(tc, e);
    default:
      return -record_failure(tc, e);
  }
}

static long tls_send(struct mg_connection *nc, const void *buf, size_t len) {
  struct tls_conn *tc = tls_of(nc);
  int r, e;
  ERR_clear_error();
  tc->io_err = 0;
  r = SSL_write(tc->ssl, buf, clamp(len));
  if (r > 0) return r;
  e = SSL_get_error(tc->ssl, r);
  if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) return 0;
  return -record_failure(tc, e);
}

static int tls_pending(struct mg_connection *nc) {
  struct tls_conn *tc = tls_of(nc);
  return tc->ssl != NULL && SSL_pending(tc->ssl) > 0;
}

static void tls_shutdown(struct mg_connection *nc) {
  struct tls_conn *tc = tls_of(nc);
  if (tc->ssl == NULL) return;
  SSL_shutdown(tc->ssl); /* sends close_notify; the answer is not awaited */
  ERR_clear_error();
}

static void tls_free(struct mg_connection *nc) {
  struct tls_conn *tc = tls_of(nc);
  if (tc == NULL) return;
  SSL_free(tc->ssl);
  SSL_CTX_free(tc->ctx);
  OPENSSL_cleanse(tc->psk, sizeof(tc->psk));
  MG_FREE(tc);
  nc->ssl_if_data = NULL;
}

static const char *tls_error(const struct mg_connection *nc) {
  struct tls_conn *tc = tls_of(nc);
  return tc->error[0] != '\0' ? tc->error : NULL;
}

static const char *tls_server_name(const struct mg_connection *nc) {
  struct tls_conn *tc = tls_of(nc);
  return tc->ssl ? SSL_get_servername(tc->ssl, TLSEXT_NAMETYPE_host_name)
                 : NULL;
}

static const struct mg_tls_vtable s_vtable = {
    .setup = tls_setup,
    .accept = tls_accept,
    .handshake = tls_handshake,
    .recv = tls_recv,
    .send = tls_send,
    .pending = tls_pending,
    .shutdown = tls_shutdown,
    .free = tls_free,
    .error = tls_error,
    .server_name = tls_server_name,
};

/* ------------------------------------------------------------------ */
/* The plugin's init and free (its descriptor is in tls_plugin.c)       */

int mg__tls_plugin_init(struct mg_mgr *mgr, void *state) {
  (void) state;
  mgr->tls = &s_vtable;
  return 0;
}

void mg__tls_plugin_free(struct mg_mgr *mgr, void *state) {
  struct mg__tls_mgr *tm = (struct mg__tls_mgr *) state;
  (void) mgr; /* mgr->tls stays: connections closed later still need it */
  while (tm->cache != NULL) {
    struct mg__tls_ctx_entry *e = tm->cache;
    tm->cache = e->next;
    drop_entry(e);
  }
}

#endif /* MG_ENABLE_SSL */
