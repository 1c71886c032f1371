/*
 * libFuzzer target: arbitrary bytes from a client into the broker, over the
 * in-memory interface, with a persistent subscriber to "#" at QoS 2 that
 * acknowledges nothing, goes away and comes back. Looks for crashes, leaks
 * and hangs in the broker's session logic rather than in the decoder.
 *
 * Input: byte 0 is the chunk size (1-256) the rest is sent in, one chunk
 * per poll; byte 1 bit 0 closes the client abruptly at the end, bit 1 makes
 * a second client take its client id over.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "plugins/mqtt_broker/mqtt_broker.h"

static void broker_handler(struct mg_connection *nc, int ev, void *ev_data) {
  mg_mqtt_broker(nc, ev, ev_data);
}

/* Forgets a closed connection: user_data points to the caller's pointer. */
static void forget_on_close(struct mg_connection *nc, int ev) {
  struct mg_connection **where = (struct mg_connection **) nc->user_data;
  if (ev == MG_EV_CLOSE && where != NULL && *where == nc) *where = NULL;
}

static void client_handler(struct mg_connection *nc, int ev, void *ev_data) {
  (void) ev_data;
  forget_on_close(nc, ev);
}

/* The subscriber: on CONNACK it subscribes; it acknowledges nothing. */
static void sub_handler(struct mg_connection *nc, int ev, void *ev_data) {
  (void) ev_data;
  forget_on_close(nc, ev);
  if (ev == MG_EV_MQTT_CONNACK) {
    struct mg_mqtt_topic_expression te = {"#", 2};
    mg_mqtt_subscribe(nc, &te, 1, 1);
  }
}

/* Connects a subscriber; *where tracks it until it closes. */
static void subscriber(struct mg_mgr *mgr, const char *id,
                       struct mg_connection **where) {
  struct mg_connect_opts co;
  struct mg_connection *c;
  struct mg_send_mqtt_handshake_opts o;
  memset(&co, 0, sizeof(co));
  co.user_data = where;
  c = mg_connect_opt(mgr, "mem://fuzz", sub_handler, co);
  if (where != NULL) *where = c;
  if (c == NULL) return;
  mg_set_protocol_mqtt(c);
  memset(&o, 0, sizeof(o));
  mg_send_mqtt_handshake_opt(c, id, o); /* clean session 0 */
}

static void poll_n(struct mg_mgr *mgr, int n) {
  int i;
  for (i = 0; i < n; i++) mg_mgr_poll(mgr, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct mg_mgr mgr;
  struct mg_mqtt_broker brk;
  struct mg_connection *lc, *a = NULL, *sub = NULL, *other = NULL, *back = NULL;
  struct mg_connect_opts co;
  size_t chunk, off;
  int i;
  if (size < 2) return 0;
  chunk = (size_t) data[0] + 1;
  mg_mgr_init(&mgr, NULL);
  mg_mqtt_broker_init(&brk, NULL);
  brk.max_inflight = 2;
  brk.max_queued = 4;
  lc = mg_bind(&mgr, "mem://fuzz", broker_handler);
  if (lc == NULL) goto done;
  lc->priv_2 = &brk;
  mg_set_protocol_mqtt(lc);
  subscriber(&mgr, "fuzz-sub", &sub);
  poll_n(&mgr, 4);
  memset(&co, 0, sizeof(co));
  co.user_data = &a;
  a = mg_connect_opt(&mgr, "mem://fuzz", client_handler, co);
  for (off = 2, i = 0; a != NULL && off < size && i < 4096; i++) {
    size_t n = size - off < chunk ? size - off : chunk;
    mg_send(a, data + off, (int) n);
    off += n;
    poll_n(&mgr, 1);
  }
  poll_n(&mgr, 4);
  if (sub != NULL) sub->flags |= MG_F_CLOSE_IMMEDIATELY; /* away */
  if (data[1] & 2) subscriber(&mgr, "fuzz-sub2", &other);
  poll_n(&mgr, 4);
  if ((data[1] & 1) && a != NULL) a->flags |= MG_F_CLOSE_IMMEDIATELY;
  subscriber(&mgr, "fuzz-sub", &back); /* comes back: resume, DUP re-sends */
  poll_n(&mgr, 6);
done:
  mg_mgr_free(&mgr);
  mg_mqtt_broker_free(&brk);
  return 0;
}
