/*
 * The in-memory interface: mem://NAME addresses. mg_bind(mgr, "mem://srv")
 * and mg_connect(mgr, "mem://srv") in the same manager make a connected
 * pair of stream connections with the same events as TCP. Each end has an
 * inbox; a send appends to the peer's inbox up to a window, so a reader
 * that stops reading pushes back on the writer as TCP does.
 *
 * mem-udp://NAME addresses are its datagrams, with the events of udp://:
 * mg_bind(mgr, "mem-udp://srv") and mg_connect(mgr, "mem-udp://srv") make
 * a listener with one child per client and clients whose every flush is
 * one datagram (iface_mem_udp.c; mg/iface_mem.h has the test filter that
 * drops, duplicates, delays or reorders them). Stream and datagram names
 * are apart, as TCP and UDP ports are.
 */
#include "mg/iface_mem_internal.h"

#ifndef MG_MEM_WINDOW
#define MG_MEM_WINDOW (256 * 1024) /* bytes in flight per direction */
#endif

/* One end of an in-memory stream. */
struct mem_end {
  struct mem_end *peer; /* the other end, NULL once it closed */
  struct mbuf inbox;    /* bytes sent to this end, not yet read */
  int peer_closed;      /* the other end went away */
  unsigned long id;     /* shown as the "port" of the address */
};

/* A named listener. */
struct mem_listener {
  struct mem_listener *next; /* list linkage */
  char *name;                /* NAME of mem://NAME */
  struct mg_connection *nc;  /* the listening connection */
};

struct mem_iface *mg__mem_state(struct mg_iface *iface) {
  return (struct mem_iface *) iface->data;
}

unsigned long mg__mem_next_id(struct mem_iface *mi) {
  return 1 + (mi->next_id++ % 65535);
}

static void mem_init(struct mg_iface *iface) {
  iface->data = MG_CALLOC(1, sizeof(struct mem_iface));
}

static void mem_free(struct mg_iface *iface) {
  struct mem_iface *mi = mg__mem_state(iface);
  if (mi == NULL) return;
  while (mi->listeners != NULL) {
    struct mem_listener *l = mi->listeners;
    mi->listeners = l->next;
    MG_FREE(l->name);
    MG_FREE(l);
  }
  mg__mem_udp_free(mi);
  MG_FREE(mi);
  iface->data = NULL;
}

/* The mem_end of a connected stream nc, or NULL. */
static struct mem_end *end_of(const struct mg_connection *nc) {
  if (nc->io_state & MG__IO_MEM_NAME) return NULL;
  if (nc->flags & MG_F_UDP) return NULL;
  if (nc->flags & MG_F_LISTENING) return NULL;
  return (struct mem_end *) nc->mgr_data;
}

static struct mem_listener *find_listener(struct mem_iface *mi,
                                          const char *name) {
  struct mem_listener *l;
  for (l = mi->listeners; l != NULL; l = l->next) {
    if (strcmp(l->name, name) == 0) return l;
  }
  return NULL;
}

static int mem_listen_tcp(struct mg_connection *nc, union socket_address *sa) {
  struct mem_iface *mi = mg__mem_state(nc->iface);
  struct mem_listener *l;
  const char *name = (const char *) nc->mgr_data;
  (void) sa;
  if (mi == NULL || name == NULL) return EINVAL;
  if (find_listener(mi, name) != NULL) return EADDRINUSE;
  l = (struct mem_listener *) MG_CALLOC(1, sizeof(*l));
  if (l == NULL) return ENOMEM;
  l->name = (char *) nc->mgr_data; /* the listener takes the name */
  l->nc = nc;
  l->next = mi->listeners;
  mi->listeners = l;
  nc->mgr_data = l;
  nc->io_state &= ~(unsigned int) MG__IO_MEM_NAME;
  return 0;
}

static void mem_connect_tcp(struct mg_connection *nc,
                            const union socket_address *sa) {
  (void) sa;
  (void) nc; /* paired in the next poll, so events arrive in order */
}

