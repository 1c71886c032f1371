/*
 * HTTP authentication: Basic (RFC 7617) parsing, Digest (RFC 7616, MD5,
 * qop=auth) for servers (htdigest password files) and clients.
 *
 * A server nonce is the issue time in hex followed by a keyed MD5 of it,
 * so nonces this process did not issue, or older than NONCE_LIFETIME, are
 * refused. Issue and expiry are on the manager's clock (mg_mgr_time())
 * where a connection is at hand; the public checks that get none use
 * mg_time(), which is the manager's clock unless a test replaced it.
 */
#include "plugins/http/internal.h"

#define NONCE_LIFETIME 3600 /* seconds a server nonce stays valid */

/* Copies s into dst (dst_len bytes with the NUL). Returns -1 if too long. */
static int copy_str(struct mg_str s, char *dst, size_t dst_len) {
  if (dst == NULL || s.len + 1 > dst_len) return -1;
  memcpy(dst, s.p, s.len);
  dst[s.len] = '\0';
  return 0;
}

int mg_parse_http_basic_auth(struct mg_str *hdr, char *user, size_t user_len,
                             char *pass, size_t pass_len) {
  struct mg_str v;
  char *dec;
  const char *colon;
  int len, ok = -1;
  if (hdr == NULL || hdr->len < 6 || mg_ncasecmp(hdr->p, "Basic ", 6) != 0) {
    return -1;
  }
  v = mg_strstrip(mg_mk_str_n(hdr->p + 6, hdr->len - 6));
  if (v.len == 0 || v.len > 4096) return -1;
  dec = (char *) MG_CALLOC(1, v.len + 4);
  if (dec == NULL) return -1;
  len = cs_base64_decode((const unsigned char *) v.p, (int) v.len, dec, NULL);
  colon = strchr(dec, ':');
  if (len == (int) v.len && colon != NULL &&
      copy_str(mg_mk_str_n(dec, (size_t) (colon - dec)), user, user_len) == 0 &&
      copy_str(mg_mk_str(colon + 1), pass, pass_len) == 0) {
    ok = 0;
  }
  MG_FREE(dec);
  return ok;
}

int mg_get_http_basic_auth(struct http_message *hm, char *user, size_t user_len,
                           char *pass, size_t pass_len) {
  struct mg_str *hdr = mg_get_http_header(hm, "Authorization");
  if (hdr == NULL) return -1;
  return mg_parse_http_basic_auth(hdr, user, user_len, pass, pass_len);
}

#if MG__HTTP_DIGEST

/* A per-process secret that keys server nonces. */
static const char *nonce_secret(void) {
  static char secret[33];
  if (secret[0] == '\0') {
    unsigned char rnd[16];
    struct mg_str part;
    FILE *fp = fopen("/dev/urandom", "rb");
    double t = mg_time(); /* a seed, not a time stamp: the wall clock */
    memset(rnd, 0, sizeof(rnd));
    if (fp != NULL) {
      if (fread(rnd, 1, sizeof(rnd), fp) != sizeof(rnd)) rnd[0] ^= 1;
      fclose(fp);
    }
    memcpy(rnd, &t, sizeof(t) < sizeof(rnd) ? sizeof(t) : sizeof(rnd));
    if (fp != NULL) rnd[0] ^= (unsigned char) getpid();
    part = mg_mk_str_n((const char *) rnd, sizeof(rnd));
    mg__md5_hex_join(secret, &part, 1);
  }
  return secret;
}

/* The keyed tag of a nonce time. */
static void nonce_tag(char out[33], const char *time_hex) {
  struct mg_str parts[2];
  parts[0] = mg_mk_str(nonce_secret());
  parts[1] = mg_mk_str(time_hex);
  mg__md5_hex_join(out, parts, 2);
}

void mg__http_nonce(char *buf, size_t len, double now) {
  char t[20], tag[33];
  snprintf(t, sizeof(t), "%08lx", (unsigned long) now);
  nonce_tag(tag, t);
  snprintf(buf, len, "%s%.16s", t, tag);
}

