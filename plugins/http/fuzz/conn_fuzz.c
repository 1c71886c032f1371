/*
 * Fuzzes whole connections over the in-memory interface. With an even
 * first byte the input, cut into pieces, arrives at an HTTP listener whose
 * handler answers, serves files, streams multipart parts and echoes
 * chunks; with an odd one it is the reply a raw server sends to
 * mg_connect_http(). Anything ASan or UBSan flags is a bug.
 */
#include <stdlib.h>

#include "plugins/http/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void handler(struct mg_connection *c, int ev, void *ev_data) {
  struct http_message *hm = (struct http_message *) ev_data;
  struct mg_http_multipart_part *mp = (struct mg_http_multipart_part *) ev_data;
  struct mg_serve_http_opts opts;
  switch (ev) {
    case MG_EV_HTTP_REQUEST:
      if (hm->uri.len > 1 && hm->uri.p[1] == 'f') {
        memset(&opts, 0, sizeof(opts));
        opts.document_root = ".";
        opts.hidden_file_pattern = "**.c$";
        opts.url_rewrites = "/fa=/tmp,@h=.";
        mg_serve_http(c, hm, opts);
      } else {
        mg_send_head(c, 200, (int64_t) hm->body.len, "X: y");
        mg_send(c, hm->body.p, (int) hm->body.len);
      }
      break;
    case MG_EV_HTTP_CHUNK:
      if (hm->body.len > 100) c->flags |= MG_F_DELETE_CHUNK;
      break;
    case MG_EV_HTTP_PART_DATA:
      mp->num_data_consumed =
          mp->data.len > 3 ? mp->data.len / 2 : mp->data.len;
      break;
    default:
      break;
  }
}

static int s_client_closed; /* the raw client connection went away */

static void client(struct mg_connection *c, int ev, void *ev_data) {
  (void) ev_data;
  if (ev == MG_EV_RECV) mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
  if (ev == MG_EV_CLOSE && c->listener == NULL) s_client_closed = 1;
}

/* The HTTP client's handler: looks at what it is given. */
static void http_client(struct mg_connection *c, int ev, void *ev_data) {
  struct http_message *hm = (struct http_message *) ev_data;
  volatile size_t sink = 0;
  size_t i;
  if (ev == MG_EV_HTTP_REPLY || ev == MG_EV_HTTP_CHUNK) {
    for (i = 0; i < hm->body.len; i++) sink += (unsigned char) hm->body.p[i];
    if (ev == MG_EV_HTTP_CHUNK && hm->body.len > 50)
      c->flags |= MG_F_DELETE_CHUNK;
  }
  (void) sink;
}

/* Feeds data to the peer of a client of mg_connect_http(). */
static void run_client(struct mg_mgr *mgr, const uint8_t *data, size_t size,
                       size_t step) {
  struct mg_connection *lc = mg_bind(mgr, "mem://r", client), *srv = NULL;
  size_t pos = 0;
  int i;
  if (lc == NULL) abort();
  if (mg_connect_http(mgr, http_client, "mem://r/x", NULL, "post") == NULL)
    abort();
  for (i = 0; i < 2000 && (srv == NULL || pos < size); i++) {
    mg_mgr_poll(mgr, 0);
    for (srv = mgr->active_connections; srv != NULL; srv = srv->next) {
      if (srv->listener == lc) break;
    }
    if (srv != NULL && pos < size) {
      size_t n = size - pos < step ? size - pos : step;
      mg_send(srv, data + pos, (int) n);
      pos += n;
    }
  }
  if (srv != NULL) srv->flags |= MG_F_SEND_AND_CLOSE;
  for (i = 0; i < 20; i++) mg_mgr_poll(mgr, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct mg_mgr mgr;
  struct mg_mgr_init_opts o;
  struct mg_connection *lc, *cc;
  struct mg_http_opts ho;
  size_t step, pos = 1;
  int i;
  if (size < 1 || size > 1 << 16) return 0;
  step = (size_t) data[0] * 4 + 1;
  memset(&o, 0, sizeof(o));
  o.main_iface = &mg_mem_iface_vtable;
  mg_mgr_init_opt(&mgr, NULL, o);
  ho = mg_http_get_options(&mgr);
  ho.max_request_head = 2048;
  ho.max_body_size = 4096;
  mg_http_set_options(&mgr, &ho);
  if (data[0] & 1) {
    run_client(&mgr, data + 1, size - 1, step);
    mg_mgr_free(&mgr);
    return 0;
  }
  lc = mg_bind(&mgr, "mem://f", handler);
  if (lc == NULL) abort();
  mg_set_protocol_http_websocket(lc);
  s_client_closed = 0;
  cc = mg_connect(&mgr, "mem://f", client);
  for (i = 0; i < 2000 && pos < size && !s_client_closed; i++) {
    size_t n = size - pos < step ? size - pos : step;
    mg_send(cc, data + pos, (int) n);
    pos += n;
    mg_mgr_poll(&mgr, 0);
  }
  for (i = 0; i < 20; i++) mg_mgr_poll(&mgr, 0);
  mg_mgr_free(&mgr);
  return 0;
}
