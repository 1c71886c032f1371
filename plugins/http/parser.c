/*
 * HTTP/1.x message heads and chunked coding (RFC 9112): pure functions of
 * bytes. Strict where leniency lets a request be smuggled or hang a
 * server: a bare CR, NUL, obsolete line folding, a malformed or duplicated
 * Content-Length, Content-Length with Transfer-Encoding, or a transfer
 * coding other than chunked is an error.
 */
#include "plugins/http/internal.h"

#define MAX_CHUNK_DIGITS 16 /* a chunk size of more hex digits is refused */
#define MAX_CHUNK_SIZE ((uint64_t) 1 << 40) /* larger chunks are refused */

/* RFC 9110 tchar. */
static int is_tchar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9')) {
    return 1;
  }
  return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Field-value bytes: visible, obs-text, SP, HTAB. */
static int is_vchar(unsigned char c) {
  return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static int is_ows(char c) { return c == ' ' || c == '\t'; }

/* Finds the end of the line at s (before e): *next gets the start of the
 * next line. Returns the line length without CRLF/LF, or -1 if the line is
 * incomplete, -2 if it holds a bare CR or NUL. */
static long line_end(const char *s, const char *e, const char **next) {
  const char *p;
  for (p = s; p < e; p++) {
    if (*p == '\n') {
      *next = p + 1;
      return (long) (p - s);
    }
    if (*p == '\0') return -2;
    if (*p == '\r') {
      if (p + 1 >= e) return -1;
      if (p[1] != '\n') return -2;
      *next = p + 2;
      return (long) (p - s);
    }
  }
  return -1;
}

/* Length of the head at s (through its empty line), 0 if incomplete. */
static size_t head_length(const char *s, size_t n) {
  const char *p = s, *e = s + n, *next;
  for (;;) {
    long len = line_end(p, e, &next);
    if (len == -1) return 0;
    if (len == -2) return (size_t) -1;
    if (len == 0 && p != s) return (size_t) (next - s);
    p = next;
  }
}

/* Splits "a b" at the first space: *first gets "a", returns the rest. */
static struct mg_str split_sp(struct mg_str s, struct mg_str *first) {
  const char *sp = mg_strchr(s, ' ');
  if (sp == NULL) {
    *first = s;
    return mg_mk_str_n(s.p + s.len, 0);
  }
  *first = mg_mk_str_n(s.p, (size_t) (sp - s.p));
  return mg_mk_str_n(sp + 1, s.len - (size_t) (sp - s.p) - 1);
}

/* "HTTP/" DIGIT "." DIGIT */
static int valid_version(struct mg_str v) {
  return v.len == 8 && memcmp(v.p, "HTTP/", 5) == 0 &&
         isdigit((unsigned char) v.p[5]) && v.p[6] == '.' &&
         isdigit((unsigned char) v.p[7]);
}

static int valid_token(struct mg_str t) {
  size_t i;
  if (t.len == 0) return 0;
  for (i = 0; i < t.len; i++) {
    if (!is_tchar((unsigned char) t.p[i])) return 0;
  }
  return 1;
}

/* The request target: visible ASCII, no spaces. */
static int valid_target(struct mg_str t) {
  size_t i;
  if (t.len == 0) return 0;
  for (i = 0; i < t.len; i++) {
    unsigned char c = (unsigned char) t.p[i];
    if (c <= 0x20 || c == 0x7f) return 0;
  }
  return 1;
}

static int parse_request_line(struct mg_str line, struct http_message *hm) {
  struct mg_str rest = split_sp(line, &hm->method);
  const char *q;
  rest = split_sp(rest, &hm->uri);
  hm->proto = rest;
  if (!valid_token(hm->method) || !valid_target(hm->uri) ||
      !valid_version(hm->proto)) {
    return -1;
  }
  q = mg_strchr(hm->uri, '?');
  if (q != NULL) {
    hm->query_string =
        mg_mk_str_n(q + 1, hm->uri.len - (size_t) (q - hm->uri.p) - 1);
    hm->uri.len = (size_t) (q - hm->uri.p);
  }
  return 0;
}

static int parse_status_line(struct mg_str line, struct http_message *hm) {
  struct mg_str code, rest = split_sp(line, &hm->proto);
  size_t i;
  if (!valid_version(hm->proto)) return -1;
  rest = split_sp(rest, &code);
  if (code.len != 3) return -1;
  for (i = 0; i < 3; i++) {
    if (!isdigit((unsigned char) code.p[i])) return -1;
  }
  hm->resp_code =
      (code.p[0] - '0') * 100 + (code.p[1] - '0') * 10 + (code.p[2] - '0');
  if (hm->resp_code < 100) return -1;
  for (i = 0; i < rest.len; i++) {
    if (!is_vchar((unsigned char) rest.p[i])) return -1;
  }
  hm->resp_status_msg = rest;
  return 0;
}

/* Parses "name: value" into slot i of hm. */
static int parse_header(struct mg_str line, struct http_message *hm, int i) {
  const char *colon = mg_strchr(line, ':');
  struct mg_str name, value;
  size_t k;
  if (colon == NULL) return -1;
  name = mg_mk_str_n(line.p, (size_t) (colon - line.p));
  if (!valid_token(name)) return -1; /* empty, or space before the colon */
  value = mg_mk_str_n(colon + 1, line.len - name.len - 1);
  for (k = 0; k < value.len; k++) {
    if (!is_vchar((unsigned char) value.p[k])) return -1;
  }
  while (value.len > 0 && is_ows(value.p[0])) value.p++, value.len--;
  while (value.len > 0 && is_ows(value.p[value.len - 1])) value.len--;
  hm->header_names[i] = name;
  hm->header_values[i] = value;
  return 0;
}

/* Parses the head's lines into hm. */
static int parse_lines(const char *s, size_t head_len, struct http_message *hm,
                       int is_req) {
  const char *p = s, *e = s + head_len, *next;
  long len;
  int i = 0;
  while (is_req && (len = line_end(p, e, &next)) == 0) p = next;
  len = line_end(p, e, &next);
  if (len <= 0) return -1;
  if ((is_req ? parse_request_line(mg_mk_str_n(p, (size_t) len), hm)
              : parse_status_line(mg_mk_str_n(p, (size_t) len), hm)) != 0) {
    return -1;
  }
  for (p = next; (len = line_end(p, e, &next)) > 0; p = next, i++) {
    if (is_ows(p[0])) return -1; /* obsolete line folding */
    if (i >= MG_MAX_HTTP_HEADERS) return -1;
    if (parse_header(mg_mk_str_n(p, (size_t) len), hm, i) != 0) return -1;
  }
  return len == 0 ? 0 : -1;
}

int mg__http_has_token(struct mg_str v, const char *t) {
  struct mg_str list = v, tok, eq;
  size_t tlen = strlen(t);
  while (list.len > 0) {
    list = mg_next_comma_list_entry_n(list, &tok, &eq);
    tok = mg_strstrip(tok);
    if (tok.len == tlen && mg_ncasecmp(tok.p, t, tlen) == 0) return 1;
    if (list.p == NULL) break;
  }
  return 0;
}

/* Parses a Content-Length value: 1*DIGIT, no overflow. */
static int parse_length(struct mg_str v, int64_t *out) {
  int64_t n = 0;
  size_t i;
  if (v.len == 0 || v.len > 18) return -1;
  for (i = 0; i < v.len; i++) {
    if (!isdigit((unsigned char) v.p[i])) return -1;
    n = n * 10 + (v.p[i] - '0');
  }
  *out = n;
  return 0;
}

/* Applies one framing header to f. Returns -1 on a conflict. */
static int frame_header(struct mg_str name, struct mg_str v,
                        struct mg__http_frame *f, int *te_count,
                        int *host_count) {
  if (mg_vcasecmp(&name, "Host") == 0) {
    if (++*host_count > 1) return -1; /* RFC 9112 3.2: exactly one */
  } else if (mg_vcasecmp(&name, "Content-Length") == 0) {
    int64_t n;
    if (parse_length(v, &n) != 0) return -1;
    if (f->has_length && n != f->length) return -1;
    f->has_length = 1;
    f->length = n;
  } else if (mg_vcasecmp(&name, "Transfer-Encoding") == 0) {
    if (++*te_count > 1 || mg_vcasecmp(&v, "chunked") != 0) return -1;
    f->chunked = 1;
  } else if (mg_vcasecmp(&name, "Expect") == 0) {
    f->expect_continue = mg_vcasecmp(&v, "100-continue") == 0;
  }
  return 0;
}

/* Default persistence of the version, then the Connection header. */
static int persists(const struct http_message *hm, struct mg_str *conn) {
  int v11 =
      hm->proto.len == 8 && hm->proto.p[5] == '1' && hm->proto.p[7] >= '1';
  if (hm->proto.p[5] > '1') v11 = 1;
  if (conn != NULL && mg__http_has_token(*conn, "close")) return 0;
  if (conn != NULL && mg__http_has_token(*conn, "keep-alive")) return 1;
  return v11;
}

/* Fills f from the headers. Returns -1 on framing that allows smuggling. */
static int parse_framing(struct http_message *hm, int is_req,
                         struct mg__http_frame *f) {
  int i, te_count = 0, host_count = 0;
  memset(f, 0, sizeof(*f));
  for (i = 0; i < MG_MAX_HTTP_HEADERS && hm->header_names[i].len > 0; i++) {
    if (frame_header(hm->header_names[i], hm->header_values[i], f, &te_count,
                     &host_count) != 0) {
      return -1;
    }
  }
  if (f->chunked && f->has_length) return -1;
  if (f->chunked && hm->proto.p[5] == '1' && hm->proto.p[7] == '0') return -1;
  f->keep_alive = persists(hm, mg_get_http_header(hm, "Connection"));
  if (!is_req && ((hm->resp_code >= 100 && hm->resp_code < 200) ||
                  hm->resp_code == 204 || hm->resp_code == 304)) {
    f->chunked = 0;
    f->has_length = 1;
    f->length = 0;
  } else if (!f->chunked && !f->has_length) {
    if (is_req) {
      f->has_length = 1;
    } else {
      f->until_close = 1;
      f->keep_alive = 0;
    }
  }
  return 0;
}

int mg__http_parse(const char *s, size_t n, struct http_message *hm, int is_req,
                   struct mg__http_frame *f) {
  size_t head_len = head_length(s, n);
  memset(hm, 0, sizeof(*hm));
  if (head_len == (size_t) -1 || head_len > INT_MAX) return -1;
  if (head_len == 0) return 0;
  if (parse_lines(s, head_len, hm, is_req) != 0) return -1;
  if (parse_framing(hm, is_req, f) != 0) return -1;
  hm->body.p = s + head_len;
  if (f->has_length) {
    hm->body.len = (size_t) f->length;
  } else if (f->until_close) {
    hm->body.len = n - head_len;
  }
  hm->message.p = s;
  hm->message.len = head_len + hm->body.len;
  return (int) head_len;
}

int mg_parse_http(const char *s, int n, struct http_message *hm, int is_req) {
  struct mg__http_frame f;
  if (s == NULL || n < 0) return -1;
  return mg__http_parse(s, (size_t) n, hm, is_req, &f);
}

struct mg_str *mg_get_http_header(struct http_message *hm, const char *name) {
  int i;
  for (i = 0; i < MG_MAX_HTTP_HEADERS && hm->header_names[i].len > 0; i++) {
    if (mg_vcasecmp(&hm->header_names[i], name) == 0) {
      return &hm->header_values[i];
    }
  }
  return NULL;
}

/* Parses a chunk-size line's hex digits. Returns digits used or -1. */
static int chunk_size(const char *s, size_t n, uint64_t *size) {
  size_t i;
  *size = 0;
  for (i = 0; i < n && isxdigit((unsigned char) s[i]); i++) {
    int c = tolower((unsigned char) s[i]);
    if (i >= MAX_CHUNK_DIGITS - 1) return -1;
    *size = *size * 16 + (uint64_t) (c <= '9' ? c - '0' : c - 'a' + 10);
  }
  return i == 0 ? -1 : (int) i;
}

/* Checks a chunk extension (";name=value..."), up to the line end. */
static int valid_extension(const char *s, size_t n) {
  size_t i;
  while (n > 0 && is_ows(*s)) s++, n--;
  if (n == 0) return 1;
  if (*s != ';') return 0;
  for (i = 0; i < n; i++) {
    if (!is_vchar((unsigned char) s[i])) return 0;
  }
  return 1;
}

/* Skips the trailer section at s: returns its length, 0 if incomplete, -1
 * if malformed. */
static long skip_trailers(const char *s, size_t n) {
  const char *p = s, *e = s + n, *next;
  for (;;) {
    long len = line_end(p, e, &next);
    if (len == -1) return 0;
    if (len == -2) return -1;
    if (len == 0) return (long) (next - s);
    if (mg_strchr(mg_mk_str_n(p, (size_t) len), ':') == NULL) return -1;
    p = next;
  }
}

long mg__http_parse_chunk(const char *s, size_t n, size_t *data_off,
                          size_t *data_len) {
  const char *next;
  long len = line_end(s, s + n, &next), tail;
  uint64_t size;
  int digits;
  size_t off;
  if (len == -2) return -1;
  if (len == -1) return n > 64 + 1024 ? -1 : 0;
  digits = chunk_size(s, (size_t) len, &size);
  if (digits < 0 ||
      !valid_extension(s + digits, (size_t) len - (size_t) digits)) {
    return -1;
  }
  off = (size_t) (next - s);
  *data_off = off;
  *data_len = (size_t) size;
  if (size == 0) {
    tail = skip_trailers(next, n - off);
    return tail <= 0 ? tail : (long) off + tail;
  }
  if (size > MAX_CHUNK_SIZE) return -1;
  if (n - off < size + 1) return 0;
  if (s[off + size] == '\n') return (long) (off + size + 1);
  if (s[off + size] != '\r') return -1;
  if (n - off < size + 2) return 0;
  return s[off + size + 1] == '\n' ? (long) (off + size + 2) : -1;
}
