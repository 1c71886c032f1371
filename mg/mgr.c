/* The manager: init and free, its clock, timers and the poll loop. */
#include "mg/internal.h"

#include <signal.h>
#include <sys/time.h>

double mg_time(void) {
  struct timeval tv;
  if (gettimeofday(&tv, NULL) != 0) return (double) time(NULL);
  return (double) tv.tv_sec + (double) tv.tv_usec / 1000000.0;
}

void mg_mgr_set_clock(struct mg_mgr *mgr, mg_clock_fn fn, void *arg) {
  mgr->clock_fn = fn;
  mgr->clock_arg = fn != NULL ? arg : NULL;
}

double mg_mgr_time(struct mg_mgr *mgr) {
  if (mgr == NULL || mgr->clock_fn == NULL) return mg_time();
  return mgr->clock_fn(mgr->clock_arg);
}

/* ------------------------------------------------------------------ */
/* The manager                                                          */

/* Creates the interface instances of mgr from a vtable list. */
static void init_ifaces(struct mg_mgr *mgr, const struct mg_iface_vtable **vt,
                        int n) {
  int i;
  mgr->ifaces =
      (struct mg_iface **) MG_CALLOC((size_t) n, sizeof(*mgr->ifaces));
  if (mgr->ifaces == NULL) return;
  for (i = 0; i < n; i++) {
    struct mg_iface *iface = mg_if_create_iface(vt[i], mgr);
    if (iface == NULL) continue;
    mgr->ifaces[mgr->num_ifaces++] = iface;
    if (iface->vtable->init != NULL) iface->vtable->init(iface);
  }
}

void mg_mgr_init_opt(struct mg_mgr *mgr, void *user_data,
                     struct mg_mgr_init_opts opts) {
  const struct mg_iface_vtable *defaults[2];
  memset(mgr, 0, sizeof(*mgr));
  mgr->user_data = user_data;
  mgr->nameserver = opts.nameserver;
#if MG_ENABLE_BROADCAST
  mgr->ctl[0] = mgr->ctl[1] = INVALID_SOCKET;
#endif
  signal(SIGPIPE, SIG_IGN);
#if MG_ENABLE_BROADCAST
  mg__broadcast_init(mgr);
#endif
  if (opts.num_ifaces > 0 && opts.ifaces != NULL) {
    init_ifaces(mgr, opts.ifaces, opts.num_ifaces);
  } else {
    defaults[0] = opts.main_iface ? opts.main_iface : mg_default_iface_vtable;
    defaults[1] = &mg_mem_iface_vtable;
    init_ifaces(mgr, defaults, defaults[0] == &mg_mem_iface_vtable ? 1 : 2);
  }
  mg__registry_init(mgr);
}

void mg_mgr_init(struct mg_mgr *mgr, void *user_data) {
  struct mg_mgr_init_opts opts;
  memset(&opts, 0, sizeof(opts));
  mg_mgr_init_opt(mgr, user_data, opts);
}

void mg_mgr_free(struct mg_mgr *mgr) {
  int i;
  if (mgr == NULL) return;
  while (mgr->active_connections != NULL) {
    mg__close_conn(mgr->active_connections);
  }
  mg__layers_reap(mgr);
  mg__registry_free(mgr);
  /* A plugin's free may have closed connections of its own. */
  while (mgr->active_connections != NULL) {
    mg__close_conn(mgr->active_connections);
  }
  mg__layers_reap(mgr);
  for (i = 0; i < mgr->num_ifaces; i++) {
    struct mg_iface *iface = mgr->ifaces[i];
    if (iface->vtable->free != NULL) iface->vtable->free(iface);
    MG_FREE(iface);
  }
  MG_FREE(mgr->ifaces);
  mgr->ifaces = NULL;
  mgr->num_ifaces = 0;
#if MG_ENABLE_BROADCAST
  mg__broadcast_free(mgr);
#endif
}

/* ------------------------------------------------------------------ */
/* Timers and the poll loop                                             */

double mg_set_timer(struct mg_connection *c, double timestamp) {
  double old = c->ev_timer_time;
  c->ev_timer_time = timestamp;
  return old;
}

/* Non-zero if c must be closed now. */
static int must_close(const struct mg_connection *c) {
  if (c->flags & MG_F_CLOSE_IMMEDIATELY) return 1;
  if ((c->flags & MG_F_SEND_AND_CLOSE) && c->send_mbuf.len <= c->send_off &&
      c->send_fd < 0) {
    return 1;
  }
  return 0;
}

/* Non-zero if c has work that must not wait for I/O readiness. */
static int has_urgent_work(struct mg_connection *c) {
  if (must_close(c) || (c->io_state & MG__IO_CONNECT_PENDING)) return 1;
  if (mg__tls_has_pending(c)) return 1; /* the socket will not signal it */
  return (c->flags & MG_F_UDP) && mg_if_wants_write(c);
}

