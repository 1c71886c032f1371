/*
 * The ws plugin's state, for every file above: the per-manager state and
 * the random bytes for clients' masking keys (kernel randomness, pooled).
 */
#include <fcntl.h>
#include <unistd.h>

#include "plugins/ws/internal.h"

struct mg__ws_mgr *mg__ws_mgr(struct mg_mgr *mgr) {
  return (struct mg__ws_mgr *) mg_plugin_mgr_state(mgr, &mg_plugin_ws);
}

/* Refills the pool from the kernel; without /dev/urandom, from a mix of
 * the clock, the pid and the previous pool (never expected on targets). */
static void refill_pool(struct mg__ws_mgr *m) {
  size_t got = 0;
  int fd = open("/dev/urandom", O_RDONLY);
  if (fd >= 0) {
    while (got < sizeof(m->pool)) {
      ssize_t n = read(fd, m->pool + got, sizeof(m->pool) - got);
      if (n <= 0) break;
      got += (size_t) n;
    }
    close(fd);
  }
  if (got < sizeof(m->pool)) {
    /* A seed, not a time stamp: the wall clock, whatever the manager's. */
    uint64_t x = (uint64_t) (mg_time() * 1e6) ^ ((uint64_t) getpid() << 32);
    size_t i;
    for (i = 0; i < sizeof(m->pool); i++) {
      x ^= x << 13; /* xorshift64 */
      x ^= x >> 7;
      x ^= x << 17;
      m->pool[i] ^= (unsigned char) (x >> 24);
    }
  }
  m->pool_left = sizeof(m->pool);
}

void mg__ws_random(struct mg_mgr *mgr, unsigned char *out, size_t n) {
  struct mg__ws_mgr *m = mg__ws_mgr(mgr);
  size_t i;
  for (i = 0; i < n; i++) {
    if (m == NULL) {
      out[i] = (unsigned char) rand();
      continue;
    }
    if (m->pool_left == 0) refill_pool(m);
    out[i] = m->pool[sizeof(m->pool) - m->pool_left];
    m->pool[sizeof(m->pool) - m->pool_left] = 0; /* used once */
    m->pool_left--;
  }
}
