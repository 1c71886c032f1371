/*
 * The plugin ABI: what a protocol plugin implements and what the core offers
 * it. Visible to plugins only (Bazel visibility); programs use the public
 * headers. docs/plugins.md walks through writing a plugin.
 *
 * A plugin is one `const struct mg_plugin` with designated initializers.
 * The core registers the plugins a program was built with (the generated
 * table, see //:mongoose.bzl) in mg_mgr_init(), dependencies first.
 *
 * A connection carries a stack of protocol layers, bottom (next to the
 * transport) first. Core events enter the bottom layer's `event` callback;
 * each layer passes events (its own or the core's) up with
 * mg_layer_emit(); above the top layer is the user's handler.
 */
#ifndef MG_PLUGIN_H
#define MG_PLUGIN_H

#include "mg/iface.h"
#include "mg/net.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on every incompatible change of struct mg_plugin or this API. */
#define MG_PLUGIN_ABI_VERSION 1

/*
 * Event number ranges (inclusive), enforced at registration: a range that
 * overlaps another's is refused. The core owns 0 to MG_EV_CORE_LAST; user
 * events start at MG_EV_USER_FIRST. A plugin's range is defined once, as
 * MG_EV_<NAME>_FIRST and MG_EV_<NAME>_LAST in its public header
 * (MG_EV_HTTP_FIRST in plugins/http/http.h, MG_EV_MQTT_BROKER_FIRST in
 * plugins/mqtt_broker/mqtt_broker.h, ...), and its descriptor's
 * ev_first/ev_last use them. docs/plugins.md has the table of every range.
 * Reserved for the plugins to come, whose headers will define the macros:
 *   coap 300-349 (MG_EV_COAP_*), ssi 600-649 (MG_EV_SSI_*),
 *   cgi 650-699 (MG_EV_CGI_*), webdav 700-749 (MG_EV_WEBDAV_*).
 * Connection flag bits 16-19 (MG_F_*) are plugin-owned: http 16
 * (MG_F_DELETE_CHUNK), ws 17 (MG_F_WEBSOCKET_NO_DEFRAG), 18-19 free.
 */
#define MG_EV_CORE_LAST 99
#define MG_EV_USER_FIRST 1000

struct mg_layer;

/* A protocol plugin. */
struct mg_plugin {
  int abi_version;  /* MG_PLUGIN_ABI_VERSION at build time */
  const char *name; /* unique, lower case: "http", "mqtt_broker" */
  const struct mg_plugin *const *deps; /* NULL-terminated; NULL if none */
  int ev_first;           /* first owned event number; 0 with ev_last 0: none */
  int ev_last;            /* last owned event number (inclusive) */
  size_t mgr_state_size;  /* zeroed bytes the core allocates per manager */
  size_t conn_state_size; /* zeroed bytes the core allocates per layer */
  /* Per manager, after its deps. Returns 0, or non-zero to refuse. */
  int (*init)(struct mg_mgr *mgr, void *mgr_state);
  /* Per manager, after every connection is closed. */
  void (*free)(struct mg_mgr *mgr, void *mgr_state);
  /* A layer of this plugin was put on nc; layer->state is zeroed. `parent`
   * is the listener's layer when an accepted connection inherits it, else
   * NULL. Returns 0, or non-zero to refuse (the layer is then removed). */
  int (*attach)(struct mg_connection *nc, struct mg_layer *layer,
                const struct mg_layer *parent);
  /* The layer is leaving nc (switch, removal, close): free what the state
   * owns. The one place per-connection state is released. */
  void (*detach)(struct mg_connection *nc, struct mg_layer *layer);
  /* An event reached this layer from below. Pass what the layers above
   * should see on with mg_layer_emit(). */
  void (*event)(struct mg_connection *nc, struct mg_layer *layer, int ev,
                void *ev_data);
};

/* One protocol layer on a connection. */
struct mg_layer {
  const struct mg_plugin *plugin; /* protocol of this layer */
  void *state;                    /* conn_state_size bytes, plugin-owned */
  struct mg_layer *up;            /* next layer towards the user handler */
  struct mg_connection *nc;       /* connection it belongs to */
  int dead;                       /* detached; freed after dispatch */
  struct mg_layer *next_dead;     /* graveyard linkage */
};

/* --- Registry --- */

