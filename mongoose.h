/*
 * The umbrella header: the whole API of the core and of every plugin the
 * program was built with. Each plugin target defines MG_ENABLE_<NAME>=1 for
 * everything that depends on it, so only linked plugins' headers are
 * included here.
 */
#ifndef MONGOOSE_H
#define MONGOOSE_H

#include "mg/core.h"

#if MG_ENABLE_HTTP
#include "plugins/http/http.h"
#endif
#if MG_ENABLE_HTTP_WEBSOCKET
#include "plugins/ws/ws.h"
#endif
#if MG_ENABLE_DNS
#include "plugins/dns/dns.h"
#endif
#if MG_ENABLE_DNS_SERVER
#include "plugins/dns_server/dns_server.h"
#endif
#if MG_ENABLE_ASYNC_RESOLVER
#include "plugins/resolv/resolv.h"
#endif
#if MG_ENABLE_HTTP_SSI
#include "plugins/ssi/ssi.h"
#endif
#if MG_ENABLE_HTTP_CGI
#include "plugins/cgi/cgi.h"
#endif
#if MG_ENABLE_MQTT
#include "plugins/mqtt/mqtt.h"
#endif
#if MG_ENABLE_MQTT_BROKER
#include "plugins/mqtt_broker/mqtt_broker.h"
#endif
#if MG_ENABLE_MQTT_WS
#include "plugins/mqtt_ws/mqtt_ws.h"
#endif

#endif /* MONGOOSE_H */
