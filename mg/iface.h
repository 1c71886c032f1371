/*
 * Network interfaces: the seam between the core and a transport. Two ship
 * with the core: sockets (epoll on Linux, poll() elsewhere) and the
 * in-memory interface, for tests and WebAssembly: mem://NAME addresses are
 * streams (TCP-like pairs), mem-udp://NAME addresses datagrams (udp://
 * semantics: a listener with one child per client; mg/iface_mem.h tells
 * more and has a test filter that drops, duplicates or delays them).
 *
 * An interface detects readiness and moves bytes; the core owns buffers and
 * events. The interface reports what happened through the mg_if_*_cb()
 * functions below.
 */
#ifndef MG_IFACE_H
#define MG_IFACE_H

#include "mg/net.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One interface instance in a manager. */
struct mg_iface {
  struct mg_mgr *mgr;                   /* owning manager */
  void *data;                           /* implementation state */
  const struct mg_iface_vtable *vtable; /* implementation */
};

/* What an interface implements. Return values: 0 on success or a positive
 * errno value, unless said otherwise. */
struct mg_iface_vtable {
  const char *scheme; /* address scheme it serves ("tcp", "mem"), or NULL */
  void (*init)(struct mg_iface *iface);
  void (*free)(struct mg_iface *iface);
  /* Called when a connection joins or leaves the manager. */
  void (*add_conn)(struct mg_connection *nc);
  void (*remove_conn)(struct mg_connection *nc);
  /* Waits up to timeout_ms for readiness and reports it through the
   * mg_if_*_cb() functions. Returns the number of readiness events. */
  int (*poll)(struct mg_iface *iface, int timeout_ms);
  /* Non-zero when the interface has work that must not wait (poll it with
   * a zero timeout). May be NULL. */
  int (*has_pending)(struct mg_iface *iface);
  /* Listening: sa may be changed to the bound address (port 0). */
  int (*listen_tcp)(struct mg_connection *nc, union socket_address *sa);
  int (*listen_udp)(struct mg_connection *nc, union socket_address *sa);
  /* Starts connecting; completion comes through mg_if_connect_cb(). For a
   * "mem" interface the name (mem://NAME, mem-udp://NAME) is in
   * nc->mgr_data until then, also when listen_* is called. */
  void (*connect_tcp)(struct mg_connection *nc, const union socket_address *sa);
  void (*connect_udp)(struct mg_connection *nc, const union socket_address *sa);
  /* Moves bytes. Return bytes moved, 0 if the operation would block, or a
   * negative errno value on error (-ECONNRESET...). recv returns -EPIPE when
   * the peer closed. */
  long (*tcp_send)(struct mg_connection *nc, const void *buf, size_t len);
  long (*udp_send)(struct mg_connection *nc, const void *buf, size_t len);
  long (*tcp_recv)(struct mg_connection *nc, void *buf, size_t len);
  long (*udp_recv)(struct mg_connection *nc, void *buf, size_t len,
                   union socket_address *sa, size_t *sa_len);
  /* Releases per-connection transport state (closes the socket). */
  void (*destroy_conn)(struct mg_connection *nc);
  /* Adopts an existing socket (mg_add_sock). */
  void (*sock_set)(struct mg_connection *nc, sock_t sock);
  /* Local (remote == 0) or remote address of a connection. */
  void (*get_conn_addr)(struct mg_connection *nc, int remote,
                        union socket_address *sa);
  /* Called when the core's wish to read or write on nc may have changed
   * (send_mbuf filled or emptied, recv_mbuf_limit reached). May be NULL. */
  void (*update_interest)(struct mg_connection *nc);
  /* Sends up to len bytes of file fd from offset without copying them
   * through user space (sendfile). Returns as tcp_send does. May be NULL:
   * the core then reads the file into send_mbuf. */
  long (*tcp_sendfile)(struct mg_connection *nc, int fd, int64_t offset,
                       size_t len);
};

/* The built-in interfaces. */
extern const struct mg_iface_vtable mg_socket_iface_vtable;
extern const struct mg_iface_vtable mg_mem_iface_vtable;
extern const struct mg_iface_vtable *mg_default_iface_vtable;

/* Creates an interface instance for mgr (not added to mgr->ifaces). */
struct mg_iface *mg_if_create_iface(const struct mg_iface_vtable *vtable,
                                    struct mg_mgr *mgr);

/* The interface of mgr serving scheme ("tcp", "mem"), or NULL. */
struct mg_iface *mg_find_iface(struct mg_mgr *mgr,
                               const struct mg_iface_vtable *vtable,
                               struct mg_iface *from);

/* --- Reported by interfaces to the core --- */

/* A listener accepted a peer; returns the new connection (already linked
 * into the manager) for the interface to fill, or NULL to refuse. */
struct mg_connection *mg_if_accept_new_conn(struct mg_connection *lc);
/* The new connection is set up: delivers MG_EV_ACCEPT. */
void mg_if_accept_tcp_cb(struct mg_connection *nc, union socket_address *sa,
                         size_t sa_len);
/* A connect() finished with err (0 on success). */
void mg_if_connect_cb(struct mg_connection *nc, int err);
/* nc (TCP) can be read, or the peer closed/reset it: the core reads. */
void mg_if_can_recv_cb(struct mg_connection *nc);
/* nc can be written: the core writes what is pending. */
void mg_if_can_send_cb(struct mg_connection *nc);
/* A UDP listener or client nc is readable: the core reads datagrams. */
void mg_if_can_recv_udp_cb(struct mg_connection *nc);
/* The broadcast channel of mgr is readable. */
void mg_if_ctl_cb(struct mg_mgr *mgr);

/* Non-zero if the core wants to read nc (not paused by recv_mbuf_limit). */
int mg_if_wants_read(const struct mg_connection *nc);
/* Non-zero if the core has bytes to write on nc. */
int mg_if_wants_write(const struct mg_connection *nc);

#ifdef __cplusplus
}
#endif

#endif /* MG_IFACE_H */
