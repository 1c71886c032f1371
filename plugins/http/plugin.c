/*
 * The http plugin, the top layer of the package: its descriptor,
 * per-manager options, the layer's attach/detach/event callbacks, the
 * hooks table the layers below call up through, endpoints and the
 * extension registry.
 */
#include "plugins/http/internal.h"

static void http_opts_defaults(struct mg_http_opts *o) {
  o->max_request_head = MG_MAX_HTTP_REQUEST_SIZE;
  o->max_body_size = 8 * 1024 * 1024;
  o->header_timeout = 30;
  o->idle_timeout = 60;
  o->streaming_multipart = MG_ENABLE_HTTP_STREAMING_MULTIPART;
}

static void http_free(struct mg_mgr *mgr, void *state) {
  (void) mgr;
  mg__http_cache_free((struct mg__http_mgr *) state);
}

static int http_init(struct mg_mgr *mgr, void *state) {
  struct mg__http_mgr *m = (struct mg__http_mgr *) state;
  (void) mgr;
  http_opts_defaults(&m->opts);
  return 0;
}

/* Copies the endpoint list src. */
static struct mg__http_endpoint *copy_endpoints(
    const struct mg__http_endpoint *src) {
  struct mg__http_endpoint *head = NULL, **tail = &head;
  for (; src != NULL; src = src->next) {
    struct mg__http_endpoint *e =
        (struct mg__http_endpoint *) MG_CALLOC(1, sizeof(*e));
    if (e == NULL) break;
    *e = *src;
    e->next = NULL;
    e->path = (char *) mg_strdup(mg_mk_str(src->path)).p;
    if (e->path == NULL) {
      MG_FREE(e);
      break;
    }
    *tail = e;
    tail = &e->next;
  }
  return head;
}

/* The calls up the layers, for the layers below (see internal.h). */
static const struct mg__http_hooks s_hooks = {
    .request_head = mg__http_on_request,
    .request_whole = mg__http_deliver,
    .multipart_more = mg__http_mp_continue,
    .reply_head = mg__http_on_reply,
    .held_body = mg__http_stream_continue,
    .response_done = mg__http_response_done,
    .claim = mg__http_try_claim,
};

static int http_attach(struct mg_connection *nc, struct mg_layer *layer,
                       const struct mg_layer *parent) {
  struct mg__http_conn *hc = (struct mg__http_conn *) layer->state;
  (void) nc;
  hc->hooks = &s_hooks;
  hc->file_fd = -1;
  hc->layer = layer;
  hc->last_io = mg_mgr_time(nc->mgr);
  if (parent != NULL) {
    const struct mg__http_conn *pc =
        (const struct mg__http_conn *) parent->state;
    hc->endpoints = copy_endpoints(pc->endpoints);
    hc->serve_opts = mg__http_serve_opts_ref(pc->serve_opts);
  }
  return 0;
}

static void http_detach(struct mg_connection *nc, struct mg_layer *layer) {
  struct mg__http_conn *hc = (struct mg__http_conn *) layer->state;
  while (hc->endpoints != NULL) {
    struct mg__http_endpoint *e = hc->endpoints;
    hc->endpoints = e->next;
    MG_FREE(e->path);
    MG_FREE(e);
  }
  hc->cur_ep = NULL;
  if (hc->file_fd >= 0) close(hc->file_fd);
  hc->file_fd = -1;
  mg__http_mp_free(nc, hc);
  mg__http_proxy_unlink(nc, hc);
  mg__http_hold_abort(nc, hc);
  mg__http_serve_opts_free(hc);
}

static void on_close(struct mg_connection *nc, struct mg__http_conn *hc) {
  if (hc->mp != NULL) mg__http_mp_abort(nc, hc);
  if (!mg__http_is_server(nc)) mg__http_client_close(nc, hc);
}

static void on_poll(struct mg_connection *nc, struct mg__http_conn *hc) {
  if (nc->flags & MG_F_LISTENING) return;
  if (hc->file_fd >= 0) mg__http_pump_file(nc, hc);
  if (mg__http_is_server(nc)) mg__http_server_poll(nc, hc);
  if (!hc->layer->dead && nc->recv_mbuf.len > 0 && !hc->need_more) {
    mg__http_process(nc, hc);
  }
  mg__http_hold_pump(nc, hc);
}

