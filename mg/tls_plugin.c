/* The "tls" plugin (no events) with BoringSSL: its descriptor. The
 * implementation is tls_boringssl.c; builds without TLS use tls_none.c. */
#include "mg/tls_boringssl.h"

#if MG_ENABLE_SSL /* else //mg:tls is tls_none.c; this file is empty */

const struct mg_plugin mg_plugin_tls = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "tls",
    .deps = NULL,
    .ev_first = 0,
    .ev_last = 0,
    .mgr_state_size = sizeof(struct mg__tls_mgr),
    .conn_state_size = 0,
    .init = mg__tls_plugin_init,
    .free = mg__tls_plugin_free,
    .attach = NULL,
    .detach = NULL,
    .event = NULL,
};

#endif /* MG_ENABLE_SSL */
