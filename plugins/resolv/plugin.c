/* The resolv plugin: per-manager state, the core's resolver hook (hosts
 * file, then DNS, for mg_connect() to a name), mg_resolve_async*(),
 * mg_set_nameserver(). */
#include "plugins/resolv/internal.h"

/* The manager's state, its resolv.conf read (on first use); NULL if
 * unavailable. */
static struct mg__resolv_mgr *resolv_state(struct mg_mgr *mgr) {
  struct mg__resolv_mgr *st =
      (struct mg__resolv_mgr *) mg_plugin_mgr_state(mgr, &mg_plugin_resolv);
  if (st != NULL && !st->conf_loaded) {
    mg__resolv_load_conf(mg__resolv_conf_path(), &st->conf);
    st->conf_loaded = 1;
  }
  return st;
}

/* Starts resolution p with the manager's resolv.conf. Returns 0, or -1
 * (nothing started, no callback). */
static int start_resolution(struct mg_mgr *mgr, struct mg__resolv_params *p) {
  struct mg__resolv_mgr *st = resolv_state(mgr);
  if (st == NULL) return -1;
  p->conf = &st->conf;
  return mg__resolv_start(mgr, p);
}

/* Resolves host for mg_connect(): the hosts file, then DNS. */
static void resolver_hook(struct mg_connection *nc, const char *host, int port,
                          const char *nameserver) {
  struct mg__resolv_params p;
  union socket_address sa;
  if (mg_resolve_from_hosts_file(host, &sa) == 0) {
    if (sa.sa.sa_family == AF_INET) sa.sin.sin_port = htons((uint16_t) port);
#if MG_ENABLE_IPV6
    if (sa.sa.sa_family == AF_INET6) sa.sin6.sin6_port = htons((uint16_t) port);
#endif
    mg_resolve_done(nc, &sa, 0);
    return;
  }
  memset(&p, 0, sizeof(p));
  p.name = host;
  p.qtype = MG_DNS_A_RECORD;
  p.nameserver = nameserver;
  p.target = nc;
  p.port = port;
  if (start_resolution(nc->mgr, &p) != 0) mg_resolve_done(nc, NULL, ENXIO);
}

static int resolv_init(struct mg_mgr *mgr, void *state) {
  (void) state;
  mgr->resolver = resolver_hook;
  return 0;
}

static void resolv_free(struct mg_mgr *mgr, void *state) {
  struct mg__resolv_mgr *st = (struct mg__resolv_mgr *) state;
  if (mgr->resolver == resolver_hook) mgr->resolver = NULL;
  if (st->nameserver != NULL && mgr->nameserver == st->nameserver) {
    mgr->nameserver = NULL;
  }
  MG_FREE(st->nameserver);
  st->nameserver = NULL;
}

static const struct mg_plugin *const resolv_deps[] = {&mg_plugin_dns, NULL};

const struct mg_plugin mg_plugin_resolv = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "resolv",
    .deps = resolv_deps,
    .ev_first = MG_EV_RESOLV_FIRST,
    .ev_last = MG_EV_RESOLV_LAST,
    .mgr_state_size = sizeof(struct mg__resolv_mgr),
    .conn_state_size = sizeof(struct mg__resolv_link),
    .init = resolv_init,
    .free = resolv_free,
    .attach = NULL,
    .detach = mg__resolv_layer_detach,
    .event = mg__resolv_layer_event,
};

void mg_set_nameserver(struct mg_mgr *mgr, const char *nameserver) {
  struct mg__resolv_mgr *st =
      (struct mg__resolv_mgr *) mg_plugin_mgr_state(mgr, &mg_plugin_resolv);
  if (st == NULL) return;
  if (mgr->nameserver == st->nameserver) mgr->nameserver = NULL;
  MG_FREE(st->nameserver);
  st->nameserver = NULL;
  if (nameserver != NULL) {
    st->nameserver = (char *) mg_strdup(mg_mk_str(nameserver)).p;
    mgr->nameserver = st->nameserver;
  }
}

/* Answers a literal address with a made-up reply. Returns 0 if name is
 * not a literal. */
static int resolve_literal(const char *name, int query,
                           mg_resolve_callback_t cb, void *data) {
  unsigned char addr[16];
  int type;
  struct mg_dns_message msg;
  struct mg_dns_resource_record rr;
  struct mbuf io;
  if (inet_pton(AF_INET, name, addr) == 1) {
    type = MG_DNS_A_RECORD;
  } else if (inet_pton(AF_INET6, name, addr) == 1) {
    type = MG_DNS_AAAA_RECORD;
  } else {
    return 0;
  }
  if (type != query) {
    cb(NULL, data, MG_RESOLVE_NO_ANSWERS);
    return 1;
  }
  memset(&msg, 0, sizeof(msg));
  memset(&rr, 0, sizeof(rr));
  mbuf_init(&io, 64);
  msg.flags = MG_DNS_FLAG_QR | MG_DNS_FLAG_RD | MG_DNS_FLAG_RA;
  msg.num_questions = msg.num_answers = 1;
  mg_dns_insert_header(&io, 0, &msg);
  rr.rtype = type;
  rr.rclass = MG_DNS_CLASS_IN;
  rr.kind = MG_DNS_QUESTION;
  mg_dns_encode_record(&io, &rr, name, strlen(name), NULL, 0);
  rr.kind = MG_DNS_ANSWER;
  mg_dns_encode_record(&io, &rr, name, strlen(name), addr,
                       type == MG_DNS_A_RECORD ? 4 : 16);
  if (mg_parse_dns(io.buf, (int) io.len, &msg) == 0 && msg.num_answers == 1) {
    cb(&msg, data, MG_RESOLVE_OK);
  } else {
    cb(NULL, data, MG_RESOLVE_NO_ANSWERS);
  }
  mbuf_free(&io);
  return 1;
}

int mg_resolve_async_opt(struct mg_mgr *mgr, const char *name, int query,
                         mg_resolve_callback_t cb, void *data,
                         struct mg_resolve_async_opts opts) {
  struct mg__resolv_params p;
  if (mgr == NULL || name == NULL || cb == NULL) return -1;
  if ((opts.accept_literal || opts.only_literal) &&
      resolve_literal(name, query, cb, data)) {
    return 0;
  }
  if (opts.only_literal) return -1;
  memset(&p, 0, sizeof(p));
  p.name = name;
  p.qtype = query;
  p.nameserver = opts.nameserver;
  p.max_retries = opts.max_retries;
  p.timeout = opts.timeout;
  p.cb = cb;
  p.cb_data = data;
  p.dns_conn = opts.dns_conn;
  return start_resolution(mgr, &p);
}

int mg_resolve_async(struct mg_mgr *mgr, const char *name, int query,
                     mg_resolve_callback_t cb, void *data) {
  struct mg_resolve_async_opts opts;
  memset(&opts, 0, sizeof(opts));
  return mg_resolve_async_opt(mgr, name, query, cb, data, opts);
}
