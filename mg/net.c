/* The event manager: connections, the poll loop, bind/connect, send. */
#include "mg/internal.h"
#include "mg/tls.h"

#include <signal.h>
#include <sys/time.h>

const struct mg_iface_vtable *mg_default_iface_vtable = &mg_socket_iface_vtable;

double mg_time(void) {
  struct timeval tv;
  if (gettimeofday(&tv, NULL) != 0) return (double) time(NULL);
  return (double) tv.tv_sec + (double) tv.tv_usec / 1000000.0;
}

void mg_mgr_set_clock(struct mg_mgr *mgr, mg_clock_fn fn, void *arg) {
  mgr->clock_fn = fn;
  mgr->clock_arg = fn != NULL ? arg : NULL;
}

double mg_mgr_time(struct mg_mgr *mgr) {
  if (mgr == NULL || mgr->clock_fn == NULL) return mg_time();
  return mgr->clock_fn(mgr->clock_arg);
}

/* ------------------------------------------------------------------ */
/* TLS state of a connection (the implementation is behind mgr->tls)     */

#if MG_ENABLE_SSL
/* Non-zero if nc's bytes go through TLS. */
static int uses_tls(const struct mg_connection *nc) {
  return (nc->flags & MG_F_SSL) && nc->ssl_if_data != NULL &&
         nc->mgr->tls != NULL;
}

/* Non-zero while nc's TLS handshake is under way. */
static int tls_handshaking(const struct mg_connection *nc) {
  return uses_tls(nc) && !(nc->flags & (MG_F_SSL_HANDSHAKE_DONE |
                                        MG_F_LISTENING));
}

/* Non-zero for an accepted TLS connection not yet announced (no
 * MG_EV_ACCEPT yet): it gets no events, not even MG_EV_CLOSE. */
static int tls_unannounced(const struct mg_connection *nc) {
  return tls_handshaking(nc) && nc->listener != NULL;
}

/* Non-zero if TLS holds decrypted bytes for nc that the core wants. */
static int tls_has_pending(struct mg_connection *nc) {
  return uses_tls(nc) && (nc->flags & MG_F_SSL_HANDSHAKE_DONE) &&
         mg_if_wants_read(nc) && nc->mgr->tls->pending(nc);
}
#else
#define tls_unannounced(nc) 0
#define tls_has_pending(nc) 0
#endif

/* ------------------------------------------------------------------ */
/* Connections                                                          */

struct mg_connection *mg__alloc_conn(struct mg_mgr *mgr,
                                     mg_event_handler_t handler) {
  struct mg_connection *c =
      (struct mg_connection *) MG_CALLOC(1, sizeof(*c));
  if (c == NULL) return NULL;
  c->mgr = mgr;
  c->sock = INVALID_SOCKET;
  c->handler = handler;
  c->recv_mbuf_limit = ~(size_t) 0;
  c->last_io_time = (time_t) mg_mgr_time(mgr);
  c->iface = mgr->num_ifaces > 0 ? mgr->ifaces[0] : NULL;
  return c;
}

void mg__add_conn(struct mg_mgr *mgr, struct mg_connection *c) {
  c->mgr = mgr;
  c->next = mgr->active_connections;
  c->prev = NULL;
  if (c->next != NULL) c->next->prev = c;
  mgr->active_connections = c;
  if (c->iface != NULL && c->iface->vtable->add_conn != NULL) {
    c->iface->vtable->add_conn(c);
  }
}

/* Unlinks c from its manager's list. */
static void remove_conn(struct mg_connection *c) {
  if (c->prev == NULL && c->mgr->active_connections == c) {
    c->mgr->active_connections = c->next;
  }
  if (c->prev != NULL) c->prev->next = c->next;
  if (c->next != NULL) c->next->prev = c->prev;
  c->prev = c->next = NULL;
  if (c->iface != NULL && c->iface->vtable->remove_conn != NULL) {
    c->iface->vtable->remove_conn(c);
  }
}

static void send_fd_done(struct mg_connection *nc);

void mg__destroy_conn(struct mg_connection *c) {
  send_fd_done(c);
#if MG_ENABLE_SSL
  if (c->ssl_if_data != NULL && c->mgr->tls != NULL) c->mgr->tls->free(c);
#endif
  mg__layers_close(c);
  if (c->proto_data != NULL && c->proto_data_destructor != NULL) {
    c->proto_data_destructor(c->proto_data);
  }
  if ((c->io_state & MG__IO_MEM_NAME) && c->mgr_data != NULL) {
    MG_FREE(c->mgr_data);
    c->mgr_data = NULL;
  }
  mbuf_free(&c->recv_mbuf);
  mbuf_free(&c->send_mbuf);
  memset(c, 0, sizeof(*c));
  MG_FREE(c);
}

/* Children of a UDP listener share its socket: they go with it. */
static void orphan_udp_children(struct mg_connection *lc) {
  struct mg_connection *c;
  if (!(lc->flags & MG_F_UDP) || !(lc->flags & MG_F_LISTENING)) return;
  for (c = lc->mgr->active_connections; c != NULL; c = c->next) {
    if (c->listener == lc) {
      c->listener = NULL;
      c->sock = INVALID_SOCKET;
      c->flags |= MG_F_CLOSE_IMMEDIATELY;
    }
  }
}

void mg__close_conn(struct mg_connection *c) {
  int silent = tls_unannounced(c);
#if MG_ENABLE_SSL
  if (uses_tls(c) && (c->flags & MG_F_SSL_HANDSHAKE_DONE)) {
    c->mgr->tls->shutdown(c); /* close_notify, if the transport takes it */
  }
#endif
  remove_conn(c);
  orphan_udp_children(c);
  if (c->iface != NULL && c->iface->vtable->destroy_conn != NULL) {
    c->iface->vtable->destroy_conn(c);
  }
  c->sock = INVALID_SOCKET;
  if (!silent) mg_call(c, MG_EV_CLOSE, NULL);
  mg__destroy_conn(c);
}

struct mg_connection *mg_create_connection(struct mg_mgr *mgr,
                                           mg_event_handler_t handler) {
  struct mg_connection *c = mg__alloc_conn(mgr, handler);
  if (c != NULL) mg__add_conn(mgr, c);
  return c;
}

