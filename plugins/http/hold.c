/*
 * Requests held by extensions (HTTP extension ABI version 2): a claimed
 * body streamed to its holder with back-pressure, responses produced over
 * many polls, and internal redirects. Claims themselves are in claim.c.
 */
#include "plugins/http/internal.h"

#define MAX_CHUNK_LINE 4096 /* a longer chunk-size line is malformed */
#define MAX_TRAILERS 8192   /* trailer bytes accepted after the last chunk */
#define PUMP_ROUNDS 64      /* produce calls per event at most */
#define STEPS_PER_CALL 1024 /* decoder steps per call; the rest waits */

/* States of the chunked decoder of a claimed body. */
enum { CH_SIZE, CH_DATA, CH_CRLF, CH_TRAILER, CH_DONE };

/* --- Holding a request --- */

int mg_http_ext_hold(struct mg_connection *nc, const struct mg_http_ext *ext,
                     void *req) {
  struct mg__http_conn *hc = mg__http_conn(nc);
  struct mg__http_hold *h;
  if (hc == NULL || ext == NULL || ext->produce == NULL ||
      ext->finish == NULL || !hc->dispatching || hc->hold != NULL ||
      hc->cur_head_len > nc->recv_mbuf.len) {
    return -1;
  }
  h = (struct mg__http_hold *) MG_CALLOC(1, sizeof(*h));
  if (h == NULL) return -1;
  h->head = (char *) MG_MALLOC(hc->cur_head_len + 1);
  if (h->head == NULL) {
    MG_FREE(h);
    return -1;
  }
  memcpy(h->head, nc->recv_mbuf.buf, hc->cur_head_len);
  h->head_len = hc->cur_head_len;
  h->ext = ext;
  h->req = req;
  h->body_ended = 1;
  h->last_given = 1;
  hc->hold = h;
  hc->busy = 1;
  return 0;
}

void mg_http_ext_resume(struct mg_connection *nc) {
  struct mg__http_conn *hc = mg__http_conn(nc);
  if (hc == NULL || hc->hold == NULL) return;
  hc->hold->paused = 0;
  hc->need_more = 0; /* the next poll offers the buffer again */
}

void mg_http_ext_wake(struct mg_connection *nc) {
  struct mg__http_conn *hc = mg__http_conn(nc);
  if (hc != NULL && hc->hold != NULL && !hc->layer->dead) {
    mg__http_hold_pump(nc, hc);
  }
}

/* Gives recv_mbuf_limit back once the claimed body stopped streaming. */
static void restore_limit(struct mg_connection *nc, struct mg__http_hold *h) {
  if (!h->claimed) return;
  if (nc->recv_mbuf_limit == MG_HTTP_STREAM_BUFFER) {
    nc->recv_mbuf_limit = h->saved_limit;
  }
  h->claimed = 0;
}

static void free_hold(struct mg__http_hold *h) {
  MG_FREE(h->head);
  MG_FREE(h->redirect);
  MG_FREE(h);
}

void mg__http_hold_abort(struct mg_connection *nc, struct mg__http_conn *hc) {
  struct mg__http_hold *h = hc->hold;
  if (h == NULL) return;
  hc->hold = NULL;
  hc->busy = 0;
  restore_limit(nc, h);
  h->ext->finish(nc, h->req, 1);
  free_hold(h);
}

/* The claimed body is malformed: the holder is told and nc closes. */
static int stream_broken(struct mg_connection *nc, struct mg__http_conn *hc) {
  mg__http_hold_abort(nc, hc);
  nc->flags |= MG_F_SEND_AND_CLOSE;
  mbuf_clear(&nc->recv_mbuf);
  return -1;
}

