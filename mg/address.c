/* Addresses: parsing "[proto://][host]:port", normalizing and comparing
 * peers, resolving names, printing; socket pairs. */
#include "mg/internal.h"

/* Parses a decimal port of up to 5 digits (0-65535). Returns -1 if bad. */
static long parse_address_port(const char *s) {
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
  *port = parse_address_port(colon + 1);
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

void mg__normalize_addr(union socket_address *out,
                        const union socket_address *in) {
  union socket_address tmp;
  memset(&tmp, 0, sizeof(tmp));
  if (in->sa.sa_family == AF_INET) {
    tmp.sin.sin_family = AF_INET;
    tmp.sin.sin_port = in->sin.sin_port;
    tmp.sin.sin_addr = in->sin.sin_addr;
#if MG_ENABLE_IPV6
  } else if (in->sa.sa_family == AF_INET6 &&
             IN6_IS_ADDR_V4MAPPED(&in->sin6.sin6_addr)) {
    tmp.sin.sin_family = AF_INET;
    tmp.sin.sin_port = in->sin6.sin6_port;
    memcpy(&tmp.sin.sin_addr, &in->sin6.sin6_addr.s6_addr[12], 4);
  } else if (in->sa.sa_family == AF_INET6) {
    tmp.sin6 = in->sin6;
#endif
  } else {
    tmp = *in;
  }
  *out = tmp;
}

/* Non-zero if a and b (both normalized) name the same peer. */
int mg__same_peer(const union socket_address *a,
                  const union socket_address *b) {
  if (a->sa.sa_family != b->sa.sa_family) return 0;
  if (a->sa.sa_family == AF_INET) {
    return a->sin.sin_port == b->sin.sin_port &&
           a->sin.sin_addr.s_addr == b->sin.sin_addr.s_addr;
  }
#if MG_ENABLE_IPV6
  if (a->sa.sa_family == AF_INET6) {
    return a->sin6.sin6_port == b->sin6.sin6_port &&
           memcmp(&a->sin6.sin6_addr, &b->sin6.sin6_addr, 16) == 0 &&
           a->sin6.sin6_scope_id == b->sin6.sin6_scope_id;
  }
#endif
  return memcmp(a, b, sizeof(*a)) == 0;
}

int mg_socketpair(sock_t sp[2], int sock_type) {
  int fds[2];
  if (socketpair(AF_UNIX, sock_type, 0, fds) != 0) return 0;
  sp[0] = fds[0];
  sp[1] = fds[1];
  return 1;
}

int mg_resolve(const char *domain_name, char *ip_addr_buf, size_t buf_len) {
  struct addrinfo hints, *res = NULL;
  int ok = 0;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_INET;
  if (domain_name == NULL || buf_len == 0) return 0;
  if (getaddrinfo(domain_name, NULL, &hints, &res) != 0 || res == NULL) {
    return 0;
  }
  if (res->ai_family == AF_INET) {
    const struct sockaddr_in *sin = (const struct sockaddr_in *) res->ai_addr;
    ok = inet_ntop(AF_INET, &sin->sin_addr, ip_addr_buf, (socklen_t) buf_len) !=
         NULL;
  }
  freeaddrinfo(res);
  return ok;
}

int mg_conn_addr_to_str(struct mg_connection *c, char *buf, size_t len,
                        int flags) {
  union socket_address sa;
  memset(&sa, 0, sizeof(sa));
  if (flags & MG_SOCK_STRINGIFY_REMOTE) {
    sa = c->sa;
  } else if (c->iface != NULL && c->iface->vtable->get_conn_addr != NULL) {
    c->iface->vtable->get_conn_addr(c, 0, &sa);
  }
  return mg_sock_addr_to_str(&sa, buf, len, flags);
}
