/*
 * File bytes as a response body, under a head the caller wrote: small
 * bodies at once, large ones handed to the core's mg__send_fd()
 * (sendfile() on plain sockets), or, while an earlier body is still
 * leaving, read from disk as the peer reads, so a large file never sits
 * in memory. The end of a pumped body goes up through hc->hooks.
 */
#include "plugins/http/internal.h"

#define SMALL_FILE 65536 /* files up to this size are sent in one go */

/* Reads up to want bytes of the streamed file straight into send_mbuf. */
static long read_ahead(struct mg_connection *nc, struct mg__http_conn *hc,
                       size_t want) {
  struct mbuf *m = &nc->send_mbuf;
  ssize_t n;
  if (m->size - m->len < want) mbuf_resize(m, m->len + want);
  if (m->size - m->len < want) return -1;
  n = pread(hc->file_fd, m->buf + m->len, want, (off_t) hc->file_off);
  if (n <= 0) return -1;
  m->len += (size_t) n;
  hc->file_off += n;
  hc->file_left -= n;
  return (long) n;
}

void mg__http_pump_file(struct mg_connection *nc, struct mg__http_conn *hc) {
  int i;
  /* A body that waited for an earlier one to leave the core: the core
   * sends the rest. (Called from MG_EV_SEND and MG_EV_POLL here; in the
   * request handler mg__http_send_body() tried this already.) */
  if (hc->file_fd >= 0 && hc->file_left > 0 &&
      mg__send_fd(nc, hc->file_fd, hc->file_off, hc->file_left) == 0) {
    hc->file_fd = -1;
    hc->file_left = 0;
    hc->hooks->response_done(nc);
    return;
  }
  for (i = 0; i < 16 && hc->file_fd >= 0 && hc->file_left > 0 &&
              nc->send_mbuf.len < MG_MAX_HTTP_SEND_MBUF;
       i++) {
    size_t want = MG_MAX_HTTP_SEND_MBUF - nc->send_mbuf.len;
    if ((int64_t) want > hc->file_left) want = (size_t) hc->file_left;
    if (read_ahead(nc, hc, want) < 0) {
      nc->flags |= MG_F_CLOSE_IMMEDIATELY; /* the file shrank: cannot fix */
      break;
    }
  }
  if (hc->file_fd >= 0 &&
      (hc->file_left <= 0 || (nc->flags & MG_F_CLOSE_IMMEDIATELY))) {
    close(hc->file_fd);
    hc->file_fd = -1;
    hc->hooks->response_done(nc);
  }
}

/* Appends len bytes of fd from offset to nc's send buffer. Returns 0. */
static int send_small(struct mg_connection *nc, int fd, int64_t offset,
                      size_t len) {
  struct mbuf *m = &nc->send_mbuf;
  size_t done = 0;
  if (m->size - m->len < len) mbuf_resize(m, m->len + len);
  if (m->size - m->len < len) return -1;
  while (done < len) {
    ssize_t n = pread(fd, m->buf + m->len + done, len - done,
                      (off_t) (offset + (int64_t) done));
    if (n <= 0) return -1;
    done += (size_t) n;
  }
  m->len += len;
  return 0;
}

void mg__http_send_body(struct mg_connection *nc, int fd, int64_t offset,
                        int64_t len) {
  struct mg__http_conn *hc = mg__http_conn(nc);
  /* Large bodies go to the core (sendfile() where it can), which keeps
   * them in order with what follows: like a small body, the response is
   * complete as far as HTTP is concerned. */
  if (len > SMALL_FILE && hc != NULL && hc->file_fd < 0 &&
      mg__send_fd(nc, fd, offset, len) == 0) {
    return;
  }
  if (len <= SMALL_FILE || hc == NULL || hc->file_fd >= 0) {
    if (len > 0 && send_small(nc, fd, offset, (size_t) len) != 0) {
      nc->flags |= MG_F_CLOSE_IMMEDIATELY; /* the file shrank: cannot fix */
    }
    close(fd);
    return;
  }
  hc->file_fd = fd;
  hc->file_off = offset;
  hc->file_left = len;
  hc->busy = 1;
  hc->close_after = !hc->keep_alive;
  mg__http_pump_file(nc, hc);
}

int mg_http_ext_send_file(struct mg_connection *nc, const char *path,
                          int64_t offset, int64_t len) {
  int fd = mg_open(path, O_RDONLY, 0);
  if (fd < 0) return -1;
  mg__http_send_body(nc, fd, offset, len);
  return 0;
}
