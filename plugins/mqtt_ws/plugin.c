/*
 * The mqtt_ws plugin: its descriptor and the layer between ws and mqtt on a
 * connection. It picks the subprotocol during the upgrade, hands the
 * upgraded connection to the broker, feeds the payloads of binary messages
 * to the mqtt layer and puts a WebSocket frame header before every packet
 * the mqtt layer sends (a server's frames are not masked, so the packet's
 * bytes are the frame's payload as they are).
 */
#include <string.h>

#include "plugins/mqtt_ws/internal.h"

/* Bytes of input buffer kept between messages; a big message's room is
 * released once it is decoded. */
#define KEEP_ROOM 4096

/* State of an mqtt_ws layer. */
struct mqtt_ws_conn {
  struct mg_mqtt_broker *brk; /* the broker (inherited from the listener) */
  int offered;                /* the upgrade request offered "mqtt" */
  int open;                   /* upgraded: the broker has the connection */
  struct mbuf in;             /* unwrapped MQTT bytes not yet decoded */
};

static struct mqtt_ws_conn *mqtt_ws_state(struct mg_layer *l) {
  return (struct mqtt_ws_conn *) l->state;
}

/* The subprotocol to answer the request with, or NULL if none fits. */
static const char *pick_protocol(struct http_message *hm) {
  static const char *const ours[] = {"mqtt", "mqttv3.1"};
  struct mg_str *offers = mg_get_http_header(hm, "Sec-WebSocket-Protocol");
  size_t i;
  for (i = 0; offers != NULL && i < sizeof(ours) / sizeof(ours[0]); i++) {
    struct mg_str list = *offers, tok;
    while (list.len > 0) {
      list = mg_next_comma_list_entry_n(list, &tok, NULL);
      tok = mg_strstrip(tok);
      if (mg_vcmp(&tok, ours[i]) == 0) return ours[i];
    }
  }
  return NULL;
}

/* The mqtt layer's framer: a binary frame's header before each packet. */
static void frame_packet(struct mg_connection *nc, size_t packet_len) {
  unsigned char hdr[14];
  size_t n =
      mg__ws_header(hdr, WEBSOCKET_OP_BINARY, (uint64_t) packet_len, NULL);
  mg_send(nc, hdr, (int) n);
}

/* The upgrade is done: the broker's layers go on top of this one. */
static int start_mqtt(struct mg_connection *nc, struct mqtt_ws_conn *c) {
  mg_mqtt_broker_attach(c->brk, nc);
  if (mg_layer_find(nc, &mg_plugin_mqtt_broker) == NULL ||
      mg__mqtt_set_framer(nc, frame_packet) != 0) {
    return -1;
  }
  c->open = 1;
  return 0;
}

/* A data message arrived on an upgraded connection. */
static void on_message(struct mg_connection *nc, struct mqtt_ws_conn *c,
                       const struct websocket_message *wm) {
  if (nc->flags & (MG_F_CLOSE_IMMEDIATELY | MG_F_SEND_AND_CLOSE)) return;
  if ((wm->flags & 0x0f) != WEBSOCKET_OP_BINARY) {
    /* MQTT-6.0.0-1: text is not MQTT. 1003: unsupported data. */
    mg_send_websocket_frame(nc, WEBSOCKET_OP_CLOSE, "\x03\xeb", 2);
    nc->flags |= MG_F_SEND_AND_CLOSE;
    return;
  }
  if (mbuf_append(&c->in, wm->data, wm->size) != wm->size) {
    nc->flags |= MG_F_CLOSE_IMMEDIATELY; /* out of memory */
    return;
  }
  mg__mqtt_input(nc, &c->in);
  if (c->in.len == 0 && c->in.size > KEEP_ROOM) mbuf_free(&c->in);
}

static int mqtt_ws_attach(struct mg_connection *nc, struct mg_layer *layer,
                          const struct mg_layer *parent) {
  struct mqtt_ws_conn *c = mqtt_ws_state(layer);
  (void) nc;
  mbuf_init(&c->in, 0);
  if (parent != NULL)
    c->brk = ((const struct mqtt_ws_conn *) parent->state)->brk;
  return 0;
}

static void mqtt_ws_detach(struct mg_connection *nc, struct mg_layer *layer) {
  (void) nc;
  mbuf_free(&mqtt_ws_state(layer)->in);
}

static void mqtt_ws_event(struct mg_connection *nc, struct mg_layer *layer,
                          int ev, void *ev_data) {
  struct mqtt_ws_conn *c = mqtt_ws_state(layer);
  if (c->brk == NULL || (nc->flags & MG_F_LISTENING)) {
    /* nothing to adapt */
  } else if (c->open) {
    if (ev == MG_EV_WEBSOCKET_FRAME) {
      on_message(nc, c, (const struct websocket_message *) ev_data);
      return;
    }
    if (ev == MG_EV_RECV) return; /* WebSocket bytes: the ws layer's */
  } else if (ev == MG_EV_WEBSOCKET_HANDSHAKE_REQUEST) {
    const char *p = pick_protocol((struct http_message *) ev_data), *picked;
    if (p != NULL) mg_ws_set_protocol(nc, p);
    mg_layer_emit(nc, layer, ev, ev_data);
    /* The handler may have picked another subprotocol: then it is not
     * MQTT's connection. */
    picked = mg__ws_upgrade_protocol(nc);
    c->offered = p != NULL && picked != NULL && strcmp(picked, p) == 0;
    return;
  } else if (ev == MG_EV_WEBSOCKET_HANDSHAKE_DONE && c->offered) {
    if (start_mqtt(nc, c) != 0) {
      nc->flags |= MG_F_CLOSE_IMMEDIATELY;
      return;
    }
  }
  mg_layer_emit(nc, layer, ev, ev_data);
}

static const struct mg_plugin *const mqtt_ws_deps[] = {
    &mg_plugin_mqtt_broker,
    &mg_plugin_ws,
    NULL,
};

const struct mg_plugin mg_plugin_mqtt_ws = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "mqtt_ws",
    .deps = mqtt_ws_deps,
    .ev_first = 0, /* owns no events */
    .ev_last = 0,
    .mgr_state_size = 0,
    .conn_state_size = sizeof(struct mqtt_ws_conn),
    .init = NULL,
    .free = NULL,
    .attach = mqtt_ws_attach,
    .detach = mqtt_ws_detach,
    .event = mqtt_ws_event,
};

int mg_mqtt_ws_attach(struct mg_mqtt_broker *brk, struct mg_connection *lc) {
  struct mg_layer *l;
  if (brk == NULL || lc == NULL) return -1;
  mg_set_protocol_http_websocket(lc);
  if (mg_layer_find(lc, &mg_plugin_http) == NULL) return -1;
  l = mg_layer_find(lc, &mg_plugin_mqtt_ws);
  if (l == NULL) l = mg_layer_push(lc, &mg_plugin_mqtt_ws);
  if (l == NULL) return -1;
  mqtt_ws_state(l)->brk = brk;
  return 0;
}
