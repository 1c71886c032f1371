/*
 * The mqtt plugin's extension header: what the plugins standing on mqtt
 * (mqtt_broker, mqtt_ws) call beyond the public mqtt.h. Visible to plugins
 * only (//plugins/mqtt:mqtt_ext); programs use mqtt.h. Everything else of
 * the package stays in internal.h.
 */
#ifndef MG_PLUGINS_MQTT_MQTT_EXT_H
#define MG_PLUGINS_MQTT_MQTT_EXT_H

#include "mg/plugin.h"
#include "plugins/mqtt/mqtt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The mqtt plugin (the mqtt layer, MG_EV_MQTT_*): name it in deps. */
extern const struct mg_plugin mg_plugin_mqtt;

/* Called before each outgoing packet with its whole length (fixed header
 * included), so that a layer below carrying MQTT in frames of its own
 * (mqtt_ws: WebSocket) writes the frame's header first. */
typedef void (*mg__mqtt_framer_t)(struct mg_connection *nc, size_t packet_len);

/* Gives nc's MQTT layer a framer (NULL: none). Returns 0, or -1 if nc has
 * no MQTT layer. */
int mg__mqtt_set_framer(struct mg_connection *nc, mg__mqtt_framer_t framer);

/* Decodes and emits every complete packet at the start of io and removes
 * them; closes nc on a malformed or oversized packet. io is the bytes a
 * framing layer below (mqtt_ws) unwrapped; nothing happens if nc has no
 * MQTT layer. */
void mg__mqtt_input(struct mg_connection *nc, struct mbuf *io);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_MQTT_MQTT_EXT_H */
