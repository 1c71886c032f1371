/*
 * The socket interface: BSD sockets, readiness from epoll on Linux and
 * poll() elsewhere. No FD_SETSIZE ceiling; interest is only re-registered
 * when a connection's wish to read or write changes.
 */
#include "mg/internal.h"

#include <poll.h>
#if defined(__linux__) && !defined(MG_SOCKET_USE_POLL)
#define MG_USE_EPOLL 1
#include <sys/epoll.h>
#else
#define MG_USE_EPOLL 0
#endif
#ifdef __linux__
#include <sys/sendfile.h> /* also with MG_SOCKET_USE_POLL */
#endif

#define MAX_EVENTS 1024 /* readiness events taken per wait */
#define MAX_ACCEPTS 256 /* connections accepted per readiness event */

/* Per-interface state. */
struct sock_iface {
#if MG_USE_EPOLL
  int epfd;                              /* the epoll instance */
  struct epoll_event events[MAX_EVENTS]; /* last wait's results */
#else
  struct pollfd *fds;           /* built per poll */
  struct mg_connection **conns; /* fds[i] belongs to conns[i] */
  size_t cap;                   /* capacity of both arrays */
#endif
};

#if MG_USE_EPOLL
/* Marker standing for the broadcast channel in readiness events. */
static char s_ctl_marker;
#endif

static int set_non_blocking(sock_t sock) {
  int flags = fcntl(sock, F_GETFL, 0);
  return flags < 0 ? -1 : fcntl(sock, F_SETFL, flags | O_NONBLOCK);
}

static void set_cloexec(sock_t sock) {
  int flags = fcntl(sock, F_GETFD, 0);
  if (flags >= 0) fcntl(sock, F_SETFD, flags | FD_CLOEXEC);
}

#if MG_USE_EPOLL
static struct sock_iface *sock_iface_of(struct mg_connection *nc) {
  return (struct sock_iface *) nc->iface->data;
}
#endif

/* Readiness wanted for nc: MG__IO_REG_IN | MG__IO_REG_OUT bits. */
static unsigned int wanted(const struct mg_connection *nc) {
  if (nc->sock == INVALID_SOCKET || (nc->io_state & MG__IO_UDP_CHILD)) return 0;
  if (nc->flags & MG_F_LISTENING) return MG__IO_REG_IN;
  if (nc->flags & MG_F_RESOLVING) return 0;
  if (nc->flags & MG_F_CONNECTING) {
    return (nc->io_state & MG__IO_CONNECT_PENDING) ? 0 : MG__IO_REG_OUT;
  }
  if (nc->flags & MG_F_UDP) return mg_if_wants_read(nc) ? MG__IO_REG_IN : 0;
  return (mg_if_wants_read(nc) ? MG__IO_REG_IN : 0) |
         (mg_if_wants_write(nc) ? MG__IO_REG_OUT : 0);
}

#if MG_USE_EPOLL
/* Brings the epoll registration of nc in line with what it wants. */
static void sync_interest(struct sock_iface *si, struct mg_connection *nc) {
  unsigned int want = wanted(nc);
  unsigned int have = nc->io_state & (MG__IO_REG_IN | MG__IO_REG_OUT);
  struct epoll_event ev;
  if ((nc->io_state & MG__IO_REGISTERED) && want == have) return;
  memset(&ev, 0, sizeof(ev));
  ev.data.ptr = nc;
  ev.events = ((want & MG__IO_REG_IN) ? (uint32_t) EPOLLIN : 0u) |
              ((want & MG__IO_REG_OUT) ? (uint32_t) EPOLLOUT : 0u);
  if (want == 0) {
    if (nc->io_state & MG__IO_REGISTERED) {
      epoll_ctl(si->epfd, EPOLL_CTL_DEL, nc->sock, &ev);
    }
    nc->io_state &=
        ~(unsigned int) (MG__IO_REGISTERED | MG__IO_REG_IN | MG__IO_REG_OUT);
    return;
  }
  if (epoll_ctl(
          si->epfd,
          (nc->io_state & MG__IO_REGISTERED) ? EPOLL_CTL_MOD : EPOLL_CTL_ADD,
          nc->sock, &ev) == 0) {
    nc->io_state &= ~(unsigned int) (MG__IO_REG_IN | MG__IO_REG_OUT);
    nc->io_state |= MG__IO_REGISTERED | want;
  }
}
#endif

