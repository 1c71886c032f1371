/* The mqtt_broker plugin: its descriptor, the broker layer on a
 * connection (dispatch, CONNECT and keep-alive deadlines, cleanup), and the
 * broker's public entry points. */
#include "plugins/mqtt_broker/internal.h"

static struct mg__mqtt_bconn *bconn_of(struct mg_layer *l) {
  return (struct mg__mqtt_bconn *) l->state;
}

static int is_mqtt_packet_event(int ev) {
  return ev >= MG_EV_MQTT_CONNECT && ev <= MG_EV_MQTT_DISCONNECT;
}

/* Closes a connection that missed its CONNECT or keep-alive deadline. */
static void check_deadlines(struct mg_connection *nc,
                            struct mg__mqtt_bconn *bc) {
  double now = mg_mgr_time(nc->mgr);
  if (!bc->connected) {
    if (bc->connect_deadline == 0) {
      bc->connect_deadline = now + bc->brk->connect_timeout;
    } else if (now > bc->connect_deadline) {
      mg__mqtt_drop(nc);
    }
  } else if (bc->keep_alive > 0 && now - bc->last_rx > 1.5 * bc->keep_alive) {
    mg__mqtt_drop(nc); /* abnormal: the will goes out when it closes */
  }
}

/* The broker's reaction to one event of a client connection. */
static void handle(struct mg_connection *nc, struct mg__mqtt_bconn *bc, int ev,
                   void *ev_data) {
  struct mg_mqtt_message *mm = (struct mg_mqtt_message *) ev_data;
  if (bc->listener || bc->brk == NULL) return;
  if (ev == MG_EV_POLL) {
    check_deadlines(nc, bc);
    return;
  }
  /* Nothing more is read from a connection that is being closed (after a
   * refusing CONNACK or DISCONNECT, the rest of its input is ignored). */
  if (!is_mqtt_packet_event(ev) ||
      (nc->flags & (MG_F_CLOSE_IMMEDIATELY | MG_F_SEND_AND_CLOSE))) {
    return;
  }
  bc->last_rx = mg_mgr_time(nc->mgr);
  if (!bc->connected) {
    if (ev == MG_EV_MQTT_CONNECT) {
      mg__mqtt_on_connect(nc, bc, mm);
    } else {
      mg__mqtt_drop(nc); /* nothing may come before CONNECT */
    }
  } else if (bc->session != NULL) {
    mg__mqtt_on_packet(nc, bc, ev, mm);
  }
}

static int broker_attach(struct mg_connection *nc, struct mg_layer *layer,
                         const struct mg_layer *parent) {
  struct mg__mqtt_bconn *bc = bconn_of(layer);
  if (parent != NULL) bc->brk = ((struct mg__mqtt_bconn *) parent->state)->brk;
  bc->listener = (nc->flags & MG_F_LISTENING) != 0;
  bc->last_rx = mg_mgr_time(nc->mgr);
  return 0;
}

static void broker_detach(struct mg_connection *nc, struct mg_layer *layer) {
  struct mg__mqtt_bconn *bc = bconn_of(layer);
  if (!bc->listener) mg__mqtt_on_gone(nc, bc);
  mg__mqtt_msg_unref(bc->will);
  bc->will = NULL;
}

static void broker_event(struct mg_connection *nc, struct mg_layer *layer,
                         int ev, void *ev_data) {
  handle(nc, bconn_of(layer), ev, ev_data);
  mg_layer_emit(nc, layer, ev, ev_data);
}

static const struct mg_plugin *const mqtt_broker_deps[] = {&mg_plugin_mqtt,
                                                           NULL};

const struct mg_plugin mg_plugin_mqtt_broker = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "mqtt_broker",
    .deps = mqtt_broker_deps,
    .ev_first = MG_EV_MQTT_BROKER_FIRST,
    .ev_last = MG_EV_MQTT_BROKER_LAST,
    .mgr_state_size = 0,
    .conn_state_size = sizeof(struct mg__mqtt_bconn),
    .init = NULL,
    .free = NULL,
    .attach = broker_attach,
    .detach = broker_detach,
    .event = broker_event,
};

/* --- Public entry points --- */

void mg_mqtt_broker_init(struct mg_mqtt_broker *brk, void *user_data) {
  memset(brk, 0, sizeof(*brk));
  LIST_INIT(&brk->sessions);
  brk->user_data = user_data;
  brk->max_queued = MG_MQTT_BROKER_MAX_QUEUED;
  brk->max_inflight = MG_MQTT_BROKER_MAX_INFLIGHT;
  brk->connect_timeout = MG_MQTT_BROKER_CONNECT_TIMEOUT;
}

void mg_mqtt_broker_free(struct mg_mqtt_broker *brk) {
  struct mg_mqtt_session *s;
  while ((s = LIST_FIRST(&brk->sessions)) != NULL) {
    if (s->nc != NULL) {
      struct mg__mqtt_bconn *bc = mg__mqtt_bconn(s->nc);
      if (bc != NULL) {
        bc->session = NULL;
        bc->brk = NULL;
      }
      s->nc->priv_2 = NULL;
      mg__mqtt_drop(s->nc);
    }
    mg__mqtt_session_free(s);
  }
  mg__mqtt_retained_free(brk);
}

void mg_mqtt_broker_attach(struct mg_mqtt_broker *brk,
                           struct mg_connection *lc) {
  struct mg_layer *l;
  lc->priv_2 = brk;
  mg_set_protocol_mqtt(lc);
  l = mg_layer_find(lc, &mg_plugin_mqtt_broker);
  if (l == NULL) l = mg_layer_push(lc, &mg_plugin_mqtt_broker);
  if (l != NULL) bconn_of(l)->brk = brk;
}

void mg_mqtt_broker(struct mg_connection *nc, int ev, void *data) {
  struct mg_mqtt_broker *brk;
  struct mg_layer *l;
  if (nc == NULL || (nc->flags & MG_F_LISTENING) || ev == MG_EV_CLOSE) return;
  if (ev >= MG_EV_MQTT_BROKER_FIRST && ev <= MG_EV_MQTT_BROKER_LAST) {
    return; /* our own hooks */
  }
  if (mg_layer_find(nc, &mg_plugin_mqtt_broker) != NULL) return;
  brk = (struct mg_mqtt_broker *) nc->priv_2;
  if (brk == NULL && nc->listener != NULL) {
    brk = (struct mg_mqtt_broker *) nc->listener->priv_2;
  }
  if (brk == NULL) return;
  mg_set_protocol_mqtt(nc);
  l = mg_layer_push(nc, &mg_plugin_mqtt_broker);
  if (l == NULL) {
    mg__mqtt_drop(nc);
    return;
  }
  bconn_of(l)->brk = brk;
  handle(nc, bconn_of(l), ev, data);
}

struct mg_mqtt_session *mg_mqtt_next(struct mg_mqtt_broker *brk,
                                     struct mg_mqtt_session *s) {
  return s == NULL ? LIST_FIRST(&brk->sessions) : LIST_NEXT(s, link);
}
