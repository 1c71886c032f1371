/*
 * One resolution: candidate names (search list), tries over the
 * nameservers with a timeout each, reply matching, TC -> TCP, CNAME chains.
 *
 * A resolution lives on a socketless "holder" connection (the dns_conn
 * handed to the user) carrying its timer and a resolv layer whose detach
 * frees it. Queries go out on "sub" connections, one per nameserver and
 * transport, each with the dns layer; each has its own connected socket.
 * When resolving for mg_connect(), the target connection carries a resolv
 * layer too, so that its closing cancels the resolution.
 */
#include "plugins/resolv/internal.h"

#define MAX_SUBS (2 * MG__RESOLV_MAX_NS) /* UDP and TCP per nameserver */
#define MAX_NAMES (MG__RESOLV_MAX_SEARCH + 1)
#define MAX_CNAME_HOPS 8 /* re-queries for a CNAME target */
#define MAX_CHAIN 16     /* CNAMEs followed inside one reply */

/* A connection queries go out on. */
struct sub {
  struct mg_connection *nc; /* open connection */
  int ns;                   /* index of its nameserver */
  int tcp;                  /* 1 for TCP */
  int asked;                /* a query went out on it */
  uint16_t id;              /* the id of the last one */
};

/* One resolution. */
struct mg__resolv_req {
  struct mg_mgr *mgr;            /* the manager it runs in */
  struct mg_connection *holder;  /* carries the timer; the dns_conn */
  struct sub subs[MAX_SUBS];     /* open query connections */
  int num_subs;                  /* entries used in subs */
  struct mg_connection *cur;     /* where the last query went */
  mg_resolve_callback_t cb;      /* the user's callback (cb path) */
  void *cb_data;                 /* its data */
  struct mg_connection *target;  /* the connection to connect, or NULL */
  struct mg_layer *target_layer; /* the resolv layer on target */
  int port;                      /* target port */
  struct mg__resolv_ns ns[MG__RESOLV_MAX_NS]; /* nameservers, in order */
  int num_ns;                                 /* entries used in ns */
  char names[MAX_NAMES][MG__RESOLV_NAME_LEN]; /* candidates, in order */
  int num_names, name_idx;         /* candidates, and the one being asked */
  char qname[MG__RESOLV_NAME_LEN]; /* the name being asked now */
  int qtype;                       /* the type being asked now */
  uint16_t id;                     /* its transaction id */
  int sends, max_sends;            /* tries made and allowed for qname */
  double timeout;                  /* seconds per try */
  int cname_hops;                  /* CNAME targets re-queried */
  int got_reply;                   /* a server answered with an error */
  int done;                        /* outcome reported */
};

static void send_attempt(struct mg__resolv_req *r);
static void finish(struct mg__resolv_req *r, struct mg_dns_message *msg,
                   enum mg_resolve_err err);

/* ---- Query connections ---- */

static void remove_sub(struct mg__resolv_req *r, struct mg_connection *nc) {
  int i;
  for (i = 0; i < r->num_subs; i++) {
    if (r->subs[i].nc == nc) {
      r->subs[i] = r->subs[--r->num_subs];
      return;
    }
  }
}

/* The query connection entry of nc, or NULL. */
static struct sub *sub_for_conn(struct mg__resolv_req *r,
                                const struct mg_connection *nc) {
  int i;
  for (i = 0; i < r->num_subs; i++) {
    if (r->subs[i].nc == nc) return &r->subs[i];
  }
  return NULL;
}

static void on_reply(struct mg__resolv_req *r, struct mg_connection *nc,
                     struct mg_dns_message *msg);