static void sock_init(struct mg_iface *iface) {
  struct sock_iface *si = (struct sock_iface *) MG_CALLOC(1, sizeof(*si));
  iface->data = si;
  if (si == NULL) return;
#if MG_USE_EPOLL
  si->epfd = epoll_create1(EPOLL_CLOEXEC);
#if MG_ENABLE_BROADCAST
  if (si->epfd >= 0 && iface->mgr->ctl[1] != INVALID_SOCKET) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.events = EPOLLIN;
    ev.data.ptr = &s_ctl_marker;
    epoll_ctl(si->epfd, EPOLL_CTL_ADD, iface->mgr->ctl[1], &ev);
  }
#endif
#endif
}

static void sock_free(struct mg_iface *iface) {
  struct sock_iface *si = (struct sock_iface *) iface->data;
  if (si == NULL) return;
#if MG_USE_EPOLL
  if (si->epfd >= 0) close(si->epfd);
#else
  MG_FREE(si->fds);
  MG_FREE(si->conns);
#endif
  MG_FREE(si);
  iface->data = NULL;
}

static void sock_add_conn(struct mg_connection *nc) {
  (void) nc; /* registered lazily, before each wait */
}

static void sock_remove_conn(struct mg_connection *nc) {
#if MG_USE_EPOLL
  struct sock_iface *si = sock_iface_of(nc);
  if ((nc->io_state & MG__IO_REGISTERED) && si != NULL) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof(ev));
    epoll_ctl(si->epfd, EPOLL_CTL_DEL, nc->sock, &ev);
  }
#endif
  nc->io_state &=
      ~(unsigned int) (MG__IO_REGISTERED | MG__IO_REG_IN | MG__IO_REG_OUT);
}

/* Accepts pending connections on listener lc. */
static void accept_conns(struct mg_connection *lc) {
  int i;
  for (i = 0; i < MAX_ACCEPTS; i++) {
    union socket_address sa;
    socklen_t len = sizeof(sa);
    struct mg_connection *nc;
    int one = 1;
    sock_t sock = accept(lc->sock, &sa.sa, &len);
    if (sock == INVALID_SOCKET) break; /* EAGAIN, EMFILE...: next time */
    set_non_blocking(sock);
    set_cloexec(sock);
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    nc = mg_if_accept_new_conn(lc);
    if (nc == NULL) {
      close(sock);
      continue;
    }
    nc->sock = sock;
    mg_if_accept_tcp_cb(nc, &sa, len);
  }
}