/* Registers p (and first its deps) with mgr. Registering the same
 * descriptor twice is harmless. Refused, with a message in *error when
 * error is not NULL: an ABI version mismatch, a name already taken by
 * another descriptor, an event range that overlaps another plugin's or the
 * core's, or a failing init. Returns 0 on success, -1 on refusal. */
int mg_register_plugin(struct mg_mgr *mgr, const struct mg_plugin *p,
                       const char **error);

/* The registered plugin called name, or NULL. */
const struct mg_plugin *mg_find_plugin(struct mg_mgr *mgr, const char *name);

/* p's per-manager state; registers p first if needed (NULL on failure). */
void *mg_plugin_mgr_state(struct mg_mgr *mgr, const struct mg_plugin *p);

/* The registered plugin owning event ev, or NULL (core or user event). */
const struct mg_plugin *mg_plugin_for_event(struct mg_mgr *mgr, int ev);

/* --- Layers on a connection --- */

/* Puts a layer of p on top of nc's stack (registering p if needed).
 * Returns the layer, or NULL if p refused or memory ran out. */
struct mg_layer *mg_layer_push(struct mg_connection *nc,
                               const struct mg_plugin *p);

/* Replaces layer old with a new layer of p at the same place (the
 * HTTP -> WebSocket upgrade). old is detached at once and freed after the
 * current event returns, so its code may still read old->state. Returns the
 * new layer or NULL (old is removed either way). */
struct mg_layer *mg_layer_switch(struct mg_connection *nc, struct mg_layer *old,
                                 const struct mg_plugin *p);

/* Detaches and removes layer (freed after the current event returns). */
void mg_layer_remove(struct mg_connection *nc, struct mg_layer *layer);

/* The lowest live layer of p on nc, or NULL. */
struct mg_layer *mg_layer_find(const struct mg_connection *nc,
                               const struct mg_plugin *p);

/* Delivers ev to the layer above `from`, or to the user's handler when
 * `from` is the top (from == NULL: to the bottom layer). */
void mg_layer_emit(struct mg_connection *nc, struct mg_layer *from, int ev,
                   void *ev_data);

/* Delivers ev straight to the user's handler (nc->handler). */
void mg_call_user(struct mg_connection *nc, int ev, void *ev_data);

/* Delivers ev to nc as the core does: the legacy nc->proto_handler if a
 * program set one, else the layer stack, else the user's handler. */
void mg_call(struct mg_connection *nc, int ev, void *ev_data);

/* --- Core services for plugins --- */

/* Resolver hook: a resolver plugin sets mgr->resolver; the core calls it
 * for a host name it cannot connect to directly, with MG_F_RESOLVING set.
 * The resolver reports the outcome with mg_resolve_done(): err 0 and the
 * address (port included), or an errno value. */
void mg_resolve_done(struct mg_connection *nc, const union socket_address *sa,
                     int err);

/* Creates a connection in mgr not yet attached to a transport (for plugins
 * that make their own, like a resolver's query connection). */
struct mg_connection *mg_create_connection(struct mg_mgr *mgr,
                                           mg_event_handler_t handler);

/* Queues len bytes of the open file fd from offset to go out on TCP
 * connection nc after what send_mbuf holds now; bytes sent later (mg_send)
 * follow the file. On a plain socket they leave by sendfile(), without a
 * copy through user space; through TLS, another interface or with a hexdump
 * file, they are read into send_mbuf a piece at a time. MG_EV_SEND reports
 * the progress, MG_F_SEND_AND_CLOSE waits for the file. On success the core
 * owns fd (closed when sent or when nc closes) and 0 is returned; -1 (fd
 * still the caller's) for UDP or when a file is already queued. A file
 * shorter than said closes the connection. */
int mg__send_fd(struct mg_connection *nc, int fd, int64_t offset, int64_t len);

/* Bytes of the queued file still to send (0: none queued). */
int64_t mg__send_fd_pending(const struct mg_connection *nc);

/* Parses [proto://]host:port. *proto gets SOCK_STREAM or SOCK_DGRAM;
 * host is copied into host_buf. Returns 0 on success, -1 malformed,
 * 1 when host is a name that needs resolving (sa gets only the port). */
int mg_parse_address(const char *str, union socket_address *sa, int *proto,
                     char *host_buf, size_t host_len);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGIN_H */
