/* Test-only shim: the example's main.c, unchanged, is compiled a second
 * time with -Dmg_bind=captive_bind so that its handler also answers over
 * TCP on the same port (the example itself binds UDP only). */
#include "mongoose.h"

struct mg_connection *captive_bind(struct mg_mgr *mgr, const char *address,
                                   MG_CB(mg_event_handler_t handler,
                                         void *user_data)) {
  struct mg_connection *tcp;
  char tcp_address[100];
  if (strncmp(address, "udp://", 6) == 0) {
    snprintf(tcp_address, sizeof(tcp_address), "tcp://%s", address + 6);
    tcp = mg_bind(mgr, tcp_address, MG_CB(handler, user_data));
    if (tcp != NULL) mg_set_protocol_dns(tcp);
  }
  return mg_bind(mgr, address, MG_CB(handler, user_data));
}
