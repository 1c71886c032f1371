/* The core's side of interfaces (mg/iface.h): creating and finding
 * them, what a connection waits for, accepted connections and the outcome
 * of a connect. */
#include "mg/internal.h"
#include "mg/tls.h"

const struct mg_iface_vtable *mg_default_iface_vtable = &mg_socket_iface_vtable;

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
struct mg_iface *mg__iface_by_scheme(struct mg_mgr *mgr, const char *s) {
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
  if (mg__tls_handshaking(nc)) return (nc->flags & MG_F_WANT_READ) != 0;
#endif
  return nc->recv_mbuf.len < nc->recv_mbuf_limit;
}

int mg_if_wants_write(const struct mg_connection *nc) {
  if (nc->flags & (MG_F_CLOSE_IMMEDIATELY | MG_F_CONNECTING | MG_F_RESOLVING))
    return 0;
#if MG_ENABLE_SSL
  /* The handshake, or a TLS read that must write first. */
  if (mg__tls_handshaking(nc) ||
      (mg__uses_tls(nc) && (nc->flags & MG_F_WANT_WRITE))) {
    return (nc->flags & MG_F_WANT_WRITE) != 0;
  }
#endif
  if (nc->flags & MG_F_BUFFER_BUT_DONT_SEND) return 0;
  return nc->send_mbuf.len > nc->send_off || nc->send_fd >= 0;
}

/* Copies the new connection's settings from its listener. */
static void inherit_from_listener(struct mg_connection *nc,
                                  struct mg_connection *lc) {
  nc->listener = lc;
  nc->iface = lc->iface;
  nc->user_data = lc->user_data;
  nc->recv_mbuf_limit = lc->recv_mbuf_limit;
  nc->flags = lc->flags &
              ~(unsigned long) (MG_F_LISTENING | MG_F_SSL_HANDSHAKE_DONE |
                                MG_F_WANT_READ | MG_F_WANT_WRITE |
                                MG_F_CLOSE_IMMEDIATELY | MG_F_SEND_AND_CLOSE);
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
  if (mg__uses_tls(lc)) {
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

/* Stores a peer address, unwrapping IPv4-mapped IPv6 into plain IPv4. */
static void set_peer_addr(struct mg_connection *nc,
                          const union socket_address *sa) {
  mg__normalize_addr(&nc->sa, sa);
}

/* Delivers MG_EV_CONNECT(err); a failed connection is then closed. */
void mg__deliver_connect(struct mg_connection *nc, int err) {
  if (err != 0) nc->err = err;
  mg_call(nc, MG_EV_CONNECT, &err);
  if (err != 0) nc->flags |= MG_F_CLOSE_IMMEDIATELY;
}

void mg_if_accept_tcp_cb(struct mg_connection *nc, union socket_address *sa,
                         size_t sa_len) {
  (void) sa_len;
  set_peer_addr(nc, sa);
  nc->last_io_time = (time_t) mg_mgr_time(nc->mgr);
#if MG_ENABLE_SSL
  if (mg__tls_handshaking(nc)) {
    mg__tls_advance(nc); /* MG_EV_ACCEPT once the handshake is done */
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
  if (err == 0 && mg__tls_handshaking(nc)) {
    mg__tls_advance(nc); /* MG_EV_CONNECT once the handshake is done */
    return;
  }
#endif
  mg__deliver_connect(nc, err);
}