static void sub_handler(struct mg_connection *nc, int ev,
                        void *ev_data MG_UD_ARG(void *user_data)) {
  struct mg__resolv_req *r = (struct mg__resolv_req *) nc->user_data;
#if MG_ENABLE_CALLBACK_USERDATA
  (void) user_data;
#endif
  if (r == NULL) return;
  if (ev == MG_DNS_MESSAGE) {
    on_reply(r, nc, (struct mg_dns_message *) ev_data);
  } else if (ev == MG_EV_CLOSE) {
    remove_sub(r, nc);
    nc->user_data = NULL;
    if (nc == r->cur) { /* refused, reset...: the next try, now */
      r->cur = NULL;
      if (!r->done) mg_set_timer(r->holder, mg_mgr_time(r->mgr));
    }
  }
}

/* The open connection to nameserver i over tcp or UDP, made if needed. */
static struct mg_connection *get_sub(struct mg__resolv_req *r, int i, int tcp) {
  struct mg_connect_opts opts;
  struct mg_connection *nc;
  char host[80], addr[100];
  int k;
  for (k = 0; k < r->num_subs; k++) {
    if (r->subs[k].ns == i && r->subs[k].tcp == tcp) return r->subs[k].nc;
  }
  if (r->num_subs >= MAX_SUBS) return NULL;
  mg_sock_addr_to_str(&r->ns[i].sa, host, sizeof(host),
                      MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT);
  snprintf(addr, sizeof(addr), "%s://%s", tcp ? "tcp" : "udp", host);
  memset(&opts, 0, sizeof(opts));
  opts.user_data = r;
  nc = mg_connect_opt(r->mgr, addr, MG_CB(sub_handler, r), opts);
  if (nc == NULL) return NULL;
  mg_set_protocol_dns(nc);
  r->subs[r->num_subs].nc = nc;
  r->subs[r->num_subs].ns = i;
  r->subs[r->num_subs].tcp = tcp;
  r->subs[r->num_subs].asked = 0;
  r->num_subs++;
  return nc;
}

/* Sends the current question on nc. */
static void send_query(struct mg__resolv_req *r, struct mg_connection *nc) {
  int tcp = !(nc->flags & MG_F_UDP);
  struct mbuf io;
  mbuf_init(&io, 64);
  if (tcp) mbuf_append(&io, "\0\0", 2);
  if (mg__dns_build_query(&io, r->id, r->qname, r->qtype) > 0) {
    if (tcp) {
      io.buf[0] = (char) ((io.len - 2) >> 8);
      io.buf[1] = (char) (io.len - 2);
    }
    struct sub *sub = sub_for_conn(r, nc);
    mg_send(nc, io.buf, (int) io.len);
    r->cur = nc;
    if (sub != NULL) {
      sub->asked = 1;
      sub->id = r->id;
    }
  }
  mbuf_free(&io);
  mg_set_timer(r->holder, mg_mgr_time(r->mgr) + r->timeout);
}

/* The next try: the next nameserver in turn, or the end. */
static void send_attempt(struct mg__resolv_req *r) {
  struct mg_connection *nc;
  int i;
  if (r->done) return;
  if (r->sends >= r->max_sends) {
    finish(
        r, NULL,
        r->got_reply ? MG_RESOLVE_NO_ANSWERS : MG_RESOLVE_EXCEEDED_RETRY_COUNT);
    return;
  }
  i = r->sends % r->num_ns;
  r->sends++;
  nc = get_sub(r, i, r->ns[i].tcp);
  if (nc != NULL) {
    send_query(r, nc);
  } else {
    /* Counts as a try: the next one, now. */
    mg_set_timer(r->holder, mg_mgr_time(r->mgr));
  }
}

/* Asks the current qname afresh: a new id, all tries. */
static void new_query(struct mg__resolv_req *r) {
  r->id = mg__dns_random_id();
  r->sends = 0;
  r->got_reply = 0;
  r->cur = NULL;
  send_attempt(r);
}

/* ---- Replies ---- */

/* Dotted owner name of rr, or "" if it does not read. */
static void owner(struct mg_dns_message *msg, struct mg_str *name, char *out) {
  size_t n = mg_dns_uncompress_name(msg, name, out, MG__RESOLV_NAME_LEN - 1);
  out[n] = '\0';
}

