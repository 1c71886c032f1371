/* The "tls" plugin of builds without TLS (--define=mg_ssl=off, wasm32):
 * registers under the same name and leaves mgr->tls NULL, so TLS options
 * fail with "TLS is not available in this build". */
#include "mg/plugin.h"

const struct mg_plugin mg_plugin_tls = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "tls",
    .deps = NULL,
    .ev_first = 0,
    .ev_last = 0,
    .mgr_state_size = 0,
    .conn_state_size = 0,
    .init = NULL,
    .free = NULL,
    .attach = NULL,
    .detach = NULL,
    .event = NULL,
};