void mg__http_hold_body(struct mg_connection *nc, struct mg__http_conn *hc,
                        const struct mg__http_frame *f, size_t n,
                        int answer_continue) {
  struct mg__http_hold *h = hc->hold;
  h->claimed = 1;
  h->body_ended = 0;
  h->last_given = 0;
  h->body_left = f->chunked ? -1 : f->length;
  h->chunk_state = CH_SIZE;
  h->saved_limit = nc->recv_mbuf_limit;
  if (nc->recv_mbuf_limit > MG_HTTP_STREAM_BUFFER) {
    nc->recv_mbuf_limit = MG_HTTP_STREAM_BUFFER;
  }
  if (answer_continue) mg_printf(nc, "%s", "HTTP/1.1 100 Continue\r\n\r\n");
  mg__http_request_done(nc, hc, n);
}

/* --- The claimed body --- */

/* Hands len body bytes to the holder (or drops them once the response is
 * complete). Returns the bytes consumed. */
static size_t give(struct mg_connection *nc, struct mg__http_hold *h,
                   const char *data, size_t len, int last) {
  size_t used;
  if (h->done || h->ext->body == NULL) return len;
  used = h->ext->body(nc, h->req, data, len, last);
  if (used > len) used = len;
  if (used < len) h->paused = 1;
  return used;
}

/* Parses a chunk-size line: its length (CRLF included) and *size, 0 if
 * incomplete, -1 if malformed. Extensions after ';' are ignored. */
static long chunk_line(const char *s, size_t n, int64_t *size) {
  size_t i = 0, max = n < MAX_CHUNK_LINE ? n : MAX_CHUNK_LINE;
  const char *lf = (const char *) memchr(s, '\n', max);
  *size = 0;
  if (lf == NULL) return n >= MAX_CHUNK_LINE ? -1 : 0;
  for (; i < (size_t) (lf - s) && isxdigit((unsigned char) s[i]); i++) {
    int c = tolower((unsigned char) s[i]);
    if (i >= 15) return -1; /* past 2^60 */
    *size = *size * 16 + (c <= '9' ? c - '0' : c - 'a' + 10);
  }
  if (i == 0 || lf == s || lf[-1] != '\r') return -1;
  if (s + i != lf - 1 && s[i] != ';' && s[i] != ' ' && s[i] != '\t') return -1;
  return (long) (lf - s + 1);
}

/* One step of a Content-Length body. Returns 1 progress, 0 wait. */
static int step_length(struct mg_connection *nc, struct mg__http_conn *hc,
                       struct mg__http_hold *h) {
  struct mbuf *m = &nc->recv_mbuf;
  size_t avail = m->len, used;
  int last;
  if ((uint64_t) avail > (uint64_t) h->body_left) avail = (size_t) h->body_left;
  if (avail == 0) {
    hc->need_more = 1;
    return 0;
  }
  last = (int64_t) avail == h->body_left;
  used = give(nc, h, m->buf, avail, last);
  if (hc->layer->dead || hc->hold != h) return 0;
  mbuf_remove(m, used);
  h->body_left -= (int64_t) used;
  if (last && used == avail) h->last_given = 1;
  return used == avail;
}

/* A chunk-size line or the CRLF after a chunk's data. */
static int step_chunk_frame(struct mg_connection *nc, struct mg__http_conn *hc,
                            struct mg__http_hold *h) {
  struct mbuf *m = &nc->recv_mbuf;
  int64_t size;
  long r;
  if (h->chunk_state == CH_CRLF) {
    if (m->len < 2) return (hc->need_more = 1, 0);
    if (m->buf[0] != '\r' || m->buf[1] != '\n') return stream_broken(nc, hc);
    mbuf_remove(m, 2);
    h->chunk_state = CH_SIZE;
    return 1;
  }
  r = chunk_line(m->buf, m->len, &size);
  if (r < 0) return stream_broken(nc, hc);
  if (r == 0) return (hc->need_more = 1, 0);
  mbuf_remove(m, (size_t) r);
  h->chunk_left = size;
  h->chunk_state = size == 0 ? CH_TRAILER : CH_DATA;
  return 1;
}

