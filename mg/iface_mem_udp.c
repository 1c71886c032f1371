/*
 * Datagrams on the in-memory interface: mem-udp://NAME (streams, mem://, are
 * in iface_mem.c). A listener or client owns a mem_udp_end: its fake
 * address and the queue of datagrams sent to it. A client's datagram goes
 * to whoever is bound to its NAME when it leaves; the core reads the
 * listener's queue through udp_recv and makes one child per client
 * address (udp_child() in io.c); a child's reply goes to the client
 * with the child's peer address. Datagrams are copied into the receiver's
 * queue, so either side may close at any time; closing frees the closing
 * side's queue.
 */
#include "mg/iface_mem_internal.h"

/* One datagram waiting in a receiver's queue. */
struct mem_dgram {
  struct mem_dgram *next;    /* queue linkage */
  union socket_address from; /* the sender's address */
  unsigned long due;         /* readable from this poll count on; 0: now */
  size_t len;                /* bytes at data */
  char *data;                /* the bytes, allocated with the struct */
};

/* A datagram endpoint: a mem-udp:// listener or client. */
struct mem_udp_end {
  struct mem_udp_end *next; /* mem_iface::udp_ends linkage */
  struct mg_connection *nc; /* its connection */
  char *name;               /* NAME bound (listener) or sent to (client) */
  unsigned long id;         /* the port of its address */
  struct mem_dgram *head;   /* oldest datagram received, or NULL */
  struct mem_dgram *tail;   /* newest, or NULL */
  size_t count;             /* datagrams queued */
};

/* The endpoint of a UDP listener or client (not of a child), or NULL. */
static struct mem_udp_end *udp_end(const struct mg_connection *nc) {
  if (nc->io_state & (MG__IO_MEM_NAME | MG__IO_UDP_CHILD)) return NULL;
  return (struct mem_udp_end *) nc->mgr_data;
}

/* The listener bound to name, or NULL. */
static struct mem_udp_end *find_bound(struct mem_iface *mi, const char *name) {
  struct mem_udp_end *e;
  for (e = mi->udp_ends; e != NULL; e = e->next) {
    if ((e->nc->flags & MG_F_LISTENING) && strcmp(e->name, name) == 0) {
      return e;
    }
  }
  return NULL;
}

/* The endpoint with port id, or NULL. */
static struct mem_udp_end *find_id(struct mem_iface *mi, unsigned long id) {
  struct mem_udp_end *e;
  for (e = mi->udp_ends; e != NULL; e = e->next) {
    if (e->id == id) return e;
  }
  return NULL;
}

/* The client whose address is sa, or NULL. */
static struct mem_udp_end *find_client(struct mem_iface *mi,
                                       const union socket_address *sa) {
  struct mem_udp_end *e;
  if (sa->sa.sa_family != AF_INET) return NULL;
  e = find_id(mi, ntohs(sa->sin.sin_port));
  return e != NULL && !(e->nc->flags & MG_F_LISTENING) ? e : NULL;
}

/* Gives nc an endpoint with a port no other endpoint has, taking the name
 * from nc->mgr_data. Returns 0 or an errno value. */
static int adopt(struct mem_iface *mi, struct mg_connection *nc) {
  struct mem_udp_end *e;
  long tries;
  e = (struct mem_udp_end *) MG_CALLOC(1, sizeof(*e));
  if (e == NULL) return ENOMEM;
  for (tries = 0; tries < 65535; tries++) {
    e->id = mg__mem_next_id(mi);
    if (find_id(mi, e->id) == NULL) break;
  }
  if (tries == 65535) {
    MG_FREE(e);
    return EADDRINUSE;
  }
  e->nc = nc;
  e->name = (char *) nc->mgr_data;
  e->next = mi->udp_ends;
  mi->udp_ends = e;
  nc->mgr_data = e;
  nc->io_state &= ~(unsigned int) MG__IO_MEM_NAME;
  return 0;
}

