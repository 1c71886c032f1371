/*
 * Values inside headers and bodies: `name=value` parameters of headers
 * (auth, cookies), form variables, percent-decoding.
 */
#include "plugins/http/internal.h"

static int is_sep(char c) {
  return c == ' ' || c == '\t' || c == ',' || c == ';';
}

/* One `name[=value]` parameter of a header. */
struct param {
  struct mg_str name;  /* parameter name */
  struct mg_str value; /* raw value, quotes removed, escapes kept */
  int quoted;          /* value was a quoted-string */
};

/* Reads the parameter at s[*i..n); returns 0 at the end. */
static int next_param(const char *s, size_t n, size_t *i, struct param *p) {
  size_t k = *i;
  while (k < n && is_sep(s[k])) k++;
  if (k >= n) return 0;
  memset(p, 0, sizeof(*p));
  p->name.p = s + k;
  while (k < n && s[k] != '=' && !is_sep(s[k])) k++;
  p->name.len = (size_t) (s + k - p->name.p);
  if (k < n && s[k] == '=') {
    k++;
    if (k < n && s[k] == '"') {
      p->quoted = 1;
      p->value.p = s + ++k;
      while (k < n && s[k] != '"') k += (s[k] == '\\' && k + 1 < n) ? 2 : 1;
      p->value.len = (size_t) (s + (k < n ? k : n) - p->value.p);
      if (k < n) k++;
    } else {
      p->value.p = s + k;
      while (k < n && !is_sep(s[k])) k++;
      p->value.len = (size_t) (s + k - p->value.p);
    }
  }
  *i = k;
  return 1;
}

/* Copies v into dst (size at least v.len + 1), resolving \-escapes of a
 * quoted value. Returns the length. */
static size_t unquote(struct mg_str v, int quoted, char *dst) {
  size_t i, n = 0;
  for (i = 0; i < v.len; i++) {
    if (quoted && v.p[i] == '\\' && i + 1 < v.len) i++;
    dst[n++] = v.p[i];
  }
  dst[n] = '\0';
  return n;
}

int mg_http_parse_header2(struct mg_str *hdr, const char *var_name, char **buf,
                          size_t buf_size) {
  struct param p;
  size_t i = 0;
  if (buf == NULL) return 0;
  if (*buf != NULL && buf_size > 0) (*buf)[0] = '\0';
  if (hdr == NULL || hdr->p == NULL || var_name == NULL) return 0;
  while (next_param(hdr->p, hdr->len, &i, &p)) {
    if (p.value.p == NULL || mg_vcmp(&p.name, var_name) != 0) continue;
    if (*buf == NULL || p.value.len + 1 > buf_size) {
      char *nb = (char *) MG_MALLOC(p.value.len + 1);
      if (nb == NULL) return 0;
      *buf = nb;
    }
    return (int) unquote(p.value, p.quoted, *buf);
  }
  return 0;
}

int mg_http_parse_header(struct mg_str *hdr, const char *var_name, char *buf,
                         size_t buf_size) {
  char *b = buf;
  int n = mg_http_parse_header2(hdr, var_name, &b, buf_size);
  if (b != buf) {
    MG_FREE(b);
    if (buf != NULL && buf_size > 0) buf[0] = '\0';
    return 0;
  }
  return n;
}

static int hex_val(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int mg_url_decode(const char *src, int src_len, char *dst, int dst_len,
                  int is_form_url_encoded) {
  int i, j = 0;
  if (dst == NULL || dst_len <= 0) return -1;
  for (i = 0; i < src_len; i++, j++) {
    if (j >= dst_len - 1) {
      dst[j] = '\0';
      return -1;
    }
    if (src[i] == '%') {
      int hi, lo;
      if (i + 2 >= src_len) {
        dst[j] = '\0';
        return -1;
      }
      hi = hex_val((unsigned char) src[i + 1]);
      lo = hex_val((unsigned char) src[i + 2]);
      if (hi < 0 || lo < 0) {
        dst[j] = '\0';
        return -1;
      }
      dst[j] = (char) (hi * 16 + lo);
      i += 2;
    } else if (is_form_url_encoded && src[i] == '+') {
      dst[j] = ' ';
    } else {
      dst[j] = src[i];
    }
  }
  dst[j] = '\0';
  return j;
}

int mg_get_http_var(const struct mg_str *buf, const char *name, char *dst,
                    size_t dst_len) {
  size_t nlen, i = 0;
  if (dst == NULL || dst_len == 0) return -2;
  dst[0] = '\0';
  if (buf == NULL || buf->p == NULL || name == NULL) return -1;
  nlen = strlen(name);
  while (i < buf->len) {
    size_t end = i, vlen;
    while (end < buf->len && buf->p[end] != '&') end++;
    if (end - i > nlen && buf->p[i + nlen] == '=' &&
        mg_ncasecmp(buf->p + i, name, nlen) == 0) {
      int r;
      vlen = end - i - nlen - 1;
      if (vlen > INT_MAX || dst_len > INT_MAX) return -3;
      r = mg_url_decode(buf->p + i + nlen + 1, (int) vlen, dst, (int) dst_len,
                        1);
      return r < 0 ? -3 : r;
    }
    i = end + 1;
  }
  return 0;
}
