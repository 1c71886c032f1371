/*
 * The receive path shared by server and client connections: heads are
 * parsed, bodies gathered (Content-Length) or decoded in place (chunked),
 * and each complete message handed up (request.c or client.c, through
 * the hooks table).
 */
#include "plugins/http/internal.h"

#define MAX_MESSAGES_PER_CALL 64 /* the rest waits for the next poll */

/* Removes n bytes at offset at of m. */
static void drop_range(struct mbuf *m, size_t at, size_t n) {
  if (at >= m->len) return;
  if (n > m->len - at) n = m->len - at;
  memmove(m->buf + at, m->buf + at + n, m->len - at - n);
  m->len -= n;
}

/* Re-parses the head of the message being decoded into hm and points its
 * body at the decoded bytes. */
static void reparse(struct mg_connection *nc, struct mg__http_conn *hc,
                    struct http_message *hm) {
  struct mg__http_frame f;
  mg__http_parse(nc->recv_mbuf.buf, hc->head_len, hm, mg__http_is_server(nc),
                 &f);
  hm->body = mg_mk_str_n(nc->recv_mbuf.buf + hc->head_len, hc->body_len);
  hm->message = mg_mk_str_n(nc->recv_mbuf.buf, hc->head_len + hc->body_len);
}

/* Stops on a malformed message: a server answers, a client closes. */
static void bad_message(struct mg_connection *nc, struct mg__http_conn *hc,
                        int code) {
  if (mg__http_is_server(nc)) {
    mg__http_fail(nc, hc, code);
  } else {
    nc->flags |= MG_F_CLOSE_IMMEDIATELY;
  }
}

/* Delivers the message whose chunked body is now complete. */
static void chunked_complete(struct mg_connection *nc,
                             struct mg__http_conn *hc) {
  struct http_message hm;
  size_t total = hc->head_len + hc->body_len;
  hc->chunked = 0;
  reparse(nc, hc, &hm);
  if (mg__http_is_server(nc)) {
    hc->hooks->request_whole(nc, hc, &hm, hc->head_len, total);
  } else {
    mg_http_ext_emit(nc, hc->layer, MG_EV_HTTP_REPLY, &hm);
    if (!hc->layer->dead) mbuf_remove(&nc->recv_mbuf, total);
  }
}

/* Moves one chunk's data next to the body decoded so far and tells the
 * handler; MG_F_DELETE_CHUNK drops the body. */
static void chunk_data(struct mg_connection *nc, struct mg__http_conn *hc,
                       size_t off, size_t len, size_t taken) {
  struct http_message hm;
  struct mbuf *m = &nc->recv_mbuf;
  size_t at = hc->head_len + hc->body_len;
  memmove(m->buf + at, m->buf + hc->raw_off + off, len);
  hc->body_len += len;
  drop_range(m, at + len, hc->raw_off + taken - (at + len));
  hc->raw_off = hc->head_len + hc->body_len;
  reparse(nc, hc, &hm);
  mg_http_ext_emit(nc, hc->layer, MG_EV_HTTP_CHUNK, &hm);
  if (hc->layer->dead) return;
  if (nc->flags & MG_F_DELETE_CHUNK) {
    drop_range(m, hc->head_len, hc->body_len);
    hc->body_len = 0;
    hc->raw_off = hc->head_len;
    nc->flags &= ~(unsigned long) MG_F_DELETE_CHUNK;
  }
}

/* Decodes the chunks buffered. Returns 1 when the message completed. */
static int chunked_continue(struct mg_connection *nc,
                            struct mg__http_conn *hc) {
  size_t limit = mg__http_is_server(nc) ? mg__http_opts(nc)->max_body_size
                                        : (size_t) LONG_MAX;
  int i;
  for (i = 0; i < 1000 && !hc->layer->dead && hc->chunked && !hc->failed &&
              hc->raw_off <= nc->recv_mbuf.len;
       i++) {
    size_t off = 0, len = 0;
    long r = mg__http_parse_chunk(nc->recv_mbuf.buf + hc->raw_off,
                                  nc->recv_mbuf.len - hc->raw_off, &off, &len);
    if (r < 0) {
      bad_message(nc, hc, 400);
      return 0;
    }
    if (r == 0 || (len > 0 && hc->body_len + len > limit)) {
      if (hc->body_len + len > limit ||
          nc->recv_mbuf.len - hc->raw_off > limit + 4096) {
        bad_message(nc, hc, 413);
      } else {
        hc->need_more = 1;
      }
      return 0;
    }
    if (len == 0) {
      drop_range(&nc->recv_mbuf, hc->raw_off, (size_t) r);
      chunked_complete(nc, hc);
      return 1;
    }
    chunk_data(nc, hc, off, len, (size_t) r);
  }
  return 0;
}

/* Handles the message at the start of recv_mbuf. Returns 1 to go on. */
static int one_message(struct mg_connection *nc, struct mg__http_conn *hc) {
  const struct mg_http_opts *o = mg__http_opts(nc);
  struct http_message hm;
  struct mg__http_frame f;
  int server = mg__http_is_server(nc);
  int n;
  if (hc->head_start == 0) hc->head_start = mg_mgr_time(nc->mgr);
  n = mg__http_parse(nc->recv_mbuf.buf, nc->recv_mbuf.len, &hm, server, &f);
  if (n < 0) {
    bad_message(nc, hc, 400);
    return 0;
  }
  if ((n == 0 && nc->recv_mbuf.len > o->max_request_head) ||
      (size_t) n > o->max_request_head) {
    bad_message(nc, hc, 431);
    return 0;
  }
  if (n == 0) {
    hc->need_more = 1;
    return 0;
  }
  return server ? hc->hooks->request_head(nc, hc, &hm, &f, (size_t) n)
                : hc->hooks->reply_head(nc, hc, &hm, &f, (size_t) n);
}

/* Non-zero if nothing more can be done with the buffer now. */
static int must_stop(struct mg_connection *nc, struct mg__http_conn *hc) {
  if (hc->layer->dead || hc->busy || hc->need_more) return 1;
  if (nc->flags & MG_F_CLOSE_IMMEDIATELY) return 1;
  if (hc->failed) {
    mbuf_clear(&nc->recv_mbuf); /* drained, never parsed */
    return 1;
  }
  if (hc->mp != NULL) return 0; /* a multipart body is read to its end */
  return (nc->flags & MG_F_SEND_AND_CLOSE) != 0;
}

void mg__http_process(struct mg_connection *nc, struct mg__http_conn *hc) {
  int i;
  if (nc->flags & MG_F_LISTENING) return;
  for (i = 0; i < MAX_MESSAGES_PER_CALL; i++) {
    int go_on;
    if (hc->layer->dead || (nc->flags & MG_F_CLOSE_IMMEDIATELY)) break;
    if (!mg__http_streaming(hc) && must_stop(nc, hc)) break;
    if (mg__http_streaming(hc)) {
      go_on = hc->hooks->held_body(nc, hc);
    } else if (hc->mp != NULL) {
      go_on = hc->hooks->multipart_more(nc, hc);
    } else if (hc->chunked) {
      go_on = chunked_continue(nc, hc);
    } else if (nc->recv_mbuf.len == 0) {
      hc->head_start = 0;
      go_on = 0;
    } else {
      go_on = one_message(nc, hc);
    }
    if (!go_on) break;
  }
}
