/* Callbacks shared by the test plugins (counters.c). */
#ifndef MG_TESTING_PLUGIN_ABI_COMMON_H
#define MG_TESTING_PLUGIN_ABI_COMMON_H

#include "testing/plugin_abi/test_plugins.h"

#ifdef __cplusplus
extern "C" {
#endif

struct test_state {
  char *owned; /* allocated in attach, freed in detach */
};

int test_attach(struct mg_connection *nc, struct mg_layer *layer,
                const struct mg_layer *parent);
void test_detach(struct mg_connection *nc, struct mg_layer *layer);
int test_init(struct mg_mgr *mgr, void *state);
void test_free(struct mg_mgr *mgr, void *state);

#ifdef __cplusplus
}
#endif

#endif
