/*
 * Server side of a connection: requests, endpoints, extension hooks,
 * keep-alive, streamed multipart bodies, timeouts and error closes.
 */
#include "plugins/http/internal.h"

#define MP_RECV_LIMIT (1024 * 1024) /* receive buffer cap while streaming */
/* a failed connection closes once the peer is quiet this long (at most
 * MG__HTTP_LINGER_SECONDS) */
#define LINGER_QUIET 0.2

/* The endpoint with the longest path that prefixes uri at a '/' boundary. */
static struct mg__http_endpoint *find_endpoint(struct mg__http_conn *hc,
                                               struct mg_str uri) {
  struct mg__http_endpoint *e, *best = NULL;
  for (e = hc->endpoints; e != NULL; e = e->next) {
    if (e->len > uri.len || memcmp(e->path, uri.p, e->len) != 0) continue;
    if (e->len < uri.len && e->len > 0 && e->path[e->len - 1] != '/' &&
        uri.p[e->len] != '/') {
      continue;
    }
    if (best == NULL || e->len > best->len) best = e;
  }
  return best;
}

/* Answers Expect: 100-continue once, if the body is still to come. */
static void maybe_continue(struct mg_connection *nc, struct mg__http_conn *hc,
                           const struct mg__http_frame *f) {
  if (!f->expect_continue || hc->sent_continue) return;
  hc->sent_continue = 1;
  mg_printf(nc, "%s", "HTTP/1.1 100 Continue\r\n\r\n");
}

static int is_multipart(struct http_message *hm) {
  struct mg_str *ct = mg_get_http_header(hm, "Content-Type");
  return ct != NULL && ct->len >= 19 &&
         mg_ncasecmp(ct->p, "multipart/form-data", 19) == 0;
}

/* Runs the extensions' upgrade hooks once per request head. */
static int run_upgrade_hooks(struct mg_connection *nc, struct mg__http_conn *hc,
                             struct http_message *hm) {
  struct mg__http_mgr *m = mg__http_mgr(nc->mgr);
  int i;
  for (i = 0; i < m->num_exts; i++) {
    if (m->exts[i]->upgrade != NULL && m->exts[i]->upgrade(nc, hc->layer, hm)) {
      return 1;
    }
  }
  return 0;
}

static int start_multipart(struct mg_connection *nc, struct mg__http_conn *hc,
                           struct http_message *hm,
                           const struct mg__http_frame *f, size_t n);

int mg__http_on_request(struct mg_connection *nc, struct mg__http_conn *hc,
                        struct http_message *hm, const struct mg__http_frame *f,
                        size_t n) {
  size_t have = nc->recv_mbuf.len - n;
  hc->head_start = 0;
#if MG_DISABLE_HTTP_KEEP_ALIVE
  hc->keep_alive = 0; /* the reference's build flag: one request each */
#else
  hc->keep_alive = f->keep_alive;
#endif
  hc->cur_ep = find_endpoint(hc, hm->uri);
  if (!hc->sent_continue) { /* once per head: hooks, claims */
    if (hc->synthetic) {
      hc->synthetic = 0; /* an internal redirect's request */
    } else {
      hc->redirects = 0;
    }
    if (run_upgrade_hooks(nc, hc, hm)) return 0;
    if (hc->layer->dead) return 0;
    if (hc->hooks->claim(nc, hc, hm, f, n)) return !hc->layer->dead;
  }
  if (hc->layer->dead) return 0;
  if (f->chunked) {
    hc->chunked = 1;
    hc->head_len = n;
    hc->body_len = 0;
    hc->raw_off = n;
    maybe_continue(nc, hc, f);
    return 1;
  }
  if (f->length > 0 && mg__http_opts(nc)->streaming_multipart &&
      is_multipart(hm)) {
    return start_multipart(nc, hc, hm, f, n);
  }
  if ((uint64_t) f->length > mg__http_opts(nc)->max_body_size) {
    mg__http_fail(nc, hc, 413);
    return 0;
  }
  if ((uint64_t) have < (uint64_t) f->length) {
    maybe_continue(nc, hc, f);
    hc->sent_continue = 1; /* hooks ran for this head */
    hc->need_more = 1;
    return 0;
  }
  mg__http_deliver(nc, hc, hm, n, n + (size_t) f->length);
  return 1;
}

/* Delivers MG_EV_HTTP_REQUEST for hm, whose head is head_len bytes at the
 * start of recv_mbuf (extensions may hold it meanwhile). */
