/* Moving bytes: the readiness callbacks of interfaces (mg_if_can_*_cb),
 * TCP and UDP, through TLS when a connection has it; the per-peer
 * children of UDP listeners. */
#include "mg/internal.h"
#include "mg/tls.h"

#if MG_ENABLE_HEXDUMP
static void maybe_hexdump(struct mg_connection *nc, const void *buf, int n,
                          int ev) {
  if (nc->mgr->hexdump_file != NULL && n > 0) {
    mg_hexdump_connection(nc, nc->mgr->hexdump_file, buf, n, ev);
  }
}
#else
#define maybe_hexdump(nc, buf, n, ev)
#endif

/* Makes room for n more bytes at the end of m. Returns 0 on failure. */
int mg__mbuf_reserve(struct mbuf *m, size_t n) {
  size_t want;
  if (m->size - m->len >= n) return 1;
  want = m->len + n;
  if (want < m->size + m->size / 2) want = m->size + m->size / 2;
  mbuf_resize(m, want);
  return m->size - m->len >= n;
}

/* Room left under recv_mbuf_limit. */
static size_t recv_room(const struct mg_connection *nc) {
  if (nc->recv_mbuf.len >= nc->recv_mbuf_limit) return 0;
  return nc->recv_mbuf_limit - nc->recv_mbuf.len;
}

/* Handles a recv result r of a TCP read. Returns 1 to keep reading. */
static int deliver_tcp_read(struct mg_connection *nc, long r) {
  if (r > 0) {
    int n = (int) r;
    nc->recv_mbuf.len += (size_t) r;
    nc->last_io_time = (time_t) mg_mgr_time(nc->mgr);
    maybe_hexdump(nc, nc->recv_mbuf.buf + nc->recv_mbuf.len - n, n, MG_EV_RECV);
    mg_call(nc, MG_EV_RECV, &n);
    return 1;
  }
  if (r == 0) return 0; /* would block */
  if (r == -EPIPE) {
    /* The peer closed its side: send what is pending, then close. */
    nc->io_state |= MG__IO_EOF;
    nc->flags |= MG_F_SEND_AND_CLOSE;
  } else {
    nc->err = (int) -r;
    nc->flags |= MG_F_CLOSE_IMMEDIATELY;
  }
  return 0;
}

/* Reads up to len plaintext bytes of nc, through TLS when it has it. */
static long transport_recv(struct mg_connection *nc, void *buf, size_t len) {
#if MG_ENABLE_SSL
  if (mg__uses_tls(nc)) return nc->mgr->tls->recv(nc, buf, len);
#endif
  return nc->iface->vtable->tcp_recv(nc, buf, len);
}

/* Writes up to len plaintext bytes to nc, through TLS when it has it. */
static long transport_send(struct mg_connection *nc, const void *buf,
                           size_t len) {
#if MG_ENABLE_SSL
  if (mg__uses_tls(nc)) return nc->mgr->tls->send(nc, buf, len);
#endif
  return nc->iface->vtable->tcp_send(nc, buf, len);
}

void mg_if_can_recv_cb(struct mg_connection *nc) {
  int i;
#if MG_ENABLE_SSL
  if (mg__tls_handshaking(nc) && !mg__tls_advance(nc)) return;
#endif
  for (i = 0; i < 4 && mg_if_wants_read(nc); i++) {
    size_t n = recv_room(nc);
    long r;
    if (n > MG_TCP_RECV_BUFFER_SIZE) n = MG_TCP_RECV_BUFFER_SIZE;
    if (!mg__mbuf_reserve(&nc->recv_mbuf, n)) {
      nc->err = ENOMEM;
      nc->flags |= MG_F_CLOSE_IMMEDIATELY;
      return;
    }
    r = transport_recv(nc, nc->recv_mbuf.buf + nc->recv_mbuf.len, n);
    if (!deliver_tcp_read(nc, r)) break;
  }
}

/* Finds the child of UDP listener lc for peer sa, creating it. */
static struct mg_connection *udp_child(struct mg_connection *lc,
                                       const union socket_address *sa) {
  struct mg_connection *c;
  union socket_address peer;
  mg__normalize_addr(&peer, sa);
  for (c = lc->mgr->active_connections; c != NULL; c = c->next) {
    if (c->listener == lc && (c->io_state & MG__IO_UDP_CHILD) &&
        mg__same_peer(&c->sa, &peer)) {
      return c;
    }
  }
  c = mg_if_accept_new_conn(lc);
  if (c == NULL) return NULL;
  c->sock = lc->sock;
  c->flags |= MG_F_UDP;
  c->io_state |= MG__IO_UDP_CHILD;
  mg_if_accept_tcp_cb(c, &peer, mg__sa_len(&peer));
  return c;
}

