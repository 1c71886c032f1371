/*
 * URI parsing, assembly and path normalisation (after RFC 3986, restricted
 * to the shape [scheme://[user_info@]]host[:port][/path][?query][#fragment]).
 */
#include "mg/uri.h"

#include "mg/mbuf.h"

/* The parts of a parsed URI. */
struct mg__uri_parts {
  struct mg_str scheme, user_info, host, path, query, fragment;
  unsigned int port;
};

/* Non-zero if c is one of the bytes of the C string set (NUL is not). */
static int mg__in(char c, const char *set) {
  return c != '\0' && strchr(set, c) != NULL;
}

/* First byte in [p, end) that is one of chars, or end. */
static const char *mg__find_any(const char *p, const char *end,
                                const char *chars) {
  while (p < end && !mg__in(*p, chars)) p++;
  return p;
}

/* Splits off "scheme://" when the first of ":/?#[@" is a ':' followed by
 * "//". Returns the position after it (or p), NULL if the scheme is empty. */
static const char *mg__parse_scheme(const char *p, const char *end,
                                    struct mg_str *scheme) {
  const char *q = mg__find_any(p, end, ":/?#[@");
  if (end - q < 3 || q[0] != ':' || q[1] != '/' || q[2] != '/') return p;
  if (q == p) return NULL;
  *scheme = mg_mk_str_n(p, (size_t) (q - p));
  return q + 3;
}

/* Parses a decimal port in [p, end): 1+ digits, at most 65535. */
static int mg__parse_port(const char *p, const char *end, unsigned int *port) {
  unsigned int v = 0;
  if (p == end) return -1;
  for (; p < end; p++) {
    if (*p < '0' || *p > '9') return -1;
    v = v * 10 + (unsigned int) (*p - '0');
    if (v > 65535) return -1;
  }
  *port = v;
  return 0;
}

/* Parses host[:port] in [p, end); an IPv6 literal comes in brackets. */
static int mg__parse_host_port(const char *p, const char *end,
                               struct mg__uri_parts *u) {
  const char *colon;
  if (p < end && *p == '[') {
    const char *close = (const char *) memchr(p, ']', (size_t) (end - p));
    if (close == NULL) return -1;
    u->host = mg_mk_str_n(p + 1, (size_t) (close - p - 1));
    colon = close + 1;
    if (colon < end && *colon != ':') return -1;
  } else {
    colon = mg__find_any(p, end, ":");
    u->host = mg_mk_str_n(p, (size_t) (colon - p));
  }
  if (colon == end) return 0;
  if (u->host.len == 0) return -1; /* ":80" names no host */
  return mg__parse_port(colon + 1, end, &u->port);
}

/* Parses the authority [user_info@]host[:port] in [p, end). User info is
 * recognised only after a scheme; it ends at the last '@'. */
static int mg__parse_authority(const char *p, const char *end, int has_scheme,
                               struct mg__uri_parts *u) {
  if (has_scheme) {
    const char *at = NULL, *q;
    for (q = p; q < end; q++) {
      if (*q == '@') at = q;
    }
    if (at != NULL) {
      u->user_info = mg_mk_str_n(p, (size_t) (at - p));
      p = at + 1;
    }
  }
  return mg__parse_host_port(p, end, u);
}

/* Splits [p, end) into path, ?query and #fragment. */
static void mg__parse_rest(const char *p, const char *end,
                           struct mg__uri_parts *u) {
  const char *q = mg__find_any(p, end, "?#");
  u->path = mg_mk_str_n(p, (size_t) (q - p));
  if (q < end && *q == '?') {
    const char *f = mg__find_any(q + 1, end, "#");
    u->query = mg_mk_str_n(q + 1, (size_t) (f - q - 1));
    q = f;
  }
  if (q < end) u->fragment = mg_mk_str_n(q + 1, (size_t) (end - q - 1));
}

/* Stores a part if the caller asked for it. */
static void mg__set(struct mg_str *dst, struct mg_str v) {
  if (dst != NULL) *dst = v;
}

/* Parses the non-empty URI [p, end) into u. Returns 0 or -1. */
static int mg__parse_parts(const char *p, const char *end,
                           struct mg__uri_parts *u) {
  const char *auth_end;
  if ((p = mg__parse_scheme(p, end, &u->scheme)) == NULL) return -1;
  auth_end = mg__find_any(p, end, "/?#");
  if (mg__parse_authority(p, auth_end, u->scheme.p != NULL, u) != 0) return -1;
  mg__parse_rest(auth_end, end, u);
  return 0;
}