/* The reply answers our question: a response, our id, our question. */
static int matches(const struct mg__resolv_req *r, struct mg_dns_message *msg) {
  char q[MG__RESOLV_NAME_LEN];
  struct mg_dns_resource_record *rr = &msg->questions[0];
  if (!(msg->flags & MG_DNS_FLAG_QR) || (msg->flags & 0x7800) != 0 ||
      msg->transaction_id != r->id || msg->num_questions != 1 ||
      rr->rtype != r->qtype || rr->rclass != MG_DNS_CLASS_IN) {
    return 0;
  }
  owner(msg, &rr->name, q);
  return mg_casecmp(q, r->qname) == 0;
}

enum chain { CHAIN_NONE, CHAIN_FOUND, CHAIN_CNAME };

/* An address record must hold an address: 4 or 16 bytes. */
static int usable(const struct mg_dns_resource_record *rr) {
  if (rr->rtype == MG_DNS_A_RECORD) return rr->rdata.len == 4;
  if (rr->rtype == MG_DNS_AAAA_RECORD) return rr->rdata.len == 16;
  return 1;
}

/* Follows qname through the reply's CNAMEs. CHAIN_FOUND: a record of
 * qtype is there; CHAIN_CNAME: the chain stops at final; else none. */
static enum chain follow_chain(struct mg_dns_message *msg, const char *qname,
                               int qtype, char *final) {
  char cur[MG__RESOLV_NAME_LEN], name[MG__RESOLV_NAME_LEN];
  int hops, i;
  snprintf(cur, sizeof(cur), "%s", qname);
  for (hops = 0; hops <= MAX_CHAIN; hops++) {
    int next = 0;
    for (i = 0; i < msg->num_answers; i++) {
      struct mg_dns_resource_record *rr = &msg->answers[i];
      owner(msg, &rr->name, name);
      if (rr->rclass != MG_DNS_CLASS_IN || mg_casecmp(name, cur) != 0) continue;
      if ((rr->rtype == qtype && usable(rr)) || qtype == MG_DNS_ANY_RECORD) {
        return CHAIN_FOUND;
      }
      if (rr->rtype == MG_DNS_CNAME_RECORD && !next &&
          mg_dns_parse_record_data(msg, rr, name, sizeof(name)) == 0) {
        next = 1;
        memcpy(final, name, sizeof(name));
      }
    }
    if (!next) break;
    memcpy(cur, final, sizeof(cur));
  }
  if (mg_casecmp(cur, qname) == 0) return CHAIN_NONE;
  memcpy(final, cur, sizeof(cur));
  return CHAIN_CNAME;
}

/* NXDOMAIN or no data: the next search candidate, or the end. */
static void next_name(struct mg__resolv_req *r) {
  if (r->cname_hops == 0 && r->name_idx + 1 < r->num_names) {
    r->name_idx++;
    memcpy(r->qname, r->names[r->name_idx], sizeof(r->qname));
    new_query(r);
  } else {
    finish(r, NULL, MG_RESOLVE_NO_ANSWERS);
  }
}

/* A truncated UDP reply: the same question to the same server over TCP,
 * once (more TC replies must not keep pushing the timeout back). */
static void retry_over_tcp(struct mg__resolv_req *r,
                           struct mg_connection *udp) {
  struct sub *u = sub_for_conn(r, udp), *t;
  struct mg_connection *tcp;
  if (u == NULL) return;
  tcp = get_sub(r, u->ns, 1);
  t = tcp != NULL ? sub_for_conn(r, tcp) : NULL;
  if (t != NULL && !(t->asked && t->id == r->id)) send_query(r, tcp);
}

