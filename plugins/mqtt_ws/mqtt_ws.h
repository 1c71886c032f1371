/*
 * MQTT over WebSocket (MQTT 3.1.1 section 6): a broker accepts MQTT
 * clients on an HTTP listener whose upgrade requests offer the WebSocket
 * subprotocol "mqtt" (or "mqttv3.1", which older clients send). Browsers
 * and MQTT.js (ws://host:port/mqtt) connect this way.
 *
 * The plugin is a small adapter between two others: after the upgrade the
 * connection's layers are ws -> mqtt_ws -> mqtt -> mqtt_broker -> handler.
 * The payloads of binary messages are the MQTT byte stream (a packet may be
 * split across messages and a message may hold several packets); they are
 * decoded by the same mqtt and broker layers as on a TCP connection, and
 * every packet the broker sends goes out as one binary frame. A text
 * message closes the connection (status 1003), as the standard requires.
 *
 *   struct mg_mqtt_broker brk;
 *   mg_mqtt_broker_init(&brk, NULL);
 *   mg_mqtt_broker_attach(&brk, mg_bind(&mgr, "1883", handler));    TCP
 *   mg_mqtt_ws_attach(&brk, mg_bind(&mgr, "8080", http_handler));   WS
 *
 * One broker may serve both listeners: their clients share sessions,
 * subscriptions and retained messages. The WebSocket listener stays an
 * HTTP server: its handler gets plain HTTP requests, upgrades that do not
 * offer "mqtt" (ordinary WebSocket connections) and, before the broker
 * takes a connection, MG_EV_WEBSOCKET_HANDSHAKE_REQUEST, where it may
 * refuse the upgrade (set MG_F_SEND_AND_CLOSE, or answer with a status)
 * e.g. for a path other than "/mqtt", or keep the connection for itself by
 * picking another subprotocol (mg_ws_set_protocol). An MQTT connection's
 * handler then gets the broker's events as on TCP (MG_EV_MQTT_*,
 * MG_EV_MQTT_BROKER_AUTH/ACL, MG_EV_POLL, MG_EV_CLOSE), the WebSocket
 * control frames, but no MG_EV_RECV or MG_EV_WEBSOCKET_FRAME: the bytes
 * belong to the layers. A path with a mg_register_http_endpoint() handler
 * is that handler's: the broker does not take its upgrades.
 *
 * Free order as for the broker: mg_mgr_free(), then mg_mqtt_broker_free().
 */
#ifndef MG_PLUGINS_MQTT_WS_MQTT_WS_H
#define MG_PLUGINS_MQTT_WS_MQTT_WS_H

#include "plugins/mqtt_broker/mqtt_broker.h"
#include "plugins/ws/ws.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Runs brk over WebSocket on the listening connection lc: puts the HTTP
 * layer (mg_set_protocol_http_websocket) and the mqtt_ws layer on it,
 * which accepted connections inherit. Each upgrade that offers the
 * subprotocol "mqtt" is answered with "Sec-WebSocket-Protocol: mqtt"
 * ("mqttv3.1" likewise) and the connection then belongs to brk. Returns 0,
 * or -1 if a layer could not be attached. */
int mg_mqtt_ws_attach(struct mg_mqtt_broker *brk, struct mg_connection *lc);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_MQTT_WS_MQTT_WS_H */