/* Non-zero if nonce was issued here within NONCE_LIFETIME before now. */
static int nonce_valid(struct mg_str nonce, double now) {
  char t[9], tag[33];
  unsigned long issued;
  size_t i;
  if (nonce.len != 24) return 0;
  for (i = 0; i < nonce.len; i++) {
    if (!isxdigit((unsigned char) nonce.p[i])) return 0;
  }
  memcpy(t, nonce.p, 8);
  t[8] = '\0';
  issued = strtoul(t, NULL, 16);
  nonce_tag(tag, t);
  if (memcmp(tag, nonce.p + 8, 16) != 0) return 0;
  return (double) issued <= now + 60 && (double) issued + NONCE_LIFETIME >= now;
}

/* Compares two hex digests without an early exit. */
static int same_digest(struct mg_str a, const char *b) {
  size_t i;
  int diff = 0;
  if (a.len != strlen(b)) return 0;
  for (i = 0; i < a.len; i++) diff |= tolower((unsigned char) a.p[i]) ^ b[i];
  return diff == 0;
}

/* Checks the response against one HA1. */
static int response_matches(struct mg_str ha1, struct mg_str method,
                            struct mg_str uri, struct mg_str cnonce,
                            struct mg_str response, struct mg_str qop,
                            struct mg_str nc, struct mg_str nonce) {
  char ha2[33], want[33];
  struct mg_str p[6];
  p[0] = method;
  p[1] = uri;
  mg__md5_hex_join(ha2, p, 2);
  p[0] = ha1;
  p[1] = nonce;
  if (qop.len > 0) {
    p[2] = nc;
    p[3] = cnonce;
    p[4] = qop;
    p[5] = mg_mk_str(ha2);
    mg__md5_hex_join(want, p, 6);
  } else {
    p[2] = mg_mk_str(ha2);
    mg__md5_hex_join(want, p, 3);
  }
  return same_digest(response, want);
}

/* Splits an htdigest line "user:realm:ha1". Returns 0 or -1. */
static int split_line(char *line, struct mg_str *user, struct mg_str *realm,
                      struct mg_str *ha1) {
  char *a = strchr(line, ':'), *b = a == NULL ? NULL : strchr(a + 1, ':');
  size_t n;
  if (b == NULL || strchr(b + 1, ':') != NULL) return -1;
  n = strlen(b + 1);
  while (n > 0 && (b[n] == '\n' || b[n] == '\r' || b[n] == ' ')) n--;
  *user = mg_mk_str_n(line, (size_t) (a - line));
  *realm = mg_mk_str_n(a + 1, (size_t) (b - a - 1));
  *ha1 = mg_mk_str_n(b + 1, n);
  return ha1->len == 32 ? 0 : -1;
}

int mg_check_digest_auth(struct mg_str method, struct mg_str uri,
                         struct mg_str username, struct mg_str cnonce,
                         struct mg_str response, struct mg_str qop,
                         struct mg_str nc, struct mg_str nonce,
                         struct mg_str auth_domain, FILE *fp) {
  char line[512];
  if (fp == NULL || username.len == 0 || response.len != 32 || nonce.len == 0) {
    return 0;
  }
  while (fgets(line, sizeof(line), fp) != NULL) {
    struct mg_str u, r, ha1;
    if (split_line(line, &u, &r, &ha1) != 0) continue;
    if (mg_strcmp(u, username) != 0 || mg_strcmp(r, auth_domain) != 0) {
      continue;
    }
    return response_matches(ha1, method, uri, cnonce, response, qop, nc, nonce);
  }
  return 0;
}

/* The request target as sent: path plus query. */
static int uri_matches(struct http_message *hm, struct mg_str uri) {
  size_t n = hm->uri.len;
  if (uri.len < n || memcmp(uri.p, hm->uri.p, n) != 0) return 0;
  if (uri.len == n) return hm->query_string.len == 0;
  return uri.p[n] == '?' &&
         mg_strcmp(mg_mk_str_n(uri.p + n + 1, uri.len - n - 1),
                   hm->query_string) == 0;
}

