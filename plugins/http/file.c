/*
 * Serving one file: MIME types, validators (ETag, Last-Modified) and 304,
 * single byte ranges (206/416), HEAD, small files from the cache; the
 * body goes out through file_body.c.
 */
#include "plugins/http/internal.h"

/* Built-in MIME types by file name suffix. */
static const struct {
  const char *suffix; /* with the dot */
  const char *type;   /* Content-Type value */
} k_mime[] = {
    {".html", "text/html; charset=utf-8"},
    {".htm", "text/html; charset=utf-8"},
    {".shtml", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "application/javascript; charset=utf-8"},
    {".mjs", "application/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
    {".xml", "text/xml; charset=utf-8"},
    {".csv", "text/csv"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".svg", "image/svg+xml"},
    {".ico", "image/x-icon"},
    {".webp", "image/webp"},
    {".bmp", "image/bmp"},
    {".pdf", "application/pdf"},
    {".zip", "application/zip"},
    {".gz", "application/gzip"},
    {".tar", "application/x-tar"},
    {".wasm", "application/wasm"},
    {".mp3", "audio/mpeg"},
    {".wav", "audio/wav"},
    {".mp4", "video/mp4"},
    {".webm", "video/webm"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".bin", "application/octet-stream"},
};

static int has_suffix(const char *path, size_t plen, struct mg_str suffix) {
  return suffix.len > 0 && plen >= suffix.len &&
         mg_ncasecmp(path + plen - suffix.len, suffix.p, suffix.len) == 0;
}

struct mg_str mg_http_ext_mime_type(const char *path,
                                    const struct mg_serve_http_opts *opts) {
  size_t i, plen = strlen(path);
  if (opts != NULL && opts->custom_mime_types != NULL) {
    struct mg_str list = mg_mk_str(opts->custom_mime_types), k, v;
    while (list.len > 0) {
      list = mg_next_comma_list_entry_n(list, &k, &v);
      if (has_suffix(path, plen, k)) return v;
      if (list.p == NULL) break;
    }
  }
  for (i = 0; i < ARRAY_SIZE(k_mime); i++) {
    if (has_suffix(path, plen, mg_mk_str(k_mime[i].suffix))) {
      return mg_mk_str(k_mime[i].type);
    }
  }
  return mg_mk_str("text/plain");
}

/* An RFC 9110 IMF-fixdate. */
static void http_date(char *buf, size_t len, time_t t) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, len, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* Parses an IMF-fixdate; returns -1 if it is not one. */
static time_t parse_date(struct mg_str s) {
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  char buf[40], mon[4];
  struct tm tm;
  const char *m;
  if (s.len >= sizeof(buf)) return -1;
  memcpy(buf, s.p, s.len);
  buf[s.len] = '\0';
  memset(&tm, 0, sizeof(tm));
  if (sscanf(buf, "%*3s, %2d %3s %4d %2d:%2d:%2d GMT", &tm.tm_mday, mon,
             &tm.tm_year, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return -1;
  }
  m = strstr(months, mon);
  if (m == NULL || strlen(mon) != 3 || (m - months) % 3 != 0) return -1;
  tm.tm_mon = (int) (m - months) / 3;
  tm.tm_year -= 1900;
  return timegm(&tm);
}

/* Non-zero if the request's validators match: answer 304. */
static int not_modified(struct http_message *hm, const char *etag,
                        time_t mtime) {
  struct mg_str *inm = mg_get_http_header(hm, "If-None-Match");
  struct mg_str *ims = mg_get_http_header(hm, "If-Modified-Since");
  if (inm != NULL) {
    return mg_vcmp(inm, "*") == 0 || mg_strstr(*inm, mg_mk_str(etag)) != NULL;
  }
  if (ims != NULL) {
    time_t t = parse_date(*ims);
    return t != (time_t) -1 && mtime <= t;
  }
  return 0;
}

/* Parses "bytes=a-b" against size into [*from, *from + *len). Returns 1
 * for a satisfiable range, 0 to ignore the header, -1 for 416. */
static int parse_range(struct mg_str r, int64_t size, int64_t *from,
                       int64_t *len) {
  long long a = -1, b = -1;
  char buf[64];
  int n = 0;
  if (r.len >= sizeof(buf) || r.len < 7 || mg_strchr(r, ',') != NULL) return 0;
  memcpy(buf, r.p, r.len);
  buf[r.len] = '\0';
  if (sscanf(buf, "bytes=%lld-%lld%n", &a, &b, &n) == 2 && n == (int) r.len) {
    if (a < 0 || b < a) return 0;
  } else if (sscanf(buf, "bytes=%lld-%n", &a, &n) == 1 && n == (int) r.len) {
    if (a < 0) return 0;
    b = size - 1;
  } else if (sscanf(buf, "bytes=-%lld%n", &b, &n) == 1 && n == (int) r.len) {
    if (b <= 0) return b == 0 ? -1 : 0;
    a = b >= size ? 0 : size - b;
    b = size - 1;
  } else {
    return 0;
  }
  if (a >= size) return -1;
  if (b >= size) b = size - 1;
  *from = a;
  *len = b - a + 1;
  return 1;
}

/* "Connection:" line for the request's persistence. */
static const char *connection_header(struct mg_connection *nc,
                                     struct http_message *hm) {
  struct mg__http_conn *hc = mg__http_conn(nc);
  if (hc == NULL) return "";
  if (!hc->keep_alive) return "Connection: close\r\n";
  return mg_vcmp(&hm->proto, "HTTP/1.0") == 0 ? "Connection: keep-alive\r\n"
                                              : "";
}

/* Sends the head of a file response (one formatted write). */
static void file_head(struct mg_connection *nc, struct http_message *hm,
                      int code, int64_t from, int64_t len, int64_t size,
                      const char *etag, time_t mtime, struct mg_str mime,
                      struct mg_str extra) {
  char date[40], range[100] = "", head[1024];
  int n;
  http_date(date, sizeof(date), mtime);
  if (code == 206) {
    snprintf(range, sizeof(range), "Content-Range: bytes %lld-%lld/%lld\r\n",
             (long long) from, (long long) (from + len - 1), (long long) size);
  }
  n = snprintf(
      head, sizeof(head),
      "HTTP/1.1 %d %s\r\nContent-Type: %.*s\r\nContent-Length: %lld\r\n"
      "Accept-Ranges: bytes\r\nETag: %s\r\nLast-Modified: %s\r\n%s%s"
      "%.*s%s\r\n",
      code, mg__http_reason(code), (int) mime.len, mime.p, (long long) len,
      etag, date, range, connection_header(nc, hm), (int) extra.len,
      extra.p != NULL ? extra.p : "", extra.len > 0 ? "\r\n" : "");
  if (n > 0 && n < (int) sizeof(head)) {
    mg_send(nc, head, n);
  } else {
    mg_printf(nc,
              "HTTP/1.1 %d %s\r\nContent-Type: %.*s\r\nContent-Length: %lld\r\n"
              "Accept-Ranges: bytes\r\nETag: %s\r\nLast-Modified: %s\r\n%s%s",
              code, mg__http_reason(code), (int) mime.len, mime.p,
              (long long) len, etag, date, range, connection_header(nc, hm));
    if (extra.len > 0) mg_printf(nc, "%.*s\r\n", (int) extra.len, extra.p);
    mg_send(nc, "\r\n", 2);
  }
}

/* 304 or 416 without a body. */
static void bodiless(struct mg_connection *nc, struct http_message *hm,
                     int code, const char *etag, int64_t size,
                     struct mg_str extra) {
  mg_printf(nc, "HTTP/1.1 %d %s\r\nETag: %s\r\n%s", code, mg__http_reason(code),
            etag, connection_header(nc, hm));
  if (code == 416) {
    mg_printf(nc, "Content-Range: bytes */%lld\r\nContent-Length: 0\r\n",
              (long long) size);
  }
  if (extra.len > 0) mg_printf(nc, "%.*s\r\n", (int) extra.len, extra.p);
  mg_send(nc, "\r\n", 2);
}

/* Reads the whole small file fd (st says how big) into the cache. Returns
 * the cached contents, or NULL if the file changed or cannot be read. */
static const char *read_into_cache(struct mg_connection *nc, int fd,
                                   const char *path, const cs_stat_t *st) {
  struct mg__http_mgr *m = mg__http_mgr(nc->mgr);
  char *buf;
  size_t done = 0, size = (size_t) st->st_size;
  cs_stat_t now;
  if (m == NULL || MG_HTTP_FILE_CACHE_SLOTS == 0 ||
      st->st_size > MG_HTTP_FILE_CACHE_MAX || fstat(fd, &now) != 0 ||
      now.st_ino != st->st_ino || now.st_size != st->st_size ||
      now.st_mtim.tv_sec != st->st_mtim.tv_sec ||
      now.st_mtim.tv_nsec != st->st_mtim.tv_nsec) {
    return NULL;
  }
  buf = (char *) MG_MALLOC(size + 1);
  while (buf != NULL && done < size) {
    ssize_t n = pread(fd, buf + done, size - done, (off_t) done);
    if (n <= 0) break;
    done += (size_t) n;
  }
  if (buf != NULL && done == size) mg__http_cache_put(m, path, st, buf);
  MG_FREE(buf);
  return done == size ? mg__http_cache_get(m, path, st) : NULL;
}

/* The cached contents of a small file, or NULL. */
static const char *cached(struct mg_connection *nc, const char *path,
                          const cs_stat_t *st) {
  struct mg__http_mgr *m = mg__http_mgr(nc->mgr);
  if (m == NULL || st->st_size > MG_HTTP_FILE_CACHE_MAX) return NULL;
  return mg__http_cache_get(m, path, st);
}

void mg__http_serve_file_st(struct mg_connection *nc, struct http_message *hm,
                            const char *path, const cs_stat_t *st,
                            struct mg_str mime_type, struct mg_str extra) {
  char etag[64];
  int64_t from = 0, len = (int64_t) st->st_size;
  int code = 200, r = 0, fd = -1;
  struct mg_str *range = mg_get_http_header(hm, "Range");
  const char *data = S_ISREG(st->st_mode) ? cached(nc, path, st) : NULL;
  if (!S_ISREG(st->st_mode) ||
      (data == NULL && (fd = mg_open(path, O_RDONLY, 0)) < 0)) {
    mg_http_send_error(nc, 404, NULL);
    return;
  }
  if (data == NULL) data = read_into_cache(nc, fd, path, st);
  snprintf(etag, sizeof(etag), "\"%lx.%llx\"", (unsigned long) st->st_mtime,
           (unsigned long long) st->st_size);
  if (not_modified(hm, etag, st->st_mtime)) {
    r = -304;
  } else if (range != NULL) {
    r = parse_range(*range, len, &from, &len);
  }
  if (r < 0) {
    if (fd >= 0) close(fd);
    bodiless(nc, hm, r == -304 ? 304 : 416, etag, (int64_t) st->st_size, extra);
    return;
  }
  if (r > 0) code = 206;
  file_head(nc, hm, code, from, len, (int64_t) st->st_size, etag, st->st_mtime,
            mime_type, extra);
  if (mg_vcmp(&hm->method, "HEAD") == 0) {
    if (fd >= 0) close(fd);
  } else if (data != NULL) {
    if (fd >= 0) close(fd);
    mg_send(nc, data + from, (int) len);
  } else {
    mg__http_send_body(nc, fd, from, len);
  }
}

void mg_http_serve_file(struct mg_connection *nc, struct http_message *hm,
                        const char *path, const struct mg_str mime_type,
                        const struct mg_str extra_headers) {
  cs_stat_t st;
  if (mg_stat(path, &st) != 0) {
    mg_http_send_error(nc, 404, NULL);
    return;
  }
  mg__http_serve_file_st(nc, hm, path, &st, mime_type, extra_headers);
}
