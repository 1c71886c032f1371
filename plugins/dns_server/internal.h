/* Private to the dns_server package. */
#ifndef MG_PLUGINS_DNS_SERVER_INTERNAL_H
#define MG_PLUGINS_DNS_SERVER_INTERNAL_H

#include "plugins/dns/dns_ext.h"
#include "plugins/dns_server/dns_server.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The dns_server plugin (plugin.c); no plugin stands on it. */
extern const struct mg_plugin mg_plugin_dns_server;

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_DNS_SERVER_INTERNAL_H */