static void emit_request(struct mg_connection *nc, struct mg__http_conn *hc,
                         struct http_message *hm, size_t head_len) {
  hc->cur_head_len = head_len;
  hc->dispatching = 1;
  mg_http_ext_emit(nc, hc->layer, MG_EV_HTTP_REQUEST, hm);
  hc->dispatching = 0;
}

void mg__http_deliver(struct mg_connection *nc, struct mg__http_conn *hc,
                      struct http_message *hm, size_t head_len, size_t total) {
  emit_request(nc, hc, hm, head_len);
  if (!hc->layer->dead) mg__http_request_done(nc, hc, total);
}

void mg__http_request_done(struct mg_connection *nc, struct mg__http_conn *hc,
                           size_t total) {
  mbuf_remove(&nc->recv_mbuf, total);
  hc->cur_ep = NULL;
  hc->sent_continue = 0;
  hc->head_start = 0;
  if (hc->busy) {
    if (!hc->keep_alive) hc->close_after = 1;
  } else if (!hc->keep_alive && nc->send_mbuf.len > 0) {
    nc->flags |= MG_F_SEND_AND_CLOSE;
  }
}

void mg__http_response_done(struct mg_connection *nc) {
  struct mg__http_conn *hc = mg__http_conn(nc);
  if (hc == NULL || hc->hold != NULL) return; /* the holder decides */
  hc->busy = 0;
  if (hc->close_after) {
    nc->flags |= MG_F_SEND_AND_CLOSE;
    hc->close_after = 0;
  } else if (nc->recv_mbuf.len > 0) {
    hc->need_more = 0;
    mg__http_process(nc, hc);
  }
}

/* --- streamed multipart bodies --- */

/* Passes a parser event to the request's handler. */
static size_t mp_cb(struct mg__mp *p, int ev, const char *data, size_t len,
                    void *ctx) {
  struct mg_connection *nc = (struct mg_connection *) ctx;
  struct mg__http_conn *hc = mg__http_conn(nc);
  struct mg_http_multipart_part *part = &hc->part;
  static const int evs[] = {MG_EV_HTTP_PART_BEGIN, MG_EV_HTTP_PART_DATA,
                            MG_EV_HTTP_PART_END,
                            MG_EV_HTTP_MULTIPART_REQUEST_END};
  part->var_name = ev == MG__MP_DONE ? NULL : p->var_name;
  part->file_name = ev == MG__MP_DONE ? NULL : p->file_name;
  part->data = mg_mk_str_n(data, ev == MG__MP_DATA ? len : 0);
  part->status = 0;
  part->num_data_consumed = len;
  mg_http_ext_emit(nc, hc->layer, evs[ev], part);
  if (ev != MG__MP_DATA) return 0;
  if (part->num_data_consumed < len) {
    hc->mp_paused = 1;
    return part->num_data_consumed;
  }
  return len;
}

static int start_multipart(struct mg_connection *nc, struct mg__http_conn *hc,
                           struct http_message *hm,
                           const struct mg__http_frame *f, size_t n) {
  hc->mp = (struct mg__mp *) MG_CALLOC(1, sizeof(*hc->mp));
  if (hc->mp == NULL ||
      mg__mp_init(hc->mp, *mg_get_http_header(hm, "Content-Type")) != 0) {
    MG_FREE(hc->mp);
    hc->mp = NULL;
    mg__http_fail(nc, hc, 400);
    return 0;
  }
  hc->mp_left = f->length;
  memset(&hc->part, 0, sizeof(hc->part));
  hc->upload_used = hc->upload_refused = 0;
  hc->upload_bytes = 0;
  hc->saved_limit = nc->recv_mbuf_limit;
  if (nc->recv_mbuf_limit > MP_RECV_LIMIT) nc->recv_mbuf_limit = MP_RECV_LIMIT;
  maybe_continue(nc, hc, f);
  mg_http_ext_emit(nc, hc->layer, MG_EV_HTTP_MULTIPART_REQUEST, hm);
  if (hc->layer->dead) return 0;
  mbuf_remove(&nc->recv_mbuf, n);
  return 1;
}

void mg__http_mp_free(struct mg_connection *nc, struct mg__http_conn *hc) {
  if (hc->mp == NULL) return;
  MG_FREE(hc->mp);
  hc->mp = NULL;
  hc->mp_paused = 0;
  if (nc->recv_mbuf_limit == MP_RECV_LIMIT)
    nc->recv_mbuf_limit = hc->saved_limit;
}

