/*
 * MQTT over WebSocket fed arbitrary bytes: a client upgrades to the
 * broker's WebSocket listener (subprotocol "mqtt") and sends the input as
 * one masked binary frame, so the bytes reach the MQTT decoder and the
 * broker; nothing may crash, leak or loop.
 */
#include <stdint.h>
#include <string.h>

#include "mongoose.h"

static const char s_upgrade[] =
    "GET /mqtt HTTP/1.1\r\nHost: b\r\nUpgrade: websocket\r\n"
    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n";

static void quiet(struct mg_connection *nc, int ev, void *ev_data) {
  (void) nc;
  (void) ev;
  (void) ev_data;
}

/* Sends data as one binary frame with a zero mask (bytes unchanged). */
static void send_frame(struct mg_connection *c, const uint8_t *data,
                       size_t size) {
  unsigned char h[14] = {0x82};
  size_t n = 2;
  if (size < 126) {
    h[1] = (unsigned char) (0x80 | size);
  } else if (size < 65536) {
    h[1] = 0x80 | 126;
    h[2] = (unsigned char) (size >> 8);
    h[3] = (unsigned char) size;
    n = 4;
  } else {
    return;
  }
  memset(h + n, 0, 4); /* the mask */
  mg_send(c, h, (int) n + 4);
  mg_send(c, data, (int) size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct mg_mgr mgr;
  struct mg_mqtt_broker brk;
  struct mg_connection *lc, *c;
  int i;
  mg_mgr_init(&mgr, NULL);
  mg_mqtt_broker_init(&brk, NULL);
  lc = mg_bind(&mgr, "mem://ws", quiet);
  if (lc != NULL && mg_mqtt_ws_attach(&brk, lc) == 0 &&
      (c = mg_connect(&mgr, "mem://ws", quiet)) != NULL) {
    mg_send(c, s_upgrade, (int) sizeof(s_upgrade) - 1);
    send_frame(c, data, size);
    for (i = 0; i < 12; i++) mg_mgr_poll(&mgr, 0);
  }
  mg_mgr_free(&mgr);
  mg_mqtt_broker_free(&brk);
  return 0;
}
