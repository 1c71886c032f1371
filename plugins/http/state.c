/*
 * The plugin's state, for every layer above: the per-manager and
 * per-connection state of the http layer, the options, the layer on a
 * connection, and events to whoever handles the current request.
 */
#include "plugins/http/internal.h"

struct mg__http_mgr *mg__http_mgr(struct mg_mgr *mgr) {
  return (struct mg__http_mgr *) mg_plugin_mgr_state(mgr, &mg_plugin_http);
}

struct mg__http_conn *mg__http_conn(struct mg_connection *nc) {
  struct mg_layer *l = nc == NULL ? NULL : mg_layer_find(nc, &mg_plugin_http);
  return l == NULL ? NULL : (struct mg__http_conn *) l->state;
}

const struct mg_http_opts *mg__http_opts(struct mg_connection *nc) {
  return &mg__http_mgr(nc->mgr)->opts;
}

int mg__http_is_server(const struct mg_connection *nc) {
  return nc->listener != NULL;
}

int mg__http_streaming(const struct mg__http_conn *hc) {
  return hc->hold != NULL && hc->hold->claimed && !hc->hold->body_ended;
}

void mg_set_protocol_http_websocket(struct mg_connection *nc) {
  if (nc == NULL || mg_layer_find(nc, &mg_plugin_http) != NULL) return;
  mg_layer_push(nc, &mg_plugin_http);
}

void mg_http_ext_emit(struct mg_connection *nc, struct mg_layer *http_layer,
                      int ev, void *ev_data) {
  struct mg__http_conn *hc =
      http_layer == NULL ? NULL : (struct mg__http_conn *) http_layer->state;
  if (hc != NULL && hc->cur_ep != NULL) {
    hc->cur_ep->handler(nc, ev, ev_data MG_UD_ARG(hc->cur_ep->user_data));
  } else {
    mg_layer_emit(nc, http_layer, ev, ev_data);
  }
}

mg_event_handler_t mg_http_ext_endpoint(struct mg_layer *http_layer,
                                        void **user_data) {
  struct mg__http_conn *hc =
      http_layer == NULL ? NULL : (struct mg__http_conn *) http_layer->state;
  if (user_data != NULL) *user_data = NULL;
  if (hc == NULL || hc->cur_ep == NULL) return NULL;
#if MG_ENABLE_CALLBACK_USERDATA
  if (user_data != NULL) *user_data = hc->cur_ep->user_data;
#endif
  return hc->cur_ep->handler;
}
