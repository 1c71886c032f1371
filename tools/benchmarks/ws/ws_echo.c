/*
 * WebSocket echo server of tools/benchmarks/ws.sh: ws_echo [ADDR]
 * (default 127.0.0.1:8000). Sends every message back with its type.
 */
#include <signal.h>
#include <stdio.h>

#include "mongoose.h"

static volatile sig_atomic_t s_stop = 0;

static void on_signal(int sig) {
  (void) sig;
  s_stop = 1;
}

static void ev_handler(struct mg_connection *nc, int ev, void *ev_data) {
  if (ev == MG_EV_WEBSOCKET_FRAME) {
    struct websocket_message *wm = (struct websocket_message *) ev_data;
    mg_send_websocket_frame(nc, wm->flags & 0x0f, wm->data, wm->size);
  } else if (ev == MG_EV_HTTP_REQUEST) {
    mg_http_send_error(nc, 404, NULL);
  }
}

int main(int argc, char **argv) {
  struct mg_mgr mgr;
  struct mg_connection *lc;
  const char *addr = argc > 1 ? argv[1] : "127.0.0.1:8000";
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  mg_mgr_init(&mgr, NULL);
  lc = mg_bind(&mgr, addr, ev_handler);
  if (lc == NULL) {
    fprintf(stderr, "cannot listen on %s\n", addr);
    return 1;
  }
  mg_set_protocol_http_websocket(lc);
  while (!s_stop) mg_mgr_poll(&mgr, 100);
  mg_mgr_free(&mgr);
  return 0;
}