/* Delivers one datagram of n bytes in buf to nc (or its child). */
static void deliver_datagram(struct mg_connection *nc, const char *buf, int n,
                             const union socket_address *sa) {
  struct mg_connection *dst = nc;
  if (nc->flags & MG_F_LISTENING) {
    dst = udp_child(nc, sa);
    if (dst == NULL || (dst->flags & MG_F_CLOSE_IMMEDIATELY)) return;
  }
  if (recv_room(dst) < (size_t) n) return; /* over the limit: dropped */
  if (mbuf_append(&dst->recv_mbuf, buf, (size_t) n) == 0 && n > 0) return;
  dst->last_io_time = (time_t) mg_mgr_time(dst->mgr);
  maybe_hexdump(dst, buf, n, MG_EV_RECV);
  mg_call(dst, MG_EV_RECV, &n);
  /* A reply to this datagram leaves now, as its own datagram, before the
   * next datagram from the same peer is handled. */
  if (mg_if_wants_write(dst)) mg_if_can_send_cb(dst);
}

void mg_if_can_recv_udp_cb(struct mg_connection *nc) {
  char buf[MG_UDP_RECV_BUFFER_SIZE];
  int i;
  for (i = 0; i < 64; i++) {
    union socket_address sa;
    size_t sa_len = sizeof(sa);
    long r;
    memset(&sa, 0, sizeof(sa));
    r = nc->iface->vtable->udp_recv(nc, buf, sizeof(buf), &sa, &sa_len);
    if (r == 0 && sa_len == 0) break; /* would block */
    if (r < 0) {
      if (nc->flags & MG_F_LISTENING) break; /* keep listening */
      nc->err = (int) -r;
      nc->flags |= MG_F_CLOSE_IMMEDIATELY;
      break;
    }
    deliver_datagram(nc, buf, (int) r, &sa);
    if (nc->flags & MG_F_CLOSE_IMMEDIATELY) break;
  }
}

/* Drops the bytes already written, when that is cheap enough. */
void mg__compact_send_mbuf(struct mg_connection *nc) {
  struct mbuf *m = &nc->send_mbuf;
  if (nc->send_off >= m->len) {
    m->len = 0;
    nc->send_off = 0;
    nc->send_fd_mark = 0;
  } else if (nc->send_off >= m->len - nc->send_off) {
    /* At most as many bytes move as were sent: linear overall. */
    mbuf_remove(m, nc->send_off);
    nc->send_fd_mark -=
        nc->send_off < nc->send_fd_mark ? nc->send_off : nc->send_fd_mark;
    nc->send_off = 0;
  }
}

/* Writes pending UDP data as one datagram. */
static void send_udp(struct mg_connection *nc) {
  struct mbuf *m = &nc->send_mbuf;
  long r = nc->iface->vtable->udp_send(nc, m->buf + nc->send_off,
                                       m->len - nc->send_off);
  int n = (int) (m->len - nc->send_off);
  if (r == 0) return; /* would block: try again */
  maybe_hexdump(nc, m->buf + nc->send_off, n, MG_EV_SEND);
  mbuf_clear(m);
  nc->send_off = 0;
  if (r < 0) {
    nc->err = (int) -r;
    return; /* a lost datagram does not end the conversation */
  }
  nc->last_io_time = (time_t) mg_mgr_time(nc->mgr);
  mg_call(nc, MG_EV_SEND, &n);
}

void mg_if_can_send_cb(struct mg_connection *nc) {
  struct mbuf *m = &nc->send_mbuf;
  size_t limit;
  long r;
  int n;
  if (nc->send_off > m->len) nc->send_off = 0; /* the program rewrote it */
#if MG_ENABLE_SSL
  if (mg__tls_handshaking(nc) && !mg__tls_advance(nc)) return;
  if (mg__uses_tls(nc) && (nc->flags & MG_F_WANT_WRITE)) {
    /* A TLS read was waiting to write: let it go on. */
    nc->flags &= ~(unsigned long) MG_F_WANT_WRITE;
    mg_if_can_recv_cb(nc);
  }
#endif
  if (!mg_if_wants_write(nc)) return;
  if (nc->flags & MG_F_UDP) {
    send_udp(nc);
    return;
  }
  if (nc->send_fd >= 0 && nc->send_fd_mark > m->len) {
    nc->send_fd_mark = m->len; /* the program rewrote send_mbuf */
  }
  if (nc->send_fd >= 0 && nc->send_off >= nc->send_fd_mark) {
    if (mg__can_sendfile(nc)) {
      mg__sendfile_piece(nc);
      return;
    }
    if (mg__file_to_mbuf(nc) != 0) return;
  }
  limit = nc->send_fd >= 0 ? nc->send_fd_mark : m->len;
  r = transport_send(nc, m->buf + nc->send_off, limit - nc->send_off);
  if (r == 0) return;
  if (r < 0) {
    nc->err = (int) -r;
    nc->flags |= MG_F_CLOSE_IMMEDIATELY;
    return;
  }
  n = (int) r;
  maybe_hexdump(nc, m->buf + nc->send_off, n, MG_EV_SEND);
  nc->send_off += (size_t) r;
  mg__compact_send_mbuf(nc);
  nc->last_io_time = (time_t) mg_mgr_time(nc->mgr);
  mg_call(nc, MG_EV_SEND, &n);
}
