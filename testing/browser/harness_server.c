/*
 * Serves the browser harness with the library's own HTTP server:
 *   harness_server DOCROOT [ADDRESS]
 * DOCROOT is a folder staged by stage.sh (the page, suites.json and
 * suites/NAME.js). ADDRESS defaults to tcp://127.0.0.1:0; the URL is printed
 * on the first line of stdout. Runs until SIGTERM or SIGINT.
 */
#include <signal.h>

#include "mongoose.h"

static volatile sig_atomic_t s_stop = 0;
static struct mg_serve_http_opts s_opts;

static void on_signal(int sig) {
  (void) sig;
  s_stop = 1;
}

static void ev_handler(struct mg_connection *nc, int ev, void *ev_data) {
  if (ev == MG_EV_HTTP_REQUEST) {
    mg_serve_http(nc, (struct http_message *) ev_data, s_opts);
  }
}

int main(int argc, char **argv) {
  struct mg_mgr mgr;
  struct mg_connection *lc;
  char addr[64];
  if (argc < 2) {
    fprintf(stderr, "usage: %s DOCROOT [ADDRESS]\n", argv[0]);
    return 2;
  }
  memset(&s_opts, 0, sizeof(s_opts));
  s_opts.document_root = argv[1];
  s_opts.index_files = "index.html";
  s_opts.extra_headers = "Cache-Control: no-store";
  s_opts.custom_mime_types = ".js=text/javascript,.json=application/json";
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  mg_mgr_init(&mgr, NULL);
  lc = mg_bind(&mgr, argc > 2 ? argv[2] : "tcp://127.0.0.1:0", ev_handler);
  if (lc == NULL) {
    fprintf(stderr, "harness_server: cannot listen on %s\n",
            argc > 2 ? argv[2] : "tcp://127.0.0.1:0");
    return 1;
  }
  mg_set_protocol_http_websocket(lc);
  mg_conn_addr_to_str(lc, addr, sizeof(addr),
                      MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT);
  printf("http://%s/\n", addr);
  fflush(stdout);
  while (!s_stop) mg_mgr_poll(&mgr, 200);
  mg_mgr_free(&mgr);
  return 0;
}
