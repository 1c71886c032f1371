/* Shared bookkeeping of the test plugins. */
#include "testing/plugin_abi/common.h"

struct test_plugin_counters test_counters;

void test_counters_reset(void) {
  memset(&test_counters, 0, sizeof(test_counters));
}

void test_counters_log(const char *what, const char *name) {
  size_t len = strlen(test_counters.log);
  snprintf(test_counters.log + len, sizeof(test_counters.log) - len, "%s:%s;",
           what, name);
}

int test_attach(struct mg_connection *nc, struct mg_layer *layer,
                const struct mg_layer *parent) {
  struct test_state *st = (struct test_state *) layer->state;
  (void) nc;
  st->owned = (char *) malloc(32);
  if (st->owned == NULL) return -1;
  test_counters.attaches++;
  if (parent != NULL) test_counters.inherited++;
  test_counters_log("attach", layer->plugin->name);
  return 0;
}

void test_detach(struct mg_connection *nc, struct mg_layer *layer) {
  struct test_state *st = (struct test_state *) layer->state;
  (void) nc;
  free(st->owned);
  st->owned = NULL;
  test_counters.detaches++;
  test_counters_log("detach", layer->plugin->name);
}

int test_init(struct mg_mgr *mgr, void *state) {
  (void) mgr;
  *(int *) state = 42;
  test_counters.inits++;
  return 0;
}

void test_free(struct mg_mgr *mgr, void *state) {
  (void) mgr;
  if (*(int *) state == 42) test_counters.frees++;
}
