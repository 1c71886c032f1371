/*
 * multipart/form-data (RFC 7578 on RFC 2046 section 5.1): the buffered
 * mg_parse_multipart() and the streaming parser behind the
 * MG_EV_HTTP_PART_* events. Both are pure functions of bytes.
 */
#include "plugins/http/internal.h"

enum { ST_START, ST_PREAMBLE, ST_AFTER_DELIM, ST_HEADERS, ST_DATA, ST_DONE };

#define MAX_PADDING 256 /* transport padding after a delimiter */

/* First occurrence of needle (nl bytes) in s[0..n), or -1. */
static long find(const char *s, size_t n, const char *needle, size_t nl) {
  size_t i = 0;
  if (nl == 0 || n < nl) return -1;
  while (i + nl <= n) {
    const char *c = (const char *) memchr(s + i, needle[0], n - nl + 1 - i);
    if (c == NULL) return -1;
    i = (size_t) (c - s);
    if (memcmp(c, needle, nl) == 0) return (long) i;
    i++;
  }
  return -1;
}

/* Length of the line at s without its CRLF/LF; *next gets the byte after
 * it. Returns -1 if no line end is in s[0..n). */
static long line_len(const char *s, size_t n, size_t *next) {
  const char *lf = (const char *) memchr(s, '\n', n);
  size_t len;
  if (lf == NULL) return -1;
  len = (size_t) (lf - s);
  *next = len + 1;
  if (len > 0 && s[len - 1] == '\r') len--;
  return (long) len;
}

void mg__mp_disposition(struct mg_str v, char *var, size_t var_len, char *file,
                        size_t file_len) {
  var[0] = file[0] = '\0';
  mg_http_parse_header(&v, "name", var, var_len);
  mg_http_parse_header(&v, "filename", file, file_len);
}

/* Applies one part header line to p. */
static void part_header(struct mg__mp *p, const char *s, size_t n) {
  const char *colon = (const char *) memchr(s, ':', n);
  struct mg_str name, value;
  if (colon == NULL) return;
  name = mg_strstrip(mg_mk_str_n(s, (size_t) (colon - s)));
  value = mg_strstrip(mg_mk_str_n(colon + 1, n - (size_t) (colon - s) - 1));
  if (mg_vcasecmp(&name, "Content-Disposition") == 0) {
    mg__mp_disposition(value, p->var_name, sizeof(p->var_name), p->file_name,
                       sizeof(p->file_name));
  }
}

int mg__mp_init(struct mg__mp *p, struct mg_str content_type) {
  char b[80], *bp = b;
  int n;
  memset(p, 0, sizeof(*p));
  n = mg_http_parse_header2(&content_type, "boundary", &bp, sizeof(b));
  if (bp != b) MG_FREE(bp);
  if (n <= 0 || n > 70) return -1;
  memcpy(p->boundary, "\r\n--", 4);
  memcpy(p->boundary + 4, b, (size_t) n);
  p->blen = 4 + (size_t) n;
  p->state = ST_START;
  return 0;
}

int mg__mp_done(const struct mg__mp *p) { return p->state == ST_DONE; }

int mg__mp_in_part(const struct mg__mp *p) {
  return p != NULL && p->state == ST_DATA;
}

/* One step of the parser at s[0..n). Returns bytes consumed; *stop is set
 * when the parser needs more input or the callback paused it. */
static size_t step(struct mg__mp *p, const char *s, size_t n, mg__mp_cb cb,
                   void *ctx, int *stop);

size_t mg__mp_feed(struct mg__mp *p, const char *buf, size_t len, mg__mp_cb cb,
                   void *ctx) {
  size_t pos = 0;
  int stop = 0, i;
  if (len == 0) return 0; /* nothing can happen without bytes */
  for (i = 0; i < 100000 && !stop && !p->error && p->state != ST_DONE; i++) {
    pos += step(p, buf + pos, len - pos, cb, ctx, &stop);
  }
  return pos;
}

