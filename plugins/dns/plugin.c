/* The dns plugin: its descriptor and the dns layer's event callback. */
#include "plugins/dns/internal.h"

static void dns_event(struct mg_connection *nc, struct mg_layer *layer, int ev,
                      void *ev_data) {
  mg_layer_emit(nc, layer, ev, ev_data); /* the core's events, as they are */
  if (ev != MG_EV_RECV || layer->dead) return;
  mg__dns_conn_recv(nc, layer);
}

const struct mg_plugin mg_plugin_dns = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "dns",
    .deps = NULL,
    .ev_first = MG_EV_DNS_FIRST,
    .ev_last = MG_EV_DNS_LAST,
    .mgr_state_size = 0,
    .conn_state_size = 0,
    .init = NULL,
    .free = NULL,
    .attach = NULL,
    .detach = NULL,
    .event = dns_event,
};

void mg_set_protocol_dns(struct mg_connection *nc) {
  if (nc == NULL || mg_layer_find(nc, &mg_plugin_dns) != NULL) return;
  mg_layer_push(nc, &mg_plugin_dns);
}
