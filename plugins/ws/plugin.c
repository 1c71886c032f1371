/*
 * The ws plugin: its descriptor, per-manager options, and the layer's
 * callbacks: an open connection's events go to conn.c; idle PINGs and the
 * close timeout are checked on polls.
 */
#include "plugins/ws/internal.h"

#define DEFAULT_CLOSE_TIMEOUT 5.0

static void ws_opts_defaults(struct mg_ws_opts *o) {
  o->max_message_size = MG_WEBSOCKET_MAX_MESSAGE_SIZE;
  o->close_timeout = DEFAULT_CLOSE_TIMEOUT;
  o->ping_interval = MG_WEBSOCKET_PING_INTERVAL_SECONDS;
}

static int ws_init(struct mg_mgr *mgr, void *state) {
  struct mg__ws_mgr *m = (struct mg__ws_mgr *) state;
  ws_opts_defaults(&m->opts);
  return mg_http_ext_register(mgr, &mg__ws_http_ext);
}

struct mg_ws_opts mg_ws_get_options(struct mg_mgr *mgr) {
  struct mg__ws_mgr *m = mg__ws_mgr(mgr);
  struct mg_ws_opts o;
  if (m != NULL) return m->opts;
  memset(&o, 0, sizeof(o));
  ws_opts_defaults(&o);
  return o;
}

int mg_ws_set_options(struct mg_mgr *mgr, const struct mg_ws_opts *opts) {
  struct mg__ws_mgr *m = mg__ws_mgr(mgr);
  if (m == NULL || opts == NULL) return -1;
  ws_opts_defaults(&m->opts);
  if (opts->max_message_size > 0)
    m->opts.max_message_size = opts->max_message_size;
  if (opts->close_timeout > 0) m->opts.close_timeout = opts->close_timeout;
  if (opts->ping_interval != 0) m->opts.ping_interval = opts->ping_interval;
  return 0;
}

static int ws_attach(struct mg_connection *nc, struct mg_layer *layer,
                     const struct mg_layer *parent) {
  struct mg__ws_conn *wc = (struct mg__ws_conn *) layer->state;
  (void) parent;
  wc->dec.expect_masked = nc->listener != NULL;
  return 0;
}

static void ws_event(struct mg_connection *nc, struct mg_layer *layer, int ev,
                     void *ev_data) {
  struct mg__ws_conn *wc = (struct mg__ws_conn *) layer->state;
  mg_layer_emit(nc, layer, ev, ev_data);
  if (layer->dead || !wc->open) return;
  if (ev == MG_EV_RECV || ev == MG_EV_SEND) wc->last_io = mg_mgr_time(nc->mgr);
  if (ev == MG_EV_RECV) {
    mg__ws_process(nc, layer);
  } else if (ev == MG_EV_POLL && !wc->close_sent && !wc->failed) {
    double every = mg__ws_mgr(nc->mgr)->opts.ping_interval;
    double now = mg_mgr_time(nc->mgr);
    if (every > 0 && now - wc->last_io > every) {
      mg_send_websocket_frame(nc, WEBSOCKET_OP_PING, "", 0); /* keep-alive */
      wc->last_io = now;
    }
  } else if (ev == MG_EV_POLL && wc->close_sent &&
             mg_mgr_time(nc->mgr) > wc->close_deadline) {
    /* The peer never answered our CLOSE, or does not read what is left to
     * send after one (a failed connection): give up. */
    nc->flags |= MG_F_CLOSE_IMMEDIATELY;
  }
}

void mg_ws_set_protocol(struct mg_connection *nc, const char *protocol) {
  struct mg__ws_mgr *m = nc == NULL ? NULL : mg__ws_mgr(nc->mgr);
  if (m == NULL || m->upgrading != nc || protocol == NULL) return;
  snprintf(m->protocol, sizeof(m->protocol), "%s", protocol);
}

const char *mg__ws_upgrade_protocol(struct mg_connection *nc) {
  struct mg__ws_mgr *m = nc == NULL ? NULL : mg__ws_mgr(nc->mgr);
  if (m == NULL || m->upgrading != nc) return NULL;
  return m->protocol;
}

static const struct mg_plugin *const ws_deps[] = {&mg_plugin_http, NULL};

const struct mg_plugin mg_plugin_ws = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "ws",
    .deps = ws_deps,
    .ev_first = MG_EV_WS_FIRST,
    .ev_last = MG_EV_WS_LAST,
    .mgr_state_size = sizeof(struct mg__ws_mgr),
    .conn_state_size = sizeof(struct mg__ws_conn),
    .init = ws_init,
    .free = NULL,
    .attach = ws_attach,
    .detach = NULL,
    .event = ws_event,
};
