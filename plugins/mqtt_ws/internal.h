/* Private to the mqtt_ws package: the lower plugins' extension headers it
 * stands on, and its descriptor. */
#ifndef MG_PLUGINS_MQTT_WS_INTERNAL_H
#define MG_PLUGINS_MQTT_WS_INTERNAL_H

#include "plugins/http/http_ext.h"
#include "plugins/mqtt/mqtt_ext.h"
#include "plugins/mqtt_broker/mqtt_broker_ext.h"
#include "plugins/mqtt_ws/mqtt_ws.h"
#include "plugins/ws/ws_ext.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The mqtt_ws plugin (plugin.c); no plugin stands on it. */
extern const struct mg_plugin mg_plugin_mqtt_ws;

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_MQTT_WS_INTERNAL_H */
