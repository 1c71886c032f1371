/* Utilities: URL encoding, tokens, endianness, files, threads, addresses. */
#include "mg/util.h"

#if MG_ENABLE_THREADS
#include <pthread.h>
#endif

/* ASCII letters and digits, independent of the locale. */
static int mg__is_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

/* Non-zero if c is written as-is by mg_url_encode_opt(). */
static int mg__url_keep(unsigned char c, const struct mg_str *safe) {
  return mg__is_alnum(c) || mg_strchr(*safe, c) != NULL;
}

struct mg_str mg_url_encode_opt(const struct mg_str src,
                                const struct mg_str safe, unsigned int flags) {
  const char *hex = (flags & MG_URL_ENCODE_F_UPPERCASE_HEX)
                        ? "0123456789ABCDEF"
                        : "0123456789abcdef";
  int plus = (flags & MG_URL_ENCODE_F_SPACE_AS_PLUS) != 0;
  struct mg_str r = {NULL, 0};
  size_t i, n = 0;
  char *out;
  for (i = 0; i < src.len; i++) {
    unsigned char c = (unsigned char) src.p[i];
    n += (mg__url_keep(c, &safe) || (plus && c == ' ')) ? 1 : 3;
  }
  if ((out = (char *) MG_MALLOC(n + 1)) == NULL) return r;
  for (i = 0, n = 0; i < src.len; i++) {
    unsigned char c = (unsigned char) src.p[i];
    if (mg__url_keep(c, &safe)) {
      out[n++] = (char) c;
    } else if (plus && c == ' ') {
      out[n++] = '+';
    } else {
      out[n++] = '%';
      out[n++] = hex[c >> 4];
      out[n++] = hex[c & 15];
    }
  }
  out[n] = '\0';
  r.p = out;
  r.len = n;
  return r;
}

struct mg_str mg_url_encode(const struct mg_str src) {
  return mg_url_encode_opt(src, mg_mk_str("._-$,;~()/"), 0);
}

/* Non-zero if c is one of the (NUL-terminated) delimiters; NUL is not. */
static int mg__is_delim(char c, const char *delimiters) {
  return c != '\0' && strchr(delimiters, c) != NULL;
}

const char *mg_skip(const char *s, const char *end_string,
                    const char *delimiters, struct mg_str *v) {
  v->p = s;
  while (s < end_string && !mg__is_delim(*s, delimiters)) s++;
  v->len = (size_t) (s - v->p);
  while (s < end_string && mg__is_delim(*s, delimiters)) s++;
  return s;
}

int mg_is_big_endian(void) {
  const uint16_t probe = 0x0102;
  unsigned char first;
  memcpy(&first, &probe, 1);
  return first == 0x01;
}

#ifndef MG_USER_FILE_FUNCTIONS
int mg_stat(const char *path, cs_stat_t *st) { return stat(path, st); }

FILE *mg_fopen(const char *path, const char *mode) { return fopen(path, mode); }

int mg_open(const char *path, int flag, int mode) {
  return open(path, flag, (mode_t) mode);
}

size_t mg_fread(void *ptr, size_t size, size_t count, FILE *f) {
  return fread(ptr, size, count, f);
}

size_t mg_fwrite(const void *ptr, size_t size, size_t count, FILE *f) {
  return fwrite(ptr, size, count, f);
}
#endif /* MG_USER_FILE_FUNCTIONS */

#if MG_ENABLE_THREADS
void *mg_start_thread(void *(*thread_func)(void *), void *thread_func_param) {
  pthread_t tid;
  pthread_attr_t attr;
  int rc;
  if (pthread_attr_init(&attr) != 0) return NULL;
  (void) pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  rc = pthread_create(&tid, &attr, thread_func, thread_func_param);
  (void) pthread_attr_destroy(&attr);
  if (rc != 0) return NULL;
  /* The handle is opaque; make sure a (theoretical) zero id is non-NULL. */
  return (uintptr_t) tid != 0 ? (void *) (uintptr_t) tid : (void *) 1;
}
#endif

/* Prints the IP of sa into buf (size len). Returns 0 on failure. */
static int mg__ip_to_str(const union socket_address *sa, char *buf,
                         size_t len) {
  const void *addr = &sa->sin.sin_addr;
#if MG_ENABLE_IPV6
  if (sa->sa.sa_family == AF_INET6) addr = &sa->sin6.sin6_addr;
#endif
  if (len > (size_t) INT_MAX) len = INT_MAX;
  return inet_ntop(sa->sa.sa_family, addr, buf, (socklen_t) len) != NULL;
}

/* Port of sa in host order. */
static unsigned int mg__sa_port(const union socket_address *sa) {
#if MG_ENABLE_IPV6
  if (sa->sa.sa_family == AF_INET6) return ntohs(sa->sin6.sin6_port);
#endif
  return ntohs(sa->sin.sin_port);
}

int mg_sock_addr_to_str(const union socket_address *sa, char *buf, size_t len,
                        int flags) {
  char ip[INET6_ADDRSTRLEN + 1] = "", out[INET6_ADDRSTRLEN + 16];
  int is_v6 = 0, n;
  if (buf == NULL || len == 0) return 0;
  buf[0] = '\0';
  if (sa == NULL) return 0;
#if MG_ENABLE_IPV6
  is_v6 = sa->sa.sa_family == AF_INET6;
#endif
  if (sa->sa.sa_family != AF_INET && !is_v6) return 0;
  if ((flags & MG_SOCK_STRINGIFY_IP) && !mg__ip_to_str(sa, ip, sizeof(ip))) {
    return 0;
  }
  if ((flags & MG_SOCK_STRINGIFY_IP) && (flags & MG_SOCK_STRINGIFY_PORT)) {
    n = snprintf(out, sizeof(out), is_v6 ? "[%s]:%u" : "%s:%u", ip,
                 mg__sa_port(sa));
  } else if (flags & MG_SOCK_STRINGIFY_PORT) {
    n = snprintf(out, sizeof(out), "%u", mg__sa_port(sa));
  } else {
    n = snprintf(out, sizeof(out), "%s", ip);
  }
  if (n < 0 || (size_t) n >= len) return 0; /* does not fit: "" */
  memcpy(buf, out, (size_t) n + 1);
  return n;
}

void mg_sock_to_str(sock_t sock, char *buf, size_t len, int flags) {
  union socket_address sa;
  socklen_t slen = sizeof(sa);
  int rc;
  memset(&sa, 0, sizeof(sa));
  if (flags & MG_SOCK_STRINGIFY_REMOTE) {
    rc = getpeername(sock, &sa.sa, &slen);
  } else {
    rc = getsockname(sock, &sa.sa, &slen);
  }
  if (rc != 0) {
    if (buf != NULL && len > 0) buf[0] = '\0';
    return;
  }
  (void) mg_sock_addr_to_str(&sa, buf, len, flags);
}
