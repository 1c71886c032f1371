/* Parsing "[proto://][host]:port" addresses. */
#include "mg/internal.h"

/* Parses a decimal port of up to 5 digits (0-65535). Returns -1 if bad. */
static long parse_port(const char *s) {
  long port = 0;
  int digits = 0;
  for (; *s != '\0'; s++, digits++) {
    if (*s < '0' || *s > '9' || digits >= 5) return -1;
    port = port * 10 + (*s - '0');
  }
  return (digits == 0 || port > 65535) ? -1 : port;
}

/* Strips a known scheme; sets *proto. Returns the rest or NULL. */
static const char *strip_scheme(const char *str, int *proto) {
  *proto = SOCK_STREAM;
  if (strncmp(str, "udp://", 6) == 0) {
    *proto = SOCK_DGRAM;
    return str + 6;
  }
  if (strncmp(str, "tcp://", 6) == 0) return str + 6;
  if (strstr(str, "://") != NULL) return NULL;
  return str;
}

/* Splits host and port text into host_buf / *port. Returns 0 or -1. */
static int split_host_port(const char *s, char *host_buf, size_t host_len,
                           long *port, int *bracketed) {
  const char *colon;
  size_t hlen;
  *bracketed = 0;
  if (*s == '[') {
    const char *end = strchr(s, ']');
    if (end == NULL || end[1] != ':') return -1;
    *bracketed = 1;
    hlen = (size_t) (end - s - 1);
    s++;
    colon = end + 1;
  } else {
    colon = strrchr(s, ':');
    if (colon == NULL) { /* a bare port: "8000" */
      hlen = 0;
      colon = s - 1;
    } else {
      hlen = (size_t) (colon - s);
      if (memchr(s, ':', hlen) != NULL) return -1; /* unbracketed IPv6 */
    }
  }
  if (hlen >= host_len) return -1;
  memcpy(host_buf, s, hlen);
  host_buf[hlen] = '\0';
  *port = parse_port(colon + 1);
  return *port < 0 ? -1 : 0;
}

socklen_t mg__sa_len(const union socket_address *sa) {
#if MG_ENABLE_IPV6
  if (sa->sa.sa_family == AF_INET6) return sizeof(sa->sin6);
#endif
  return sizeof(sa->sin);
}

int mg_parse_address(const char *str, union socket_address *sa, int *proto,
                     char *host_buf, size_t host_len) {
  long port;
  int bracketed;
  const char *rest = strip_scheme(str, proto);
  memset(sa, 0, sizeof(*sa));
  if (rest == NULL || host_len == 0) return -1;
  if (split_host_port(rest, host_buf, host_len, &port, &bracketed) != 0) {
    return -1;
  }
  sa->sin.sin_family = AF_INET;
  sa->sin.sin_port = htons((uint16_t) port);
  if (host_buf[0] == '\0') {
    if (bracketed) return -1;
#if MG_ENABLE_IPV6
    /* No host: every address, IPv6 and (mapped) IPv4 alike. */
    sa->sin6.sin6_family = AF_INET6;
    sa->sin6.sin6_addr = in6addr_any;
    sa->sin6.sin6_port = htons((uint16_t) port);
#endif
    return 0;
  }
  if (!bracketed && inet_pton(AF_INET, host_buf, &sa->sin.sin_addr) == 1) {
    return 0;
  }
#if MG_ENABLE_IPV6
  if (bracketed) {
    sa->sin6.sin6_family = AF_INET6;
    sa->sin6.sin6_port = htons((uint16_t) port);
    return inet_pton(AF_INET6, host_buf, &sa->sin6.sin6_addr) == 1 ? 0 : -1;
  }
#else
  if (bracketed) return -1;
#endif
  if (mg_casecmp(host_buf, "localhost") == 0) {
    sa->sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return 0;
  }
  return 1; /* a name: the resolver's job */
}