/* Trailer lines after the last chunk, up to the empty line. */
static int step_trailer(struct mg_connection *nc, struct mg__http_conn *hc,
                        struct mg__http_hold *h) {
  struct mbuf *m = &nc->recv_mbuf;
  const char *lf = (const char *) memchr(m->buf, '\n', m->len);
  size_t len;
  if (lf == NULL) {
    if (h->trailer_bytes + m->len > MAX_TRAILERS) return stream_broken(nc, hc);
    return (hc->need_more = 1, 0);
  }
  len = (size_t) (lf - m->buf) + 1;
  h->trailer_bytes += len;
  if (h->trailer_bytes > MAX_TRAILERS || len < 2 || lf[-1] != '\r') {
    return stream_broken(nc, hc);
  }
  mbuf_remove(m, len);
  if (len == 2) h->chunk_state = CH_DONE;
  return 1;
}

/* One step of a chunked body. Returns 1 progress, 0 wait, -1 broken. */
static int step_chunked(struct mg_connection *nc, struct mg__http_conn *hc,
                        struct mg__http_hold *h) {
  struct mbuf *m = &nc->recv_mbuf;
  size_t avail = m->len, used;
  if (h->chunk_state == CH_SIZE || h->chunk_state == CH_CRLF) {
    return step_chunk_frame(nc, hc, h);
  }
  if (h->chunk_state == CH_TRAILER) return step_trailer(nc, hc, h);
  if ((uint64_t) avail > (uint64_t) h->chunk_left)
    avail = (size_t) h->chunk_left;
  if (avail == 0) return (hc->need_more = 1, 0);
  used = give(nc, h, m->buf, avail, 0);
  if (hc->layer->dead || hc->hold != h) return 0;
  mbuf_remove(m, used);
  h->chunk_left -= (int64_t) used;
  if (h->chunk_left == 0) h->chunk_state = CH_CRLF;
  return used == avail;
}

/* Non-zero once every body byte was read from the peer. */
static int wire_done(const struct mg__http_hold *h) {
  return h->body_left >= 0 ? h->body_left == 0 : h->chunk_state == CH_DONE;
}

/* The body was read: the holder gets its last call if it had none. */
static void end_body(struct mg_connection *nc, struct mg__http_hold *h) {
  if (!h->last_given && !h->done && h->ext->body != NULL) {
    h->ext->body(nc, h->req, "", 0, 1);
  }
  h->last_given = 1;
  h->body_ended = 1;
  restore_limit(nc, h);
}

int mg__http_stream_continue(struct mg_connection *nc,
                             struct mg__http_conn *hc) {
  struct mg__http_hold *h = hc->hold;
  int i, r = 1;
  for (i = 0; i < STEPS_PER_CALL && r > 0; i++) {
    if (wire_done(h)) {
      end_body(nc, h);
      return !hc->layer->dead && hc->hold == h;
    }
    if (h->paused && !h->done) return 0;
    r = h->body_left >= 0 ? step_length(nc, hc, h) : step_chunked(nc, hc, h);
    if (r < 0 || hc->layer->dead || hc->hold != h) return 0;
  }
  return 0;
}

/* --- Producing the response --- */

/* Non-zero if the response may grow now. */
static int has_room(struct mg_connection *nc, struct mg__http_conn *hc) {
  return nc->send_mbuf.len < MG_HTTP_PRODUCE_LOW && hc->file_fd < 0 &&
         mg__send_fd_pending(nc) == 0 && !(nc->flags & MG_F_CLOSE_IMMEDIATELY);
}

/* Puts the internal redirect's head in front of the buffered input. */
static void inject(struct mg_connection *nc, struct mg__http_conn *hc,
                   char *head, size_t len) {
  if (mbuf_insert(&nc->recv_mbuf, 0, head, len) != len) {
    nc->flags |= MG_F_CLOSE_IMMEDIATELY;
    return;
  }
  hc->synthetic = 1;
  hc->close_after = 0; /* the new request's own headers decide */
}

