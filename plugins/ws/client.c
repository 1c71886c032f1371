/*
 * mg_connect_ws(): a connection to a ws://, wss:// or mem:// URL (taken
 * apart by http's mg_http_ext_client_url(), as mg_connect_http() does).
 */
#include "plugins/ws/internal.h"

/* Splits user_info "user:pass" (pass may be absent). */
static void split_user(struct mg_str ui, struct mg_str *user,
                       struct mg_str *pass) {
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
  static const struct mg_http_ext_schemes k_schemes = {
      "ws,http", "wss,https",
      "wss:// needs TLS, which this build does not have"};
  struct mg_http_ext_url u;
  struct mg_str user, pass;
  char tmem[512], *target = tmem;
  struct mg_connection *nc;
  if (mg_http_ext_client_url(url, &k_schemes, &opts, &u) != 0) return NULL;
  nc = mg_connect_opt(mgr, u.address, MG_CB(ev_handler, user_data), opts);
  if (nc == NULL) return NULL;
  if (mg_asprintf(&target, sizeof(tmem), "%.*s%s%.*s",
                  (int) (u.path.len > 0 ? u.path.len : 1),
                  u.path.len > 0 ? u.path.p : "/", u.query.len > 0 ? "?" : "",
                  (int) u.query.len, u.query.len > 0 ? u.query.p : "") < 0) {
    nc->flags |= MG_F_CLOSE_IMMEDIATELY;
    return nc;
  }
  split_user(u.user_info, &user, &pass);
  mg_send_websocket_handshake3v(
      nc, mg_mk_str(target), mg_mk_str(u.host_header),
      protocol != NULL ? mg_mk_str(protocol) : mg_mk_str_n("", 0),
      extra_headers != NULL ? mg_mk_str(extra_headers) : mg_mk_str_n("", 0),
      user, pass);
  if (target != tmem) MG_FREE(target);
  return nc;
}

struct mg_connection *mg_connect_ws(
    struct mg_mgr *mgr, MG_CB(mg_event_handler_t ev_handler, void *user_data),
    const char *url, const char *protocol, const char *extra_headers) {
  struct mg_connect_opts opts;
  memset(&opts, 0, sizeof(opts));
  return mg_connect_ws_opt(mgr, MG_CB(ev_handler, user_data), opts, url,
                           protocol, extra_headers);
}
