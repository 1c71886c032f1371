/*
 * The ws plugin's extension header: what the plugins standing on ws
 * (mqtt_ws) call beyond the public ws.h. Visible to plugins only
 * (//plugins/ws:ws_ext); programs use ws.h. Everything else of the package
 * stays in internal.h.
 */
#ifndef MG_PLUGINS_WS_WS_EXT_H
#define MG_PLUGINS_WS_WS_EXT_H

#include "mg/plugin.h"
#include "plugins/ws/ws.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The ws plugin (the ws layer, MG_EV_WEBSOCKET_*): name it in deps. */
extern const struct mg_plugin mg_plugin_ws;

/* Writes a frame header for op_and_flags and len into out (14 bytes);
 * masked with mask when mask is not NULL. Returns its length. A server's
 * frames are not masked: the header followed by len payload bytes sent as
 * they are is a frame. */
size_t mg__ws_header(unsigned char *out, int op_and_flags, uint64_t len,
                     const unsigned char *mask);

/* The subprotocol the 101 to nc will name ("" for none), as set so far
 * with mg_ws_set_protocol(). Valid while nc's
 * MG_EV_WEBSOCKET_HANDSHAKE_REQUEST is being handled, so a layer that
 * passed the event up reads the handler's choice once mg_layer_emit()
 * returns. NULL when nc is not being upgraded. */
const char *mg__ws_upgrade_protocol(struct mg_connection *nc);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_WS_WS_EXT_H */