static void on_noerror(struct mg__resolv_req *r, struct mg_dns_message *msg) {
  char final[MG__RESOLV_NAME_LEN];
  switch (follow_chain(msg, r->qname, r->qtype, final)) {
    case CHAIN_FOUND:
      finish(r, msg, MG_RESOLVE_OK);
      break;
    case CHAIN_CNAME:
      if (++r->cname_hops > MAX_CNAME_HOPS) {
        finish(r, NULL, MG_RESOLVE_NO_ANSWERS);
      } else {
        memcpy(r->qname, final, sizeof(r->qname));
        new_query(r);
      }
      break;
    default:
      next_name(r);
      break;
  }
}

static void on_reply(struct mg__resolv_req *r, struct mg_connection *nc,
                     struct mg_dns_message *msg) {
  int rcode = MG_DNS_RCODE(msg->flags);
  if (r->done || !matches(r, msg)) return; /* stale, spoofed or foreign */
  if ((msg->flags & MG_DNS_FLAG_TC) && (nc->flags & MG_F_UDP)) {
    retry_over_tcp(r, nc);
  } else if (rcode == MG_DNS_RCODE_NOERROR) {
    on_noerror(r, msg);
  } else if (rcode == MG_DNS_RCODE_NXDOMAIN) {
    next_name(r);
  } else { /* SERVFAIL, REFUSED...: the next server, now */
    r->got_reply = 1;
    send_attempt(r);
  }
}

/* ---- Outcome ---- */

/* Hands the outcome to the connection being connected. */
static void resolve_target(struct mg__resolv_req *r,
                           const union socket_address *sa, int err) {
  struct mg_connection *t = r->target;
  r->target = NULL;
  r->done = 1;
  mg_layer_remove(t, r->target_layer);
  mg_resolve_done(t, sa, err);
}

/* The first address of the asked type in msg, with the target port. */
static int reply_address(struct mg__resolv_req *r, struct mg_dns_message *msg,
                         union socket_address *sa) {
  struct mg_dns_resource_record *rr = NULL;
  memset(sa, 0, sizeof(*sa));
  while ((rr = mg_next_record(msg, r->qtype, rr)) != NULL) {
    if (r->qtype == MG_DNS_A_RECORD &&
        mg_dns_parse_record_data(msg, rr, &sa->sin.sin_addr, 4) == 0) {
      sa->sin.sin_family = AF_INET;
      sa->sin.sin_port = htons((uint16_t) r->port);
      return 0;
    }
#if MG_ENABLE_IPV6
    if (r->qtype == MG_DNS_AAAA_RECORD &&
        mg_dns_parse_record_data(msg, rr, &sa->sin6.sin6_addr, 16) == 0) {
      sa->sin6.sin6_family = AF_INET6;
      sa->sin6.sin6_port = htons((uint16_t) r->port);
      return 0;
    }
#endif
  }
  return -1;
}

/* The connect path: A first, then AAAA; errno values for failures. */
static void finish_target(struct mg__resolv_req *r, struct mg_dns_message *msg,
                          enum mg_resolve_err err) {
  union socket_address sa;
  if (err == MG_RESOLVE_OK && reply_address(r, msg, &sa) == 0) {
    resolve_target(r, &sa, 0);
#if MG_ENABLE_IPV6
  } else if (err == MG_RESOLVE_NO_ANSWERS && r->qtype == MG_DNS_A_RECORD) {
    r->qtype = MG_DNS_AAAA_RECORD;
    r->cname_hops = 0;
    r->name_idx = 0;
    memcpy(r->qname, r->names[0], sizeof(r->qname));
    new_query(r);
    return; /* not finished */
#endif
  } else {
    resolve_target(r, NULL, err == MG_RESOLVE_NO_ANSWERS ? ENXIO : ETIMEDOUT);
  }
  r->holder->flags |= MG_F_CLOSE_IMMEDIATELY;
}

static void finish(struct mg__resolv_req *r, struct mg_dns_message *msg,
                   enum mg_resolve_err err) {
  if (r->done) return;
  if (r->target != NULL) {
    finish_target(r, msg, err);
    return;
  }
  r->done = 1;
  r->holder->flags |= MG_F_CLOSE_IMMEDIATELY;
  mg_set_timer(r->holder, 0);
  if (r->cb != NULL) r->cb(err == MG_RESOLVE_OK ? msg : NULL, r->cb_data, err);
}

