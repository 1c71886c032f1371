/*
 * Core API: the event manager, connections, events and flags, bind/connect,
 * timers, broadcast, ACL. The manager is single-threaded: call everything
 * for one manager from one thread, except mg_broadcast().
 */
#ifndef MG_NET_H
#define MG_NET_H

#include "mg/mbuf.h"
#include "mg/str.h"
#include "mg/util.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mg_connection;
struct mg_mgr;
struct mg_iface;
struct mg_iface_vtable;
struct mg_layer;
struct mg__registry;
struct mg_tls_vtable;

/* Callback function (event handler) prototype. */
typedef void (*mg_event_handler_t)(struct mg_connection *nc, int ev,
                                   void *ev_data MG_UD_ARG(void *user_data));

/* A clock: seconds on the same scale as mg_time() (UNIX time, sub-second
 * precision), read through mg_mgr_time(). arg is the one given to
 * mg_mgr_set_clock(). It is called from the manager's thread only. */
typedef double (*mg_clock_fn)(void *arg);

/* Core events (0-99; plugins own the ranges listed in mg/plugin.h). */
#define MG_EV_POLL 0    /* Sent to each connection on each mg_mgr_poll() */
#define MG_EV_ACCEPT 1  /* New connection accepted. union socket_address * */
#define MG_EV_CONNECT 2 /* connect() succeeded or failed. int *status */
#define MG_EV_RECV 3    /* Data has been received. int *num_bytes */
#define MG_EV_SEND 4    /* Data has been written to a socket. int *num_bytes */
#define MG_EV_CLOSE 5   /* Connection is closed. NULL */
#define MG_EV_TIMER 6   /* now >= conn->ev_timer_time. double * (old value) */

/* Mongoose event manager. */
struct mg_mgr {
  struct mg_connection *active_connections; /* list of connections */
#if MG_ENABLE_HEXDUMP
  const char *hexdump_file; /* Debug hexdump file path */
#endif
#if MG_ENABLE_BROADCAST
  sock_t ctl[2]; /* Socketpair for mg_broadcast() */
#endif
  void *user_data;          /* User data */
  int num_ifaces;           /* number of entries in ifaces */
  int num_calls;            /* number of mg_mgr_poll() calls so far */
  struct mg_iface **ifaces; /* network interfaces; [0] is the main one */
  const char *nameserver;   /* DNS server to use */
  /* Private to the core. */
  struct mg__registry *plugins; /* registered plugins and their state */
  /* Set by a resolver plugin, or NULL: resolves host for nc (nameserver
   * from mg_connect_opts, may be NULL), then calls mg_resolve_done(). */
  void (*resolver)(struct mg_connection *nc, const char *host, int port,
                   const char *nameserver);
  unsigned int num_events;         /* user events in the current poll */
  struct mg_layer *dead_layers;    /* detached layers freed after dispatch */
  int dispatch_depth;              /* nesting of mg_call() */
  const struct mg_tls_vtable *tls; /* set by the TLS plugin, or NULL */
  mg_clock_fn clock_fn; /* clock of mg_mgr_time(), or NULL: mg_time() */
  void *clock_arg;      /* the argument clock_fn is called with */
};

/* Mongoose connection. */
struct mg_connection {
  struct mg_connection *next, *prev; /* mg_mgr::active_connections linkage */
  struct mg_connection *listener;    /* Set only for accept()-ed connections */
  struct mg_mgr *mgr;                /* Pointer to containing manager */