/* A valid nonce count: 8 hex digits, not zero. */
static int nc_valid(struct mg_str nc) {
  size_t i;
  int nonzero = 0;
  if (nc.len != 8) return 0;
  for (i = 0; i < 8; i++) {
    if (!isxdigit((unsigned char) nc.p[i])) return 0;
    if (nc.p[i] != '0') nonzero = 1;
  }
  return nonzero;
}

#define DIGEST_FIELDS 7
static const char *const k_fields[DIGEST_FIELDS] = {
    "username", "cnonce", "response", "qop", "nc", "nonce", "uri"};

int mg__http_check_digest_auth_at(struct http_message *hm,
                                  const char *auth_domain, FILE *fp,
                                  double now) {
  struct mg_str *hdr = mg_get_http_header(hm, "Authorization");
  char bufs[DIGEST_FIELDS][256], *v[DIGEST_FIELDS];
  struct mg_str f[DIGEST_FIELDS];
  int i, ok = 0;
  if (hdr == NULL || hdr->len < 7 || mg_ncasecmp(hdr->p, "Digest ", 7) != 0 ||
      auth_domain == NULL) {
    return 0;
  }
  for (i = 0; i < DIGEST_FIELDS; i++) {
    int n;
    v[i] = bufs[i];
    n = mg_http_parse_header2(hdr, k_fields[i], &v[i], sizeof(bufs[i]));
    f[i] = mg_mk_str_n(v[i], n > 0 ? (size_t) n : 0);
  }
  if (mg_vcmp(&f[3], "auth") == 0 && nc_valid(f[4]) && f[1].len > 0 &&
      nonce_valid(f[5], now) && uri_matches(hm, f[6])) {
    ok = mg_check_digest_auth(hm->method, f[6], f[0], f[1], f[2], f[3], f[4],
                              f[5], mg_mk_str(auth_domain), fp);
  }
  for (i = 0; i < DIGEST_FIELDS; i++) {
    if (v[i] != bufs[i]) MG_FREE(v[i]);
  }
  return ok;
}

void mg_http_send_digest_auth_request(struct mg_connection *c,
                                      const char *domain) {
  char nonce[40];
  mg__http_nonce(nonce, sizeof(nonce), mg_mgr_time(c->mgr));
  mg_printf(c,
            "HTTP/1.1 401 Unauthorized\r\n"
            "WWW-Authenticate: Digest qop=\"auth\", realm=\"%s\", "
            "nonce=\"%s\", algorithm=MD5\r\n"
            "Content-Type: text/plain\r\nContent-Length: 17\r\n\r\n"
            "401 Unauthorized\n",
            domain != NULL ? domain : "", nonce);
}

int mg_http_create_digest_auth_header(char *buf, size_t buf_len,
                                      const char *method, const char *uri,
                                      const char *auth_domain, const char *user,
                                      const char *passwd, const char *nonce) {
  char ha1[33], ha2[33], resp[33], cnonce[20];
  struct mg_str p[6];
  /* A client nonce only has to differ: the wall clock is as good as any. */
  snprintf(cnonce, sizeof(cnonce), "%lx%04x", (unsigned long) mg_time(),
           (unsigned) rand() & 0xffff);
  p[0] = mg_mk_str(user);
  p[1] = mg_mk_str(auth_domain);
  p[2] = mg_mk_str(passwd);
  mg__md5_hex_join(ha1, p, 3);
  p[0] = mg_mk_str(method);
  p[1] = mg_mk_str(uri);
  mg__md5_hex_join(ha2, p, 2);
  p[0] = mg_mk_str(ha1);
  p[1] = mg_mk_str(nonce);
  p[2] = mg_mk_str("00000001");
  p[3] = mg_mk_str(cnonce);
  p[4] = mg_mk_str("auth");
  p[5] = mg_mk_str(ha2);
  mg__md5_hex_join(resp, p, 6);
  return snprintf(buf, buf_len,
                  "Authorization: Digest username=\"%s\", realm=\"%s\", "
                  "nonce=\"%s\", uri=\"%s\", qop=auth, nc=00000001, "
                  "cnonce=\"%s\", response=\"%s\"\r\n",
                  user, auth_domain, nonce, uri, cnonce, resp);
}