/* The poll timeout in ms: milli, shortened by timers and pending work.
 * now is on the manager's clock. A timer only ever shortens the wait, so
 * the real time waited stays within milli whatever the clock says: with a
 * test clock a timer that is not due yet cannot fall due while waiting,
 * and a due one (ms <= 0) makes the wait 0. */
static int poll_timeout(struct mg_mgr *mgr, int milli, double now) {
  struct mg_connection *c;
  int i, timeout = milli < 0 ? 0 : milli;
  for (i = 1; i < mgr->num_ifaces; i++) {
    struct mg_iface *iface = mgr->ifaces[i];
    if (iface->vtable->has_pending && iface->vtable->has_pending(iface)) {
      return 0;
    }
  }
  for (c = mgr->active_connections; c != NULL; c = c->next) {
    if (has_urgent_work(c)) return 0;
    if (c->ev_timer_time > 0) {
      double ms = (c->ev_timer_time - now) * 1000.0;
      if (ms <= 0) return 0;
      if (ms < timeout) timeout = (int) ms + 1;
    }
  }
  return timeout;
}

/* Delivers due MG_EV_CONNECT events and flushes UDP output. */
static void handle_urgent(struct mg_mgr *mgr) {
  struct mg_connection *c, *next;
  for (c = mgr->active_connections; c != NULL; c = next) {
    next = c->next;
    if (c->io_state & MG__IO_CONNECT_PENDING) mg_if_connect_cb(c, c->err);
    if ((c->flags & MG_F_UDP) && mg_if_wants_write(c)) mg_if_can_send_cb(c);
    if (mg__tls_has_pending(c)) mg_if_can_recv_cb(c);
  }
}

/* Fires due timers, earliest first. */
static void fire_timers(struct mg_mgr *mgr, double now) {
  for (;;) {
    struct mg_connection *c, *due = NULL;
    double old;
    for (c = mgr->active_connections; c != NULL; c = c->next) {
      if (c->ev_timer_time > 0 && c->ev_timer_time <= now &&
          (due == NULL || c->ev_timer_time < due->ev_timer_time)) {
        due = c;
      }
    }
    if (due == NULL) break;
    old = due->ev_timer_time;
    due->ev_timer_time = 0;
    mg_call(due, MG_EV_TIMER, &old);
  }
}

#if MG_ENABLE_SSL
/* Closes an accepted TLS connection whose handshake has taken too long
 * (counted from the accept: a peer trickling bytes gains nothing). */
static void tls_expire(struct mg_connection *c, double now) {
  if (mg__tls_unannounced(c) && !(c->flags & MG_F_CLOSE_IMMEDIATELY) &&
      now - (double) c->last_io_time > MG_SSL_HANDSHAKE_TIMEOUT) {
    mg__log("TLS handshake timed out after %d s", MG_SSL_HANDSHAKE_TIMEOUT);
    c->err = ETIMEDOUT;
    c->flags |= MG_F_CLOSE_IMMEDIATELY;
  }
}
#else
#define tls_expire(c, now) (void) (now)
#endif

/* Sends MG_EV_POLL everywhere, then closes what must close. */
static void poll_and_close(struct mg_mgr *mgr) {
  struct mg_connection *c, *next;
  double now = mg_mgr_time(mgr);
  for (c = mgr->active_connections; c != NULL; c = c->next) {
    tls_expire(c, now);
    if (!(c->flags & MG_F_CLOSE_IMMEDIATELY) && !mg__tls_unannounced(c)) {
      mg_call(c, MG_EV_POLL, NULL);
    }
  }
  for (c = mgr->active_connections; c != NULL; c = next) {
    next = c->next;
    if (must_close(c)) {
      /* Children go with a UDP listener: skip ahead of them safely. */
      while (next != NULL && next->listener == c && (c->flags & MG_F_UDP)) {
        next = next->next;
      }
      mg__close_conn(c);
    }
  }
}

int mg_mgr_poll(struct mg_mgr *mgr, int milli) {
  int i, timeout;
  double now = mg_mgr_time(mgr);
  mgr->num_calls++;
  mgr->num_events = 0;
  handle_urgent(mgr);
  timeout = poll_timeout(mgr, milli, now);
  for (i = mgr->num_ifaces - 1; i >= 0; i--) {
    struct mg_iface *iface = mgr->ifaces[i];
    int t = i == 0 ? timeout : 0;
    if (i == 0 && mgr->num_events > 0) t = 0;
    if (iface->vtable->poll != NULL) iface->vtable->poll(iface, t);
  }
  handle_urgent(mgr);
  fire_timers(mgr, mg_mgr_time(mgr));
  poll_and_close(mgr);
  mg__layers_reap(mgr);
  return (int) mgr->num_events;
}