void mg__mem_addr(unsigned long id, union socket_address *sa) {
  memset(sa, 0, sizeof(*sa));
  sa->sin.sin_family = AF_INET;
  sa->sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa->sin.sin_port = htons((uint16_t) id);
}

/* A fake IPv4 loopback address naming an end (port = its id). */
static void end_addr(const struct mem_end *e, union socket_address *sa) {
  mg__mem_addr(e != NULL ? e->id : 0, sa);
}

static struct mem_end *new_end(struct mem_iface *mi) {
  struct mem_end *e = (struct mem_end *) MG_CALLOC(1, sizeof(*e));
  if (e != NULL) e->id = mg__mem_next_id(mi);
  return e;
}

/* Pairs a connecting nc with the listener its name refers to. */
static void pair(struct mg_iface *iface, struct mg_connection *nc) {
  struct mem_iface *mi = mg__mem_state(iface);
  struct mem_listener *l = find_listener(mi, (const char *) nc->mgr_data);
  struct mem_end *a, *b;
  struct mg_connection *srv;
  union socket_address sa;
  MG_FREE(nc->mgr_data);
  nc->mgr_data = NULL;
  nc->io_state &= ~(unsigned int) MG__IO_MEM_NAME;
  if (l == NULL || (l->nc->flags & MG_F_CLOSE_IMMEDIATELY)) {
    mg_if_connect_cb(nc, ECONNREFUSED);
    return;
  }
  a = new_end(mi);
  b = new_end(mi);
  srv = (a && b) ? mg_if_accept_new_conn(l->nc) : NULL;
  if (srv == NULL) {
    MG_FREE(a);
    MG_FREE(b);
    mg_if_connect_cb(nc, ENOMEM);
    return;
  }
  a->peer = b;
  b->peer = a;
  nc->mgr_data = a;
  srv->mgr_data = b;
  end_addr(b, &nc->sa);
  end_addr(a, &sa);
  mg_if_accept_tcp_cb(srv, &sa, sizeof(sa.sin));
  mg_if_connect_cb(nc, 0);
}

/* Non-zero if nc can make progress now. */
static int conn_ready(const struct mg_connection *nc) {
  const struct mem_end *e = end_of(nc);
  if (nc->flags & MG_F_UDP) return mg__mem_udp_ready(nc);
  if (nc->flags & MG_F_CLOSE_IMMEDIATELY) return 0;
  if (nc->io_state & MG__IO_MEM_NAME) return !(nc->flags & MG_F_LISTENING);
  if (e == NULL) return 0;
  if (mg_if_wants_read(nc) && (e->inbox.len > 0 || e->peer_closed)) return 1;
  return mg_if_wants_write(nc) &&
         (e->peer == NULL || e->peer->inbox.len < MG_MEM_WINDOW);
}

static int mem_poll(struct mg_iface *iface, int timeout_ms) {
  struct mem_iface *mi = mg__mem_state(iface);
  struct mg_connection *nc, *next;
  int n = 0;
  (void) timeout_ms; /* nothing to wait for: work is known or absent */
  if (mi != NULL) mi->polls++; /* the clock of held datagrams */
  for (nc = iface->mgr->active_connections; nc != NULL; nc = next) {
    next = nc->next;
    if (nc->iface != iface || !conn_ready(nc)) continue;
    n++;
    if (nc->flags & MG_F_UDP) {
      mg_if_can_recv_udp_cb(nc); /* datagrams; the core flushes replies */
      continue;
    }
    if (nc->io_state & MG__IO_MEM_NAME) {
      pair(iface, nc);
      continue;
    }
    if (mg_if_wants_read(nc)) mg_if_can_recv_cb(nc);
    if (mg_if_wants_write(nc)) mg_if_can_send_cb(nc);
  }
  return n;
}