int mg_parse_uri(const struct mg_str uri, struct mg_str *scheme,
                 struct mg_str *user_info, struct mg_str *host,
                 unsigned int *port, struct mg_str *path, struct mg_str *query,
                 struct mg_str *fragment) {
  struct mg__uri_parts u;
  memset(&u, 0, sizeof(u));
  if (uri.len > 0) {
    if (uri.p == NULL || mg__parse_parts(uri.p, uri.p + uri.len, &u) != 0) {
      return -1;
    }
  }
  mg__set(scheme, u.scheme);
  mg__set(user_info, u.user_info);
  mg__set(host, u.host);
  if (port != NULL) *port = u.port;
  mg__set(path, u.path);
  mg__set(query, u.query);
  mg__set(fragment, u.fragment);
  return 0;
}

/* Next '/'-led segment of [p, end) that starts at p (p[0] == '/'): returns
 * the position after it and its body (without the slash) in *seg. */
static const char *mg__next_segment(const char *p, const char *end,
                                    struct mg_str *seg) {
  const char *q = p + 1;
  while (q < end && *q != '/') q++;
  *seg = mg_mk_str_n(p + 1, (size_t) (q - p - 1));
  return q;
}

/* RFC 3986 5.2.4 remove_dot_segments for an absolute path, with ".."
 * clamped at the root. out may alias in: the output never overtakes it. */
int mg_normalize_uri_path(const struct mg_str *in, struct mg_str *out) {
  const char *s = in->p, *end;
  char *d0 = (char *) out->p, *d = d0;
  if (in->len == 0 || in->p[0] != '/') {
    out->len = 0;
    return 0;
  }
  end = in->p + in->len;
  while (s < end) {
    struct mg_str seg;
    const char *next = mg__next_segment(s, end, &seg);
    int dot = mg_vcmp(&seg, ".") == 0, dotdot = mg_vcmp(&seg, "..") == 0;
    if (dotdot) {
      while (d > d0 && *(d - 1) != '/') d--; /* drop the last segment */
      if (d > d0) d--;                       /* and its slash */
    } else if (!dot) {
      memmove(d, s, (size_t) (next - s));
      d += next - s;
    }
    if ((dot || dotdot) && next == end) *d++ = '/'; /* "/a/.." is "/" */
    s = next;
  }
  if (d == d0) *d++ = '/';
  out->len = (size_t) (d - d0);
  return 1;
}

/* Appends the bytes of an optional part; returns 0 on allocation failure. */
static int mg__put(struct mbuf *m, const char *prefix, const struct mg_str *v,
                   const char *suffix) {
  size_t plen = strlen(prefix), slen = strlen(suffix);
  if (v == NULL || v->len == 0) return 1;
  if (plen > 0 && mbuf_append(m, prefix, plen) != plen) return 0;
  if (mbuf_append(m, v->p, v->len) != v->len) return 0;
  return slen == 0 || mbuf_append(m, suffix, slen) == slen;
}

/* Appends the path, normalised if asked (an empty path becomes "/"). */
static int mg__put_path(struct mbuf *m, const struct mg_str *path,
                        int normalize) {
  size_t start = m->len;
  struct mg_str in, out;
  if (!normalize) return mg__put(m, "", path, "");
  if (path == NULL || path->len == 0) return mbuf_append(m, "/", 1) == 1;
  if (path->p[0] != '/') return 0;
  if (mbuf_append(m, path->p, path->len) != path->len) return 0;
  in = mg_mk_str_n(m->buf + start, path->len);
  out = in;
  mg_normalize_uri_path(&in, &out);
  m->len = start + out.len;
  return 1;
}

/* Appends host, in brackets when it holds a ':' (an IPv6 literal) or starts
 * with '[', unless it already is in brackets. */
static int mg__put_host(struct mbuf *m, const struct mg_str *host) {
  int wrap = 0;
  if (host != NULL && host->len > 0) {
    int open = host->p[0] == '[',
        closed = open && host->p[host->len - 1] == ']';
    wrap = !closed && (open || mg_strchr(*host, ':') != NULL);
  }
  return mg__put(m, wrap ? "[" : "", host, wrap ? "]" : "");
}

int mg_assemble_uri(const struct mg_str *scheme, const struct mg_str *user_info,
                    const struct mg_str *host, unsigned int port,
                    const struct mg_str *path, const struct mg_str *query,
                    const struct mg_str *fragment, int normalize_path,
                    struct mg_str *uri) {
  struct mbuf m;
  char port_str[16];
  int ok;
  mbuf_init(&m, 0);
  snprintf(port_str, sizeof(port_str), ":%u", port);
  ok = mg__put(&m, "", scheme, "://") && mg__put(&m, "", user_info, "@") &&
       mg__put_host(&m, host) &&
       (port == 0 || mbuf_append(&m, port_str, strlen(port_str)) > 0) &&
       mg__put_path(&m, path, normalize_path) && mg__put(&m, "?", query, "") &&
       mg__put(&m, "#", fragment, "") && mbuf_append(&m, "", 1) == 1;
  if (!ok) {
    mbuf_free(&m);
    uri->p = NULL;
    uri->len = 0;
    return -1;
  }
  mbuf_trim(&m);
  uri->p = m.buf;
  uri->len = m.len - 1;
  return 0;
}
