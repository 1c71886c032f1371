/*
 * Load generator of tools/benchmarks/ws.sh: ws_load HOST:PORT CONNS SIZE
 * SECONDS
 *
 * CONNS client connections (one thread each, plain blocking sockets, not
 * the library under test) do the handshake, then send a binary message of
 * SIZE bytes and wait for its echo, again and again for SECONDS. Prints
 * "round_trips_per_s=N mb_per_s=X" (MB of echoed payload per second, each
 * way) or an error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static char s_host[64];
static int s_port;
static size_t s_size;
static double s_seconds;

struct worker {
  pthread_t tid;
  long round_trips;
  int failed;
};

static double now(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (double) tv.tv_sec + tv.tv_usec / 1e6;
}

static int send_all(int s, const unsigned char *p, size_t n) {
  while (n > 0) {
    ssize_t k = send(s, p, n, MSG_NOSIGNAL);
    if (k <= 0) return -1;
    p += k;
    n -= (size_t) k;
  }
  return 0;
}

static int recv_all(int s, unsigned char *p, size_t n) {
  while (n > 0) {
    ssize_t k = recv(s, p, n, 0);
    if (k <= 0) return -1;
    p += k;
    n -= (size_t) k;
  }
  return 0;
}

/* Connects and upgrades. Returns the socket or -1. */
static int open_ws(void) {
  struct sockaddr_in sin;
  char buf[4096];
  size_t have = 0;
  int one = 1, s = socket(AF_INET, SOCK_STREAM, 0);
  const char *req =
      "GET /echo HTTP/1.1\r\nHost: bench\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n";
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_port = htons((uint16_t) s_port);
  inet_pton(AF_INET, s_host, &sin.sin_addr);
  if (connect(s, (struct sockaddr *) &sin, sizeof(sin)) != 0) goto fail;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (send_all(s, (const unsigned char *) req, strlen(req)) != 0) goto fail;
  while (have < sizeof(buf) - 1) { /* read the 101 byte by byte */
    if (recv(s, buf + have, 1, 0) != 1) goto fail;
    have++;
    buf[have] = '\0';
    if (have >= 4 && memcmp(buf + have - 4, "\r\n\r\n", 4) == 0) break;
  }
  if (strncmp(buf, "HTTP/1.1 101", 12) != 0) goto fail;
  return s;
fail:
  close(s);
  return -1;
}

static void *run(void *arg) {
  struct worker *w = (struct worker *) arg;
  size_t h = 2, i, hl;
  unsigned char *frame = (unsigned char *) malloc(s_size + 14);
  unsigned char *in = (unsigned char *) malloc(s_size + 14);
  const unsigned char mask[4] = {0x37, 0xfa, 0x21, 0x3d};
  double end;
  int s = open_ws();
  if (s < 0 || frame == NULL || in == NULL) {
    w->failed = 1;
    goto out;
  }
  frame[0] = 0x82;
  if (s_size < 126) {
    frame[1] = (unsigned char) (0x80 | s_size);
  } else if (s_size <= 0xffff) {
    frame[1] = 0x80 | 126;
    frame[2] = (unsigned char) (s_size >> 8);
    frame[3] = (unsigned char) s_size;
    h = 4;
  } else {
    frame[1] = 0x80 | 127;
    for (i = 0; i < 8; i++)
      frame[2 + i] = (unsigned char) ((uint64_t) s_size >> (56 - 8 * i));
    h = 10;
  }
  memcpy(frame + h, mask, 4);
  for (i = 0; i < s_size; i++)
    frame[h + 4 + i] = (unsigned char) ((i * 7) ^ mask[i % 4]);
  hl = s_size < 126 ? 2 : s_size <= 0xffff ? 4 : 10; /* the echo's header */
  end = now() + s_seconds;
  while (now() < end) {
    if (send_all(s, frame, h + 4 + s_size) != 0 ||
        recv_all(s, in, hl + s_size) != 0 || in[0] != 0x82) {
      w->failed = 1;
      break;
    }
    w->round_trips++;
  }
out:
  if (s >= 0) close(s);
  free(frame);
  free(in);
  return NULL;
}

int main(int argc, char **argv) {
  struct worker *ws;
  long total = 0;
  int conns, i, failed = 0;
  double t0, dt;
  char *colon;
  if (argc != 5 || (colon = strchr(argv[1], ':')) == NULL) {
    fprintf(stderr, "usage: ws_load HOST:PORT CONNS SIZE SECONDS\n");
    return 2;
  }
  snprintf(s_host, sizeof(s_host), "%.*s", (int) (colon - argv[1]), argv[1]);
  s_port = atoi(colon + 1);
  conns = atoi(argv[2]);
  s_size = (size_t) strtoul(argv[3], NULL, 10);
  s_seconds = atof(argv[4]);
  ws = (struct worker *) calloc((size_t) conns, sizeof(*ws));
  t0 = now();
  for (i = 0; i < conns; i++) pthread_create(&ws[i].tid, NULL, run, &ws[i]);
  for (i = 0; i < conns; i++) {
    pthread_join(ws[i].tid, NULL);
    total += ws[i].round_trips;
    failed += ws[i].failed;
  }
  dt = now() - t0;
  free(ws);
  if (failed > 0) {
    printf("error: %d of %d connections failed\n", failed, conns);
    return 1;
  }
  printf("round_trips_per_s=%.0f mb_per_s=%.1f\n", total / dt,
         (double) total * (double) s_size / dt / 1e6);
  return 0;
}