  sock_t sock;             /* Socket to the remote peer */
  int err;                 /* last error (errno) seen on the connection */
  union socket_address sa; /* Remote peer address */
  size_t recv_mbuf_limit;  /* Max size of recv buffer */
  struct mbuf recv_mbuf;   /* Received data */
  struct mbuf send_mbuf;   /* Data scheduled for sending */
  time_t last_io_time;     /* mg_mgr_time() of the last socket IO */
  double ev_timer_time;    /* mg_mgr_time() of the next MG_EV_TIMER */
  mg_event_handler_t proto_handler; /* Protocol-specific event handler */
  void *proto_data;                 /* Protocol-specific data */
  void (*proto_data_destructor)(void *proto_data); /* frees proto_data */
  mg_event_handler_t handler;                      /* Event handler function */
  void *user_data;                                 /* User-specific data */
  union {
    void *v;
    /*
     * the C standard is fussy about fitting function pointers into
     * void pointers, since some archs might have fat pointers for functions.
     */
    mg_event_handler_t f;
  } priv_1;               /* protocol-private */
  void *priv_2;           /* protocol-private */
  void *mgr_data;         /* Implementation-specific event manager's data. */
  struct mg_iface *iface; /* interface the connection lives on */
  unsigned long flags;    /* MG_F_* */
/* Flags set by Mongoose */
#define MG_F_LISTENING (1 << 0)          /* This connection is listening */
#define MG_F_UDP (1 << 1)                /* This connection is UDP */
#define MG_F_RESOLVING (1 << 2)          /* Waiting for async resolver */
#define MG_F_CONNECTING (1 << 3)         /* connect() call in progress */
#define MG_F_SSL (1 << 4)                /* SSL is enabled on the connection */
#define MG_F_SSL_HANDSHAKE_DONE (1 << 5) /* SSL hanshake has completed */
#define MG_F_WANT_READ (1 << 6)          /* SSL specific */
#define MG_F_WANT_WRITE (1 << 7)         /* SSL specific */
#define MG_F_IS_WEBSOCKET (1 << 8)       /* Websocket specific */
#define MG_F_RECV_AND_CLOSE (1 << 9) /* Drain rx and close the connection. */

/* Flags that are settable by user */
#define MG_F_SEND_AND_CLOSE (1 << 10)    /* Push remaining data and close  */
#define MG_F_CLOSE_IMMEDIATELY (1 << 11) /* Disconnect */

/* Flags for protocol handlers */
#define MG_F_PROTO_1 (1 << 12)
#define MG_F_PROTO_2 (1 << 13)
#define MG_F_ENABLE_BROADCAST (1 << 14) /* Allow broadcast address usage */

/* Hold data in send_mbuf until the flag is cleared. */
#define MG_F_BUFFER_BUT_DONT_SEND (1 << 15)
/* Bits 16-19 belong to plugins: each plugin header defines its own and
 * mg/plugin.h lists who owns which. */

/* Flags left for application */
#define MG_F_USER_1 (1 << 20)
#define MG_F_USER_2 (1 << 21)
#define MG_F_USER_3 (1 << 22)
#define MG_F_USER_4 (1 << 23)
#define MG_F_USER_5 (1 << 24)
#define MG_F_USER_6 (1 << 25)

#if MG_ENABLE_SSL
  void *ssl_if_data; /* SSL library data. */
#else
  void *unused_ssl_if_data; /* To keep the size of the structure the same. */
#endif
  /* Private to the core. */
  struct mg_layer *layers; /* protocol layers, bottom first */
  size_t send_off;         /* bytes of send_mbuf already written */
  unsigned int io_state;   /* interface bookkeeping */
  int send_fd;             /* file queued by mg__send_fd(), or -1 */
  size_t send_fd_mark;     /* its bytes go out after send_mbuf[0, mark) */
  int64_t send_fd_off;     /* its next offset */
  int64_t send_fd_left;    /* its bytes still to send */
};

/* Optional parameters to mg_mgr_init_opt(). */
struct mg_mgr_init_opts {
  const struct mg_iface_vtable *main_iface; /* NULL: the platform default */
  int num_ifaces;                           /* entries in ifaces, or 0 */
  const struct mg_iface_vtable **ifaces;    /* full interface set, or NULL */
  const char *nameserver;                   /* DNS server to use */
};

/* Optional parameters to mg_add_sock_opt(). */
struct mg_add_sock_opts {
  void *user_data;           /* Initial value for connection's user_data */
  unsigned int flags;        /* Initial connection flags */
  const char **error_string; /* Placeholder for the error string */
  struct mg_iface *iface;    /* Interface instance */
};

/* Optional parameters to mg_bind_opt(). */
struct mg_bind_opts {
  void *user_data;           /* Initial value for connection's user_data */
  unsigned int flags;        /* Extra connection flags */
  const char **error_string; /* Placeholder for the error string */
  struct mg_iface *iface;    /* Interface instance */
#if MG_ENABLE_SSL
  const char *ssl_cert;          /* Server certificate (PEM) */
  const char *ssl_key;           /* Private key; ssl_cert when NULL */
  const char *ssl_ca_cert;       /* CA bundle to verify client certificates */
  const char *ssl_cipher_suites; /* Colon-delimited cipher list, or NULL */
#endif
};

/* Optional parameters to mg_connect_opt(). */
struct mg_connect_opts {
  void *user_data;           /* Initial value for connection's user_data */
  unsigned int flags;        /* Extra connection flags */
  const char **error_string; /* Placeholder for the error string */
  struct mg_iface *iface;    /* Interface instance */
  const char *nameserver;    /* DNS server to use, NULL for default */
#if MG_ENABLE_SSL
  const char *ssl_cert;          /* Client certificate to present */
  const char *ssl_key;           /* Its private key; ssl_cert when NULL */
  const char *ssl_ca_cert;       /* CA bundle to verify the server; "*": none */
  const char *ssl_cipher_suites; /* Colon-delimited cipher list, or NULL */
  const char *ssl_server_name;   /* Name to verify; "*" disables */
  const char *ssl_psk_identity;  /* PSK identity (NUL-terminated) */
  const char *ssl_psk_key;       /* PSK key, 32 or 64 hex digits */
#endif
};

