/* DNS messages on a connection: datagrams (UDP) or length-prefixed frames
 * (TCP, RFC 1035 4.2.2) in, MG_DNS_MESSAGE events out; queries out. */
#include "plugins/dns/internal.h"

/* Answers a malformed query (server side only, never a response, so two
 * peers cannot bounce errors) with FORMERR and the query's id. */
static void send_formerr(struct mg_connection *nc, const unsigned char *pkt,
                         size_t len) {
  unsigned char out[2 + MG__DNS_HEADER_SIZE], *h = out + 2;
  unsigned int flags;
  if (nc->listener == NULL || len < 3 || (pkt[2] & 0x80) != 0) return;
  memset(out, 0, sizeof(out));
  /* Opcode and RD come back as they were (RFC 1035 4.1.1). */
  flags = MG_DNS_FLAG_QR | ((unsigned int) (pkt[2] & 0x79) << 8) |
          MG_DNS_RCODE_FORMERR;
  h[0] = pkt[0];
  h[1] = pkt[1];
  h[2] = (unsigned char) (flags >> 8);
  h[3] = (unsigned char) flags;
  if (nc->flags & MG_F_UDP) {
    mg_send(nc, h, MG__DNS_HEADER_SIZE);
  } else {
    out[1] = MG__DNS_HEADER_SIZE;
    mg_send(nc, out, (int) sizeof(out));
  }
}

/* Parses one message and passes it up. */
static void deliver(struct mg_connection *nc, struct mg_layer *layer,
                    const char *pkt, size_t len) {
  struct mg_dns_message msg;
  if (mg_parse_dns(pkt, (int) len, &msg) == 0) {
    mg_layer_emit(nc, layer, MG_DNS_MESSAGE, &msg);
  } else {
    send_formerr(nc, (const unsigned char *) pkt, len);
  }
}

/* Drops n bytes from the front of recv_mbuf (fewer if a handler took some). */
static void drop_received(struct mg_connection *nc, size_t n) {
  mbuf_remove(&nc->recv_mbuf, n < nc->recv_mbuf.len ? n : nc->recv_mbuf.len);
}

/* UDP: recv_mbuf holds one datagram. What the handler queued answers it
 * and leaves now, as a datagram of its own: the core may deliver the next
 * datagram of this peer before it flushes, which would glue the replies. */
static void handle_datagram(struct mg_connection *nc, struct mg_layer *layer) {
  size_t n = nc->recv_mbuf.len;
  if (n > 0) deliver(nc, layer, nc->recv_mbuf.buf, n);
  drop_received(nc, n);
  if (mg_if_wants_write(nc)) mg_if_can_send_cb(nc);
}

/* TCP: every complete two-byte-length-prefixed frame in recv_mbuf. A frame
 * announced longer than the data waits for the rest. */
static void handle_stream(struct mg_connection *nc, struct mg_layer *layer) {
  while (nc->recv_mbuf.len >= 2 && !(nc->flags & MG_F_CLOSE_IMMEDIATELY)) {
    size_t n = mg__dns_get16((const unsigned char *) nc->recv_mbuf.buf);
    if (n == 0) { /* nothing to answer, no way to resynchronise */
      nc->flags |= MG_F_CLOSE_IMMEDIATELY;
      break;
    }
    if (nc->recv_mbuf.len < 2 + n) break;
    deliver(nc, layer, nc->recv_mbuf.buf + 2, n);
    drop_received(nc, 2 + n);
  }
}

void mg__dns_conn_recv(struct mg_connection *nc, struct mg_layer *layer) {
  if (nc->flags & MG_F_UDP) {
    handle_datagram(nc, layer);
  } else {
    handle_stream(nc, layer);
  }
}

void mg_send_dns_query(struct mg_connection *nc, const char *name,
                       int query_type) {
  struct mbuf io;
  if (nc == NULL) return;
  mbuf_init(&io, 64);
  if (!(nc->flags & MG_F_UDP)) mbuf_append(&io, "\0\0", 2); /* length */
  if (mg__dns_build_query(&io, mg__dns_random_id(), name, query_type) > 0 &&
      io.len >= 2) {
    if (!(nc->flags & MG_F_UDP)) {
      io.buf[0] = (char) ((io.len - 2) >> 8);
      io.buf[1] = (char) (io.len - 2);
    }
    mg_send(nc, io.buf, (int) io.len);
  }
  mbuf_free(&io);
}
