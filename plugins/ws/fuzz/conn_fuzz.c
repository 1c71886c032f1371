/*
 * Fuzzes a whole WebSocket connection over mem://: after the handshake the
 * input arrives in pieces, either at our server (from a raw client) or at
 * our client (from a raw server that answered the handshake). The first
 * byte picks the side, MG_F_WEBSOCKET_NO_DEFRAG and a small size limit.
 * The handlers answer messages, so sends, PONGs, echoed CLOSEs and
 * failures all run. Invariant: no crash, no leak, the manager frees.
 */
#include <stdlib.h>

#include "plugins/ws/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *s_data;
static size_t s_size;
static int s_flags;

/* Our side: echoes data messages, answers to control frames as it likes. */
static void ours(struct mg_connection *nc, int ev, void *ev_data) {
  struct websocket_message *wm = (struct websocket_message *) ev_data;
  if (ev == MG_EV_WEBSOCKET_HANDSHAKE_DONE && (s_flags & 2)) {
    nc->flags |= MG_F_WEBSOCKET_NO_DEFRAG;
  } else if (ev == MG_EV_WEBSOCKET_FRAME) {
    mg_send_websocket_frame(nc, wm->flags & 0x0f, wm->data, wm->size);
  } else if (ev == MG_EV_WEBSOCKET_CONTROL_FRAME && wm->size > 100) {
    mg_send_websocket_frame(nc, WEBSOCKET_OP_CLOSE, "\x03\xe8", 2);
  }
}

/* The key of a complete request head in req, or an empty slice. */
static struct mg_str find_key(struct mg_str req) {
  const char *p = mg_strstr(req, mg_mk_str("Sec-WebSocket-Key: "));
  if (p == NULL || mg_strstr(req, mg_mk_str("\r\n\r\n")) == NULL ||
      (size_t) (req.p + req.len - p) < 19 + 24) {
    return mg_mk_str_n("", 0);
  }
  return mg_mk_str_n(p + 19, 24);
}

/* The raw peer: answers our client's handshake (raw server); drops what
 * it receives. */
static void peer(struct mg_connection *nc, int ev, void *ev_data) {
  (void) ev_data;
  if (ev != MG_EV_RECV) return;
  if (nc->listener != NULL && nc->user_data == NULL) {
    /* Raw server: answer our client's handshake, then the input. */
    struct mg_str k =
        find_key(mg_mk_str_n(nc->recv_mbuf.buf, nc->recv_mbuf.len));
    char accept[29];
    if (k.len != 24) return; /* the request is not all there yet */
    mg__ws_accept_key(k, accept);
    mg_printf(nc,
              "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
              "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
              accept);
    nc->user_data = (void *) 1;
  }
  mbuf_remove(&nc->recv_mbuf, nc->recv_mbuf.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct mg_mgr mgr;
  struct mg_connection *c;
  struct mg_ws_opts o;
  size_t off = 0, step;
  int i, client_side;
  if (size < 1 || size > (1 << 18)) return 0;
  s_flags = data[0];
  s_data = data + 1;
  s_size = size - 1;
  client_side = s_flags & 1;
  step = (size_t) (s_flags >> 4) * 64 + 1;
  mg_mgr_init(&mgr, NULL);
  memset(&o, 0, sizeof(o));
  o.max_message_size = (s_flags & 4) ? 100 : 1 << 20;
  mg_ws_set_options(&mgr, &o);
  if (client_side) {
    mg_bind(&mgr, "mem://raw", peer);
    c = mg_connect_ws(&mgr, ours, "mem://raw/x", NULL, NULL);
  } else {
    struct mg_connection *lc = mg_bind(&mgr, "mem://srv", ours);
    if (lc != NULL) mg_set_protocol_http_websocket(lc);
    c = mg_connect(&mgr, "mem://srv", peer);
    if (c != NULL) {
      mg_printf(
          c, "%s",
          "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n\r\n");
    }
  }
  for (i = 0; i < 10; i++) mg_mgr_poll(&mgr, 0);
  /* Feed the input from the raw side, a piece per poll. */
  for (i = 0; i < 10000 && off < s_size; i++) {
    struct mg_connection *r;
    size_t n = s_size - off < step ? s_size - off : step;
    for (r = mg_next(&mgr, NULL); r != NULL; r = mg_next(&mgr, r)) {
      if (r->handler == peer && !(r->flags & MG_F_LISTENING)) {
        mg_send(r, s_data + off, (int) n);
      }
    }
    off += n;
    mg_mgr_poll(&mgr, 0);
  }
  for (i = 0; i < 10; i++) mg_mgr_poll(&mgr, 0);
  (void) c;
  mg_mgr_free(&mgr);
  return 0;
}
