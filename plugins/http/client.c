/*
 * Client side: the handling of replies, client URLs (mg_connect_http()
 * and ws's mg_connect_ws() share them) and mg_connect_http().
 */
#include "plugins/http/internal.h"

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

void mg__http_client_close(struct mg_connection *nc, struct mg__http_conn *hc) {
  struct http_message hm;
  struct mg__http_frame f;
  int n;
  if (hc->chunked || nc->recv_mbuf.len == 0) return;
  n = mg__http_parse(nc->recv_mbuf.buf, nc->recv_mbuf.len, &hm, 0, &f);
  if (n > 0 && f.until_close) {
    mg_http_ext_emit(nc, hc->layer, MG_EV_HTTP_REPLY, &hm);
  }
}

/* --- Client URLs (shared with ws through http_ext.h) --- */

static void connect_error(struct mg_connect_opts *o, const char *msg) {
  if (o->error_string != NULL) *o->error_string = msg;
}

/* Non-zero if the comma-separated list names scheme (case-insensitive). */
static int scheme_listed(struct mg_str scheme, const char *list) {
  while (list != NULL && *list != '\0') {
    const char *comma = strchr(list, ',');
    size_t n = comma != NULL ? (size_t) (comma - list) : strlen(list);
    struct mg_str name = mg_mk_str_n(list, n);
    if (mg_strcasecmp(scheme, name) == 0) return 1;
    list = comma != NULL ? comma + 1 : NULL;
  }
  return 0;
}

/* Non-zero if the URL names a port after host (a slice of the URL). */
static int url_names_port(struct mg_str host) {
  return host.p[host.len] == ':' ||
         (host.p[host.len] == ']' && host.p[host.len + 1] == ':');
}

/* Writes the mg_connect_opt() address and the Host header value of u. */
static void format_url_target(struct mg_http_ext_url *u, struct mg_str scheme) {
  int is_v6 = mg_strchr(u->host, ':') != NULL;
  const char *lb = is_v6 ? "[" : "", *rb = is_v6 ? "]" : "";
  if (mg_vcmp(&scheme, "mem") == 0) {
    snprintf(u->address, sizeof(u->address), "mem://%.*s", (int) u->host.len,
             u->host.p);
  } else {
    snprintf(u->address, sizeof(u->address), "tcp://%s%.*s%s:%u", lb,
             (int) u->host.len, u->host.p, rb, u->port);
  }
  if (url_names_port(u->host)) {
    snprintf(u->host_header, sizeof(u->host_header), "%s%.*s%s:%u", lb,
             (int) u->host.len, u->host.p, rb, u->port);
  } else {
    snprintf(u->host_header, sizeof(u->host_header), "%s%.*s%s", lb,
             (int) u->host.len, u->host.p, rb);
  }
}

int mg_http_ext_client_url(const char *url,
                           const struct mg_http_ext_schemes *schemes,
                           struct mg_connect_opts *opts,
                           struct mg_http_ext_url *u) {
  struct mg_str scheme, fragment;
  int mem, tls;
  memset(u, 0, sizeof(*u));
  if (url == NULL ||
      mg_parse_uri(mg_mk_str(url), &scheme, &u->user_info, &u->host, &u->port,
                   &u->path, &u->query, &fragment) != 0 ||
      u->host.len == 0 || u->host.len > 255) {
    connect_error(opts, "invalid URL");
    return -1;
  }
  mem = mg_vcmp(&scheme, "mem") == 0;
  tls = !mem && scheme_listed(scheme, schemes->tls);
  if (tls) {
#if MG_ENABLE_SSL
    /* With no CA given, the server is verified against the system bundle
     * rather than trusted blindly (mg/net.h). */
    opts->flags |= MG_F_SSL;
    if (opts->ssl_ca_cert == NULL) opts->ssl_ca_cert = MG_SSL_SYSTEM_CA_FILE;
#else
    connect_error(opts, schemes->no_tls);
    return -1;
#endif
  } else if (!mem && scheme.len > 0 && !scheme_listed(scheme, schemes->plain)) {
    connect_error(opts, "unsupported URL scheme");
    return -1;
  }
  if (u->port == 0) u->port = tls ? 443 : 80;
  format_url_target(u, scheme);
  return 0;
}

/* --- mg_connect_http() --- */

/* Appends the request line and headers for url u to nc. */
static void write_request(struct mg_connection *nc,
                          const struct mg_http_ext_url *u,
                          const char *extra_headers, const char *post_data) {
  mg_printf(nc, "%s %.*s%s%.*s HTTP/1.1\r\nHost: %s",
            post_data != NULL ? "POST" : "GET", (int) u->path.len,
            u->path.len > 0 ? u->path.p : "/", u->query.len > 0 ? "?" : "",
            (int) u->query.len, u->query.p != NULL ? u->query.p : "",
            u->host_header);
  mg_printf(nc, "%s", "\r\nConnection: close\r\n");
  if (post_data != NULL) {
    mg_printf(nc, "Content-Length: %lu\r\n", (unsigned long) strlen(post_data));
  }
  if (u->user_info.len > 0) {
    struct mbuf auth;
    mbuf_init(&auth, 0);
    mg_basic_auth_header(u->user_info, mg_mk_str_n(NULL, 0), &auth);
    mg_send(nc, auth.buf, (int) auth.len);
    mbuf_free(&auth);
  }
  mg_printf(nc, "%s\r\n%s", extra_headers != NULL ? extra_headers : "",
            post_data != NULL ? post_data : "");
}

struct mg_connection *mg_connect_http_opt(
    struct mg_mgr *mgr, MG_CB(mg_event_handler_t ev_handler, void *user_data),
    struct mg_connect_opts opts, const char *url, const char *extra_headers,
    const char *post_data) {
  static const struct mg_http_ext_schemes k_schemes = {
      "http", "https", "https:// needs TLS, which this build does not have"};
  struct mg_http_ext_url u;
  struct mg_connection *nc;
  if (mg_http_ext_client_url(url, &k_schemes, &opts, &u) != 0) return NULL;
  nc = mg_connect_opt(mgr, u.address, MG_CB(ev_handler, user_data), opts);
  if (nc == NULL) return NULL;
  mg_set_protocol_http_websocket(nc);
  write_request(nc, &u, extra_headers, post_data);
  return nc;
}

struct mg_connection *mg_connect_http(
    struct mg_mgr *mgr,
    MG_CB(mg_event_handler_t event_handler, void *user_data), const char *url,
    const char *extra_headers, const char *post_data) {
  struct mg_connect_opts opts;
  memset(&opts, 0, sizeof(opts));
  return mg_connect_http_opt(mgr, MG_CB(event_handler, user_data), opts, url,
                             extra_headers, post_data);
}