/* Non-zero if the input waiting behind a response exceeds one request. */
static int too_much_queued(struct mg_connection *nc) {
  const struct mg_http_opts *o = mg__http_opts(nc);
  return nc->recv_mbuf.len > o->max_request_head + o->max_body_size;
}

static void http_event(struct mg_connection *nc, struct mg_layer *layer, int ev,
                       void *ev_data) {
  struct mg__http_conn *hc = (struct mg__http_conn *) layer->state;
  if (ev == MG_EV_CLOSE) on_close(nc, hc);
  mg_layer_emit(nc, layer, ev, ev_data);
  if (layer->dead) return;
  switch (ev) {
    case MG_EV_RECV:
      hc->last_io = mg_mgr_time(nc->mgr);
      hc->need_more = 0;
      if (hc->busy && mg__http_is_server(nc) && too_much_queued(nc)) {
        /* Pipelining far ahead of the replies; an error reply cannot be
         * put in the middle of the body being sent: close. */
        nc->flags |= MG_F_CLOSE_IMMEDIATELY;
      }
      mg__http_process(nc, hc);
      mg__http_hold_pump(nc, hc);
      break;
    case MG_EV_SEND:
      hc->last_io = mg_mgr_time(nc->mgr);
      if (hc->file_fd >= 0) mg__http_pump_file(nc, hc);
      mg__http_hold_pump(nc, hc);
      break;
    case MG_EV_POLL:
      on_poll(nc, hc);
      break;
    default:
      break;
  }
}

const struct mg_plugin mg_plugin_http = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "http",
    .deps = NULL,
    .ev_first = MG_EV_HTTP_FIRST,
    .ev_last = MG_EV_HTTP_LAST,
    .mgr_state_size = sizeof(struct mg__http_mgr),
    .conn_state_size = sizeof(struct mg__http_conn),
    .init = http_init,
    .free = http_free,
    .attach = http_attach,
    .detach = http_detach,
    .event = http_event,
};

struct mg_http_opts mg_http_get_options(struct mg_mgr *mgr) {
  struct mg__http_mgr *m = mg__http_mgr(mgr);
  struct mg_http_opts o;
  if (m != NULL) return m->opts;
  memset(&o, 0, sizeof(o));
  http_opts_defaults(&o);
  return o;
}

int mg_http_set_options(struct mg_mgr *mgr, const struct mg_http_opts *opts) {
  struct mg__http_mgr *m = mg__http_mgr(mgr);
  struct mg_http_opts d;
  if (m == NULL || opts == NULL) return -1;
  http_opts_defaults(&d);
  m->opts = *opts;
  if (opts->max_request_head == 0)
    m->opts.max_request_head = d.max_request_head;
  if (opts->max_body_size == 0) m->opts.max_body_size = d.max_body_size;
  if (opts->header_timeout == 0) m->opts.header_timeout = d.header_timeout;
  if (opts->idle_timeout == 0) m->opts.idle_timeout = d.idle_timeout;
  return 0;
}

void mg_register_http_endpoint(struct mg_connection *nc, const char *uri_path,
                               MG_CB(mg_event_handler_t handler,
                                     void *user_data)) {
  struct mg__http_conn *hc;
  struct mg__http_endpoint *e;
  if (nc == NULL || uri_path == NULL) return;
  mg_set_protocol_http_websocket(nc);
  hc = mg__http_conn(nc);
  e = (struct mg__http_endpoint *) MG_CALLOC(1, sizeof(*e));
  if (hc == NULL || e == NULL) {
    MG_FREE(e);
    return;
  }
  e->path = (char *) mg_strdup(mg_mk_str(uri_path)).p;
  if (e->path == NULL) {
    MG_FREE(e);
    return;
  }
  e->len = strlen(uri_path);
  e->handler = handler;
#if MG_ENABLE_CALLBACK_USERDATA
  e->user_data = user_data;
#endif
  e->next = hc->endpoints;
  hc->endpoints = e;
}

int mg_http_ext_register(struct mg_mgr *mgr, const struct mg_http_ext *ext) {
  struct mg__http_mgr *m = mg__http_mgr(mgr);
  int i;
  if (m == NULL || ext == NULL || ext->version != MG_HTTP_EXT_VERSION)
    return -1;
  for (i = 0; i < m->num_exts; i++) {
    if (m->exts[i] == ext) return 0;
  }
  if (m->num_exts >= MG_HTTP_MAX_EXTS) return -1;
  m->exts[m->num_exts++] = ext;
  return 0;
}