int mg__mem_udp_listen(struct mg_connection *nc, union socket_address *sa) {
  struct mem_iface *mi = mg__mem_state(nc->iface);
  int err;
  if (mi == NULL || nc->mgr_data == NULL) return EINVAL;
  if (find_bound(mi, (const char *) nc->mgr_data) != NULL) return EADDRINUSE;
  err = adopt(mi, nc);
  if (err == 0) mg__mem_addr(udp_end(nc)->id, sa);
  return err;
}

void mg__mem_udp_connect(struct mg_connection *nc,
                         const union socket_address *sa) {
  struct mem_iface *mi = mg__mem_state(nc->iface);
  struct mem_udp_end *l;
  int err = (mi == NULL || nc->mgr_data == NULL) ? EINVAL : adopt(mi, nc);
  (void) sa;
  if (err == 0) {
    /* The peer address: the listener's, if one is bound now. */
    l = find_bound(mi, udp_end(nc)->name);
    mg__mem_addr(l != NULL ? l->id : 0, &nc->sa);
  }
  mg__connect_pending(nc, err); /* MG_EV_CONNECT in the next poll */
}

/* Non-zero if d may be read now. */
static int is_ready(const struct mem_iface *mi, const struct mem_dgram *d) {
  return d->due == 0 || mi->polls >= d->due;
}

/* Appends a copy of a datagram to to's queue, unless the queue is full. */
static void enqueue(struct mem_udp_end *to, const union socket_address *from,
                    const void *buf, size_t len, unsigned long due) {
  struct mem_dgram *d;
  if (to->count >= MG_MEM_UDP_QUEUE_LEN) return; /* a full socket buffer */
  if (len > MG_UDP_RECV_BUFFER_SIZE) len = MG_UDP_RECV_BUFFER_SIZE;
  d = (struct mem_dgram *) MG_MALLOC(sizeof(*d) + len);
  if (d == NULL) return; /* lost, as UDP may lose it */
  d->next = NULL;
  d->from = *from;
  d->due = due;
  d->len = len;
  d->data = (char *) (d + 1);
  if (len > 0) memcpy(d->data, buf, len);
  if (to->tail != NULL) {
    to->tail->next = d;
  } else {
    to->head = d;
  }
  to->tail = d;
  to->count++;
}

/* Shows datagram seq to the filter, then queues it for to as it says. */
static void post(struct mem_iface *mi, const struct mem_udp_end *from,
                 struct mem_udp_end *to, const void *buf, size_t len,
                 unsigned long seq) {
  int action = MG_MEM_UDP_DELIVER;
  unsigned long due = 0;
  union socket_address sa;
  mg__mem_addr(from->id, &sa);
  if (mi->filter != NULL) {
    struct mg_mem_udp_datagram d;
    memset(&d, 0, sizeof(d));
    d.seq = seq;
    d.from = sa;
    mg__mem_addr(to->id, &d.to);
    d.name = (to->nc->flags & MG_F_LISTENING) ? to->name : NULL;
    d.buf = (const char *) buf;
    d.len = len;
    action = mi->filter(&d, mi->filter_arg);
  }
  if (action == MG_MEM_UDP_DROP) return;
  if (action > 0) {
    /* Readable from the (n + 1)-th poll on: n polls later than it would
     * have been. */
    due = mi->polls + 1 + (unsigned long) action;
    if (due > mi->hold_until) mi->hold_until = due;
  }
  enqueue(to, &sa, buf, len, due);
  if (action == MG_MEM_UDP_DUPLICATE) enqueue(to, &sa, buf, len, 0);
}

long mg__mem_udp_send(struct mg_connection *nc, const void *buf, size_t len) {
  struct mem_iface *mi = mg__mem_state(nc->iface);
  struct mem_udp_end *from, *to;
  if (mi == NULL) return -EBADF;
  if (nc->io_state & MG__IO_UDP_CHILD) {
    /* A reply: from the listener's address to the child's peer. */
    from = nc->listener != NULL ? udp_end(nc->listener) : NULL;
    to = find_client(mi, &nc->sa);
  } else {
    from = udp_end(nc);
    if (nc->flags & MG_F_LISTENING) return -EDESTADDRREQ;
    to = from != NULL ? find_bound(mi, from->name) : NULL;
  }
  if (from == NULL) return -EBADF;
  mi->seq++;
  if (to != NULL && !(to->nc->flags & MG_F_CLOSE_IMMEDIATELY)) {
    post(mi, from, to, buf, len, mi->seq - 1);
  }
  return (long) len; /* sent, even if nobody receives it */
}

