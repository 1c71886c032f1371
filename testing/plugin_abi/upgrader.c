/* upgrader: an "UPGRADE\n" line switches this layer to echo2 (the shape of
 * an HTTP -> WebSocket upgrade). */
#include "testing/plugin_abi/common.h"

static void upgrader_event(struct mg_connection *nc, struct mg_layer *layer,
                           int ev, void *ev_data) {
  struct mbuf *io = &nc->recv_mbuf;
  struct mg_layer *next;
  if (ev != MG_EV_RECV || io->len < 8 || memcmp(io->buf, "UPGRADE\n", 8) != 0) {
    mg_layer_emit(nc, layer, ev, ev_data);
    return;
  }
  mbuf_remove(io, 8);
  next = mg_layer_switch(nc, layer, &mg_plugin_echo2);
  /* layer is detached but still readable until this event returns. */
  mg_layer_emit(nc, layer, TEST_EV_UPGRADED, NULL);
  if (next != NULL && io->len > 0) {
    int n = (int) io->len;
    next->plugin->event(nc, next, MG_EV_RECV, &n);
  }
}

static int upgrader_init(struct mg_mgr *mgr, void *state) {
  test_counters_log("init", "upgrader");
  return test_init(mgr, state);
}

const struct mg_plugin mg_plugin_upgrader = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "upgrader",
    .deps = NULL,
    .ev_first = TEST_EV_UPGRADER_FIRST,
    .ev_last = TEST_EV_UPGRADER_LAST,
    .mgr_state_size = sizeof(int),
    .conn_state_size = sizeof(struct test_state),
    .init = upgrader_init,
    .free = test_free,
    .attach = test_attach,
    .detach = test_detach,
    .event = upgrader_event,
};
