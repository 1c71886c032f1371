/* The mqtt plugin: its descriptor and the connection layer that turns bytes
 * into MG_EV_MQTT_* events and keeps a client's connection alive. */
#include "plugins/mqtt/internal.h"

static struct mg__mqtt_conn *conn_state(struct mg_layer *layer) {
  return (struct mg__mqtt_conn *) layer->state;
}

struct mg_mqtt_proto_data *mg__mqtt_proto_data(struct mg_connection *nc) {
  struct mg_layer *l = mg_layer_find(nc, &mg_plugin_mqtt);
  return l != NULL ? &conn_state(l)->pd : NULL;
}

int mg__mqtt_set_framer(struct mg_connection *nc, mg__mqtt_framer_t framer) {
  struct mg_layer *l = mg_layer_find(nc, &mg_plugin_mqtt);
  if (l == NULL) return -1;
  conn_state(l)->framer = framer;
  return 0;
}

void mg__mqtt_frame(struct mg_connection *nc, size_t packet_len) {
  struct mg_layer *l = mg_layer_find(nc, &mg_plugin_mqtt);
  if (l != NULL && conn_state(l)->framer != NULL) {
    conn_state(l)->framer(nc, packet_len);
  }
}

void mg__mqtt_sent(struct mg_connection *nc) {
  struct mg_mqtt_proto_data *pd = mg__mqtt_proto_data(nc);
  if (pd != NULL) pd->last_control_time = mg_mgr_time(nc->mgr);
}

void mg_set_protocol_mqtt(struct mg_connection *nc) {
  if (mg_layer_find(nc, &mg_plugin_mqtt) == NULL) {
    mg_layer_push(nc, &mg_plugin_mqtt);
  }
}

/* Non-zero if the incomplete packet at buf announces more than we take. */
static int too_big(const char *buf, size_t len) {
  uint8_t first;
  size_t rem;
  int h = mg_mqtt_parse_header(buf, len, &first, &rem);
  return h > 0 && rem > MG_MQTT_MAX_PACKET_SIZE - (size_t) h;
}

static void close_conn(struct mg_connection *nc) {
  nc->flags |= MG_F_CLOSE_IMMEDIATELY;
}

/* Decodes every complete packet at the start of io and emits it. */
static void handle_recv(struct mg_connection *nc, struct mg_layer *layer,
                        struct mbuf *io) {
  size_t off = 0;
  while (!(nc->flags & MG_F_CLOSE_IMMEDIATELY) && !layer->dead &&
         off < io->len) {
    struct mg_mqtt_message mm;
    int n = mg_mqtt_parse(io->buf + off, io->len - off, &mm);
    if (n < 0 || (n == 0 && too_big(io->buf + off, io->len - off))) {
      close_conn(nc);
      break;
    }
    if (n == 0) break;
    off += (size_t) n;
    mg_layer_emit(nc, layer, MG_MQTT_EVENT_BASE + mm.cmd, &mm);
  }
  if (off > io->len) off = io->len; /* a handler consumed bytes itself */
  mbuf_remove(io, off);
}

void mg__mqtt_input(struct mg_connection *nc, struct mbuf *io) {
  struct mg_layer *l = mg_layer_find(nc, &mg_plugin_mqtt);
  if (l != NULL) handle_recv(nc, l, io);
}

/* Sends PINGREQ when nothing was sent for keep_alive seconds. */
static void keep_alive(struct mg_connection *nc, struct mg__mqtt_conn *c) {
  if (c->pd.keep_alive == 0 || (nc->flags & MG_F_LISTENING)) return;
  if (mg_mgr_time(nc->mgr) - c->pd.last_control_time >= c->pd.keep_alive) {
    mg_mqtt_ping(nc);
  }
}

static int mqtt_attach(struct mg_connection *nc, struct mg_layer *layer,
                       const struct mg_layer *parent) {
  (void) parent;
  conn_state(layer)->pd.last_control_time = mg_mgr_time(nc->mgr);
  nc->proto_data = &conn_state(layer)->pd;
  return 0;
}

static void mqtt_detach(struct mg_connection *nc, struct mg_layer *layer) {
  if (nc->proto_data == (void *) &conn_state(layer)->pd) nc->proto_data = NULL;
}

static void mqtt_event(struct mg_connection *nc, struct mg_layer *layer, int ev,
                       void *ev_data) {
  mg_layer_emit(nc, layer, ev, ev_data);
  if (layer->dead) return;
  if (ev == MG_EV_RECV) {
    handle_recv(nc, layer, &nc->recv_mbuf);
  } else if (ev == MG_EV_POLL) {
    keep_alive(nc, conn_state(layer));
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