/* ---- The resolv layer ---- */

void mg__resolv_layer_event(struct mg_connection *nc, struct mg_layer *layer,
                            int ev, void *ev_data) {
  struct mg__resolv_link *l = (struct mg__resolv_link *) layer->state;
  if (ev == MG_EV_TIMER && l->req != NULL && !l->is_target) {
    send_attempt(l->req);
    return;
  }
  mg_layer_emit(nc, layer, ev, ev_data);
}

/* The holder leaves: report a cancellation, close the subs, free. */
static void free_req(struct mg__resolv_req *r) {
  int i;
  if (!r->done) {
    r->done = 1;
    if (r->target == NULL && r->cb != NULL) {
      r->cb(NULL, r->cb_data, MG_RESOLVE_TIMEOUT);
    }
  }
  if (r->target != NULL) {
    struct mg_connection *t = r->target;
    r->target = NULL;
    mg_layer_remove(t, r->target_layer);
    mg_resolve_done(t, NULL, ETIMEDOUT);
  }
  for (i = 0; i < r->num_subs; i++) {
    r->subs[i].nc->user_data = NULL;
    r->subs[i].nc->flags |= MG_F_CLOSE_IMMEDIATELY;
  }
  MG_FREE(r);
}

void mg__resolv_layer_detach(struct mg_connection *nc, struct mg_layer *layer) {
  struct mg__resolv_link *l = (struct mg__resolv_link *) layer->state;
  struct mg__resolv_req *r = l->req;
  (void) nc;
  l->req = NULL;
  if (r == NULL) return;
  if (!l->is_target) {
    free_req(r);
  } else if (r->target != NULL) { /* the target closes first: cancel */
    r->target = NULL;
    r->done = 1;
    r->holder->flags |= MG_F_CLOSE_IMMEDIATELY;
  }
}

/* ---- Starting ---- */

/* Fills the candidates for name from the search list and ndots. */
static int make_names(struct mg__resolv_req *r, const char *name,
                      const struct mg__resolv_conf *conf) {
  unsigned char wire[MG__DNS_NAME_MAX];
  size_t len = strlen(name), dots = 0, i;
  int as_is_first, k;
  if (len >= MG__RESOLV_NAME_LEN || mg__dns_name_to_wire(name, len, wire) < 0) {
    return -1;
  }
  if (len > 0 && name[len - 1] == '.') { /* absolute: no search */
    snprintf(r->names[0], MG__RESOLV_NAME_LEN, "%.*s", (int) len - 1, name);
    r->num_names = 1;
    return 0;
  }
  for (i = 0; i < len; i++) dots += name[i] == '.';
  as_is_first = dots >= (size_t) conf->ndots || conf->num_search == 0;
  if (as_is_first)
    snprintf(r->names[r->num_names++], MG__RESOLV_NAME_LEN, "%s", name);
  for (k = 0; k < conf->num_search; k++) {
    char *out = r->names[r->num_names];
    size_t n = (size_t) snprintf(out, MG__RESOLV_NAME_LEN, "%s.%s", name,
                                 conf->search[k]);
    if (n < MG__RESOLV_NAME_LEN && mg__dns_name_to_wire(out, n, wire) >= 0) {
      r->num_names++;
    }
  }
  if (!as_is_first)
    snprintf(r->names[r->num_names++], MG__RESOLV_NAME_LEN, "%s", name);
  return 0;
}

/* Keeps only loopback nameservers when MG_TEST_NO_EXTERNAL is set. */
static void only_loopback(struct mg__resolv_req *r) {
  int i, n = 0;
  const char *no_ext = getenv("MG_TEST_NO_EXTERNAL");
  if (no_ext == NULL || *no_ext == '\0') return;
  for (i = 0; i < r->num_ns; i++) {
    if (mg__resolv_is_loopback(&r->ns[i].sa)) {
      r->ns[n++] = r->ns[i];
    } else {
      fprintf(stderr,
              "mg: resolver: MG_TEST_NO_EXTERNAL: not asking a "
              "non-loopback nameserver\n");
    }
  }
  r->num_ns = n;
}

