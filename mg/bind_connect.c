/* Opening connections: mg_bind(), mg_connect() (to an address, or to a
 * name through the resolver plugin) and mg_add_sock(). */
#include "mg/internal.h"

/* Reports msg through the options' error_string. */
static void report_open_error(const char **error_string, const char *msg) {
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
    report_open_error(error_string, "out of memory");
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
  if (mem_name(address) != NULL) return mg__iface_by_scheme(mgr, "mem");
  return wanted != NULL ? wanted : (mgr->num_ifaces ? mgr->ifaces[0] : NULL);
}

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
    report_open_error(opts.error_string, "no interface for this address");
    return NULL;
  }
  memset(&sa, 0, sizeof(sa));
  if (mem_name(address) != NULL) {
    proto = mem_proto(address);
  } else if (mg_parse_address(address, &sa, &proto, host, sizeof(host)) != 0) {
    report_open_error(opts.error_string, "cannot parse address");
    return NULL;
  }
  nc = new_conn(mgr, handler, MG_PICK_UD(user_data, opts.user_data), iface,
                opts.error_string);
  if (nc == NULL) return NULL;
  nc->flags = opts.flags | MG_F_LISTENING;
  if (proto == SOCK_DGRAM) nc->flags |= MG_F_UDP;
#if MG_ENABLE_SSL
  {
    const char *msg = mg__bind_tls(nc, &opts);
    if (msg != NULL) {
      report_open_error(opts.error_string, msg);
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
    report_open_error(opts.error_string, "failed to open listener");
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
    report_open_error(opts.error_string, "no interface for this address");
    return NULL;
  }
  memset(&sa, 0, sizeof(sa));
  if (mem_name(address) != NULL) {
    proto = mem_proto(address);
  } else {
    kind = mg_parse_address(address, &sa, &proto, host, sizeof(host));
    if (kind < 0) {
      report_open_error(opts.error_string, "cannot parse address");
      return NULL;
    }
  }
  nc = new_conn(mgr, handler, MG_PICK_UD(user_data, opts.user_data), iface,
                opts.error_string);
  if (nc == NULL) return NULL;
  nc->flags = opts.flags;
  if (proto == SOCK_DGRAM) nc->flags |= MG_F_UDP;
  if (mem_name(address) != NULL && set_mem_name(nc, mem_name(address)) != 0) {
    report_open_error(opts.error_string, "cannot parse address");
    mg__destroy_conn(nc);
    return NULL;
  }
#if MG_ENABLE_SSL
  {
    const char *msg =
        mg__connect_tls(nc, &opts, mem_name(address) == NULL ? host : NULL);
    if (msg != NULL) {
      report_open_error(opts.error_string, msg);
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
  struct mg_iface *iface =
      opts.iface ? opts.iface : (mgr->num_ifaces ? mgr->ifaces[0] : NULL);
  if (iface == NULL || iface->vtable->sock_set == NULL) {
    report_open_error(opts.error_string, "interface cannot adopt sockets");
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
