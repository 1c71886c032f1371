/*
 * The header block a CGI script prints before its body (RFC 3875 section
 * 6.3): "Name: value" lines, LF or CRLF, ended by an empty line.
 */
#include "plugins/cgi/internal.h"

#include <ctype.h>

/* Non-zero for a character of an HTTP token. */
static int token_char(int c) {
  return isalnum(c) || (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static struct mg_str trim(struct mg_str s) {
  while (s.len > 0 && (s.p[0] == ' ' || s.p[0] == '\t')) s.p++, s.len--;
  while (s.len > 0 && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t' ||
                       s.p[s.len - 1] == '\r')) {
    s.len--;
  }
  return s;
}

/* "404 Not Found" into h. Returns 0, or -1. */
static int parse_status(struct mg_str v, struct mg__cgi_head *h) {
  size_t i = 0;
  int code = 0;
  while (i < v.len && i < 3 && isdigit((unsigned char) v.p[i])) {
    code = code * 10 + (v.p[i++] - '0');
  }
  if (i != 3 || code < 100 || (i < v.len && v.p[i] != ' ')) return -1;
  h->status = code;
  h->reason = trim(mg_mk_str_n(v.p + i, v.len - i));
  return 0;
}

/* A decimal Content-Length. Returns 0, or -1. */
static int parse_length(struct mg_str v, int64_t *out) {
  size_t i;
  int64_t n = 0;
  if (v.len == 0 || v.len > 18) return -1;
  for (i = 0; i < v.len; i++) {
    if (!isdigit((unsigned char) v.p[i])) return -1;
    n = n * 10 + (v.p[i] - '0');
  }
  *out = n;
  return 0;
}

/* One "Name: value" line. Returns 0, or -1. */
static int parse_line(struct mg_str line, struct mg__cgi_head *h) {
  size_t i = 0;
  struct mg_str name, value;
  while (i < line.len && token_char((unsigned char) line.p[i])) i++;
  if (i == 0 || i >= line.len || line.p[i] != ':') return -1;
  name = mg_mk_str_n(line.p, i);
  value = trim(mg_mk_str_n(line.p + i + 1, line.len - i - 1));
  if (memchr(value.p, '\0', value.len) != NULL ||
      memchr(value.p, '\r', value.len) != NULL) {
    return -1;
  }
  if (mg_vcasecmp(&name, "Status") == 0) return parse_status(value, h);
  if (mg_vcasecmp(&name, "Location") == 0) h->location = value;
  if (mg_vcasecmp(&name, "Content-Length") == 0) {
    if (h->has_length || parse_length(value, &h->length) != 0) return -1;
    h->has_length = 1;
  }
  if (h->num_fields >= MG__CGI_MAX_FIELDS) return -1;
  h->names[h->num_fields] = name;
  h->values[h->num_fields++] = value;
  return 0;
}

long mg__cgi_parse_head(const char *buf, size_t len, struct mg__cgi_head *h) {
  size_t at = 0;
  memset(h, 0, sizeof(*h));
  while (at < len) {
    const char *lf = (const char *) memchr(buf + at, '\n', len - at);
    struct mg_str line;
    if (lf == NULL) return 0;
    line = mg_mk_str_n(buf + at, (size_t) (lf - buf) - at);
    at = (size_t) (lf - buf) + 1;
    if (line.len > 0 && line.p[line.len - 1] == '\r') line.len--;
    if (line.len == 0) return (long) at;
    if (parse_line(line, h) != 0) return -1;
  }
  return 0;
}
