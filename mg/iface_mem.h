/*
 * Datagrams on the in-memory interface (mem-udp://NAME) and a test hook
 * that drops, duplicates, delays or reorders them. mg/core.h does not
 * include this header: a test that wants the hook includes it.
 *
 * mg_bind(mgr, "mem-udp://NAME") and mg_connect(mgr, "mem-udp://NAME") in
 * one manager behave as udp:// does: each send_mbuf flush is one datagram
 * and one MG_EV_RECV with exactly its bytes; the listener gets one child
 * connection per client, whose replies go back to that client. Every
 * client has its own address (127.0.0.1, a port of its own); its peer
 * address is the listener's if one was bound when it connected. The NAME
 * is looked up for each datagram: one to a NAME nobody is bound to is
 * lost, silently, and MG_EV_CONNECT says 0 as for udp://. A datagram
 * longer than MG_UDP_RECV_BUFFER_SIZE arrives cut to that size, as
 * recvfrom() cuts it. The core cannot send an empty datagram (mg_send()
 * ignores 0 bytes).
 */
#ifndef MG_IFACE_MEM_H
#define MG_IFACE_MEM_H

#include "mg/net.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Datagrams a mem-udp receiver (listener or client) holds unread; more are
 * dropped, as a full UDP socket buffer drops them. */
#ifndef MG_MEM_UDP_QUEUE_LEN
#define MG_MEM_UDP_QUEUE_LEN 256
#endif

/* What a filter returns for a datagram. */
#define MG_MEM_UDP_DELIVER 0 /* queue it for the receiver */
#define MG_MEM_UDP_DROP (-1) /* lose it */
/* queue it twice, one copy after the other */
#define MG_MEM_UDP_DUPLICATE (-2)
/* Queue it but keep it unreadable for the next n (> 0) polls of the
 * manager; datagrams sent after it may be read before it (a reorder). */
#define MG_MEM_UDP_HOLD(n) (n)

/* A datagram on its way to a receiver, as a filter sees it. */
struct mg_mem_udp_datagram {
  unsigned long seq;         /* 0, 1, 2...: the order datagrams were sent in
                                on the manager, lost ones included */
  union socket_address from; /* the sender's address, as the receiver sees it */
  union socket_address to;   /* the receiver's (its local address) */
  const char *name;          /* NAME for a datagram to a listener, NULL for a
                                reply to a client */
  const char *buf;           /* the bytes */
  size_t len;                /* how many */
};

/* Decides what happens to datagram d; arg is the one given with it to
 * mg_mem_udp_set_filter(). Called inside mg_mgr_poll() as d leaves, for
 * datagrams that have a receiver; it must not call into the manager.
 * Returns one of the MG_MEM_UDP_* values above. */
typedef int (*mg_mem_udp_filter_fn)(const struct mg_mem_udp_datagram *d,
                                    void *arg);

/* Sets the datagram filter of mgr's in-memory interface; NULL (the
 * default) delivers every datagram, in order. Returns 0, or -1 if mgr has
 * no in-memory interface. */
int mg_mem_udp_set_filter(struct mg_mgr *mgr, mg_mem_udp_filter_fn fn,
                          void *arg);

#ifdef __cplusplus
}
#endif

#endif /* MG_IFACE_MEM_H */