/* Initialises a manager; mgr->user_data = user_data. Ignores SIGPIPE.
 * Registers the plugins the program was built with. */
void mg_mgr_init(struct mg_mgr *mgr, void *user_data);

/* Like mg_mgr_init() with a choice of interfaces. */
void mg_mgr_init_opt(struct mg_mgr *mgr, void *user_data,
                     struct mg_mgr_init_opts opts);

/* Closes and frees every connection, the interfaces and plugin state. */
void mg_mgr_free(struct mg_mgr *mgr);

/* Does I/O for up to milli ms and dispatches events. Returns the number of
 * events delivered to handlers, MG_EV_POLL not counted. */
int mg_mgr_poll(struct mg_mgr *mgr, int milli);

#if MG_ENABLE_BROADCAST
/* From another thread: calls cb(c, MG_EV_POLL, copy of data) in the I/O
 * thread for every connection. len is capped at MG_CTL_MSG_MESSAGE_SIZE.
 * Never blocks for longer than MG_BROADCAST_TIMEOUT_MS; the message is
 * dropped if the channel stays full that long. */
void mg_broadcast(struct mg_mgr *mgr, mg_event_handler_t cb, void *data,
                  size_t len);
#endif

/* Iterates connections: for (c = mg_next(m, NULL); c; c = mg_next(m, c)). */
struct mg_connection *mg_next(struct mg_mgr *mgr, struct mg_connection *c);

/* Wraps an existing socket (made non-blocking) in a connection. */
struct mg_connection *mg_add_sock(struct mg_mgr *mgr, sock_t sock,
                                  MG_CB(mg_event_handler_t handler,
                                        void *user_data));
struct mg_connection *mg_add_sock_opt(struct mg_mgr *mgr, sock_t sock,
                                      MG_CB(mg_event_handler_t handler,
                                            void *user_data),
                                      struct mg_add_sock_opts opts);

/* Creates a listening connection on [tcp://|udp://][IP]:PORT, or on
 * mem://NAME or mem-udp://NAME (the in-memory interface, mg/iface.h).
 * Returns NULL on error (reason in opts.error_string). */
struct mg_connection *mg_bind(struct mg_mgr *mgr, const char *address,
                              MG_CB(mg_event_handler_t handler,
                                    void *user_data));
struct mg_connection *mg_bind_opt(struct mg_mgr *mgr, const char *address,
                                  MG_CB(mg_event_handler_t handler,
                                        void *user_data),
                                  struct mg_bind_opts opts);

/* Connects to [tcp://|udp://]HOST:PORT, mem://NAME or mem-udp://NAME. The
 * first event is MG_EV_CONNECT with the status (0 on success, an errno
 * value otherwise). Returns NULL on a malformed address (reason in
 * opts.error_string). */
struct mg_connection *mg_connect(struct mg_mgr *mgr, const char *address,
                                 MG_CB(mg_event_handler_t handler,
                                       void *user_data));
struct mg_connection *mg_connect_opt(struct mg_mgr *mgr, const char *address,
                                     MG_CB(mg_event_handler_t handler,
                                           void *user_data),
                                     struct mg_connect_opts opts);

#if MG_ENABLE_SSL
/*
 * TLS (needs //mg:tls, which //:mongoose has; without it TLS options make
 * mg_bind_opt()/mg_connect_opt() fail with "TLS is not available in this
 * build"). TLS is on for a listener given ssl_cert, and for an outgoing
 * connection given any of ssl_cert, ssl_ca_cert, ssl_cipher_suites or
 * ssl_psk_identity (or MG_F_SSL in opts.flags). TLS 1.2 is the minimum; the
 * default cipher list has no DHE, RC4, 3DES or export suites
 * (MG_SSL_CRYPTO_MODERN: TLS 1.3 only, MG_SSL_CRYPTO_OLD: adds CBC and RSA key
 * exchange suites, still TLS 1.2+).
 *
 * A client verifies the server only when ssl_ca_cert is given and not "*"
 * (as the reference does); then the name is checked too: ssl_server_name,
 * or by default the host of the address (names, wildcard certificates and
 * IP addresses; "*" skips the name check). Protocols whose URLs imply TLS
 * (https://, wss://) use MG_SSL_SYSTEM_CA_FILE when no CA is given.
 * MG_EV_CONNECT comes after the handshake: status 0, or an errno value
 * (EPROTO for a failed handshake or verification) with the reason in
 * mg_ssl_get_error(). On a server MG_EV_ACCEPT comes after the handshake;
 * a failed handshake, or one unfinished MG_SSL_HANDSHAKE_TIMEOUT seconds
 * after the accept, closes the connection without events, logged.
 */

