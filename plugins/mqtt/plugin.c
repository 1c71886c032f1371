/* The mqtt plugin: its descriptor, the layer's callbacks (a client's
 * keep-alive PINGREQs among them) and mg_set_protocol_mqtt(). */
#include "plugins/mqtt/internal.h"

void mg_set_protocol_mqtt(struct mg_connection *nc) {
  if (mg_layer_find(nc, &mg_plugin_mqtt) == NULL) {
    mg_layer_push(nc, &mg_plugin_mqtt);
  }
}

/* Sends PINGREQ when nothing was sent for keep_alive seconds. */
static void ping_when_idle(struct mg_connection *nc, struct mg__mqtt_conn *c) {
  if (c->pd.keep_alive == 0 || (nc->flags & MG_F_LISTENING)) return;
  if (mg_mgr_time(nc->mgr) - c->pd.last_control_time >= c->pd.keep_alive) {
    mg_mqtt_ping(nc);
  }
}

static int mqtt_attach(struct mg_connection *nc, struct mg_layer *layer,
                       const struct mg_layer *parent) {
  (void) parent;
  mg__mqtt_conn_of(layer)->pd.last_control_time = mg_mgr_time(nc->mgr);
  nc->proto_data = &mg__mqtt_conn_of(layer)->pd;
  return 0;
}

static void mqtt_detach(struct mg_connection *nc, struct mg_layer *layer) {
  struct mg__mqtt_conn *c = mg__mqtt_conn_of(layer);
  if (nc->proto_data == (void *) &c->pd) nc->proto_data = NULL;
}

static void mqtt_event(struct mg_connection *nc, struct mg_layer *layer, int ev,
                       void *ev_data) {
  mg_layer_emit(nc, layer, ev, ev_data);
  if (layer->dead) return;
  if (ev == MG_EV_RECV) {
    mg__mqtt_layer_input(nc, layer, &nc->recv_mbuf);
  } else if (ev == MG_EV_POLL) {
    ping_when_idle(nc, mg__mqtt_conn_of(layer));
  }
}

const struct mg_plugin mg_plugin_mqtt = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "mqtt",
    .deps = NULL,
    .ev_first = MG_EV_MQTT_FIRST,
    .ev_last = MG_EV_MQTT_LAST,
    .mgr_state_size = 0,
    .conn_state_size = sizeof(struct mg__mqtt_conn),
    .init = NULL,
    .free = NULL,
    .attach = mqtt_attach,
    .detach = mqtt_detach,
    .event = mqtt_event,
};