static int mem_has_pending(struct mg_iface *iface) {
  struct mem_iface *mi = mg__mem_state(iface);
  struct mg_connection *nc;
  /* A held datagram counts: a hold is measured in polls, not in time. */
  if (mi != NULL && mi->polls < mi->hold_until) return 1;
  for (nc = iface->mgr->active_connections; nc != NULL; nc = nc->next) {
    if (nc->iface == iface && conn_ready(nc)) return 1;
  }
  return 0;
}

static long mem_tcp_send(struct mg_connection *nc, const void *buf,
                         size_t len) {
  struct mem_end *e = end_of(nc);
  size_t room;
  if (e == NULL || e->peer == NULL) return -EPIPE;
  if (e->peer->inbox.len >= MG_MEM_WINDOW) return 0;
  room = MG_MEM_WINDOW - e->peer->inbox.len;
  if (len > room) len = room;
  if (mbuf_append(&e->peer->inbox, buf, len) != len) return -ENOMEM;
  return (long) len;
}

static long mem_tcp_recv(struct mg_connection *nc, void *buf, size_t len) {
  struct mem_end *e = end_of(nc);
  if (e == NULL) return -ENOTCONN;
  if (e->inbox.len == 0) return e->peer_closed ? -EPIPE : 0;
  if (len > e->inbox.len) len = e->inbox.len;
  memcpy(buf, e->inbox.buf, len);
  mbuf_remove(&e->inbox, len);
  if (e->inbox.len == 0) mbuf_trim(&e->inbox);
  return (long) len;
}

/* Forgets the listener record of a closing listening connection. */
static void drop_listener(struct mg_connection *nc) {
  struct mem_iface *mi = mg__mem_state(nc->iface);
  struct mem_listener **pl;
  for (pl = &mi->listeners; mi != NULL && *pl != NULL; pl = &(*pl)->next) {
    if ((*pl)->nc == nc) {
      struct mem_listener *l = *pl;
      *pl = l->next;
      MG_FREE(l->name);
      MG_FREE(l);
      break;
    }
  }
  nc->mgr_data = NULL;
}

static void mem_destroy_conn(struct mg_connection *nc) {
  struct mem_end *e;
  if (nc->flags & MG_F_UDP) {
    mg__mem_udp_destroy(nc);
    return;
  }
  if (nc->flags & MG_F_LISTENING) {
    if (!(nc->io_state & MG__IO_MEM_NAME)) drop_listener(nc);
    return;
  }
  e = end_of(nc);
  if (e == NULL) return;
  if (e->peer != NULL) {
    e->peer->peer = NULL;
    e->peer->peer_closed = 1;
  }
  mbuf_free(&e->inbox);
  MG_FREE(e);
  nc->mgr_data = NULL;
}

static void mem_get_conn_addr(struct mg_connection *nc, int remote,
                              union socket_address *sa) {
  const struct mem_end *e = end_of(nc);
  if (nc->flags & MG_F_UDP) {
    mg__mem_udp_addr(nc, remote, sa);
    return;
  }
  if (remote) {
    *sa = nc->sa;
  } else {
    end_addr(e, sa);
  }
}

const struct mg_iface_vtable mg_mem_iface_vtable = {
    .scheme = "mem",
    .init = mem_init,
    .free = mem_free,
    .add_conn = NULL,
    .remove_conn = NULL,
    .poll = mem_poll,
    .has_pending = mem_has_pending,
    .listen_tcp = mem_listen_tcp,
    .listen_udp = mg__mem_udp_listen,
    .connect_tcp = mem_connect_tcp,
    .connect_udp = mg__mem_udp_connect,
    .tcp_send = mem_tcp_send,
    .udp_send = mg__mem_udp_send,
    .tcp_recv = mem_tcp_recv,
    .udp_recv = mg__mem_udp_recv,
    .destroy_conn = mem_destroy_conn,
    .sock_set = NULL,
    .get_conn_addr = mem_get_conn_addr,
    .update_interest = NULL,
    .tcp_sendfile = NULL,
};
