/* mg_broadcast(): messages from other threads to every connection. */
#include "mg/internal.h"

#if MG_ENABLE_BROADCAST
#include <poll.h>

/* One message on the control channel. */
struct ctl_msg {
  mg_event_handler_t callback;           /* run for every connection */
  char message[MG_CTL_MSG_MESSAGE_SIZE]; /* payload (len bytes used) */
};

void mg__broadcast_init(struct mg_mgr *mgr) {
  int fds[2], size = 1 << 20, i;
  /* SEQPACKET keeps messages whole with several writers; DGRAM elsewhere. */
  if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fds) != 0 &&
      socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) != 0) {
    mgr->ctl[0] = mgr->ctl[1] = INVALID_SOCKET;
    return;
  }
  for (i = 0; i < 2; i++) {
    fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    setsockopt(fds[i], SOL_SOCKET, i == 0 ? SO_SNDBUF : SO_RCVBUF, &size,
               sizeof(size));
  }
  fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL, 0) | O_NONBLOCK);
  mgr->ctl[0] = fds[0];
  mgr->ctl[1] = fds[1];
}

void mg__broadcast_free(struct mg_mgr *mgr) {
  if (mgr->ctl[0] != INVALID_SOCKET) close(mgr->ctl[0]);
  if (mgr->ctl[1] != INVALID_SOCKET) close(mgr->ctl[1]);
  mgr->ctl[0] = mgr->ctl[1] = INVALID_SOCKET;
}

void mg_broadcast(struct mg_mgr *mgr, mg_event_handler_t cb, void *data,
                  size_t len) {
  struct ctl_msg msg;
  size_t size;
  /* Real time, not mg_mgr_time(): this runs in another thread (the
   * manager's clock is for its own thread only) and bounds a wait for the
   * OS socket buffer, which only real time drains. */
  double deadline = mg_time() + MG_BROADCAST_TIMEOUT_MS / 1000.0;
  if (mgr == NULL || mgr->ctl[0] == INVALID_SOCKET) return;
  if (len > sizeof(msg.message)) len = sizeof(msg.message);
  memset(&msg, 0, offsetof(struct ctl_msg, message));
  msg.callback = cb;
  if (len > 0) memcpy(msg.message, data, len);
  size = offsetof(struct ctl_msg, message) + len;
  for (;;) {
    struct pollfd pfd;
    int left;
    if (send(mgr->ctl[0], &msg, size, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0) {
      return;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return;
    left = (int) ((deadline - mg_time()) * 1000.0); /* real: see above */
    if (left <= 0) return; /* the manager is not draining: drop it */
    pfd.fd = mgr->ctl[0];
    pfd.events = POLLOUT;
    pfd.revents = 0;
    poll(&pfd, 1, left);
  }
}

void mg_if_ctl_cb(struct mg_mgr *mgr) {
  struct ctl_msg msg;
  int i;
  for (i = 0; i < 64; i++) {
    struct mg_connection *nc;
    ssize_t n = recv(mgr->ctl[1], &msg, sizeof(msg), 0);
    if (n < (ssize_t) offsetof(struct ctl_msg, message)) break;
    for (nc = mg_next(mgr, NULL); nc != NULL; nc = mg_next(mgr, nc)) {
      if (msg.callback != NULL) {
        msg.callback(nc, MG_EV_POLL, msg.message MG_UD_ARG(nc->user_data));
      }
    }
  }
}
#else
void mg__broadcast_init(struct mg_mgr *mgr) { (void) mgr; }
void mg__broadcast_free(struct mg_mgr *mgr) { (void) mgr; }
void mg_if_ctl_cb(struct mg_mgr *mgr) { (void) mgr; }
#endif
