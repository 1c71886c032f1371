/*
 * The reference's MQTT broker usage: a listener on 127.0.0.1:1883 whose
 * handler passes every event to mg_mqtt_broker(). An optional argument
 * replaces the address (e.g. "127.0.0.1:0" or "tcp://127.0.0.1:18830").
 * Stops on SIGINT/SIGTERM.
 */
#include <signal.h>

#include "mongoose.h"

static const char *s_listening_address = "127.0.0.1:1883";
static volatile sig_atomic_t s_signo;

static void on_signal(int signo) {
  s_signo = signo;
}

static void ev_handler(struct mg_connection *c, int ev, void *data) {
  /* Do your custom event processing here, then hand it to the broker. */
  mg_mqtt_broker(c, ev, data);
}

int main(int argc, char **argv) {
  struct mg_mgr mgr;
  struct mg_connection *c;
  struct mg_mqtt_broker brk;

  if (argc > 1) s_listening_address = argv[1];
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);

  mg_mgr_init(&mgr, NULL);
  if ((c = mg_bind(&mgr, s_listening_address, ev_handler)) == NULL) {
    fprintf(stderr, "mg_bind(%s) failed\n", s_listening_address);
    return EXIT_FAILURE;
  }
  mg_mqtt_broker_init(&brk, NULL);
  c->priv_2 = &brk;
  mg_set_protocol_mqtt(c);

  printf("MQTT broker started on %s\n", s_listening_address);
  fflush(stdout);

  while (s_signo == 0) {
    mg_mgr_poll(&mgr, 1000);
  }
  mg_mgr_free(&mgr);
  mg_mqtt_broker_free(&brk);
  return EXIT_SUCCESS;
}
