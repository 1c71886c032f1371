/*
 * The mqtt_broker plugin's extension header: what the plugins standing on
 * the broker (mqtt_ws) use beyond the public mqtt_broker.h. Visible to
 * plugins only (//plugins/mqtt_broker:mqtt_broker_ext); programs use
 * mqtt_broker.h. Everything else of the package stays in internal.h.
 */
#ifndef MG_PLUGINS_MQTT_BROKER_MQTT_BROKER_EXT_H
#define MG_PLUGINS_MQTT_BROKER_MQTT_BROKER_EXT_H

#include "mg/plugin.h"
#include "plugins/mqtt_broker/mqtt_broker.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The mqtt_broker plugin (the broker layer, MG_EV_MQTT_BROKER_*): name it
 * in deps, find its layer with mg_layer_find(). */
extern const struct mg_plugin mg_plugin_mqtt_broker;

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_MQTT_BROKER_MQTT_BROKER_EXT_H */
