/* Private to the mqtt package (and the broker, which stands on it). */
#ifndef MG_PLUGINS_MQTT_INTERNAL_H
#define MG_PLUGINS_MQTT_INTERNAL_H

#include "mg/plugin.h"
#include "plugins/mqtt/mqtt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called before each outgoing packet with its whole length (fixed header
 * included), so that a layer below carrying MQTT in frames of its own
 * (mqtt_ws: WebSocket) writes the frame's header first. */
typedef void (*mg__mqtt_framer_t)(struct mg_connection *nc, size_t packet_len);

/* Per-connection state of the MQTT layer; nc->proto_data points to pd. */
struct mg__mqtt_conn {
  struct mg_mqtt_proto_data pd; /* keep-alive bookkeeping */
  mg__mqtt_framer_t framer;     /* see mg__mqtt_set_framer(); NULL: none */
};

/* Appends a fixed header: first byte and the Remaining Length (after the
 * framer's header, if the connection has a framer). Every packet starts
 * with it, and exactly `remaining` bytes must follow. */
void mg__mqtt_send_header(struct mg_connection *nc, uint8_t first,
                          size_t remaining);

/* Appends a big-endian 16-bit value. */
void mg__mqtt_send_u16(struct mg_connection *nc, uint16_t v);

/* Appends a length-prefixed string. */
void mg__mqtt_send_str(struct mg_connection *nc, struct mg_str s);

/* Notes that a control packet was sent (keep-alive). */
void mg__mqtt_sent(struct mg_connection *nc);

/* The keep-alive data of nc's MQTT layer, or NULL if it has none. */
struct mg_mqtt_proto_data *mg__mqtt_proto_data(struct mg_connection *nc);

/* Gives nc's MQTT layer a framer (NULL: none). Returns 0, or -1 if nc has
 * no MQTT layer. */
int mg__mqtt_set_framer(struct mg_connection *nc, mg__mqtt_framer_t framer);

/* Calls nc's framer, if any, for a packet of packet_len bytes about to be
 * sent (mg__mqtt_send_header does). */
void mg__mqtt_frame(struct mg_connection *nc, size_t packet_len);

/* Decodes and emits every complete packet at the start of io and removes
 * them; closes nc on a malformed or oversized packet. io is nc's receive
 * buffer, or the bytes a framing layer below (mqtt_ws) unwrapped. */
void mg__mqtt_input(struct mg_connection *nc, struct mbuf *io);

extern const struct mg_plugin mg_plugin_mqtt;

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_MQTT_INTERNAL_H */