/* Unlinks and returns the first datagram of e that may be read, or NULL. */
static struct mem_dgram *take_ready(const struct mem_iface *mi,
                                    struct mem_udp_end *e) {
  struct mem_dgram *d, *prev = NULL;
  for (d = e->head; d != NULL; prev = d, d = d->next) {
    if (!is_ready(mi, d)) continue;
    if (prev != NULL) {
      prev->next = d->next;
    } else {
      e->head = d->next;
    }
    if (e->tail == d) e->tail = prev;
    e->count--;
    return d;
  }
  return NULL;
}

long mg__mem_udp_recv(struct mg_connection *nc, void *buf, size_t len,
                      union socket_address *sa, size_t *sa_len) {
  struct mem_iface *mi = mg__mem_state(nc->iface);
  struct mem_udp_end *e = udp_end(nc);
  struct mem_dgram *d = (mi != NULL && e != NULL) ? take_ready(mi, e) : NULL;
  if (d == NULL) {
    *sa_len = 0; /* would block */
    return 0;
  }
  if (len > d->len) len = d->len;
  if (len > 0) memcpy(buf, d->data, len);
  *sa = d->from;
  *sa_len = sizeof(sa->sin);
  MG_FREE(d);
  return (long) len;
}

int mg__mem_udp_ready(const struct mg_connection *nc) {
  const struct mem_iface *mi = mg__mem_state(nc->iface);
  const struct mem_udp_end *e = udp_end(nc);
  const struct mem_dgram *d;
  if (mi == NULL || e == NULL || (nc->flags & MG_F_CLOSE_IMMEDIATELY)) {
    return 0;
  }
  if (!(nc->flags & MG_F_LISTENING) && !mg_if_wants_read(nc)) return 0;
  for (d = e->head; d != NULL; d = d->next) {
    if (is_ready(mi, d)) return 1;
  }
  return 0;
}

/* Frees e, its name and its queue. */
static void free_end(struct mem_udp_end *e) {
  while (e->head != NULL) {
    struct mem_dgram *d = e->head;
    e->head = d->next;
    MG_FREE(d);
  }
  MG_FREE(e->name);
  MG_FREE(e);
}

void mg__mem_udp_destroy(struct mg_connection *nc) {
  struct mem_iface *mi = mg__mem_state(nc->iface);
  struct mem_udp_end *e = udp_end(nc), **pe;
  if (mi == NULL || e == NULL) return;
  for (pe = &mi->udp_ends; *pe != NULL; pe = &(*pe)->next) {
    if (*pe == e) {
      *pe = e->next;
      break;
    }
  }
  free_end(e);
  nc->mgr_data = NULL;
}

void mg__mem_udp_addr(struct mg_connection *nc, int remote,
                      union socket_address *sa) {
  const struct mg_connection *own =
      (nc->io_state & MG__IO_UDP_CHILD) ? nc->listener : nc;
  const struct mem_udp_end *e = own != NULL ? udp_end(own) : NULL;
  if (remote) {
    *sa = nc->sa;
  } else {
    mg__mem_addr(e != NULL ? e->id : 0, sa);
  }
}

void mg__mem_udp_free(struct mem_iface *mi) {
  while (mi->udp_ends != NULL) {
    struct mem_udp_end *e = mi->udp_ends;
    mi->udp_ends = e->next;
    free_end(e);
  }
}

int mg_mem_udp_set_filter(struct mg_mgr *mgr, mg_mem_udp_filter_fn fn,
                          void *arg) {
  struct mg_iface *iface = mg_find_iface(mgr, &mg_mem_iface_vtable, NULL);
  int found = -1;
  for (; iface != NULL;
       iface = mg_find_iface(mgr, &mg_mem_iface_vtable, iface)) {
    struct mem_iface *mi = mg__mem_state(iface);
    if (mi == NULL) continue;
    mi->filter = fn;
    mi->filter_arg = arg;
    found = 0;
  }
  return found;
}