/* Nameservers: the given list, mgr->nameserver, or resolv.conf's. */
static int pick_nameservers(struct mg__resolv_req *r, const char *list,
                            const struct mg__resolv_conf *conf) {
  if (list == NULL) list = r->mgr->nameserver;
  if (list != NULL) {
    r->num_ns = mg__resolv_parse_ns_list(list, r->ns, MG__RESOLV_MAX_NS);
    if (r->num_ns <= 0) return -1;
  } else {
    memcpy(r->ns, conf->ns, sizeof(r->ns));
    r->num_ns = conf->num_ns;
  }
  only_loopback(r);
  return r->num_ns > 0 ? 0 : -1;
}

/* Tries per nameserver: max_retries + 1, resolv.conf's attempts, or 3. */
static int rounds(int max_retries, const struct mg__resolv_conf *conf) {
  if (max_retries < 0) return 1;
  if (max_retries > 0) return max_retries + 1;
  return conf->attempts > 0 ? conf->attempts : 3;
}

/* Puts a resolv layer on nc pointing at r. */
static struct mg_layer *link_layer(struct mg_connection *nc,
                                   struct mg__resolv_req *r, int is_target) {
  struct mg_layer *layer = mg_layer_push(nc, &mg_plugin_resolv);
  if (layer != NULL) {
    struct mg__resolv_link *l = (struct mg__resolv_link *) layer->state;
    l->req = r;
    l->is_target = is_target;
  }
  return layer;
}

/* A resolution with its nameservers, names and limits; NULL if p is
 * unusable. Not started, nothing linked. */
static struct mg__resolv_req *new_req(struct mg_mgr *mgr,
                                      const struct mg__resolv_params *p,
                                      const struct mg__resolv_conf *conf) {
  struct mg__resolv_req *r = (struct mg__resolv_req *) MG_CALLOC(1, sizeof(*r));
  if (r == NULL) return NULL;
  r->mgr = mgr;
  if (pick_nameservers(r, p->nameserver, conf) != 0 ||
      make_names(r, p->name, conf) != 0) {
    MG_FREE(r);
    return NULL;
  }
  r->cb = p->cb;
  r->cb_data = p->cb_data;
  r->qtype = p->qtype;
  r->timeout = p->timeout > 0      ? p->timeout
               : conf->timeout > 0 ? conf->timeout
                                   : 5;
  r->max_sends = rounds(p->max_retries, conf) * r->num_ns;
  r->port = p->port;
  memcpy(r->qname, r->names[0], sizeof(r->qname));
  return r;
}

int mg__resolv_start(struct mg_mgr *mgr, const struct mg__resolv_params *p) {
  struct mg__resolv_req *r;
  if (p->conf == NULL || p->name == NULL) return -1;
  if ((r = new_req(mgr, p, p->conf)) == NULL) return -1;
  r->holder = mg_create_connection(mgr, NULL);
  if (r->holder == NULL || link_layer(r->holder, r, 0) == NULL) {
    if (r->holder != NULL) r->holder->flags |= MG_F_CLOSE_IMMEDIATELY;
    MG_FREE(r);
    return -1;
  }
  /* From here on the holder's detach frees r. */
  if (p->target != NULL) {
    r->target_layer = link_layer(p->target, r, 1);
    if (r->target_layer == NULL) {
      r->done = 1; /* no callback */
      r->holder->flags |= MG_F_CLOSE_IMMEDIATELY;
      return -1;
    }
    r->target = p->target;
  }
  if (p->dns_conn != NULL) *p->dns_conn = r->holder;
  new_query(r);
  return 0;
}
