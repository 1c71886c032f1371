/* Sets up a TLS listener if the build has TLS; exits 0 either way (the
 * symbol check around it decides what must be linked). */
#include "mongoose.h"

int main(void) {
  struct mg_mgr mgr;
  struct mg_bind_opts opts;
  const char *err = NULL;
  struct mg_connection *c;
  mg_mgr_init(&mgr, NULL);
  memset(&opts, 0, sizeof(opts));
  opts.error_string = &err;
  opts.ssl_cert = "/nonexistent.pem";
  c = mg_bind_opt(&mgr, "127.0.0.1:0", NULL, opts);
  printf("TLS listener: %s\n", c != NULL ? "made" : err);
  mg_mgr_free(&mgr);
  return c == NULL ? 0 : 1;
}