/* ST_START: the body may open with the delimiter without its CRLF. */
static size_t at_start(struct mg__mp *p, const char *s, size_t n, int *stop) {
  size_t dl = p->blen - 2, k = n < dl ? n : dl;
  if (memcmp(s, p->boundary + 2, k) != 0) {
    p->state = ST_PREAMBLE;
    return 0;
  }
  if (n < dl) {
    *stop = 1;
    return 0;
  }
  p->state = ST_AFTER_DELIM;
  return dl;
}

static size_t in_preamble(struct mg__mp *p, const char *s, size_t n,
                          int *stop) {
  long at = find(s, n, p->boundary, p->blen);
  if (at < 0) {
    *stop = 1;
    return n >= p->blen ? n - (p->blen - 1) : 0;
  }
  p->state = ST_AFTER_DELIM;
  return (size_t) at + p->blen;
}

static size_t after_delim(struct mg__mp *p, const char *s, size_t n,
                          mg__mp_cb cb, void *ctx, int *stop) {
  size_t i = 0;
  if (n < 2) {
    *stop = 1;
    return 0;
  }
  if (s[0] == '-' && s[1] == '-') {
    p->state = ST_DONE;
    cb(p, MG__MP_DONE, NULL, 0, ctx);
    return 2;
  }
  while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
  if (i > MAX_PADDING) p->error = 1;
  if (i + 1 < n && s[i] == '\r' && s[i + 1] == '\n')
    i += 2;
  else if (i < n && s[i] == '\n')
    i += 1;
  else if (i + 1 < n || (i < n && s[i] != '\r'))
    p->error = 1;
  else
    *stop = 1;
  if (p->error || *stop) return 0;
  p->state = ST_HEADERS;
  p->var_name[0] = p->file_name[0] = '\0';
  return i;
}

static size_t in_headers(struct mg__mp *p, const char *s, size_t n,
                         mg__mp_cb cb, void *ctx, int *stop) {
  size_t next = 0;
  long len = line_len(s, n, &next);
  if (len < 0) {
    if (n > MG__MP_MAX_HEAD) p->error = 1;
    *stop = 1;
    return 0;
  }
  if (len == 0) {
    p->state = ST_DATA;
    cb(p, MG__MP_BEGIN, NULL, 0, ctx);
    return next;
  }
  if (len > MG__MP_MAX_HEAD) {
    p->error = 1;
    return 0;
  }
  part_header(p, s, (size_t) len);
  return next;
}

/* Offers s[0..n) to the callback; sets *stop if it took less. */
static size_t offer(struct mg__mp *p, const char *s, size_t n, mg__mp_cb cb,
                    void *ctx, int *stop) {
  size_t took;
  if (n == 0) return 0;
  took = cb(p, MG__MP_DATA, s, n, ctx);
  if (took > n) took = n;
  if (took < n) *stop = 1;
  return took;
}

/* What follows a delimiter candidate at s[0..n): 1 if it ends a part
 * ("--", padding or a line end), 0 if it is data, -1 if unknown yet. */
static int delimiter_end(const char *s, size_t n) {
  if (n < 1) return -1;
  if (s[0] == '\r' || s[0] == '\n' || s[0] == ' ' || s[0] == '\t') return 1;
  if (s[0] != '-') return 0;
  if (n < 2) return -1;
  return s[1] == '-';
}

/* First real delimiter in s[0..n), -1 if none, -2 if undecided. */
static long find_delimiter(const char *s, size_t n, const char *d, size_t dl) {
  size_t from = 0;
  for (;;) {
    long at = find(s + from, n - from, d, dl);
    int end;
    if (at < 0) return -1;
    at += (long) from;
    end = delimiter_end(s + at + dl, n - (size_t) at - dl);
    if (end != 0) return end > 0 ? at : -2 - at;
    from = (size_t) at + 1;
  }
}

