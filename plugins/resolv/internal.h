/* Private to the resolv package (and its tests): configuration. */
#ifndef MG_PLUGINS_RESOLV_INTERNAL_H
#define MG_PLUGINS_RESOLV_INTERNAL_H

#include "plugins/dns/dns_ext.h"
#include "plugins/resolv/resolv.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The resolv plugin (plugin.c); no plugin stands on it. */
extern const struct mg_plugin mg_plugin_resolv;

#define MG__RESOLV_MAX_NS 8     /* nameservers kept */
#define MG__RESOLV_MAX_SEARCH 6 /* search domains kept */
#define MG__RESOLV_NAME_LEN 256 /* room for a dotted name and its NUL */

/* One nameserver. */
struct mg__resolv_ns {
  union socket_address sa; /* address and port */
  int tcp;                 /* 1: always TCP (tcp://) */
};

/* What resolv.conf says (defaults filled in). */
struct mg__resolv_conf {
  struct mg__resolv_ns ns[MG__RESOLV_MAX_NS]; /* 8.8.8.8:53 if none named */
  int num_ns;                                 /* entries in ns */
  char search[MG__RESOLV_MAX_SEARCH][MG__RESOLV_NAME_LEN]; /* domains */
  int num_search;                                          /* entries */
  int ndots;    /* dots making a name tried as is first; default 1 */
  int timeout;  /* seconds per try; 0: not set */
  int attempts; /* rounds over the nameservers; 0: not set */
};

/* Per-manager state of the plugin. */
struct mg__resolv_mgr {
  int conf_loaded;             /* conf read (lazily, on first use) */
  struct mg__resolv_conf conf; /* from resolv.conf */
  char *nameserver;            /* mg_set_nameserver()'s copy, or NULL */
};

/* What to resolve, and for whom. */
struct mg__resolv_params {
  const char *name;         /* as given: searched unless it ends with a dot */
  int qtype;                /* record type asked */
  const char *nameserver;   /* list, or NULL: mgr->nameserver, resolv.conf */
  int max_retries;          /* as in struct mg_resolve_async_opts */
  int timeout;              /* seconds, 0: default */
  mg_resolve_callback_t cb; /* user callback (cb path) */
  void *cb_data;            /* its data */
  struct mg_connection *target;       /* or: a connection to connect */
  int port;                           /* ... to this port */
  struct mg_connection **dns_conn;    /* gets the query's connection */
  const struct mg__resolv_conf *conf; /* the manager's resolv.conf */
};

/* Starts a resolution (query.c). Returns 0, or -1 (nothing started, no
 * callback). */
int mg__resolv_start(struct mg_mgr *mgr, const struct mg__resolv_params *p);

/* The layer callbacks (query.c) for the plugin descriptor. */
void mg__resolv_layer_event(struct mg_connection *nc, struct mg_layer *layer,
                            int ev, void *ev_data);
void mg__resolv_layer_detach(struct mg_connection *nc, struct mg_layer *layer);

/* The resolv layer's state on a holder or a target connection. */
struct mg__resolv_req;
struct mg__resolv_link {
  struct mg__resolv_req *req; /* the resolution, NULL once detached */
  int is_target;              /* on the connection being connected */
};

/* Parses one nameserver ("1.2.3.4", "udp://[::1]:53", ...). 0 or -1. */
int mg__resolv_parse_ns(const char *s, size_t len, struct mg__resolv_ns *ns);

/* Parses a comma- or space-separated list. Returns the number parsed into
 * ns (at most max), or -1 if an entry is malformed. */
int mg__resolv_parse_ns_list(const char *s, struct mg__resolv_ns *ns, int max);

/* Reads a resolv.conf (a missing file gives the defaults). */
void mg__resolv_load_conf(const char *path, struct mg__resolv_conf *conf);

/* The resolv.conf and hosts paths: $MG_RESOLV_CONF / $MG_HOSTS_FILE or the
 * system's. */
const char *mg__resolv_conf_path(void);
const char *mg__resolv_hosts_path(void);

/* mg_resolve_from_hosts_file() on a given file. */
int mg__resolv_hosts_lookup(const char *path, const char *host,
                            union socket_address *usa);

/* Non-zero if sa is a loopback address. */
int mg__resolv_is_loopback(const union socket_address *sa);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_RESOLV_INTERNAL_H */
