/*
 * Between the BoringSSL implementation of TLS (tls_boringssl.c) and the
 * "tls" plugin's descriptor (tls_plugin.c). Private to //mg:tls.
 */
#ifndef MG_TLS_BORINGSSL_H
#define MG_TLS_BORINGSSL_H

#include "mg/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

#if MG_ENABLE_SSL

/* The plugin's descriptor (tls_plugin.c). */
extern const struct mg_plugin mg_plugin_tls;

/* A cached client context (tls_boringssl.c). */
struct mg__tls_ctx_entry;

/* Per-manager state of the plugin. */
struct mg__tls_mgr {
  struct mg__tls_ctx_entry *cache; /* most recently made first */
};

/* The plugin's init: sets mgr->tls to the BoringSSL vtable. */
int mg__tls_plugin_init(struct mg_mgr *mgr, void *state);
/* The plugin's free: drops the cached client contexts. */
void mg__tls_plugin_free(struct mg_mgr *mgr, void *state);

#endif /* MG_ENABLE_SSL */

#ifdef __cplusplus
}
#endif

#endif /* MG_TLS_BORINGSSL_H */
