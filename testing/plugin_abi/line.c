/* line: splits the byte stream into lines. */
#include "testing/plugin_abi/common.h"

static void line_event(struct mg_connection *nc, struct mg_layer *layer, int ev,
                       void *ev_data) {
  struct mbuf *io = &nc->recv_mbuf;
  char *nl;
  if (ev != MG_EV_RECV) {
    mg_layer_emit(nc, layer, ev, ev_data);
    return;
  }
  while (!layer->dead && io->len > 0 &&
         (nl = (char *) memchr(io->buf, '\n', io->len)) != NULL) {
    struct mg_str line = mg_mk_str_n(io->buf, (size_t) (nl - io->buf));
    size_t used = line.len + 1;
    mg_layer_emit(nc, layer, TEST_EV_LINE, &line);
    mbuf_remove(io, used);
  }
}

static int line_init(struct mg_mgr *mgr, void *state) {
  test_counters_log("init", "line");
  return test_init(mgr, state);
}

const struct mg_plugin mg_plugin_line = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "line",
    .deps = NULL,
    .ev_first = TEST_EV_LINE_FIRST,
    .ev_last = TEST_EV_LINE_LAST,
    .mgr_state_size = sizeof(int),
    .conn_state_size = sizeof(struct test_state),
    .init = line_init,
    .free = test_free,
    .attach = test_attach,
    .detach = test_detach,
    .event = line_event,
};
