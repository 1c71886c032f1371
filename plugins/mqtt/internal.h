/* Private to the mqtt package (its files and tests). What the plugins
 * standing on mqtt may call is in mqtt_ext.h. */
#ifndef MG_PLUGINS_MQTT_INTERNAL_H
#define MG_PLUGINS_MQTT_INTERNAL_H

#include "plugins/mqtt/mqtt_ext.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- conn.c: the connection's state and input --- */

/* Per-connection state of the MQTT layer; nc->proto_data points to pd. */
struct mg__mqtt_conn {
  struct mg_mqtt_proto_data pd; /* keep-alive bookkeeping */
  mg__mqtt_framer_t framer;     /* see mg__mqtt_set_framer(); NULL: none */
};

/* The state of an MQTT layer. */
struct mg__mqtt_conn *mg__mqtt_conn_of(struct mg_layer *layer);

/* The keep-alive data of nc's MQTT layer, or NULL if it has none. */
struct mg_mqtt_proto_data *mg__mqtt_proto_data(struct mg_connection *nc);

/* Notes that a control packet was sent (keep-alive). */
void mg__mqtt_sent(struct mg_connection *nc);

/* Calls nc's framer, if any, for a packet of packet_len bytes about to be
 * sent (mg__mqtt_send_header does). */
void mg__mqtt_frame(struct mg_connection *nc, size_t packet_len);

/* Decodes every complete packet at the start of io and emits it above
 * layer; removes them; closes nc on a malformed or oversized packet. */
void mg__mqtt_layer_input(struct mg_connection *nc, struct mg_layer *layer,
                          struct mbuf *io);

/* --- encode.c: writing packets into the send buffer --- */

/* Appends a fixed header: first byte and the Remaining Length (after the
 * framer's header, if the connection has a framer). Every packet starts
 * with it, and exactly `remaining` bytes must follow. */
void mg__mqtt_send_header(struct mg_connection *nc, uint8_t first,
                          size_t remaining);

/* Appends a big-endian 16-bit value. */
void mg__mqtt_send_u16(struct mg_connection *nc, uint16_t v);

/* Appends a length-prefixed string. */
void mg__mqtt_send_str(struct mg_connection *nc, struct mg_str s);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_MQTT_INTERNAL_H */