/* The multipart request ended well: answer for the upload handler. */
static void mp_finish(struct mg_connection *nc, struct mg__http_conn *hc) {
  mg__http_mp_free(nc, hc);
  if (hc->upload_used && !hc->upload_refused) {
    char body[100];
    int len = snprintf(body, sizeof(body),
                       "Written %lld bytes of POST data to a file\n",
                       (long long) hc->upload_bytes);
    mg_send_head(nc, 200, len, "Content-Type: text/plain");
    mg_send(nc, body, len);
  }
  mg__http_request_done(nc, hc, 0);
}

/* Tells the handler the request broke off. */
static void mp_events_error(struct mg_connection *nc,
                            struct mg__http_conn *hc) {
  struct mg_http_multipart_part *part = &hc->part;
  if (mg__mp_in_part(hc->mp)) {
    part->status = -1;
    part->data = mg_mk_str_n(NULL, 0);
    mg_http_ext_emit(nc, hc->layer, MG_EV_HTTP_PART_END, part);
  }
  part->status = -1;
  part->var_name = part->file_name = NULL;
  mg_http_ext_emit(nc, hc->layer, MG_EV_HTTP_MULTIPART_REQUEST_END, part);
}

void mg__http_mp_abort(struct mg_connection *nc, struct mg__http_conn *hc) {
  if (hc->mp == NULL || mg__mp_done(hc->mp)) return;
  mp_events_error(nc, hc);
  mg__http_mp_free(nc, hc);
}

/* The body is malformed or cut short: report and answer 400. */
static int mp_broken(struct mg_connection *nc, struct mg__http_conn *hc) {
  mp_events_error(nc, hc);
  mg__http_mp_free(nc, hc);
  mg__http_fail(nc, hc, 400);
  return 0;
}

int mg__http_mp_continue(struct mg_connection *nc, struct mg__http_conn *hc) {
  size_t avail = nc->recv_mbuf.len, used;
  if ((uint64_t) avail > (uint64_t) hc->mp_left) avail = (size_t) hc->mp_left;
  hc->mp_paused = 0;
  if (!mg__mp_done(hc->mp)) {
    used = mg__mp_feed(hc->mp, nc->recv_mbuf.buf, avail, mp_cb, nc);
    if (hc->layer->dead || hc->failed || hc->mp == NULL) return 0;
    if (hc->mp->error) return mp_broken(nc, hc);
    mbuf_remove(&nc->recv_mbuf, used);
    hc->mp_left -= (int64_t) used;
    if (hc->mp_paused) return 0;
    if (!mg__mp_done(hc->mp)) {
      if (hc->mp_left == 0) return mp_broken(nc, hc);
      hc->need_more = 1;
      return 0;
    }
  }
  avail = nc->recv_mbuf.len;
  if ((uint64_t) avail > (uint64_t) hc->mp_left) avail = (size_t) hc->mp_left;
  mbuf_remove(&nc->recv_mbuf, avail); /* the epilogue */
  hc->mp_left -= (int64_t) avail;
  if (hc->mp_left > 0) {
    hc->need_more = 1;
    return 0;
  }
  mp_finish(nc, hc);
  return 1;
}

/* --- timeouts --- */

void mg__http_server_poll(struct mg_connection *nc, struct mg__http_conn *hc) {
  const struct mg_http_opts *o = mg__http_opts(nc);
  double now = mg_mgr_time(nc->mgr);
  if (hc->failed) {
    if (nc->send_mbuf.len == 0 &&
        (now >= hc->linger_until || now - hc->last_io > LINGER_QUIET)) {
      nc->flags |= MG_F_CLOSE_IMMEDIATELY;
    }
    return;
  }
  if (mg__http_streaming(hc) && !hc->hold->paused && o->idle_timeout > 0 &&
      now - hc->last_io > o->idle_timeout) {
    nc->flags |= MG_F_CLOSE_IMMEDIATELY; /* the client stopped sending */
  }
  if (hc->busy || hc->mp != NULL || hc->chunked) return;
  if (hc->head_start > 0 && o->header_timeout > 0 &&
      now - hc->head_start > o->header_timeout) {
    mg__http_fail(nc, hc, 408);
  } else if (o->idle_timeout > 0 && nc->send_mbuf.len == 0 &&
             mg__send_fd_pending(nc) == 0 &&
             now - hc->last_io > o->idle_timeout) {
    nc->flags |= MG_F_CLOSE_IMMEDIATELY;
  }
}