#else /* digest authentication left out of the build */

int mg_check_digest_auth(struct mg_str method, struct mg_str uri,
                         struct mg_str username, struct mg_str cnonce,
                         struct mg_str response, struct mg_str qop,
                         struct mg_str nc, struct mg_str nonce,
                         struct mg_str auth_domain, FILE *fp) {
  (void) method, (void) uri, (void) username, (void) cnonce, (void) response;
  (void) qop, (void) nc, (void) nonce, (void) auth_domain, (void) fp;
  return 0; /* nothing can be checked: nobody is let in */
}

int mg__http_check_digest_auth_at(struct http_message *hm,
                                  const char *auth_domain, FILE *fp,
                                  double now) {
  (void) hm, (void) auth_domain, (void) fp, (void) now;
  return 0;
}

void mg_http_send_digest_auth_request(struct mg_connection *c,
                                      const char *domain) {
  (void) domain;
  /* No challenge the client could answer: a plain refusal. */
  mg_printf(c, "%s",
            "HTTP/1.1 403 Forbidden\r\n"
            "Content-Type: text/plain\r\nContent-Length: 14\r\n\r\n"
            "403 Forbidden\n");
}

int mg_http_create_digest_auth_header(char *buf, size_t buf_len,
                                      const char *method, const char *uri,
                                      const char *auth_domain, const char *user,
                                      const char *passwd, const char *nonce) {
  (void) method, (void) uri, (void) auth_domain, (void) user, (void) passwd;
  (void) nonce;
  if (buf != NULL && buf_len > 0) buf[0] = '\0';
  return 0;
}

#endif /* MG__HTTP_DIGEST */

/* No manager at hand: the wall clock (the manager's unless a test
 * replaced it; mg_serve_http() checks on the manager's clock). */
int mg_http_check_digest_auth(struct http_message *hm, const char *auth_domain,
                              FILE *fp) {
  return mg__http_check_digest_auth_at(hm, auth_domain, fp, mg_time());
}

/* With digest authentication left out, a password file that applies
 * refuses everyone (mg_http_check_digest_auth() says no). */
int mg__http_is_authorized_at(struct http_message *hm, struct mg_str path,
                              const char *domain, const char *passwords_file,
                              int flags, double now) {
  char buf[4096];
  const char *file = passwords_file;
  FILE *fp;
  int ok;
  if (domain == NULL || passwords_file == NULL) return 1;
  if (flags & MG_AUTH_FLAG_PER_DIRECTORY) {
    size_t dir = path.len;
    if (!(flags & MG_AUTH_FLAG_IS_DIRECTORY)) {
      while (dir > 0 && path.p[dir - 1] != '/') dir--;
    }
    if (snprintf(buf, sizeof(buf), "%.*s%s%s", (int) dir, path.p,
                 dir > 0 && path.p[dir - 1] == '/' ? "" : "/",
                 passwords_file) >= (int) sizeof(buf)) {
      return 0;
    }
    file = buf;
  }
  fp = mg_fopen(file, "r");
  if (fp == NULL) {
    return (flags &
            (MG_AUTH_FLAG_PER_DIRECTORY | MG_AUTH_FLAG_ALLOW_MISSING_FILE))
               ? 1
               : 0;
  }
  ok = mg__http_check_digest_auth_at(hm, domain, fp, now);
  fclose(fp);
  return ok;
}

/* No manager at hand: the wall clock, as mg_http_check_digest_auth(). */
int mg_http_is_authorized(struct http_message *hm, struct mg_str path,
                          const char *domain, const char *passwords_file,
                          int flags) {
  return mg__http_is_authorized_at(hm, path, domain, passwords_file, flags,
                                   mg_time());
}
