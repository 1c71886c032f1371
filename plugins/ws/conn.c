/*
 * An open WebSocket connection (after the handshake): received frames
 * become events, PINGs get PONGs, the close handshake, and failing the
 * connection when the peer breaks the protocol.
 */
#include "plugins/ws/internal.h"

/* Sends a CLOSE with status (0: none) once. */
static void send_close(struct mg_connection *nc, struct mg__ws_conn *wc,
                       unsigned int status) {
  unsigned char p[2];
  if (wc->close_sent) return;
  p[0] = (unsigned char) (status >> 8);
  p[1] = (unsigned char) status;
  mg_send_websocket_frame(nc, WEBSOCKET_OP_CLOSE, p, status ? 2 : 0);
}

/* The peer broke the protocol: CLOSE with status, then close. */
static void fail_conn(struct mg_connection *nc, struct mg__ws_conn *wc,
                      int status) {
  send_close(nc, wc, (unsigned int) status);
  wc->failed = 1;
  nc->recv_mbuf.len = 0;
  nc->flags |= MG_F_SEND_AND_CLOSE;
}

/* A control frame arrived (payload p[0..n)). */
static void on_control(struct mg_connection *nc, struct mg_layer *l,
                       struct mg__ws_conn *wc, struct websocket_message *wm) {
  int op = wm->flags & 0x0f;
  if (op == WEBSOCKET_OP_PING && !wc->close_sent) {
    mg_send_websocket_frame(nc, WEBSOCKET_OP_PONG, wm->data, wm->size);
  }
  mg_layer_emit(nc, l, MG_EV_WEBSOCKET_CONTROL_FRAME, wm);
  if (op == WEBSOCKET_OP_CLOSE && !l->dead) {
    unsigned int status =
        wm->size >= 2 ? ((unsigned int) wm->data[0] << 8) | wm->data[1] : 0;
    wc->close_received = 1;
    send_close(nc, wc, status); /* echo the status (none if none) */
    nc->flags |= MG_F_SEND_AND_CLOSE;
  }
}

void mg__ws_process(struct mg_connection *nc, struct mg_layer *l) {
  struct mg__ws_conn *wc = (struct mg__ws_conn *) l->state;
  size_t pos = 0;
  int i;
  if (!wc->open || wc->failed || wc->close_received) {
    if (wc->open) nc->recv_mbuf.len = 0; /* nothing more is read */
    return;
  }
  wc->dec.max_size = mg__ws_mgr(nc->mgr)->opts.max_message_size;
  for (i = 0; i < 1000000; i++) {
    struct mg__ws_item it;
    struct websocket_message wm;
    size_t len = nc->recv_mbuf.len - pos;
    if (!wc->dec.in_msg)
      wc->dec.no_defrag = (nc->flags & MG_F_WEBSOCKET_NO_DEFRAG) != 0;
    mg__ws_decode(&wc->dec, (unsigned char *) nc->recv_mbuf.buf + pos, &len,
                  &it);
    nc->recv_mbuf.len = pos + len;
    if (it.kind == MG__WS_MORE) break;
    if (it.kind == MG__WS_FAIL) {
      fail_conn(nc, wc, it.status);
      return;
    }
    wm.data = (unsigned char *) nc->recv_mbuf.buf + pos + it.off;
    wm.size = it.len;
    wm.flags = it.flags;
    if (it.kind == MG__WS_CONTROL) {
      on_control(nc, l, wc, &wm);
    } else {
      mg_layer_emit(nc, l, MG_EV_WEBSOCKET_FRAME, &wm);
    }
    if (l->dead || wc->close_received || (nc->flags & MG_F_CLOSE_IMMEDIATELY)) {
      nc->recv_mbuf.len = 0;
      return;
    }
    pos += it.consumed;
  }
  mbuf_remove(&nc->recv_mbuf, pos);
}

void mg__ws_open(struct mg_connection *nc, struct mg_layer *l) {
  struct mg__ws_conn *wc = (struct mg__ws_conn *) l->state;
  wc->open = 1;
  wc->last_io = mg_mgr_time(nc->mgr);
  wc->dec.expect_masked = nc->listener != NULL;
  nc->flags |= MG_F_IS_WEBSOCKET;
  if (nc->recv_mbuf.len > 0) mg__ws_process(nc, l);
}