/* The held request is over: finish, then the next request. */
static void end_hold(struct mg_connection *nc, struct mg__http_conn *hc) {
  struct mg__http_hold *h = hc->hold;
  char *redirect = h->redirect;
  size_t redirect_len = h->redirect_len;
  h->redirect = NULL;
  hc->hold = NULL;
  h->ext->finish(nc, h->req, 0);
  free_hold(h);
  if (redirect != NULL && !hc->layer->dead) {
    inject(nc, hc, redirect, redirect_len);
  }
  MG_FREE(redirect);
  if (hc->layer->dead) return;
  hc->need_more = 0;
  mg__http_response_done(nc);
}

void mg__http_hold_pump(struct mg_connection *nc, struct mg__http_conn *hc) {
  struct mg__http_hold *h = hc->hold;
  int i;
  if (h == NULL || hc->layer->dead) return;
  for (i = 0; i < PUMP_ROUNDS && !h->done && has_room(nc, hc); i++) {
    size_t before = nc->send_mbuf.len;
    int r = h->ext->produce(nc, h->req);
    if (hc->layer->dead || hc->hold != h) return;
    if (r < 0) {
      nc->flags |= MG_F_CLOSE_IMMEDIATELY;
      return;
    }
    if (r > 0) h->done = 1;
    if (r == 0 && nc->send_mbuf.len == before) break;
  }
  if (h->done && !h->body_ended) { /* drop the rest of the body */
    h->paused = 0;
    hc->need_more = 0;
    mg__http_process(nc, hc);
    if (hc->layer->dead || hc->hold != h) return;
  }
  if (h->done && h->body_ended) end_hold(nc, hc);
}

/* --- Internal redirects --- */

/* Non-zero if uri is a local path fit for a request line. */
static int local_uri(const char *uri) {
  const char *p;
  if (uri == NULL || uri[0] != '/' || uri[1] == '/') return 0;
  for (p = uri; *p != '\0'; p++) {
    if ((unsigned char) *p <= ' ' || *p == 0x7f) return 0;
  }
  return p - uri < 4096;
}

/* Non-zero for the headers a body-less GET does not carry over. */
static int body_header(struct mg_str name) {
  return mg_vcasecmp(&name, "Content-Length") == 0 ||
         mg_vcasecmp(&name, "Transfer-Encoding") == 0 ||
         mg_vcasecmp(&name, "Expect") == 0 ||
         mg_vcasecmp(&name, "Content-Type") == 0;
}

/* Builds the head of a GET of uri with the headers of head into m. */
static int build_redirect(struct mbuf *m, const char *head, size_t head_len,
                          const char *uri) {
  struct http_message hm;
  int i;
  if (mg_parse_http(head, (int) head_len, &hm, 1) <= 0) return -1;
  mbuf_append(m, "GET ", 4);
  mbuf_append(m, uri, strlen(uri));
  mbuf_append(m, " ", 1);
  mbuf_append(m, hm.proto.p, hm.proto.len);
  mbuf_append(m, "\r\n", 2);
  for (i = 0; i < MG_MAX_HTTP_HEADERS && hm.header_names[i].len > 0; i++) {
    if (body_header(hm.header_names[i])) continue;
    mbuf_append(m, hm.header_names[i].p, hm.header_names[i].len);
    mbuf_append(m, ": ", 2);
    mbuf_append(m, hm.header_values[i].p, hm.header_values[i].len);
    mbuf_append(m, "\r\n", 2);
  }
  mbuf_append(m, "\r\n", 2);
  return 0;
}

int mg_http_ext_redirect(struct mg_connection *nc, const char *uri) {
  struct mg__http_conn *hc = mg__http_conn(nc);
  struct mg__http_hold *h = hc == NULL ? NULL : hc->hold;
  struct mbuf m;
  if (h == NULL || h->done || !local_uri(uri) ||
      hc->redirects >= MG_HTTP_MAX_REDIRECTS) {
    return -1;
  }
  mbuf_init(&m, 0);
  if (build_redirect(&m, h->head, h->head_len, uri) != 0) {
    mbuf_free(&m);
    return -1;
  }
  h->redirect = m.buf;
  h->redirect_len = m.len;
  h->done = 1;
  h->paused = 0;
  hc->need_more = 0;
  hc->redirects++;
  return 0;
}