/* Completes a pending connect on nc. */
static void finish_connect(struct mg_connection *nc) {
  int err = 0;
  socklen_t len = sizeof(err);
  if (getsockopt(nc->sock, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  mg_if_connect_cb(nc, err);
}

/* Dispatches readiness `in`/`out`/`bad` (error or hang-up) for nc. */
static void dispatch(struct mg_connection *nc, int in, int out, int bad) {
  if (nc->flags & MG_F_CLOSE_IMMEDIATELY) return;
  if (nc->flags & MG_F_LISTENING) {
    if (nc->flags & MG_F_UDP) {
      mg_if_can_recv_udp_cb(nc);
    } else {
      accept_conns(nc);
    }
  } else if (nc->flags & MG_F_CONNECTING) {
    if (out || bad) finish_connect(nc);
  } else if (nc->flags & MG_F_UDP) {
    if (in || bad) mg_if_can_recv_udp_cb(nc);
  } else {
    if (in || bad) mg_if_can_recv_cb(nc);
    if (out && !(nc->flags & MG_F_CLOSE_IMMEDIATELY)) mg_if_can_send_cb(nc);
  }
}

#if MG_USE_EPOLL
static int sock_poll(struct mg_iface *iface, int timeout_ms) {
  struct sock_iface *si = (struct sock_iface *) iface->data;
  struct mg_connection *nc;
  int i, n;
  if (si == NULL || si->epfd < 0) return 0;
  for (nc = iface->mgr->active_connections; nc != NULL; nc = nc->next) {
    if (nc->iface == iface) sync_interest(si, nc);
  }
  n = epoll_wait(si->epfd, si->events, MAX_EVENTS, timeout_ms);
  for (i = 0; i < n; i++) {
    struct epoll_event *ev = &si->events[i];
    if (ev->data.ptr == &s_ctl_marker) {
      mg_if_ctl_cb(iface->mgr);
      continue;
    }
    nc = (struct mg_connection *) ev->data.ptr;
    dispatch(nc, (ev->events & EPOLLIN) != 0, (ev->events & EPOLLOUT) != 0,
             (ev->events & (EPOLLERR | EPOLLHUP)) != 0);
  }
  return n < 0 ? 0 : n;
}
#else
/* Grows the pollfd arrays to hold n entries. */
static int reserve_fds(struct sock_iface *si, size_t n) {
  struct pollfd *fds;
  struct mg_connection **conns;
  if (n <= si->cap) return 1;
  fds = (struct pollfd *) MG_REALLOC(si->fds, n * sizeof(*fds));
  if (fds == NULL) return 0;
  si->fds = fds;
  conns = (struct mg_connection **) MG_REALLOC(si->conns, n * sizeof(*conns));
  if (conns == NULL) return 0;
  si->conns = conns;
  si->cap = n;
  return 1;
}

static int sock_poll(struct mg_iface *iface, int timeout_ms) {
  struct sock_iface *si = (struct sock_iface *) iface->data;
  struct mg_connection *nc;
  size_t n = 0, count = 1, i;
  int r;
  if (si == NULL) return 0;
  for (nc = iface->mgr->active_connections; nc != NULL; nc = nc->next) count++;
  if (!reserve_fds(si, count)) return 0;
#if MG_ENABLE_BROADCAST
  if (iface->mgr->ctl[1] != INVALID_SOCKET) {
    si->fds[n].fd = iface->mgr->ctl[1];
    si->fds[n].events = POLLIN;
    si->conns[n++] = NULL;
  }
#endif
  for (nc = iface->mgr->active_connections; nc != NULL; nc = nc->next) {
    unsigned int want = nc->iface == iface ? wanted(nc) : 0;
    if (want == 0) continue;
    si->fds[n].fd = nc->sock;
    si->fds[n].events = (short) (((want & MG__IO_REG_IN) ? POLLIN : 0) |
                                 ((want & MG__IO_REG_OUT) ? POLLOUT : 0));
    si->conns[n++] = nc;
  }
  r = poll(si->fds, (nfds_t) n, timeout_ms);
  for (i = 0; r > 0 && i < n; i++) {
    short re = si->fds[i].revents;
    if (re == 0) continue;
    if (si->conns[i] == NULL) {
      mg_if_ctl_cb(iface->mgr);
    } else {
      dispatch(si->conns[i], (re & POLLIN) != 0, (re & POLLOUT) != 0,
               (re & (POLLERR | POLLHUP)) != 0);
    }
  }
  return r < 0 ? 0 : r;
}
#endif

/* Opens a socket of type for sa's family. Returns it or INVALID_SOCKET. */
static sock_t open_socket(const union socket_address *sa, int type) {
  sock_t sock = socket(sa->sa.sa_family, type, 0);
  if (sock == INVALID_SOCKET) return INVALID_SOCKET;
  set_non_blocking(sock);
  set_cloexec(sock);
  return sock;
}

/* Binds a new socket of type to sa (port 0: any). Returns the socket. */
static sock_t bind_socket(union socket_address *sa, int type, int *err) {
  int on = 1;
  sock_t sock = open_socket(sa, type);
#if MG_ENABLE_IPV6
  if (sock == INVALID_SOCKET && sa->sa.sa_family == AF_INET6 &&
      IN6_IS_ADDR_UNSPECIFIED(&sa->sin6.sin6_addr)) {
    /* No IPv6 on this host: fall back to IPv4 any. */
    uint16_t port = sa->sin6.sin6_port;
    memset(sa, 0, sizeof(*sa));
    sa->sin.sin_family = AF_INET;
    sa->sin.sin_port = port;
    sock = open_socket(sa, type);
  }
#endif
  if (sock == INVALID_SOCKET) {
    *err = errno;
    return INVALID_SOCKET;
  }
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
#if MG_ENABLE_IPV6
  if (sa->sa.sa_family == AF_INET6) {
    int off = 0; /* dual-stack: IPv4 peers arrive as mapped addresses */
    setsockopt(sock, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
  }
#endif
  if (bind(sock, &sa->sa, mg__sa_len(sa)) != 0 ||
      (type == SOCK_STREAM && listen(sock, MG_LISTEN_BACKLOG) != 0)) {
    *err = errno;
    close(sock);
    return INVALID_SOCKET;
  }
  return sock;
}

static int sock_listen_tcp(struct mg_connection *nc, union socket_address *sa) {
  int err = 0;
  nc->sock = bind_socket(sa, SOCK_STREAM, &err);
  return nc->sock == INVALID_SOCKET ? (err ? err : EINVAL) : 0;
}

static int sock_listen_udp(struct mg_connection *nc, union socket_address *sa) {
  int err = 0;
  nc->sock = bind_socket(sa, SOCK_DGRAM, &err);
  return nc->sock == INVALID_SOCKET ? (err ? err : EINVAL) : 0;
}

static void sock_connect(struct mg_connection *nc,
                         const union socket_address *sa, int type) {
  int one = 1;
  nc->sock = open_socket(sa, type);
  if (nc->sock == INVALID_SOCKET) {
    mg__connect_pending(nc, errno);
    return;
  }
  if (type == SOCK_STREAM) {
    setsockopt(nc->sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  }
  if (connect(nc->sock, &sa->sa, mg__sa_len(sa)) == 0) {
    if (type == SOCK_DGRAM) mg__connect_pending(nc, 0);
    return; /* TCP: writability reports completion */
  }
  if (errno != EINPROGRESS) mg__connect_pending(nc, errno);
}

static void sock_connect_tcp(struct mg_connection *nc,
                             const union socket_address *sa) {
  sock_connect(nc, sa, SOCK_STREAM);
}

static void sock_connect_udp(struct mg_connection *nc,
                             const union socket_address *sa) {
  sock_connect(nc, sa, SOCK_DGRAM);
}

/* Maps a send/recv result to the vtable convention. */
static long io_result(ssize_t n) {
  if (n >= 0) return (long) n;
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return 0;
  return errno == 0 ? -EIO : -(long) errno;
}

static long sock_tcp_send(struct mg_connection *nc, const void *buf,
                          size_t len) {
#ifdef MSG_NOSIGNAL
  return io_result(send(nc->sock, buf, len, MSG_NOSIGNAL));
#else
  return io_result(send(nc->sock, buf, len, 0));
#endif
}

#ifdef __linux__
static long sock_tcp_sendfile(struct mg_connection *nc, int fd, int64_t offset,
                              size_t len) {
  off_t off = (off_t) offset;
  ssize_t n = sendfile(nc->sock, fd, &off, len);
  if (n == 0 && len > 0) return -ENODATA; /* the file is shorter than said */
  return io_result(n);
}
#endif

static long sock_tcp_recv(struct mg_connection *nc, void *buf, size_t len) {
  ssize_t n = recv(nc->sock, buf, len, 0);
  if (n == 0 && len > 0) return -EPIPE;
  return io_result(n);
}

static long sock_udp_send(struct mg_connection *nc, const void *buf,
                          size_t len) {
  ssize_t n;
  if (nc->sock == INVALID_SOCKET) return -EBADF;
  if (nc->io_state & MG__IO_UDP_CHILD) {
    n = sendto(nc->sock, buf, len, 0, &nc->sa.sa, mg__sa_len(&nc->sa));
  } else {
    n = send(nc->sock, buf, len, 0);
  }
  return io_result(n);
}

static long sock_udp_recv(struct mg_connection *nc, void *buf, size_t len,
                          union socket_address *sa, size_t *sa_len) {
  socklen_t slen = (socklen_t) *sa_len;
  ssize_t n = recvfrom(nc->sock, buf, len, 0, &sa->sa, &slen);
  long r = io_result(n);
  *sa_len = (n < 0 && r == 0) ? 0 : (size_t) slen;
  return r;
}

static void sock_destroy_conn(struct mg_connection *nc) {
  if (nc->sock != INVALID_SOCKET && !(nc->io_state & MG__IO_UDP_CHILD)) {
    close(nc->sock);
  }
  nc->sock = INVALID_SOCKET;
}

static void sock_sock_set(struct mg_connection *nc, sock_t sock) {
  set_non_blocking(sock);
  set_cloexec(sock);
  nc->sock = sock;
}

static void sock_get_conn_addr(struct mg_connection *nc, int remote,
                               union socket_address *sa) {
  socklen_t len = sizeof(*sa);
  memset(sa, 0, sizeof(*sa));
  if ((nc->io_state & MG__IO_UDP_CHILD) && remote) {
    *sa = nc->sa;
    return;
  }
  if (nc->sock == INVALID_SOCKET) return;
  if (remote) {
    getpeername(nc->sock, &sa->sa, &len);
  } else {
    getsockname(nc->sock, &sa->sa, &len);
  }
}

const struct mg_iface_vtable mg_socket_iface_vtable = {
    .scheme = "tcp",
    .init = sock_init,
    .free = sock_free,
    .add_conn = sock_add_conn,
    .remove_conn = sock_remove_conn,
    .poll = sock_poll,
    .has_pending = NULL,
    .listen_tcp = sock_listen_tcp,
    .listen_udp = sock_listen_udp,
    .connect_tcp = sock_connect_tcp,
    .connect_udp = sock_connect_udp,
    .tcp_send = sock_tcp_send,
    .udp_send = sock_udp_send,
    .tcp_recv = sock_tcp_recv,
    .udp_recv = sock_udp_recv,
    .destroy_conn = sock_destroy_conn,
    .sock_set = sock_sock_set,
    .get_conn_addr = sock_get_conn_addr,
    .update_interest = NULL,
#ifdef __linux__
    .tcp_sendfile = sock_tcp_sendfile,
#else
    .tcp_sendfile = NULL,
#endif
};
