/*
 * The HTTP server that tools/bench http measures: one single-threaded
 * manager serving a directory with mg_serve_http().
 *
 *   http_server PORT ROOT
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mongoose.h"

static struct mg_serve_http_opts s_opts;
static volatile sig_atomic_t s_stop = 0;

static void on_signal(int sig) {
  (void) sig;
  s_stop = 1;
}

static void handler(struct mg_connection *c, int ev, void *ev_data) {
  if (ev == MG_EV_HTTP_REQUEST) {
    mg_serve_http(c, (struct http_message *) ev_data, s_opts);
  }
}

int main(int argc, char **argv) {
  struct mg_mgr mgr;
  struct mg_connection *c;
  char addr[64];
  if (argc != 3) {
    fprintf(stderr, "usage: %s PORT ROOT\n", argv[0]);
    return 2;
  }
  snprintf(addr, sizeof(addr), "tcp://127.0.0.1:%s", argv[1]);
  memset(&s_opts, 0, sizeof(s_opts));
  s_opts.document_root = argv[2];
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  mg_mgr_init(&mgr, NULL);
  c = mg_bind(&mgr, addr, handler);
  if (c == NULL) {
    fprintf(stderr, "cannot bind %s\n", addr);
    return 1;
  }
  mg_set_protocol_http_websocket(c);
  while (!s_stop) mg_mgr_poll(&mgr, 1000);
  mg_mgr_free(&mgr);
  return 0;
}
