/*
 * The ws plugin: its descriptor, per-manager options and randomness, and
 * the layer that carries an upgraded connection: received frames become
 * events, PINGs get PONGs, the close handshake, protocol errors.
 */
#include <fcntl.h>
#include <unistd.h>

#include "plugins/ws/internal.h"

#define DEFAULT_CLOSE_TIMEOUT 5.0

static void set_defaults(struct mg_ws_opts *o) {
  o->max_message_size = MG_WEBSOCKET_MAX_MESSAGE_SIZE;
  o->close_timeout = DEFAULT_CLOSE_TIMEOUT;
  o->ping_interval = MG_WEBSOCKET_PING_INTERVAL_SECONDS;
}

static int ws_init(struct mg_mgr *mgr, void *state) {
  struct mg__ws_mgr *m = (struct mg__ws_mgr *) state;
  set_defaults(&m->opts);
  return mg_http_ext_register(mgr, &mg__ws_http_ext);
}

struct mg__ws_mgr *mg__ws_mgr(struct mg_mgr *mgr) {
  return (struct mg__ws_mgr *) mg_plugin_mgr_state(mgr, &mg_plugin_ws);
}

struct mg_ws_opts mg_ws_get_options(struct mg_mgr *mgr) {
  struct mg__ws_mgr *m = mg__ws_mgr(mgr);
  struct mg_ws_opts o;
  if (m != NULL) return m->opts;
  memset(&o, 0, sizeof(o));
  set_defaults(&o);
  return o;
}

int mg_ws_set_options(struct mg_mgr *mgr, const struct mg_ws_opts *opts) {
  struct mg__ws_mgr *m = mg__ws_mgr(mgr);
  if (m == NULL || opts == NULL) return -1;
  set_defaults(&m->opts);
  if (opts->max_message_size > 0) m->opts.max_message_size = opts->max_message_size;
  if (opts->close_timeout > 0) m->opts.close_timeout = opts->close_timeout;
  if (opts->ping_interval != 0) m->opts.ping_interval = opts->ping_interval;
  return 0;
}

/* Refills the pool from the kernel; without /dev/urandom, from a mix of
 * the clock, the pid and the previous pool (never expected on targets). */
static void refill(struct mg__ws_mgr *m) {
  size_t got = 0;
  int fd = open("/dev/urandom", O_RDONLY);
  if (fd >= 0) {
    while (got < sizeof(m->pool)) {
      ssize_t n = read(fd, m->pool + got, sizeof(m->pool) - got);
      if (n <= 0) break;
      got += (size_t) n;
    }
    close(fd);
  }
  if (got < sizeof(m->pool)) {
    /* A seed, not a time stamp: the wall clock, whatever the manager's. */
    uint64_t x = (uint64_t) (mg_time() * 1e6) ^ ((uint64_t) getpid() << 32);
    size_t i;
    for (i = 0; i < sizeof(m->pool); i++) {
      x ^= x << 13; /* xorshift64 */
      x ^= x >> 7;
      x ^= x << 17;
      m->pool[i] ^= (unsigned char) (x >> 24);
    }
  }
  m->pool_left = sizeof(m->pool);
}

void mg__ws_random(struct mg_mgr *mgr, unsigned char *out, size_t n) {
  struct mg__ws_mgr *m = mg__ws_mgr(mgr);
  size_t i;
  for (i = 0; i < n; i++) {
    if (m == NULL) {
      out[i] = (unsigned char) rand();
      continue;
    }
    if (m->pool_left == 0) refill(m);
    out[i] = m->pool[sizeof(m->pool) - m->pool_left];
    m->pool[sizeof(m->pool) - m->pool_left] = 0; /* used once */
    m->pool_left--;
  }
}

static int ws_attach(struct mg_connection *nc, struct mg_layer *layer,
                     const struct mg_layer *parent) {
  struct mg__ws_conn *wc = (struct mg__ws_conn *) layer->state;
  (void) parent;
  wc->dec.expect_masked = nc->listener != NULL;
  return 0;
}

/* Sends a CLOSE with status (0: none) once. */
static void send_close(struct mg_connection *nc, struct mg__ws_conn *wc,
                       unsigned int status) {
  unsigned char p[2];
  if (wc->close_sent) return;
  p[0] = (unsigned char) (status >> 8);
  p[1] = (unsigned char) status;
  mg_send_websocket_frame(nc, WEBSOCKET_OP_CLOSE, p, status ? 2 : 0);
}

/* The peer broke the protocol: CLOSE with status, then close. */
static void fail_conn(struct mg_connection *nc, struct mg__ws_conn *wc,
                      int status) {
  send_close(nc, wc, (unsigned int) status);
  wc->failed = 1;
  nc->recv_mbuf.len = 0;
  nc->flags |= MG_F_SEND_AND_CLOSE;
}

