/* https_server ADDR CERT KEY ROOT: serves the files under ROOT over TLS
 * (for tools/bench https). Runs until killed. */
#include "mongoose.h"

static struct mg_serve_http_opts s_opts;

static void handler(struct mg_connection *c, int ev, void *ev_data) {
  if (ev == MG_EV_HTTP_REQUEST) {
    mg_serve_http(c, (struct http_message *) ev_data, s_opts);
  }
}

int main(int argc, char **argv) {
  struct mg_mgr mgr;
  struct mg_bind_opts opts;
  struct mg_connection *c;
  const char *err = NULL;
  if (argc != 5) {
    fprintf(stderr, "usage: %s ADDR CERT KEY ROOT\n", argv[0]);
    return 2;
  }
  mg_mgr_init(&mgr, NULL);
  memset(&opts, 0, sizeof(opts));
  opts.ssl_cert = argv[2];
  opts.ssl_key = argv[3];
  opts.error_string = &err;
  c = mg_bind_opt(&mgr, argv[1], handler, opts);
  if (c == NULL) {
    fprintf(stderr, "cannot listen on %s: %s\n", argv[1], err);
    return 1;
  }
  mg_set_protocol_http_websocket(c);
  memset(&s_opts, 0, sizeof(s_opts));
  s_opts.document_root = argv[4];
  s_opts.enable_directory_listing = "no";
  for (;;) mg_mgr_poll(&mgr, 1000);
  return 0;
}
