/* The dns_server plugin: its descriptor. */
#include "plugins/dns_server/internal.h"

static const struct mg_plugin *const dns_server_deps[] = {&mg_plugin_dns, NULL};

/* Nothing per manager or per connection: the descriptor reserves the event
 * range and makes the dependency on dns explicit. */
const struct mg_plugin mg_plugin_dns_server = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "dns_server",
    .deps = dns_server_deps,
    .ev_first = MG_EV_DNS_SERVER_FIRST,
    .ev_last = MG_EV_DNS_SERVER_LAST,
    .mgr_state_size = 0,
    .conn_state_size = 0,
    .init = NULL,
    .free = NULL,
    .attach = NULL,
    .detach = NULL,
    .event = NULL,
};
