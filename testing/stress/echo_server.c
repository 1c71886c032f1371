/*
 * The server half of the connection stress test: an echo server on
 * 127.0.0.1:0 that writes its port to argv[1], runs until SIGTERM, and then
 * writes the peak number of simultaneous connections to argv[2].
 */
#include <signal.h>
#include <sys/resource.h>

#include "mongoose.h"

static volatile sig_atomic_t s_stop = 0;
static long s_open = 0, s_peak = 0;

static void on_term(int sig) {
  (void) sig;
  s_stop = 1;
}

static void ev_handler(struct mg_connection *nc, int ev, void *ev_data) {
  (void) ev_data;
  if (ev == MG_EV_ACCEPT) {
    if (++s_open > s_peak) s_peak = s_open;
  } else if (ev == MG_EV_CLOSE && !(nc->flags & MG_F_LISTENING)) {
    s_open--;
  } else if (ev == MG_EV_RECV) {
    mg_send(nc, nc->recv_mbuf.buf, (int) nc->recv_mbuf.len);
    mbuf_remove(&nc->recv_mbuf, nc->recv_mbuf.len);
  }
}

/* Raises the open-file limit to the hard limit. */
static void raise_nofile(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

static int write_number(const char *path, long n) {
  FILE *fp = fopen(path, "w");
  if (fp == NULL) return -1;
  fprintf(fp, "%ld\n", n);
  return fclose(fp);
}

int main(int argc, char **argv) {
  struct mg_mgr mgr;
  struct mg_connection *lc;
  char port[16];
  if (argc < 3) {
    fprintf(stderr, "usage: %s PORT_FILE PEAK_FILE\n", argv[0]);
    return 2;
  }
  raise_nofile();
  signal(SIGTERM, on_term);
  mg_mgr_init(&mgr, NULL);
  lc = mg_bind(&mgr, "tcp://127.0.0.1:0", ev_handler);
  if (lc == NULL) return 1;
  mg_conn_addr_to_str(lc, port, sizeof(port), MG_SOCK_STRINGIFY_PORT);
  if (write_number(argv[1], atol(port)) != 0) return 1;
  while (!s_stop) mg_mgr_poll(&mgr, 100);
  mg_mgr_free(&mgr);
  return write_number(argv[2], s_peak) == 0 ? 0 : 1;
}
