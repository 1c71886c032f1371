/* An MQTT connection's state: keep-alive bookkeeping, the framer of a
 * layer below, and the input loop that turns bytes into MG_EV_MQTT_*
 * events. */
#include "plugins/mqtt/internal.h"

struct mg__mqtt_conn *mg__mqtt_conn_of(struct mg_layer *layer) {
  return (struct mg__mqtt_conn *) layer->state;
}

struct mg_mqtt_proto_data *mg__mqtt_proto_data(struct mg_connection *nc) {
  struct mg_layer *l = mg_layer_find(nc, &mg_plugin_mqtt);
  return l != NULL ? &mg__mqtt_conn_of(l)->pd : NULL;
}

int mg__mqtt_set_framer(struct mg_connection *nc, mg__mqtt_framer_t framer) {
  struct mg_layer *l = mg_layer_find(nc, &mg_plugin_mqtt);
  if (l == NULL) return -1;
  mg__mqtt_conn_of(l)->framer = framer;
  return 0;
}

void mg__mqtt_frame(struct mg_connection *nc, size_t packet_len) {
  struct mg_layer *l = mg_layer_find(nc, &mg_plugin_mqtt);
  if (l != NULL && mg__mqtt_conn_of(l)->framer != NULL) {
    mg__mqtt_conn_of(l)->framer(nc, packet_len);
  }
}

void mg__mqtt_sent(struct mg_connection *nc) {
  struct mg_mqtt_proto_data *pd = mg__mqtt_proto_data(nc);
  if (pd != NULL) pd->last_control_time = mg_mgr_time(nc->mgr);
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

void mg__mqtt_layer_input(struct mg_connection *nc, struct mg_layer *layer,
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
  if (l != NULL) mg__mqtt_layer_input(nc, l, io);
}
