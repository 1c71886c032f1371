/* Sending frames: headers, masking by clients, CLOSE bookkeeping. */
#include <stdarg.h>

#include "plugins/ws/internal.h"

/* Appends n bytes to nc's send buffer (mg_send() takes an int). */
static void send_bytes(struct mg_connection *nc, const void *p, size_t n) {
  const char *s = (const char *) p;
  while (n > 0) {
    size_t k = n > 0x40000000 ? 0x40000000 : n;
    mg_send(nc, s, (int) k);
    s += k;
    n -= k;
  }
}

/* Notes a CLOSE we send on nc's ws layer: the peer's answer ends it. */
static void note_close(struct mg_connection *nc) {
  struct mg_layer *l = mg_layer_find(nc, &mg_plugin_ws);
  struct mg__ws_conn *wc = l == NULL ? NULL : (struct mg__ws_conn *) l->state;
  if (wc == NULL) return;
  wc->close_sent = 1;
  wc->close_deadline =
      mg_mgr_time(nc->mgr) + mg__ws_mgr(nc->mgr)->opts.close_timeout;
  if (wc->close_received) nc->flags |= MG_F_SEND_AND_CLOSE;
}

void mg_send_websocket_framev(struct mg_connection *nc, int op_and_flags,
                              const struct mg_str *strings, int num_strings) {
  unsigned char hdr[14], mask[4];
  uint64_t total = 0;
  size_t h, start;
  int i, client;
  if (nc == NULL) return;
  for (i = 0; i < num_strings; i++) total += strings[i].len;
  client = nc->listener == NULL;
  if (client) mg__ws_random(nc->mgr, mask, sizeof(mask));
  h = mg__ws_header(hdr, op_and_flags, total, client ? mask : NULL);
  send_bytes(nc, hdr, h);
  start = nc->send_mbuf.len;
  for (i = 0; i < num_strings; i++) {
    if (strings[i].len > 0) send_bytes(nc, strings[i].p, strings[i].len);
  }
  if (client && nc->send_mbuf.len - start == total) {
    mg__ws_mask((unsigned char *) nc->send_mbuf.buf + start, (size_t) total,
                mask);
  }
  if ((op_and_flags & 0x0f) == WEBSOCKET_OP_CLOSE) note_close(nc);
}

void mg_send_websocket_frame(struct mg_connection *nc, int op_and_flags,
                             const void *data, size_t data_len) {
  struct mg_str s;
  s.p = (const char *) data;
  s.len = data != NULL ? data_len : 0;
  mg_send_websocket_framev(nc, op_and_flags, &s, 1);
}

void mg_printf_websocket_frame(struct mg_connection *nc, int op_and_flags,
                               const char *fmt, ...) {
  char mem[256], *buf = mem;
  va_list ap;
  int len;
  va_start(ap, fmt);
  len = mg_avprintf(&buf, sizeof(mem), fmt, ap);
  va_end(ap);
  if (len >= 0) mg_send_websocket_frame(nc, op_and_flags, buf, (size_t) len);
  if (buf != mem) MG_FREE(buf);
}