struct mg_connection *mg_next(struct mg_mgr *mgr, struct mg_connection *c) {
  return c == NULL ? mgr->active_connections : c->next;
}

/* ------------------------------------------------------------------ */
/* The manager                                                          */

/* Creates the interface instances of mgr from a vtable list. */
static void init_ifaces(struct mg_mgr *mgr, const struct mg_iface_vtable **vt,
                        int n) {
  int i;
  mgr->ifaces = (struct mg_iface **) MG_CALLOC((size_t) n, sizeof(*mgr->ifaces));
  if (mgr->ifaces == NULL) return;
  for (i = 0; i < n; i++) {
    struct mg_iface *iface = mg_if_create_iface(vt[i], mgr);
    if (iface == NULL) continue;
    mgr->ifaces[mgr->num_ifaces++] = iface;
    if (iface->vtable->init != NULL) iface->vtable->init(iface);
  }
}

void mg_mgr_init_opt(struct mg_mgr *mgr, void *user_data,
                     struct mg_mgr_init_opts opts) {
  const struct mg_iface_vtable *defaults[2];
  memset(mgr, 0, sizeof(*mgr));
  mgr->user_data = user_data;
  mgr->nameserver = opts.nameserver;
#if MG_ENABLE_BROADCAST
  mgr->ctl[0] = mgr->ctl[1] = INVALID_SOCKET;
#endif
  signal(SIGPIPE, SIG_IGN);
#if MG_ENABLE_BROADCAST
  mg__broadcast_init(mgr);
#endif
  if (opts.num_ifaces > 0 && opts.ifaces != NULL) {
    init_ifaces(mgr, opts.ifaces, opts.num_ifaces);
  } else {
    defaults[0] = opts.main_iface ? opts.main_iface : mg_default_iface_vtable;
    defaults[1] = &mg_mem_iface_vtable;
    init_ifaces(mgr, defaults, defaults[0] == &mg_mem_iface_vtable ? 1 : 2);
  }
  mg__registry_init(mgr);
}

void mg_mgr_init(struct mg_mgr *mgr, void *user_data) {
  struct mg_mgr_init_opts opts;
  memset(&opts, 0, sizeof(opts));
  mg_mgr_init_opt(mgr, user_data, opts);
}

void mg_mgr_free(struct mg_mgr *mgr) {
  int i;
  if (mgr == NULL) return;
  while (mgr->active_connections != NULL) {
    mg__close_conn(mgr->active_connections);
  }
  mg__layers_reap(mgr);
  mg__registry_free(mgr);
  /* A plugin's free may have closed connections of its own. */
  while (mgr->active_connections != NULL) {
    mg__close_conn(mgr->active_connections);
  }
  mg__layers_reap(mgr);
  for (i = 0; i < mgr->num_ifaces; i++) {
    struct mg_iface *iface = mgr->ifaces[i];
    if (iface->vtable->free != NULL) iface->vtable->free(iface);
    MG_FREE(iface);
  }
  MG_FREE(mgr->ifaces);
  mgr->ifaces = NULL;
  mgr->num_ifaces = 0;
#if MG_ENABLE_BROADCAST
  mg__broadcast_free(mgr);
#endif
}

/* ------------------------------------------------------------------ */
/* Interfaces                                                           */

struct mg_iface *mg_if_create_iface(const struct mg_iface_vtable *vtable,
                                    struct mg_mgr *mgr) {
  struct mg_iface *iface = (struct mg_iface *) MG_CALLOC(1, sizeof(*iface));
  if (iface == NULL) return NULL;
  iface->mgr = mgr;
  iface->vtable = vtable;
  return iface;
}

struct mg_iface *mg_find_iface(struct mg_mgr *mgr,
                               const struct mg_iface_vtable *vtable,
                               struct mg_iface *from) {
  int i = 0;
  if (from != NULL) {
    for (; i < mgr->num_ifaces && mgr->ifaces[i] != from; i++) {
    }
    i++;
  }
  for (; i < mgr->num_ifaces; i++) {
    if (mgr->ifaces[i]->vtable == vtable) return mgr->ifaces[i];
  }
  return NULL;
}

/* The interface of mgr serving scheme, or NULL. */
static struct mg_iface *iface_by_scheme(struct mg_mgr *mgr, const char *s) {
  int i;
  for (i = 0; i < mgr->num_ifaces; i++) {
    const char *scheme = mgr->ifaces[i]->vtable->scheme;
    if (scheme != NULL && strcmp(scheme, s) == 0) return mgr->ifaces[i];
  }
  return NULL;
}

int mg_if_wants_read(const struct mg_connection *nc) {
  if (nc->io_state & MG__IO_EOF) return 0;
  if (nc->flags & (MG_F_CLOSE_IMMEDIATELY | MG_F_CONNECTING | MG_F_RESOLVING))
    return 0;
#if MG_ENABLE_SSL
  if (tls_handshaking(nc)) return (nc->flags & MG_F_WANT_READ) != 0;
#endif
  return nc->recv_mbuf.len < nc->recv_mbuf_limit;
}

int mg_if_wants_write(const struct mg_connection *nc) {
  if (nc->flags & (MG_F_CLOSE_IMMEDIATELY | MG_F_CONNECTING | MG_F_RESOLVING))
    return 0;
#if MG_ENABLE_SSL
  /* The handshake, or a TLS read that must write first. */
  if (tls_handshaking(nc) || (uses_tls(nc) && (nc->flags & MG_F_WANT_WRITE))) {
    return (nc->flags & MG_F_WANT_WRITE) != 0;
  }
#endif
  if (nc->flags & MG_F_BUFFER_BUT_DONT_SEND) return 0;
  return nc->send_mbuf.len > nc->send_off || nc->send_fd > 0;
}

/* Copies the new connection's settings from its listener. */
static void inherit_from_listener(struct mg_connection *nc,
                                  struct mg_connection *lc) {
  nc->listener = lc;
  nc->iface = lc->iface;
  nc->user_data = lc->user_data;
  nc->recv_mbuf_limit = lc->recv_mbuf_limit;
  nc->flags = lc->flags & ~(unsigned long) (MG_F_LISTENING |
                                            MG_F_SSL_HANDSHAKE_DONE |
                                            MG_F_WANT_READ | MG_F_WANT_WRITE |
                                            MG_F_CLOSE_IMMEDIATELY |
                                            MG_F_SEND_AND_CLOSE);
  nc->priv_2 = lc->priv_2;
  if (lc->proto_handler != NULL &&
      lc->proto_handler != mg__layers_proto_handler) {
    nc->proto_handler = lc->proto_handler;
  }
}

