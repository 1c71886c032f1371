/* mg_connect_ws(): a connection to a ws://, wss:// or mem:// URL. */
#include "plugins/ws/internal.h"

static void set_error(struct mg_connect_opts *o, const char *msg) {
  if (o->error_string != NULL) *o->error_string = msg;
}

/* Non-zero if the URL names a port after host (a slice of the URL). */
static int has_port(struct mg_str host) {
  return host.p[host.len] == ':' ||
         (host.p[host.len] == ']' && host.p[host.len + 1] == ':');
}

/* Splits user_info "user:pass" (pass may be absent). */
static void split_user(struct mg_str ui, struct mg_str *user, struct mg_str *pass) {
  const char *colon = mg_strchr(ui, ':');
  *user = ui;
  *pass = mg_mk_str_n("", 0);
  if (colon != NULL) {
    user->len = (size_t) (colon - ui.p);
    *pass = mg_mk_str_n(colon + 1, ui.len - user->len - 1);
  }
}

struct mg_connection *mg_connect_ws_opt(
    struct mg_mgr *mgr, MG_CB(mg_event_handler_t ev_handler, void *user_data),
    struct mg_connect_opts opts, const char *url, const char *protocol,
    const char *extra_headers) {
  struct mg_str scheme, user_info, host, path, query, fragment, user, pass;
  unsigned int port = 0;
  char addr[300], hostbuf[300], tmem[512], *target = tmem;
  struct mg_connection *nc;
  int tls = 0, is_v6, mem;
  if (url == NULL ||
      mg_parse_uri(mg_mk_str(url), &scheme, &user_info, &host, &port, &path,
                   &query, &fragment) != 0 ||
      host.len == 0 || host.len > 255) {
    set_error(&opts, "invalid URL");
    return NULL;
  }
  mem = mg_vcmp(&scheme, "mem") == 0;
  if (mg_vcasecmp(&scheme, "wss") == 0 || mg_vcasecmp(&scheme, "https") == 0) {
#if MG_ENABLE_SSL
    /* With no CA given, the server is verified against the system bundle
     * rather than trusted blindly (mg/net.h). */
    tls = 1;
    opts.flags |= MG_F_SSL;
    if (opts.ssl_ca_cert == NULL) opts.ssl_ca_cert = MG_SSL_SYSTEM_CA_FILE;
#else
    set_error(&opts, "wss:// needs TLS, which this build does not have");
    return NULL;
#endif
  } else if (!mem && scheme.len > 0 && mg_vcasecmp(&scheme, "ws") != 0 &&
             mg_vcasecmp(&scheme, "http") != 0) {
    set_error(&opts, "unsupported URL scheme");
    return NULL;
  }
  if (port == 0) port = tls ? 443 : 80;
  is_v6 = mg_strchr(host, ':') != NULL;
  if (mem) {
    snprintf(addr, sizeof(addr), "mem://%.*s", (int) host.len, host.p);
  } else {
    snprintf(addr, sizeof(addr), "tcp://%s%.*s%s:%u", is_v6 ? "[" : "",
             (int) host.len, host.p, is_v6 ? "]" : "", port);
  }
  nc = mg_connect_opt(mgr, addr, MG_CB(ev_handler, user_data), opts);
  if (nc == NULL) return NULL;
  if (has_port(host)) {
    snprintf(hostbuf, sizeof(hostbuf), "%s%.*s%s:%u", is_v6 ? "[" : "",
             (int) host.len, host.p, is_v6 ? "]" : "", port);
  } else {
    snprintf(hostbuf, sizeof(hostbuf), "%s%.*s%s", is_v6 ? "[" : "",
             (int) host.len, host.p, is_v6 ? "]" : "");
  }
  if (mg_asprintf(&target, sizeof(tmem), "%.*s%s%.*s", (int) (path.len > 0 ? path.len : 1),
                  path.len > 0 ? path.p : "/", query.len > 0 ? "?" : "",
                  (int) query.len, query.len > 0 ? query.p : "") < 0) {
    nc->flags |= MG_F_CLOSE_IMMEDIATELY;
    return nc;
  }
  split_user(user_info, &user, &pass);
  mg_send_websocket_handshake3v(
      nc, mg_mk_str(target), mg_mk_str(hostbuf),
      protocol != NULL ? mg_mk_str(protocol) : mg_mk_str_n("", 0),
      extra_headers != NULL ? mg_mk_str(extra_headers) : mg_mk_str_n("", 0), user,
      pass);
  if (target != tmem) MG_FREE(target);
  return nc;
}

struct mg_connection *mg_connect_ws(struct mg_mgr *mgr,
                                    MG_CB(mg_event_handler_t ev_handler,
                                          void *user_data),
                                    const char *url, const char *protocol,
                                    const char *extra_headers) {
  struct mg_connect_opts opts;
  memset(&opts, 0, sizeof(opts));
  return mg_connect_ws_opt(mgr, MG_CB(ev_handler, user_data), opts, url,
                           protocol, extra_headers);
}
