/*
 * Fuzzes the streaming multipart parser behind MG_EV_HTTP_PART_*. The
 * first input byte picks the feed size and how much of each DATA callback
 * is consumed (back-pressure). Invariants: data handed out lies within the
 * buffer fed, the parser never reports more than it was given, and the
 * data it hands out is the same however the input is split.
 */
#include <stdlib.h>

#include "plugins/http/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Collects DATA bytes; consumes at most `take` per call (0: all). */
struct sink {
  struct mbuf out; /* data seen */
  const char *lo;  /* buffer being fed */
  const char *hi;  /* its end */
  size_t take;     /* per-call budget */
};

static size_t cb(struct mg__mp *p, int ev, const char *d, size_t len,
                 void *ctx) {
  struct sink *s = (struct sink *) ctx;
  size_t n = len;
  (void) p;
  if (ev != MG__MP_DATA) return 0;
  if (d < s->lo || d + len > s->hi) abort();
  if (s->take > 0 && n > s->take) n = s->take;
  mbuf_append(&s->out, d, n);
  return n;
}

/* Runs the parser over body in pieces of step bytes. */
static void run(const char *body, size_t size, size_t step, size_t take,
                struct mbuf *out, int *error) {
  struct mg__mp p;
  struct sink s;
  struct mbuf in;
  size_t fed = 0;
  int i;
  mbuf_init(&in, 0);
  memset(&s, 0, sizeof(s));
  mbuf_init(&s.out, 0);
  s.take = take;
  if (mg__mp_init(&p, mg_mk_str("multipart/form-data; boundary=XyZ")) != 0)
    abort();
  for (i = 0; i < 1000000 && !p.error && !mg__mp_done(&p); i++) {
    size_t add = size - fed < step ? size - fed : step, used;
    mbuf_append(&in, body + fed, add);
    fed += add;
    s.lo = in.buf;
    s.hi = in.buf + in.len;
    used = mg__mp_feed(&p, in.buf, in.len, cb, &s);
    if (used > in.len) abort();
    mbuf_remove(&in, used);
    if (fed == size && used == 0) break;
  }
  *error = p.error;
  mbuf_move(&s.out, out);
  mbuf_free(&in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct mbuf a, b;
  int ea = 0, eb = 0;
  size_t step, take;
  if (size < 1 || size > 1 << 16) return 0;
  step = (size_t) (data[0] & 15) + 1;
  take = (size_t) (data[0] >> 4);
  mbuf_init(&a, 0);
  mbuf_init(&b, 0);
  run((const char *) data + 1, size - 1, size, 0, &a, &ea);
  run((const char *) data + 1, size - 1, step, take, &b, &eb);
  if (!ea && !eb && b.len > 0 &&
      (a.len < b.len || memcmp(a.buf, b.buf, b.len) != 0)) {
    abort();
  }
  mbuf_free(&a);
  mbuf_free(&b);
  return 0;
}
