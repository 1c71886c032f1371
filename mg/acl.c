/* IP access control lists: "+1.2.3.0/24,-1.2.3.4,+::1/128". */
#include "mg/internal.h"

/* One parsed ACL entry. */
struct acl_entry {
  int allow;              /* '+' or '-' */
  int family;             /* AF_INET or AF_INET6 */
  unsigned char addr[16]; /* network address, network byte order */
  int bits;               /* prefix length */
};

/* Parses "a[.b[.c[.d]]]" (missing octets are 0) into addr[0..3]. */
static int parse_v4(const char *s, size_t len, unsigned char *addr) {
  size_t i = 0;
  int octet = 0, n = 0, digits = 0;
  memset(addr, 0, 4);
  for (; i <= len; i++) {
    char ch = i < len ? s[i] : '.';
    if (ch == '.') {
      if (digits == 0 || n >= 4) return -1;
      addr[n++] = (unsigned char) octet;
      octet = digits = 0;
    } else if (ch >= '0' && ch <= '9' && digits < 3) {
      octet = octet * 10 + (ch - '0');
      digits++;
      if (octet > 255) return -1;
    } else {
      return -1;
    }
  }
  return 0;
}

/* Parses one "+addr[/bits]" entry of length len. Returns 0 or -1. */
static int parse_entry(const char *s, size_t len, struct acl_entry *e) {
  const char *slash;
  size_t alen;
  char buf[64];
  if (len < 2 || (s[0] != '+' && s[0] != '-')) return -1;
  e->allow = s[0] == '+';
  s++, len--;
  slash = (const char *) memchr(s, '/', len);
  alen = slash ? (size_t) (slash - s) : len;
  e->family = memchr(s, ':', alen) != NULL ? AF_INET6 : AF_INET;
  e->bits = e->family == AF_INET ? 32 : 128;
  if (slash != NULL) {
    size_t i;
    int bits = 0;
    if (slash + 1 == s + len || len - alen - 1 > 3) return -1;
    for (i = alen + 1; i < len; i++) {
      if (s[i] < '0' || s[i] > '9') return -1;
      bits = bits * 10 + (s[i] - '0');
    }
    if (bits > e->bits) return -1;
    e->bits = bits;
  }
  memset(e->addr, 0, sizeof(e->addr));
  if (e->family == AF_INET) return parse_v4(s, alen, e->addr);
  if (alen >= sizeof(buf)) return -1;
  memcpy(buf, s, alen);
  buf[alen] = '\0';
  return inet_pton(AF_INET6, buf, e->addr) == 1 ? 0 : -1;
}

/* Non-zero if the first `bits` bits of a and b are equal. */
static int prefix_match(const unsigned char *a, const unsigned char *b,
                        int bits) {
  int full = bits / 8, rest = bits % 8;
  if (memcmp(a, b, (size_t) full) != 0) return 0;
  if (rest == 0) return 1;
  return ((a[full] ^ b[full]) & (0xff << (8 - rest))) == 0;
}

/* Walks acl for an address of family (addr in network byte order). */
static int check_acl(const char *acl, int family, const unsigned char *addr) {
  int allowed;
  const char *p;
  if (acl == NULL || *acl == '\0') return 1;
  allowed = 0; /* any ACL denies by default; the last match wins */
  for (p = acl; *p != '\0';) {
    struct acl_entry e;
    const char *end = strchr(p, ',');
    struct mg_str entry;
    if (end == NULL) end = p + strlen(p);
    entry = mg_strstrip(mg_mk_str_n(p, (size_t) (end - p)));
    if (parse_entry(entry.p, entry.len, &e) != 0) return -1;
    if (e.family == family && prefix_match(e.addr, addr, e.bits)) {
      allowed = e.allow;
    }
    p = *end == ',' ? end + 1 : end;
  }
  return allowed;
}

int mg_check_ip_acl(const char *acl, uint32_t remote_ip) {
  uint32_t be = htonl(remote_ip);
  return check_acl(acl, AF_INET, (const unsigned char *) &be);
}

int mg_check_ip_acl_sa(const char *acl, const union socket_address *sa) {
  if (sa->sa.sa_family == AF_INET) {
    return check_acl(acl, AF_INET, (const unsigned char *) &sa->sin.sin_addr);
  }
#if MG_ENABLE_IPV6
  if (sa->sa.sa_family == AF_INET6) {
    const unsigned char *a = (const unsigned char *) &sa->sin6.sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&sa->sin6.sin6_addr)) {
      return check_acl(acl, AF_INET, a + 12);
    }
    return check_acl(acl, AF_INET6, a);
  }
#endif
  return check_acl(acl, AF_UNSPEC, NULL); /* only an empty ACL admits */
}
