/* Client side: mg_connect_http() and the handling of replies. */
#include "plugins/http/internal.h"

static void set_error(struct mg_connect_opts *o, const char *msg) {
  if (o->error_string != NULL) *o->error_string = msg;
}

/* Runs the extensions' reply hooks. Returns 1 if one took nc. */
static int run_reply_hooks(struct mg_connection *nc, struct mg__http_conn *hc,
                           struct http_message *hm) {
  struct mg__http_mgr *m = mg__http_mgr(nc->mgr);
  int i;
  for (i = 0; i < m->num_exts; i++) {
    if (m->exts[i]->reply != NULL && m->exts[i]->reply(nc, hc->layer, hm)) {
      return 1;
    }
  }
  return 0;
}

int mg__http_on_reply(struct mg_connection *nc, struct mg__http_conn *hc,
                      struct http_message *hm, const struct mg__http_frame *f,
                      size_t n) {
  int64_t len = hc->client_head ? 0 : f->length;
  hc->head_start = 0;
  if (run_reply_hooks(nc, hc, hm) || hc->layer->dead) return 0;
  if (hm->resp_code < 200 && hm->resp_code != 101) {
    mbuf_remove(&nc->recv_mbuf, n); /* an interim reply: 100 Continue */
    return 1;
  }
  if (f->chunked && !hc->client_head) {
    hc->chunked = 1;
    hc->head_len = n;
    hc->body_len = 0;
    hc->raw_off = n;
    return 1;
  }
  if ((f->until_close && !hc->client_head) ||
      (uint64_t) (nc->recv_mbuf.len - n) < (uint64_t) len) {
    hc->need_more = 1;
    return 0;
  }
  hm->body.len = (size_t) len;
  hm->message.len = n + (size_t) len;
  mg_http_ext_emit(nc, hc->layer, MG_EV_HTTP_REPLY, hm);
  if (!hc->layer->dead) mbuf_remove(&nc->recv_mbuf, n + (size_t) len);
  return 1;
}

void mg__http_client_close(struct mg_connection *nc,
                           struct mg__http_conn *hc) {
  struct http_message hm;
  struct mg__http_frame f;
  int n;
  if (hc->chunked || nc->recv_mbuf.len == 0) return;
  n = mg__http_parse(nc->recv_mbuf.buf, nc->recv_mbuf.len, &hm, 0, &f);
  if (n > 0 && f.until_close) {
    mg_http_ext_emit(nc, hc->layer, MG_EV_HTTP_REPLY, &hm);
  }
}

/* Builds "tcp://host:port" (or "mem://host") for mg_connect_opt(). */
static int connect_address(struct mg_str scheme, struct mg_str host,
                           unsigned int port, char *buf, size_t len) {
  int is_v6 = mg_strchr(host, ':') != NULL;
  if (mg_vcmp(&scheme, "mem") == 0) {
    return snprintf(buf, len, "mem://%.*s", (int) host.len, host.p);
  }
  return snprintf(buf, len, "tcp://%s%.*s%s:%u", is_v6 ? "[" : "",
                  (int) host.len, host.p, is_v6 ? "]" : "", port);
}

/* Appends the request line and headers for url's parts to nc. */
static void write_request(struct mg_connection *nc, struct mg_str host,
                          unsigned int port, int explicit_port,
                          struct mg_str path, struct mg_str query,
                          struct mg_str user_info, const char *extra_headers,
                          const char *post_data) {
  int is_v6 = mg_strchr(host, ':') != NULL;
  mg_printf(nc, "%s %.*s%s%.*s HTTP/1.1\r\nHost: %s%.*s%s",
            post_data != NULL ? "POST" : "GET", (int) path.len,
            path.len > 0 ? path.p : "/", query.len > 0 ? "?" : "",
            (int) query.len, query.p != NULL ? query.p : "", is_v6 ? "[" : "",
            (int) host.len, host.p, is_v6 ? "]" : "");
  if (explicit_port) mg_printf(nc, ":%u", port);
  mg_printf(nc, "%s", "\r\nConnection: close\r\n");
  if (post_data != NULL) {
    mg_printf(nc, "Content-Length: %lu\r\n", (unsigned long) strlen(post_data));
  }
  if (user_info.len > 0) {
    struct mbuf auth;
    mbuf_init(&auth, 0);
    mg_basic_auth_header(user_info, mg_mk_str_n(NULL, 0), &auth);
    mg_send(nc, auth.buf, (int) auth.len);
    mbuf_free(&auth);
  }
  mg_printf(nc, "%s\r\n%s", extra_headers != NULL ? extra_headers : "",
            post_data != NULL ? post_data : "");
}

/* Non-zero if the URL names a port after host (a slice of the URL). */
static int has_port(struct mg_str host) {
  return host.p[host.len] == ':' ||
         (host.p[host.len] == ']' && host.p[host.len + 1] == ':');
}

struct mg_connection *mg_connect_http_opt(
    struct mg_mgr *mgr, MG_CB(mg_event_handler_t ev_handler, void *user_data),
    struct mg_connect_opts opts, const char *url, const char *extra_headers,
    const char *post_data) {
  struct mg_str scheme, user_info, host, path, query, fragment;
  unsigned int port = 0;
  char addr[300];
  struct mg_connection *nc;
  int tls = 0;
  if (url == NULL ||
      mg_parse_uri(mg_mk_str(url), &scheme, &user_info, &host, &port, &path,
                   &query, &fragment) != 0 ||
      host.len == 0 || host.len > 255) {
    set_error(&opts, "invalid URL");
    return NULL;
  }
  if (mg_vcasecmp(&scheme, "https") == 0) {
#if MG_ENABLE_SSL
    /* TLS; with no CA given, the server is verified against the system
     * bundle rather than trusted blindly (mg/net.h). */
    tls = 1;
    opts.flags |= MG_F_SSL;
    if (opts.ssl_ca_cert == NULL) opts.ssl_ca_cert = MG_SSL_SYSTEM_CA_FILE;
#else
    set_error(&opts, "https:// needs TLS, which this build does not have");
    return NULL;
#endif
  } else if (scheme.len > 0 && mg_vcasecmp(&scheme, "http") != 0 &&
             mg_vcmp(&scheme, "mem") != 0) {
    set_error(&opts, "unsupported URL scheme");
    return NULL;
  }
  if (port == 0) port = tls ? 443 : 80;
  connect_address(scheme, host, port, addr, sizeof(addr));
  nc = mg_connect_opt(mgr, addr, MG_CB(ev_handler, user_data), opts);
  if (nc == NULL) return NULL;
  mg_set_protocol_http_websocket(nc);
  write_request(nc, host, port, has_port(host), path, query, user_info,
                extra_headers, post_data);
  return nc;
}

struct mg_connection *mg_connect_http(struct mg_mgr *mgr,
                                      MG_CB(mg_event_handler_t event_handler,
                                            void *user_data),
                                      const char *url,
                                      const char *extra_headers,
                                      const char *post_data) {
  struct mg_connect_opts opts;
  memset(&opts, 0, sizeof(opts));
  return mg_connect_http_opt(mgr, MG_CB(event_handler, user_data), opts, url,
                             extra_headers, post_data);
}
