/* Shared by the in-memory interface's streams (iface_mem.c) and datagrams
 * (iface_mem_udp.c). Private to the core. */
#ifndef MG_IFACE_MEM_INTERNAL_H
#define MG_IFACE_MEM_INTERNAL_H

#include "mg/iface_mem.h"
#include "mg/internal.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mem_listener;
struct mem_udp_end;

/* Per-interface state. */
struct mem_iface {
  struct mem_listener *listeners; /* bound stream names */
  struct mem_udp_end *udp_ends;   /* datagram listeners and clients */
  unsigned long next_id;          /* for the next fake port */
  unsigned long polls;            /* polls of the interface so far */
  unsigned long seq;              /* datagrams sent so far */
  unsigned long hold_until;       /* polls below it: a datagram may be held */
  mg_mem_udp_filter_fn filter;    /* datagram filter, or NULL */
  void *filter_arg;               /* its argument */
};

/* The state of a mem interface (NULL if it could not be allocated). */
struct mem_iface *mg__mem_state(struct mg_iface *iface);
/* A new fake port, 1..65535 (they repeat after 65535). */
unsigned long mg__mem_next_id(struct mem_iface *mi);
/* The fake IPv4 loopback address with port id. */
void mg__mem_addr(unsigned long id, union socket_address *sa);

/* Datagrams (iface_mem_udp.c); the first six are vtable entries. */
int mg__mem_udp_listen(struct mg_connection *nc, union socket_address *sa);
void mg__mem_udp_connect(struct mg_connection *nc,
                         const union socket_address *sa);
long mg__mem_udp_send(struct mg_connection *nc, const void *buf, size_t len);
long mg__mem_udp_recv(struct mg_connection *nc, void *buf, size_t len,
                      union socket_address *sa, size_t *sa_len);
void mg__mem_udp_destroy(struct mg_connection *nc);
void mg__mem_udp_addr(struct mg_connection *nc, int remote,
                      union socket_address *sa);
/* Non-zero if UDP listener or client nc has a datagram to read now. */
int mg__mem_udp_ready(const struct mg_connection *nc);
/* Frees what is left of the datagram state. */
void mg__mem_udp_free(struct mem_iface *mi);

#ifdef __cplusplus
}
#endif

#endif /* MG_IFACE_MEM_INTERNAL_H */
