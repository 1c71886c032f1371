/* echo2: echoes what it receives, prefixed "echo2:". */
#include "testing/plugin_abi/common.h"

static void echo2_event(struct mg_connection *nc, struct mg_layer *layer,
                        int ev, void *ev_data) {
  if (ev == MG_EV_RECV && nc->recv_mbuf.len > 0) {
    int n = (int) nc->recv_mbuf.len;
    mg_printf(nc, "echo2:%.*s", n, nc->recv_mbuf.buf);
    mbuf_remove(&nc->recv_mbuf, nc->recv_mbuf.len);
    mg_layer_emit(nc, layer, TEST_EV_ECHOED, &n);
    return;
  }
  mg_layer_emit(nc, layer, ev, ev_data);
}

static int echo2_init(struct mg_mgr *mgr, void *state) {
  test_counters_log("init", "echo2");
  return test_init(mgr, state);
}

const struct mg_plugin mg_plugin_echo2 = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "echo2",
    .deps = NULL,
    .ev_first = TEST_EV_ECHO2_FIRST,
    .ev_last = TEST_EV_ECHO2_LAST,
    .mgr_state_size = sizeof(int),
    .conn_state_size = sizeof(struct test_state),
    .init = echo2_init,
    .free = test_free,
    .attach = test_attach,
    .detach = test_detach,
    .event = echo2_event,
};