/* A control frame arrived (payload p[0..n)). */
static void on_control(struct mg_connection *nc, struct mg_layer *l,
                       struct mg__ws_conn *wc, struct websocket_message *wm) {
  int op = wm->flags & 0x0f;
  if (op == WEBSOCKET_OP_PING && !wc->close_sent) {
    mg_send_websocket_frame(nc, WEBSOCKET_OP_PONG, wm->data, wm->size);
  }
  mg_layer_emit(nc, l, MG_EV_WEBSOCKET_CONTROL_FRAME, wm);
  if (op == WEBSOCKET_OP_CLOSE && !l->dead) {
    unsigned int status = wm->size >= 2 ? ((unsigned int) wm->data[0] << 8) | wm->data[1] : 0;
    wc->close_received = 1;
    send_close(nc, wc, status); /* echo the status (none if none) */
    nc->flags |= MG_F_SEND_AND_CLOSE;
  }
}

void mg__ws_process(struct mg_connection *nc, struct mg_layer *l) {
  struct mg__ws_conn *wc = (struct mg__ws_conn *) l->state;
  size_t pos = 0;
  int i;
  if (!wc->open || wc->failed || wc->close_received) {
    if (wc->open) nc->recv_mbuf.len = 0; /* nothing more is read */
    return;
  }
  wc->dec.max_size = mg__ws_mgr(nc->mgr)->opts.max_message_size;
  for (i = 0; i < 1000000; i++) {
    struct mg__ws_item it;
    struct websocket_message wm;
    size_t len = nc->recv_mbuf.len - pos;
    if (!wc->dec.in_msg) wc->dec.no_defrag = (nc->flags & MG_F_WEBSOCKET_NO_DEFRAG) != 0;
    mg__ws_decode(&wc->dec, (unsigned char *) nc->recv_mbuf.buf + pos, &len, &it);
    nc->recv_mbuf.len = pos + len;
    if (it.kind == MG__WS_MORE) break;
    if (it.kind == MG__WS_FAIL) {
      fail_conn(nc, wc, it.status);
      return;
    }
    wm.data = (unsigned char *) nc->recv_mbuf.buf + pos + it.off;
    wm.size = it.len;
    wm.flags = it.flags;
    if (it.kind == MG__WS_CONTROL) {
      on_control(nc, l, wc, &wm);
    } else {
      mg_layer_emit(nc, l, MG_EV_WEBSOCKET_FRAME, &wm);
    }
    if (l->dead || wc->close_received || (nc->flags & MG_F_CLOSE_IMMEDIATELY)) {
      nc->recv_mbuf.len = 0;
      return;
    }
    pos += it.consumed;
  }
  mbuf_remove(&nc->recv_mbuf, pos);
}

void mg__ws_open(struct mg_connection *nc, struct mg_layer *l) {
  struct mg__ws_conn *wc = (struct mg__ws_conn *) l->state;
  wc->open = 1;
  wc->last_io = mg_mgr_time(nc->mgr);
  wc->dec.expect_masked = nc->listener != NULL;
  nc->flags |= MG_F_IS_WEBSOCKET;
  if (nc->recv_mbuf.len > 0) mg__ws_process(nc, l);
}

static void ws_event(struct mg_connection *nc, struct mg_layer *layer, int ev,
                     void *ev_data) {
  struct mg__ws_conn *wc = (struct mg__ws_conn *) layer->state;
  mg_layer_emit(nc, layer, ev, ev_data);
  if (layer->dead || !wc->open) return;
  if (ev == MG_EV_RECV || ev == MG_EV_SEND) wc->last_io = mg_mgr_time(nc->mgr);
  if (ev == MG_EV_RECV) {
    mg__ws_process(nc, layer);
  } else if (ev == MG_EV_POLL && !wc->close_sent && !wc->failed) {
    double every = mg__ws_mgr(nc->mgr)->opts.ping_interval;
    double now = mg_mgr_time(nc->mgr);
    if (every > 0 && now - wc->last_io > every) {
      mg_send_websocket_frame(nc, WEBSOCKET_OP_PING, "", 0); /* keep-alive */
      wc->last_io = now;
    }
  } else if (ev == MG_EV_POLL && wc->close_sent &&
             mg_mgr_time(nc->mgr) > wc->close_deadline) {
    /* The peer never answered our CLOSE, or does not read what is left to
     * send after one (a failed connection): give up. */
    nc->flags |= MG_F_CLOSE_IMMEDIATELY;
  }
}

void mg_ws_set_protocol(struct mg_connection *nc, const char *protocol) {
  struct mg__ws_mgr *m = nc == NULL ? NULL : mg__ws_mgr(nc->mgr);
  if (m == NULL || m->upgrading != nc || protocol == NULL) return;
  snprintf(m->protocol, sizeof(m->protocol), "%s", protocol);
}

const char *mg__ws_upgrade_protocol(struct mg_connection *nc) {
  struct mg__ws_mgr *m = nc == NULL ? NULL : mg__ws_mgr(nc->mgr);
  if (m == NULL || m->upgrading != nc) return NULL;
  return m->protocol;
}

static const struct mg_plugin *const ws_deps[] = {&mg_plugin_http, NULL};

const struct mg_plugin mg_plugin_ws = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "ws",
    .deps = ws_deps,
    .ev_first = MG_EV_WS_FIRST,
    .ev_last = MG_EV_WS_LAST,
    .mgr_state_size = sizeof(struct mg__ws_mgr),
    .conn_state_size = sizeof(struct mg__ws_conn),
    .init = ws_init,
    .free = NULL,
    .attach = ws_attach,
    .detach = NULL,
    .event = ws_event,
};
