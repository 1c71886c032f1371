/* Connections: allocation, the manager's list, closing and freeing. */
#include "mg/internal.h"
#include "mg/tls.h"

struct mg_connection *mg__alloc_conn(struct mg_mgr *mgr,
                                     mg_event_handler_t handler) {
  struct mg_connection *c = (struct mg_connection *) MG_CALLOC(1, sizeof(*c));
  if (c == NULL) return NULL;
  c->mgr = mgr;
  c->sock = INVALID_SOCKET;
  c->send_fd = -1; /* no file queued */
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

void mg__destroy_conn(struct mg_connection *c) {
  mg__send_fd_done(c);
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
  int silent = mg__tls_unannounced(c);
#if MG_ENABLE_SSL
  if (mg__uses_tls(c) && (c->flags & MG_F_SSL_HANDSHAKE_DONE)) {
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
