/* frame: stands on line; a "LEN:DATA" line is one frame. */
#include "testing/plugin_abi/common.h"

static const struct mg_plugin *const frame_deps[] = {&mg_plugin_line, NULL};

/* Parses "LEN:DATA"; returns 0 and the payload if LEN matches. */
static int parse_frame(const struct mg_str *line, struct mg_str *payload) {
  size_t i = 0, len = 0;
  for (; i < line->len && line->p[i] >= '0' && line->p[i] <= '9' && i < 6;
       i++) {
    len = len * 10 + (size_t) (line->p[i] - '0');
  }
  if (i == 0 || i >= line->len || line->p[i] != ':') return -1;
  *payload = mg_mk_str_n(line->p + i + 1, line->len - i - 1);
  return payload->len == len ? 0 : -1;
}

static void frame_event(struct mg_connection *nc, struct mg_layer *layer,
                        int ev, void *ev_data) {
  struct mg_str payload;
  if (ev != TEST_EV_LINE) {
    mg_layer_emit(nc, layer, ev, ev_data);
  } else if (parse_frame((struct mg_str *) ev_data, &payload) == 0) {
    mg_layer_emit(nc, layer, TEST_EV_FRAME, &payload);
  } else {
    mg_layer_emit(nc, layer, TEST_EV_FRAME_ERROR, NULL);
    nc->flags |= MG_F_CLOSE_IMMEDIATELY;
  }
}

static int frame_init(struct mg_mgr *mgr, void *state) {
  test_counters_log("init", "frame");
  return test_init(mgr, state);
}

const struct mg_plugin mg_plugin_frame = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "frame",
    .deps = frame_deps,
    .ev_first = TEST_EV_FRAME_FIRST,
    .ev_last = TEST_EV_FRAME_LAST,
    .mgr_state_size = sizeof(int),
    .conn_state_size = sizeof(struct test_state),
    .init = frame_init,
    .free = test_free,
    .attach = test_attach,
    .detach = test_detach,
    .event = frame_event,
};

int test_set_protocol_frame(struct mg_connection *nc) {
  if (mg_layer_push(nc, &mg_plugin_line) == NULL) return -1;
  return mg_layer_push(nc, &mg_plugin_frame) == NULL ? -1 : 0;
}