static size_t in_data(struct mg__mp *p, const char *s, size_t n, mg__mp_cb cb,
                      void *ctx, int *stop) {
  long at = find_delimiter(s, n, p->boundary, p->blen);
  size_t took;
  if (at <= -2) {
    took = offer(p, s, (size_t) (-2 - at), cb, ctx, stop);
    *stop = 1;
    return took;
  }
  if (at < 0) {
    size_t safe = n >= p->blen ? n - (p->blen - 1) : 0;
    took = offer(p, s, safe, cb, ctx, stop);
    *stop = 1;
    return took;
  }
  took = offer(p, s, (size_t) at, cb, ctx, stop);
  if (*stop) return took;
  cb(p, MG__MP_END, NULL, 0, ctx);
  p->state = ST_AFTER_DELIM;
  return (size_t) at + p->blen;
}

static size_t step(struct mg__mp *p, const char *s, size_t n, mg__mp_cb cb,
                   void *ctx, int *stop) {
  switch (p->state) {
    case ST_START:
      return at_start(p, s, n, stop);
    case ST_PREAMBLE:
      return in_preamble(p, s, n, stop);
    case ST_AFTER_DELIM:
      return after_delim(p, s, n, cb, ctx, stop);
    case ST_HEADERS:
      return in_headers(p, s, n, cb, ctx, stop);
    case ST_DATA:
      return in_data(p, s, n, cb, ctx, stop);
    default:
      *stop = 1;
      return 0;
  }
}

/* --- the buffered parser --- */

static int is_ws(char c) { return c == ' ' || c == '\t'; }

/* Reads the part headers at s: fills the names, returns the offset of the
 * data, or 0 if the headers do not end in s[0..n). */
static size_t part_headers(const char *s, size_t n, char *var, size_t var_len,
                           char *file, size_t file_len) {
  size_t pos = 0, next;
  long len;
  while ((len = line_len(s + pos, n - pos, &next)) > 0) {
    if (len >= 20 && mg_ncasecmp(s + pos, "Content-Disposition:", 20) == 0) {
      struct mg_str v =
          mg_strstrip(mg_mk_str_n(s + pos + 20, (size_t) len - 20));
      mg__mp_disposition(v, var, var_len, file, file_len);
    }
    pos += next;
  }
  return len == 0 ? pos + next : 0;
}

size_t mg_parse_multipart(const char *buf, size_t buf_len, char *var_name,
                          size_t var_name_len, char *file_name,
                          size_t file_name_len, const char **chunk,
                          size_t *chunk_len) {
  size_t pos = 0, next = 0, hl;
  long len, at;
  char delim[80];
  if (var_name == NULL || file_name == NULL || var_name_len == 0 ||
      file_name_len == 0 || chunk == NULL || chunk_len == NULL) {
    return 0;
  }
  var_name[0] = file_name[0] = '\0';
  *chunk = NULL;
  *chunk_len = 0;
  /* Skip a preamble up to the first delimiter line. */
  while ((len = line_len(buf + pos, buf_len - pos, &next)) >= 0 &&
         (len < 2 || buf[pos] != '-' || buf[pos + 1] != '-')) {
    pos += next;
  }
  while (len > 2 && is_ws(buf[pos + (size_t) len - 1])) len--;
  if (len < 3 || len > 72) return 0;
  if (len >= 4 && buf[pos + (size_t) len - 1] == '-' &&
      buf[pos + (size_t) len - 2] == '-') {
    return 0; /* the closing delimiter */
  }
  memcpy(delim, "\r\n", 2);
  memcpy(delim + 2, buf + pos, (size_t) len);
  pos += next;
  hl = part_headers(buf + pos, buf_len - pos, var_name, var_name_len, file_name,
                    file_name_len);
  if (hl == 0) return 0;
  pos += hl;
  at = find_delimiter(buf + pos, buf_len - pos, delim, (size_t) len + 2);
  if (at < 0) return 0;
  *chunk = buf + pos;
  *chunk_len = (size_t) at;
  return pos + (size_t) at + 2;
}