struct mg_connection *mg_if_accept_new_conn(struct mg_connection *lc) {
  struct mg_connection *nc = mg__alloc_conn(lc->mgr, lc->handler);
  if (nc == NULL) return NULL;
  inherit_from_listener(nc, lc);
#if MG_ENABLE_SSL
  if (uses_tls(lc)) {
    if (lc->mgr->tls->accept(nc, lc) != 0) {
      mg__log("TLS: cannot set up an accepted connection");
      mg__destroy_conn(nc);
      return NULL;
    }
    nc->flags |= MG_F_WANT_READ; /* the ClientHello */
  }
#endif
  mg__add_conn(lc->mgr, nc);
  mg__layers_inherit(nc, lc);
  return nc;
}

void mg__normalize_addr(union socket_address *out,
                        const union socket_address *in) {
  union socket_address tmp;
  memset(&tmp, 0, sizeof(tmp));
  if (in->sa.sa_family == AF_INET) {
    tmp.sin.sin_family = AF_INET;
    tmp.sin.sin_port = in->sin.sin_port;
    tmp.sin.sin_addr = in->sin.sin_addr;
#if MG_ENABLE_IPV6
  } else if (in->sa.sa_family == AF_INET6 &&
             IN6_IS_ADDR_V4MAPPED(&in->sin6.sin6_addr)) {
    tmp.sin.sin_family = AF_INET;
    tmp.sin.sin_port = in->sin6.sin6_port;
    memcpy(&tmp.sin.sin_addr, &in->sin6.sin6_addr.s6_addr[12], 4);
  } else if (in->sa.sa_family == AF_INET6) {
    tmp.sin6 = in->sin6;
#endif
  } else {
    tmp = *in;
  }
  *out = tmp;
}

/* Non-zero if a and b (both normalized) name the same peer. */
static int same_peer(const union socket_address *a,
                     const union socket_address *b) {
  if (a->sa.sa_family != b->sa.sa_family) return 0;
  if (a->sa.sa_family == AF_INET) {
    return a->sin.sin_port == b->sin.sin_port &&
           a->sin.sin_addr.s_addr == b->sin.sin_addr.s_addr;
  }
#if MG_ENABLE_IPV6
  if (a->sa.sa_family == AF_INET6) {
    return a->sin6.sin6_port == b->sin6.sin6_port &&
           memcmp(&a->sin6.sin6_addr, &b->sin6.sin6_addr, 16) == 0 &&
           a->sin6.sin6_scope_id == b->sin6.sin6_scope_id;
  }
#endif
  return memcmp(a, b, sizeof(*a)) == 0;
}

/* Stores a peer address, unwrapping IPv4-mapped IPv6 into plain IPv4. */
static void set_peer_addr(struct mg_connection *nc,
                          const union socket_address *sa) {
  mg__normalize_addr(&nc->sa, sa);
}

/* Delivers MG_EV_CONNECT(err); a failed connection is then closed. */
static void deliver_connect(struct mg_connection *nc, int err) {
  if (err != 0) nc->err = err;
  mg_call(nc, MG_EV_CONNECT, &err);
  if (err != 0) nc->flags |= MG_F_CLOSE_IMMEDIATELY;
}

#if MG_ENABLE_SSL
/* Runs nc's TLS handshake as far as the transport allows and announces the
 * outcome: MG_EV_ACCEPT / MG_EV_CONNECT(0) when done; on failure a client
 * gets MG_EV_CONNECT(errno) and a server connection is closed (logged).
 * Returns 1 when the handshake completed now. */
static int tls_advance(struct mg_connection *nc) {
  int r = nc->mgr->tls->handshake(nc);
  if (r == MG_TLS_AGAIN) return 0;
  nc->flags &= ~(unsigned long) (MG_F_WANT_READ | MG_F_WANT_WRITE);
  if (r == MG_TLS_DONE) {
    nc->flags |= MG_F_SSL_HANDSHAKE_DONE;
    nc->last_io_time = (time_t) mg_mgr_time(nc->mgr);
    if (nc->listener != NULL) {
      mg_call(nc, MG_EV_ACCEPT, &nc->sa);
    } else {
      deliver_connect(nc, 0);
    }
    return 1;
  }
  if (nc->listener != NULL) {
    char addr[64];
    const char *why = nc->mgr->tls->error(nc);
    mg_sock_addr_to_str(&nc->sa, addr, sizeof(addr),
                        MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT);
    mg__log("TLS handshake with %s failed: %s", addr, why ? why : "?");
    nc->err = -r;
    nc->flags |= MG_F_CLOSE_IMMEDIATELY;
  } else {
    deliver_connect(nc, -r);
  }
  return 0;
}
#endif

void mg_if_accept_tcp_cb(struct mg_connection *nc, union socket_address *sa,
                         size_t sa_len) {
  (void) sa_len;
  set_peer_addr(nc, sa);
  nc->last_io_time = (time_t) mg_mgr_time(nc->mgr);
#if MG_ENABLE_SSL
  if (tls_handshaking(nc)) {
    tls_advance(nc); /* MG_EV_ACCEPT once the handshake is done */
    return;
  }
#endif
  mg_call(nc, MG_EV_ACCEPT, &nc->sa);
}

void mg__connect_pending(struct mg_connection *nc, int err) {
  nc->err = err;
  nc->io_state |= MG__IO_CONNECT_PENDING;
}

void mg_if_connect_cb(struct mg_connection *nc, int err) {
  nc->flags &= ~(unsigned long) (MG_F_CONNECTING | MG_F_RESOLVING);
  nc->io_state &= ~(unsigned int) MG__IO_CONNECT_PENDING;
  nc->last_io_time = (time_t) mg_mgr_time(nc->mgr);
#if MG_ENABLE_SSL
  if (err == 0 && tls_handshaking(nc)) {
    tls_advance(nc); /* MG_EV_CONNECT once the handshake is done */
    return;
  }
#endif
  deliver_connect(nc, err);
}

