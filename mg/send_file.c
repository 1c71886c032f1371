/* A file queued between buffered bytes (mg__send_fd): it leaves by the
 * interface's sendfile, or is read into send_mbuf a piece at a time. */
#include "mg/internal.h"

#define FILE_PIECE (64 * 1024)       /* read into send_mbuf at a time */
#define SENDFILE_PIECE (1024 * 1024) /* asked of sendfile() at a time */

int mg__send_fd(struct mg_connection *nc, int fd, int64_t offset, int64_t len) {
  if (nc == NULL || fd < 0 || offset < 0 || len < 0) return -1;
  if ((nc->flags & (MG_F_UDP | MG_F_LISTENING)) || nc->send_fd >= 0) {
    return -1;
  }
  if (len == 0) {
    close(fd);
    return 0;
  }
  if (nc->send_off > nc->send_mbuf.len) nc->send_off = 0;
  nc->send_fd = fd;
  nc->send_fd_off = offset;
  nc->send_fd_left = len;
  nc->send_fd_mark = nc->send_mbuf.len;
  return 0;
}

int64_t mg__send_fd_pending(const struct mg_connection *nc) {
  return nc->send_fd >= 0 ? nc->send_fd_left : 0;
}

void mg__send_fd_done(struct mg_connection *nc) {
  if (nc->send_fd >= 0) close(nc->send_fd);
  nc->send_fd = -1;
  nc->send_fd_left = 0;
  nc->send_fd_mark = 0;
}

/* Fails nc after an I/O error (a negative errno value). */
static void send_failed(struct mg_connection *nc, long r) {
  nc->err = (int) -r;
  nc->flags |= MG_F_CLOSE_IMMEDIATELY;
}

/* Non-zero if nc's queued file may leave by the interface's sendfile. */
int mg__can_sendfile(const struct mg_connection *nc) {
  if (nc->iface == NULL || nc->iface->vtable->tcp_sendfile == NULL) return 0;
#if MG_ENABLE_SSL
  if (mg__uses_tls(nc)) return 0;
#endif
#if MG_ENABLE_HEXDUMP
  if (nc->mgr->hexdump_file != NULL) return 0; /* the bytes must be seen */
#endif
  return 1;
}

/* Sends the next piece of the queued file by sendfile(). */
void mg__sendfile_piece(struct mg_connection *nc) {
  size_t n = SENDFILE_PIECE;
  long r;
  int sent;
  if ((int64_t) n > nc->send_fd_left) n = (size_t) nc->send_fd_left;
  r = nc->iface->vtable->tcp_sendfile(nc, nc->send_fd, nc->send_fd_off, n);
  if (r == 0) return; /* would block */
  if (r < 0) {
    send_failed(nc, r);
    return;
  }
  nc->send_fd_off += r;
  nc->send_fd_left -= r;
  if (nc->send_fd_left <= 0) mg__send_fd_done(nc);
  mg__compact_send_mbuf(nc);
  nc->last_io_time = (time_t) mg_mgr_time(nc->mgr);
  sent = (int) r;
  mg_call(nc, MG_EV_SEND, &sent);
}

/* Reads the next piece of the queued file into send_mbuf at the mark.
 * Returns 0, or -1 if nc failed. */
int mg__file_to_mbuf(struct mg_connection *nc) {
  struct mbuf *m = &nc->send_mbuf;
  size_t n = FILE_PIECE, mark = nc->send_fd_mark, after;
  ssize_t got;
  if ((int64_t) n > nc->send_fd_left) n = (size_t) nc->send_fd_left;
  if (!mg__mbuf_reserve(m, n)) {
    send_failed(nc, -ENOMEM);
    return -1;
  }
  after = m->len - mark;
  memmove(m->buf + mark + n, m->buf + mark, after);
  got = pread(nc->send_fd, m->buf + mark, n, (off_t) nc->send_fd_off);
  if (got < (ssize_t) n) {
    memmove(m->buf + mark + (got > 0 ? got : 0), m->buf + mark + n, after);
  }
  if (got <= 0) {
    send_failed(nc, got < 0 ? -(long) errno : -ENODATA);
    return -1;
  }
  m->len += (size_t) got;
  nc->send_fd_mark += (size_t) got;
  nc->send_fd_off += got;
  nc->send_fd_left -= got;
  if (nc->send_fd_left <= 0) mg__send_fd_done(nc);
  return 0;
}