/* Deprecated: TLS options of mg_bind_opt()/mg_connect_opt() instead.
 * cert: a listener's certificate (its key in the same file) or a client's
 * certificate; ca_cert: CA to verify the peer, or NULL. Call it right after
 * mg_bind()/mg_connect(). Returns NULL on success or an error message. */
const char *mg_set_ssl(struct mg_connection *nc, const char *cert,
                       const char *ca_cert);

/* Why TLS failed on nc (in MG_EV_CONNECT with a non-zero status, or in
 * MG_EV_CLOSE), or NULL. */
const char *mg_ssl_get_error(const struct mg_connection *nc);

/* The TLS server name of nc: on an accepted connection the name the client
 * asked for (SNI), from MG_EV_ACCEPT on; on a client the name it sent.
 * NULL if none or nc is not TLS. */
const char *mg_ssl_get_sni(const struct mg_connection *nc);
#endif

/* Appends data to send_mbuf; I/O happens in mg_mgr_poll(). */
void mg_send(struct mg_connection *, const void *buf, int len);

/* printf()-style mg_send(). Returns the number of bytes appended. */
int mg_printf(struct mg_connection *, const char *fmt, ...)
    MG_PRINTF_LIKE(2, 3);
int mg_vprintf(struct mg_connection *, const char *fmt, va_list ap);

/* Creates a socket pair (SOCK_STREAM or SOCK_DGRAM). Returns 1 on success,
 * 0 on failure. */
int mg_socketpair(sock_t[2], int sock_type);

/* Blocking name lookup into ip_addr_buf. Returns 1 on success, 0 on
 * failure. */
int mg_resolve(const char *domain_name, char *ip_addr_buf, size_t buf_len);

/* Checks an IPv4 address (host byte order) against an ACL such as
 * "-0.0.0.0/0,+192.168/16". Returns -1 if the ACL is malformed, 0 if denied,
 * 1 if allowed. A non-empty ACL denies by default; the last match wins. */
int mg_check_ip_acl(const char *acl, uint32_t remote_ip);

/* mg_check_ip_acl() for any peer address. IPv4-mapped IPv6 peers are judged
 * as IPv4. Other IPv6 peers match only IPv6 entries ("+::1/128"); so an ACL
 * of IPv4 entries alone denies them. */
int mg_check_ip_acl_sa(const char *acl, const union socket_address *sa);

/* Schedules MG_EV_TIMER at timestamp (seconds on the manager's clock, by
 * default since the Epoch: mg_mgr_time(c->mgr) + delay; 0 cancels).
 * Returns the previous value. */
double mg_set_timer(struct mg_connection *c, double timestamp);

/* Seconds since the Epoch, sub-second precision: the wall clock. Not
 * affected by mg_mgr_set_clock(). */
double mg_time(void);

/* Replaces mgr's clock (NULL: back to mg_time()). From then on timers,
 * MG_EV_TIMER, last_io_time, the TLS handshake timeout and the timeouts
 * and time stamps of plugins follow fn(arg), so a test can move time at
 * will. fn must return seconds on the scale of mg_time(), above 0 (a timer
 * stamp of 0 means none), and should not go backwards. Set it right after
 * mg_mgr_init(): stamps already taken stay as they are. mg_mgr_poll()
 * still waits at most milli ms of real time, and not at all once a timer
 * is due: a clock that does not move by itself is moved between polls. */
void mg_mgr_set_clock(struct mg_mgr *mgr, mg_clock_fn fn, void *arg);

/* mgr's current time: what timers, timeouts and time stamps use. mg_time()
 * unless mg_mgr_set_clock() gave another clock. */
double mg_mgr_time(struct mg_mgr *mgr);

/* Prints a connection's local or remote (MG_SOCK_STRINGIFY_REMOTE) address.
 * Returns the length written. */
int mg_conn_addr_to_str(struct mg_connection *c, char *buf, size_t len,
                        int flags);

#if MG_ENABLE_HEXDUMP
/* Appends a hexdump of num_bytes of buf, sent or received (ev) by nc, to the
 * file at path ("-" for stdout, "--" for stderr). */
void mg_hexdump_connection(struct mg_connection *nc, const char *path,
                           const void *buf, int num_bytes, int ev);
#endif

#ifdef __cplusplus
}
#endif

#endif /* MG_NET_H */
