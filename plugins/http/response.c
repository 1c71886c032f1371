/* Writing responses: status lines, heads, chunks, errors, redirects. */
#include "plugins/http/internal.h"

const char *mg__http_reason(int code) {
  switch (code) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 416:
      return "Range Not Satisfiable";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "OK";
  }
}

void mg_send_response_line(struct mg_connection *nc, int status_code,
                           const char *extra_headers) {
  mg_printf(nc, "HTTP/1.1 %d %s\r\n", status_code,
            mg__http_reason(status_code));
  if (extra_headers != NULL && extra_headers[0] != '\0') {
    mg_printf(nc, "%s\r\n", extra_headers);
  }
}

void mg_send_head(struct mg_connection *n, int status_code,
                  int64_t content_length, const char *extra_headers) {
  mg_send_response_line(n, status_code, extra_headers);
  if (content_length < 0) {
    mg_printf(n, "%s", "Transfer-Encoding: chunked\r\n\r\n");
  } else {
    mg_printf(n, "Content-Length: %lld\r\n\r\n", (long long) content_length);
  }
}

void mg_send_http_chunk(struct mg_connection *nc, const char *buf, size_t len) {
  char size[24];
  int n = snprintf(size, sizeof(size), "%lx\r\n", (unsigned long) len);
  mg_send(nc, size, n);
  if (len > 0) mg_send(nc, buf, (int) len);
  mg_send(nc, "\r\n", 2);
}

void mg_printf_http_chunk(struct mg_connection *nc, const char *fmt, ...) {
  char mem[256], *buf = mem;
  int len;
  va_list ap;
  va_start(ap, fmt);
  len = mg_avprintf(&buf, sizeof(mem), fmt, ap);
  va_end(ap);
  if (len > 0) mg_send_http_chunk(nc, buf, (size_t) len);
  if (buf != mem) MG_FREE(buf);
}

/* The HTML entity for c, or NULL. */
static const char *entity(char c) {
  switch (c) {
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '&':
      return "&amp;";
    case '"':
      return "&quot;";
    case '\'':
      return "&#39;";
    default:
      return NULL;
  }
}

void mg_printf_html_escape(struct mg_connection *nc, const char *fmt, ...) {
  char mem[256], *buf = mem;
  struct mbuf out;
  int len, i;
  va_list ap;
  va_start(ap, fmt);
  len = mg_avprintf(&buf, sizeof(mem), fmt, ap);
  va_end(ap);
  mbuf_init(&out, len > 0 ? (size_t) len : 0);
  for (i = 0; i < len; i++) {
    const char *e = entity(buf[i]);
    if (e != NULL) {
      mbuf_append(&out, e, strlen(e));
    } else {
      mbuf_append(&out, buf + i, 1);
    }
  }
  if (out.len > 0) mg_send_http_chunk(nc, out.buf, out.len);
  mbuf_free(&out);
  if (buf != mem) MG_FREE(buf);
}

/* After an error response on a server connection: input is dropped and
 * never parsed, and the connection closes after a short linger. */
static void start_linger(struct mg_connection *nc, struct mg__http_conn *hc) {
  hc->failed = 1;
  hc->linger_until = mg_mgr_time(nc->mgr) + MG__HTTP_LINGER_SECONDS;
  hc->chunked = 0;
  mbuf_clear(&nc->recv_mbuf);
}

void mg_http_send_error(struct mg_connection *nc, int code,
                        const char *reason) {
  struct mg__http_conn *hc = mg__http_conn(nc);
  if (reason == NULL) reason = mg__http_reason(code);
  mg_printf(nc,
            "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\n"
            "Content-Length: %d\r\nConnection: close\r\n\r\n%d %s\n",
            code, reason, (int) strlen(reason) + 5, code, reason);
  if (hc != NULL && mg__http_is_server(nc)) {
    start_linger(nc, hc);
  } else {
    nc->flags |= MG_F_SEND_AND_CLOSE;
  }
}

void mg__http_fail(struct mg_connection *nc, struct mg__http_conn *hc,
                   int code) {
  if (hc->failed) return;
  mg_http_send_error(nc, code, NULL);
}

void mg_http_send_redirect(struct mg_connection *nc, int status_code,
                           const struct mg_str location,
                           const struct mg_str extra_headers) {
  mg_printf(nc, "HTTP/1.1 %d %s\r\nLocation: %.*s\r\nContent-Length: 0\r\n",
            status_code, mg__http_reason(status_code), (int) location.len,
            location.p != NULL ? location.p : "");
  if (extra_headers.len > 0) {
    mg_printf(nc, "%.*s\r\n", (int) extra_headers.len, extra_headers.p);
  }
  mg_send(nc, "\r\n", 2);
}