/* ------------------------------------------------------------------ */
/* Moving bytes                                                         */

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
static int reserve(struct mbuf *m, size_t n) {
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
static int handle_recv(struct mg_connection *nc, long r) {
  if (r > 0) {
    int n = (int) r;
    nc->recv_mbuf.len += (size_t) r;
    nc->last_io_time = (time_t) mg_mgr_time(nc->mgr);
    maybe_hexdump(nc, nc->recv_mbuf.buf + nc->recv_mbuf.len - n, n,
                  MG_EV_RECV);
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
  if (uses_tls(nc)) return nc->mgr->tls->recv(nc, buf, len);
#endif
  return nc->iface->vtable->tcp_recv(nc, buf, len);
}

/* Writes up to len plaintext bytes to nc, through TLS when it has it. */
static long transport_send(struct mg_connection *nc, const void *buf,
                           size_t len) {
#if MG_ENABLE_SSL
  if (uses_tls(nc)) return nc->mgr->tls->send(nc, buf, len);
#endif
  return nc->iface->vtable->tcp_send(nc, buf, len);
}

void mg_if_can_recv_cb(struct mg_connection *nc) {
  int i;
#if MG_ENABLE_SSL
  if (tls_handshaking(nc) && !tls_advance(nc)) return;
#endif
  for (i = 0; i < 4 && mg_if_wants_read(nc); i++) {
    size_t n = recv_room(nc);
    long r;
    if (n > MG_TCP_RECV_BUFFER_SIZE) n = MG_TCP_RECV_BUFFER_SIZE;
    if (!reserve(&nc->recv_mbuf, n)) {
      nc->err = ENOMEM;
      nc->flags |= MG_F_CLOSE_IMMEDIATELY;
      return;
    }
    r = transport_recv(nc, nc->recv_mbuf.buf + nc->recv_mbuf.len, n);
    if (!handle_recv(nc, r)) break;
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
        same_peer(&c->sa, &peer)) {
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
static void compact_send_mbuf(struct mg_connection *nc) {
  struct mbuf *m = &nc->send_mbuf;
  if (nc->send_off >= m->len) {
    m->len = 0;
    nc->send_off = 0;
    nc->send_fd_mark = 0;
  } else if (nc->send_off >= m->len - nc->send_off) {
    /* At most as many bytes move as were sent: linear overall. */
    mbuf_remove(m, nc->send_off);
    nc->send_fd_mark -= nc->send_off < nc->send_fd_mark ? nc->send_off
                                                         : nc->send_fd_mark;
    nc->send_off = 0;
  }
}

/* ------------------------------------------------------------------ */
/* A queued file (mg__send_fd)                                          */

#define FILE_PIECE (64 * 1024)        /* read into send_mbuf at a time */
#define SENDFILE_PIECE (1024 * 1024) /* asked of sendfile() at a time */

int mg__send_fd(struct mg_connection *nc, int fd, int64_t offset, int64_t len) {
  if (nc == NULL || fd < 0 || offset < 0 || len < 0) return -1;
  if ((nc->flags & (MG_F_UDP | MG_F_LISTENING)) || nc->send_fd > 0) return -1;
  if (len == 0) {
    close(fd);
    return 0;
  }
  if (nc->send_off > nc->send_mbuf.len) nc->send_off = 0;
  nc->send_fd = fd + 1;
  nc->send_fd_off = offset;
  nc->send_fd_left = len;
  nc->send_fd_mark = nc->send_mbuf.len;
  return 0;
}

int64_t mg__send_fd_pending(const struct mg_connection *nc) {
  return nc->send_fd > 0 ? nc->send_fd_left : 0;
}

static void send_fd_done(struct mg_connection *nc) {
  if (nc->send_fd > 0) close(nc->send_fd - 1);
  nc->send_fd = 0;
  nc->send_fd_left = 0;
  nc->send_fd_mark = 0;
}

/* Fails nc after an I/O error (a negative errno value). */
static void send_failed(struct mg_connection *nc, long r) {
  nc->err = (int) -r;
  nc->flags |= MG_F_CLOSE_IMMEDIATELY;
}

/* Non-zero if nc's queued file may leave by the interface's sendfile. */
static int can_sendfile(const struct mg_connection *nc) {
  if (nc->iface == NULL || nc->iface->vtable->tcp_sendfile == NULL) return 0;
#if MG_ENABLE_SSL
  if (uses_tls(nc)) return 0;
#endif
#if MG_ENABLE_HEXDUMP
  if (nc->mgr->hexdump_file != NULL) return 0; /* the bytes must be seen */
#endif
  return 1;
}

/* Sends the next piece of the queued file by sendfile(). */
static void sendfile_piece(struct mg_connection *nc) {
  size_t n = SENDFILE_PIECE;
  long r;
  int sent;
  if ((int64_t) n > nc->send_fd_left) n = (size_t) nc->send_fd_left;
  r = nc->iface->vtable->tcp_sendfile(nc, nc->send_fd - 1, nc->send_fd_off, n);
  if (r == 0) return; /* would block */
  if (r < 0) {
    send_failed(nc, r);
    return;
  }
  nc->send_fd_off += r;
  nc->send_fd_left -= r;
  if (nc->send_fd_left <= 0) send_fd_done(nc);
  compact_send_mbuf(nc);
  nc->last_io_time = (time_t) mg_mgr_time(nc->mgr);
  sent = (int) r;
  mg_call(nc, MG_EV_SEND, &sent);
}

/* Reads the next piece of the queued file into send_mbuf at the mark.
 * Returns 0, or -1 if nc failed. */
static int file_to_mbuf(struct mg_connection *nc) {
  struct mbuf *m = &nc->send_mbuf;
  size_t n = FILE_PIECE, mark = nc->send_fd_mark, after;
  ssize_t got;
  if ((int64_t) n > nc->send_fd_left) n = (size_t) nc->send_fd_left;
  if (!reserve(m, n)) {
    send_failed(nc, -ENOMEM);
    return -1;
  }
  after = m->len - mark;
  memmove(m->buf + mark + n, m->buf + mark, after);
  got = pread(nc->send_fd - 1, m->buf + mark, n, (off_t) nc->send_fd_off);
  if (got < (ssize_t) n) {
    memmove(m->buf + mark + (got > 0 ? got : 0), m->buf + mark + n, after);
  }
  if (got <= 0) {
    send_failed(nc, got < 0 ? -(long) errno : -ENODATA);
    return -1;
  }
  m->len += (size_t) got;
  nc->send_fd_mark += (size_t) got;
  nc->send_fd_off += got;
  nc->send_fd_left -= got;
  if (nc->send_fd_left <= 0) send_fd_done(nc);
  return 0;
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
  if (tls_handshaking(nc) && !tls_advance(nc)) return;
  if (uses_tls(nc) && (nc->flags & MG_F_WANT_WRITE)) {
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
  if (nc->send_fd > 0 && nc->send_fd_mark > m->len) {
    nc->send_fd_mark = m->len; /* the program rewrote send_mbuf */
  }
  if (nc->send_fd > 0 && nc->send_off >= nc->send_fd_mark) {
    if (can_sendfile(nc)) {
      sendfile_piece(nc);
      return;
    }
    if (file_to_mbuf(nc) != 0) return;
  }
  limit = nc->send_fd > 0 ? nc->send_fd_mark : m->len;
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
  compact_send_mbuf(nc);
  nc->last_io_time = (time_t) mg_mgr_time(nc->mgr);
  mg_call(nc, MG_EV_SEND, &n);
}

/* ------------------------------------------------------------------ */
/* Output functions                                                     */

void mg_send(struct mg_connection *nc, const void *buf, int len) {
  if (nc == NULL || len <= 0) return;
  if (nc->send_off > nc->send_mbuf.len) nc->send_off = 0;
  mbuf_append(&nc->send_mbuf, buf, (size_t) len);
}

int mg_vprintf(struct mg_connection *nc, const char *fmt, va_list ap) {
  char mem[256], *buf = mem;
  int len = mg_avprintf(&buf, sizeof(mem), fmt, ap);
  if (len > 0) mg_send(nc, buf, len);
  if (buf != mem) MG_FREE(buf);
  return len < 0 ? 0 : len;
}

int mg_printf(struct mg_connection *nc, const char *fmt, ...) {
  int len;
  va_list ap;
  va_start(ap, fmt);
  len = mg_vprintf(nc, fmt, ap);
  va_end(ap);
  return len;
}

double mg_set_timer(struct mg_connection *c, double timestamp) {
  double old = c->ev_timer_time;
  c->ev_timer_time = timestamp;
  return old;
}

/* ------------------------------------------------------------------ */
/* The poll loop                                                        */

/* Non-zero if c must be closed now. */
static int must_close(const struct mg_connection *c) {
  if (c->flags & MG_F_CLOSE_IMMEDIATELY) return 1;
  if ((c->flags & MG_F_SEND_AND_CLOSE) && c->send_mbuf.len <= c->send_off &&
      c->send_fd == 0) {
    return 1;
  }
  return 0;
}

/* Non-zero if c has work that must not wait for I/O readiness. */
static int has_urgent_work(struct mg_connection *c) {
  if (must_close(c) || (c->io_state & MG__IO_CONNECT_PENDING)) return 1;
  if (tls_has_pending(c)) return 1; /* the socket will not signal it */
  return (c->flags & MG_F_UDP) && mg_if_wants_write(c);
}

/* The poll timeout in ms: milli, shortened by timers and pending work.
 * now is on the manager's clock. A timer only ever shortens the wait, so
 * the real time waited stays within milli whatever the clock says: with a
 * test clock a timer that is not due yet cannot fall due while waiting,
 * and a due one (ms <= 0) makes the wait 0. */
static int poll_timeout(struct mg_mgr *mgr, int milli, double now) {
  struct mg_connection *c;
  int i, timeout = milli < 0 ? 0 : milli;
  for (i = 1; i < mgr->num_ifaces; i++) {
    struct mg_iface *iface = mgr->ifaces[i];
    if (iface->vtable->has_pending && iface->vtable->has_pending(iface)) {
      return 0;
    }
  }
  for (c = mgr->active_connections; c != NULL; c = c->next) {
    if (has_urgent_work(c)) return 0;
    if (c->ev_timer_time > 0) {
      double ms = (c->ev_timer_time - now) * 1000.0;
      if (ms <= 0) return 0;
      if (ms < timeout) timeout = (int) ms + 1;
    }
  }
  return timeout;
}

/* Delivers due MG_EV_CONNECT events and flushes UDP output. */
static void handle_urgent(struct mg_mgr *mgr) {
  struct mg_connection *c, *next;
  for (c = mgr->active_connections; c != NULL; c = next) {
    next = c->next;
    if (c->io_state & MG__IO_CONNECT_PENDING) mg_if_connect_cb(c, c->err);
    if ((c->flags & MG_F_UDP) && mg_if_wants_write(c)) mg_if_can_send_cb(c);
    if (tls_has_pending(c)) mg_if_can_recv_cb(c);
  }
}

/* Fires due timers, earliest first. */
static void fire_timers(struct mg_mgr *mgr, double now) {
  for (;;) {
    struct mg_connection *c, *due = NULL;
    double old;
    for (c = mgr->active_connections; c != NULL; c = c->next) {
      if (c->ev_timer_time > 0 && c->ev_timer_time <= now &&
          (due == NULL || c->ev_timer_time < due->ev_timer_time)) {
        due = c;
      }
    }
    if (due == NULL) break;
    old = due->ev_timer_time;
    due->ev_timer_time = 0;
    mg_call(due, MG_EV_TIMER, &old);
  }
}

#if MG_ENABLE_SSL
/* Closes an accepted TLS connection whose handshake has taken too long
 * (counted from the accept: a peer trickling bytes gains nothing). */
static void tls_expire(struct mg_connection *c, double now) {
  if (tls_unannounced(c) && !(c->flags & MG_F_CLOSE_IMMEDIATELY) &&
      now - (double) c->last_io_time > MG_SSL_HANDSHAKE_TIMEOUT) {
    mg__log("TLS handshake timed out after %d s", MG_SSL_HANDSHAKE_TIMEOUT);
    c->err = ETIMEDOUT;
    c->flags |= MG_F_CLOSE_IMMEDIATELY;
  }
}
#else
#define tls_expire(c, now) (void) (now)
#endif

/* Sends MG_EV_POLL everywhere, then closes what must close. */
static void poll_and_close(struct mg_mgr *mgr) {
  struct mg_connection *c, *next;
  double now = mg_mgr_time(mgr);
  for (c = mgr->active_connections; c != NULL; c = c->next) {
    tls_expire(c, now);
    if (!(c->flags & MG_F_CLOSE_IMMEDIATELY) && !tls_unannounced(c)) {
      mg_call(c, MG_EV_POLL, NULL);
    }
  }
  for (c = mgr->active_connections; c != NULL; c = next) {
    next = c->next;
    if (must_close(c)) {
      /* Children go with a UDP listener: skip ahead of them safely. */
      while (next != NULL && next->listener == c && (c->flags & MG_F_UDP)) {
        next = next->next;
      }
      mg__close_conn(c);
    }
  }
}

int mg_mgr_poll(struct mg_mgr *mgr, int milli) {
  int i, timeout;
  double now = mg_mgr_time(mgr);
  mgr->num_calls++;
  mgr->num_events = 0;
  handle_urgent(mgr);
  timeout = poll_timeout(mgr, milli, now);
  for (i = mgr->num_ifaces - 1; i >= 0; i--) {
    struct mg_iface *iface = mgr->ifaces[i];
    int t = i == 0 ? timeout : 0;
    if (i == 0 && mgr->num_events > 0) t = 0;
    if (iface->vtable->poll != NULL) iface->vtable->poll(iface, t);
  }
  handle_urgent(mgr);
  fire_timers(mgr, mg_mgr_time(mgr));
  poll_and_close(mgr);
  mg__layers_reap(mgr);
  return (int) mgr->num_events;
}

/* ------------------------------------------------------------------ */
/* bind, connect, add_sock                                              */

/* Reports err through opts' error_string. */
static void set_error(const char **error_string, const char *msg) {
  if (error_string != NULL) *error_string = msg;
}

/* The user data a new connection starts with: the callback's (when
 * callback user data is on) or the options'. */
#if MG_ENABLE_CALLBACK_USERDATA
#define MG_PICK_UD(cb_ud, opts_ud) (cb_ud)
#else
#define MG_PICK_UD(cb_ud, opts_ud) (opts_ud)
#endif

/* Allocates a connection on iface with handler and user_data (not yet in
 * the manager's list). NULL, with error_string set, when out of memory. */
static struct mg_connection *new_conn(struct mg_mgr *mgr,
                                      mg_event_handler_t handler,
                                      void *user_data, struct mg_iface *iface,
                                      const char **error_string) {
  struct mg_connection *nc = mg__alloc_conn(mgr, handler);
  if (nc == NULL) {
    set_error(error_string, "out of memory");
    return NULL;
  }
  nc->user_data = user_data;
  nc->iface = iface;
  return nc;
}

/* For mem:// and mem-udp:// addresses: the name after the scheme, or NULL. */
static const char *mem_name(const char *address) {
  if (strncmp(address, "mem://", 6) == 0) return address + 6;
  if (strncmp(address, "mem-udp://", 10) == 0) return address + 10;
  return NULL;
}

/* The socket type of a mem:// (SOCK_STREAM) or mem-udp:// address. */
static int mem_proto(const char *address) {
  return strncmp(address, "mem-udp://", 10) == 0 ? SOCK_DGRAM : SOCK_STREAM;
}

/* Hands a mem:// or mem-udp:// name to the connection for the mem
 * interface. */
static int set_mem_name(struct mg_connection *nc, const char *name) {
  struct mg_str copy = mg_strdup(mg_mk_str(name));
  if (copy.p == NULL || *name == '\0') {
    MG_FREE((void *) copy.p);
    return -1;
  }
  nc->mgr_data = (void *) copy.p;
  nc->io_state |= MG__IO_MEM_NAME;
  return 0;
}

/* Chooses the interface for address: mem:// (and mem-udp://), opts.iface
 * or the main one. */
static struct mg_iface *pick_iface(struct mg_mgr *mgr, const char *address,
                                   struct mg_iface *wanted) {
  if (mem_name(address) != NULL) return iface_by_scheme(mgr, "mem");
  return wanted != NULL ? wanted : (mgr->num_ifaces ? mgr->ifaces[0] : NULL);
}

#if MG_ENABLE_SSL
/* Sets up TLS on nc (not yet in the manager's list). NULL on success, else
 * the reason (static), with nothing of TLS left on nc. */
static const char *tls_setup(struct mg_connection *nc,
                             const struct mg_tls_params *p) {
  const char *err = NULL;
  if (nc->mgr->tls == NULL) return "TLS is not available in this build";
  if (nc->flags & MG_F_UDP) return "TLS over UDP is not supported";
  if (nc->mgr->tls->setup(nc, p, &err) != 0) {
    if (nc->ssl_if_data != NULL) nc->mgr->tls->free(nc);
    return err != NULL ? err : "TLS setup failed";
  }
  nc->flags |= MG_F_SSL;
  return NULL;
}

/* Non-zero if s is an IPv4 or IPv6 address literal. */
static int is_ip_literal(const char *s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* TLS for a listener, if opts ask for it. NULL on success. */
static const char *bind_tls(struct mg_connection *nc,
                            const struct mg_bind_opts *opts) {
  struct mg_tls_params p;
  if (opts->ssl_cert == NULL && opts->ssl_ca_cert == NULL &&
      opts->ssl_cipher_suites == NULL && !(opts->flags & MG_F_SSL)) {
    return NULL;
  }
  nc->flags &= ~(unsigned long) MG_F_SSL;
  memset(&p, 0, sizeof(p));
  p.cert = opts->ssl_cert;
  p.key = opts->ssl_key;
  p.ca_cert = opts->ssl_ca_cert;
  p.cipher_suites = opts->ssl_cipher_suites;
  p.is_server = 1;
  return tls_setup(nc, &p);
}

/* TLS for an outgoing connection to host, if opts ask for it. */
static const char *connect_tls(struct mg_connection *nc,
                               const struct mg_connect_opts *opts,
                               const char *host) {
  struct mg_tls_params p;
  const char *name;
  if (opts->ssl_cert == NULL && opts->ssl_ca_cert == NULL &&
      opts->ssl_cipher_suites == NULL && opts->ssl_psk_identity == NULL &&
      !(opts->flags & MG_F_SSL)) {
    return NULL;
  }
  nc->flags &= ~(unsigned long) MG_F_SSL;
  memset(&p, 0, sizeof(p));
  p.cert = opts->ssl_cert;
  p.key = opts->ssl_key;
  p.ca_cert = opts->ssl_ca_cert;
  p.cipher_suites = opts->ssl_cipher_suites;
  p.psk_identity = opts->ssl_psk_identity;
  p.psk_key = opts->ssl_psk_key;
  if (host != NULL && host[0] == '\0') host = NULL;
  p.server_name = opts->ssl_server_name ? opts->ssl_server_name : host;
  name = p.server_name;
  if (name == NULL || strcmp(name, "*") == 0) name = host;
  if (name != NULL && !is_ip_literal(name)) p.sni = name;
  return tls_setup(nc, &p);
}
#endif

struct mg_connection *mg_bind_opt(struct mg_mgr *mgr, const char *address,
                                  MG_CB(mg_event_handler_t handler,
                                        void *user_data),
                                  struct mg_bind_opts opts) {
  struct mg_connection *nc;
  union socket_address sa;
  int proto = SOCK_STREAM, err;
  char host[256];
  struct mg_iface *iface = pick_iface(mgr, address, opts.iface);
  if (iface == NULL) {
    set_error(opts.error_string, "no interface for this address");
    return NULL;
  }
  memset(&sa, 0, sizeof(sa));
  if (mem_name(address) != NULL) {
    proto = mem_proto(address);
  } else if (mg_parse_address(address, &sa, &proto, host, sizeof(host)) !=
             0) {
    set_error(opts.error_string, "cannot parse address");
    return NULL;
  }
  nc = new_conn(mgr, handler, MG_PICK_UD(user_data, opts.user_data), iface,
                opts.error_string);
  if (nc == NULL) return NULL;
  nc->flags = opts.flags | MG_F_LISTENING;
  if (proto == SOCK_DGRAM) nc->flags |= MG_F_UDP;
#if MG_ENABLE_SSL
  {
    const char *msg = bind_tls(nc, &opts);
    if (msg != NULL) {
      set_error(opts.error_string, msg);
      mg__destroy_conn(nc);
      errno = EINVAL;
      return NULL;
    }
  }
#endif
  if (mem_name(address) != NULL && set_mem_name(nc, mem_name(address)) != 0) {
    err = EINVAL;
  } else if (proto == SOCK_DGRAM) {
    err = iface->vtable->listen_udp(nc, &sa);
  } else {
    err = iface->vtable->listen_tcp(nc, &sa);
  }
  if (err != 0) {
    set_error(opts.error_string, "failed to open listener");
    mg__destroy_conn(nc);
    errno = err;
    return NULL;
  }
  nc->sa = sa;
  mg__add_conn(mgr, nc);
  return nc;
}

struct mg_connection *mg_bind(struct mg_mgr *mgr, const char *address,
                              MG_CB(mg_event_handler_t handler,
                                    void *user_data)) {
  struct mg_bind_opts opts;
  memset(&opts, 0, sizeof(opts));
  return mg_bind_opt(mgr, address, MG_CB(handler, user_data), opts);
}

/* Starts the transport connect of nc to sa. */
static void start_connect(struct mg_connection *nc,
                          const union socket_address *sa) {
  nc->sa = *sa;
  nc->flags |= MG_F_CONNECTING;
  if (nc->flags & MG_F_UDP) {
    nc->iface->vtable->connect_udp(nc, sa);
  } else {
    nc->iface->vtable->connect_tcp(nc, sa);
  }
}

void mg_resolve_done(struct mg_connection *nc, const union socket_address *sa,
                     int err) {
  nc->flags &= ~(unsigned long) MG_F_RESOLVING;
  if (err != 0 || sa == NULL) {
    nc->flags |= MG_F_CONNECTING;
    mg__connect_pending(nc, err != 0 ? err : ENXIO);
    return;
  }
  start_connect(nc, sa);
}

/* Connects nc to a host name: the resolver plugin, or a clear failure. */
static void connect_by_name(struct mg_connection *nc, const char *host,
                            const union socket_address *sa,
                            const char *nameserver) {
  if (nc->mgr->resolver == NULL) {
    /* No resolver linked: ENXIO, "No such device or address". */
    nc->flags |= MG_F_CONNECTING;
    mg__connect_pending(nc, ENXIO);
    return;
  }
  nc->flags |= MG_F_RESOLVING;
  nc->mgr->resolver(nc, host, ntohs(sa->sin.sin_port), nameserver);
}

struct mg_connection *mg_connect_opt(struct mg_mgr *mgr, const char *address,
                                     MG_CB(mg_event_handler_t handler,
                                           void *user_data),
                                     struct mg_connect_opts opts) {
  struct mg_connection *nc;
  union socket_address sa;
  int proto = SOCK_STREAM, kind = 0;
  char host[256];
  struct mg_iface *iface = pick_iface(mgr, address, opts.iface);
  if (iface == NULL) {
    set_error(opts.error_string, "no interface for this address");
    return NULL;
  }
  memset(&sa, 0, sizeof(sa));
  if (mem_name(address) != NULL) {
    proto = mem_proto(address);
  } else {
    kind = mg_parse_address(address, &sa, &proto, host, sizeof(host));
    if (kind < 0) {
      set_error(opts.error_string, "cannot parse address");
      return NULL;
    }
  }
  nc = new_conn(mgr, handler, MG_PICK_UD(user_data, opts.user_data), iface,
                opts.error_string);
  if (nc == NULL) return NULL;
  nc->flags = opts.flags;
  if (proto == SOCK_DGRAM) nc->flags |= MG_F_UDP;
  if (mem_name(address) != NULL && set_mem_name(nc, mem_name(address)) != 0) {
    set_error(opts.error_string, "cannot parse address");
    mg__destroy_conn(nc);
    return NULL;
  }
#if MG_ENABLE_SSL
  {
    const char *msg =
        connect_tls(nc, &opts, mem_name(address) == NULL ? host : NULL);
    if (msg != NULL) {
      set_error(opts.error_string, msg);
      mg__destroy_conn(nc);
      return NULL;
    }
  }
#endif
  mg__add_conn(mgr, nc);
  if (kind == 1) {
    connect_by_name(nc, host, &sa, opts.nameserver);
  } else {
    start_connect(nc, &sa);
  }
  return nc;
}

struct mg_connection *mg_connect(struct mg_mgr *mgr, const char *address,
                                 MG_CB(mg_event_handler_t handler,
                                       void *user_data)) {
  struct mg_connect_opts opts;
  memset(&opts, 0, sizeof(opts));
  return mg_connect_opt(mgr, address, MG_CB(handler, user_data), opts);
}

struct mg_connection *mg_add_sock_opt(struct mg_mgr *mgr, sock_t sock,
                                      MG_CB(mg_event_handler_t handler,
                                            void *user_data),
                                      struct mg_add_sock_opts opts) {
  struct mg_connection *nc;
  int type = 0;
  socklen_t len = sizeof(type);
  struct mg_iface *iface = opts.iface ? opts.iface
                                      : (mgr->num_ifaces ? mgr->ifaces[0] : NULL);
  if (iface == NULL || iface->vtable->sock_set == NULL) {
    set_error(opts.error_string, "interface cannot adopt sockets");
    return NULL;
  }
  nc = new_conn(mgr, handler, MG_PICK_UD(user_data, opts.user_data), iface,
                opts.error_string);
  if (nc == NULL) return NULL;
  nc->flags = opts.flags;
  if (getsockopt(sock, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
      type == SOCK_DGRAM) {
    nc->flags |= MG_F_UDP;
  }
  iface->vtable->sock_set(nc, sock);
  mg__add_conn(mgr, nc);
  return nc;
}

struct mg_connection *mg_add_sock(struct mg_mgr *mgr, sock_t sock,
                                  MG_CB(mg_event_handler_t handler,
                                        void *user_data)) {
  struct mg_add_sock_opts opts;
  memset(&opts, 0, sizeof(opts));
  return mg_add_sock_opt(mgr, sock, MG_CB(handler, user_data), opts);
}

#if MG_ENABLE_SSL
const char *mg_set_ssl(struct mg_connection *nc, const char *cert,
                       const char *ca_cert) {
  struct mg_tls_params p;
  if (nc == NULL) return "no connection";
  if (nc->ssl_if_data != NULL) return "TLS is already set up";
  if (!(nc->flags & (MG_F_LISTENING | MG_F_CONNECTING | MG_F_RESOLVING))) {
    return "call mg_set_ssl() right after mg_bind() or mg_connect()";
  }
  memset(&p, 0, sizeof(p));
  p.cert = cert;
  p.ca_cert = ca_cert;
  p.is_server = (nc->flags & MG_F_LISTENING) != 0;
  return tls_setup(nc, &p);
}

const char *mg_ssl_get_error(const struct mg_connection *nc) {
  if (nc == NULL || nc->ssl_if_data == NULL || nc->mgr->tls == NULL) {
    return NULL;
  }
  return nc->mgr->tls->error(nc);
}

const char *mg_ssl_get_sni(const struct mg_connection *nc) {
  if (nc == NULL || nc->ssl_if_data == NULL || nc->mgr->tls == NULL) {
    return NULL;
  }
  return nc->mgr->tls->server_name(nc);
}
#endif

/* ------------------------------------------------------------------ */
/* Sockets and addresses                                                */

int mg_socketpair(sock_t sp[2], int sock_type) {
  int fds[2];
  if (socketpair(AF_UNIX, sock_type, 0, fds) != 0) return 0;
  sp[0] = fds[0];
  sp[1] = fds[1];
  return 1;
}

int mg_resolve(const char *domain_name, char *ip_addr_buf, size_t buf_len) {
  struct addrinfo hints, *res = NULL;
  int ok = 0;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_INET;
  if (domain_name == NULL || buf_len == 0) return 0;
  if (getaddrinfo(domain_name, NULL, &hints, &res) != 0 || res == NULL) {
    return 0;
  }
  if (res->ai_family == AF_INET) {
    const struct sockaddr_in *sin = (const struct sockaddr_in *) res->ai_addr;
    ok = inet_ntop(AF_INET, &sin->sin_addr, ip_addr_buf, (socklen_t) buf_len) !=
         NULL;
  }
  freeaddrinfo(res);
  return ok;
}

int mg_conn_addr_to_str(struct mg_connection *c, char *buf, size_t len,
                        int flags) {
  union socket_address sa;
  memset(&sa, 0, sizeof(sa));
  if (flags & MG_SOCK_STRINGIFY_REMOTE) {
    sa = c->sa;
  } else if (c->iface != NULL && c->iface->vtable->get_conn_addr != NULL) {
    c->iface->vtable->get_conn_addr(c, 0, &sa);
  }
  return mg_sock_addr_to_str(&sa, buf, len, flags);
}

#if MG_ENABLE_HEXDUMP
void mg_hexdump_connection(struct mg_connection *nc, const char *path,
                           const void *buf, int num_bytes, int ev) {
  FILE *fp;
  char local[60], remote[60];
  const char *dir = ev == MG_EV_RECV ? "<-" : ev == MG_EV_SEND ? "->" : "--";
  if (path == NULL || num_bytes < 0) return;
  if (strcmp(path, "-") == 0) {
    fp = stdout;
  } else if (strcmp(path, "--") == 0) {
    fp = stderr;
  } else if ((fp = mg_fopen(path, "a")) == NULL) {
    return;
  }
  mg_conn_addr_to_str(nc, local, sizeof(local),
                      MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT);
  mg_conn_addr_to_str(nc, remote, sizeof(remote),
                      MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT |
                          MG_SOCK_STRINGIFY_REMOTE);
  fprintf(fp, "%.3f %p %s %s %s %d\n", mg_mgr_time(nc->mgr), (void *) nc,
          local, dir, remote, num_bytes);
  if (buf != NULL && num_bytes > 0) mg_hexdumpf(fp, buf, num_bytes);
  if (fp != stdout && fp != stderr) fclose(fp);
}
#endif
