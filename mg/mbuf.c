/* Growable memory buffers. All allocation goes through MG_REALLOC/MG_FREE. */
#include "mg/mbuf.h"

void mbuf_init(struct mbuf *mbuf, size_t initial_capacity) {
  mbuf->buf = NULL;
  mbuf->len = 0;
  mbuf->size = 0;
  mbuf_resize(mbuf, initial_capacity);
}

void mbuf_free(struct mbuf *mbuf) {
  MG_FREE(mbuf->buf);
  mbuf->buf = NULL;
  mbuf->len = 0;
  mbuf->size = 0;
}

/* Sets the allocation to exactly new_size bytes; on failure nothing changes. */
static int mbuf_realloc(struct mbuf *a, size_t new_size) {
  char *p;
  if (new_size == 0) {
    MG_FREE(a->buf);
    a->buf = NULL;
    a->size = 0;
    return 1;
  }
  p = (char *) MG_REALLOC(a->buf, new_size);
  if (p == NULL) return 0;
  a->buf = p;
  a->size = new_size;
  return 1;
}

void mbuf_resize(struct mbuf *a, size_t new_size) {
  if (new_size < a->len || new_size == a->size) return;
  (void) mbuf_realloc(a, new_size);
}

void mbuf_trim(struct mbuf *mbuf) { mbuf_resize(mbuf, mbuf->len); }

/* Extra room to add beyond min_size: min_size * (MULTIPLIER - 1), capped by
 * MBUF_SIZE_MAX_HEADROOM and by what size_t can hold. */
static size_t mbuf_headroom(size_t min_size) {
  double want = (double) min_size * MBUF_SIZE_MULTIPLIER - (double) min_size;
  size_t extra;
  if (!(want > 0)) return 0;
  if (want >= (double) MBUF_SIZE_MAX_HEADROOM) {
    extra = MBUF_SIZE_MAX_HEADROOM;
  } else {
    extra = (size_t) want;
  }
  if (extra > (size_t) -1 - min_size) extra = (size_t) -1 - min_size;
  return extra;
}

/* Makes room for at least min_size bytes: first with headroom, then exact. */
static int mbuf_reserve(struct mbuf *a, size_t min_size) {
  size_t extra;
  if (min_size <= a->size) return 1;
  extra = mbuf_headroom(min_size);
  if (extra > 0 && mbuf_realloc(a, min_size + extra)) return 1;
  return mbuf_realloc(a, min_size);
}

size_t mbuf_insert(struct mbuf *a, size_t off, const void *buf, size_t len) {
  if (len == 0 || off > a->len) return 0;
  if (len > (size_t) -1 - a->len) return 0; /* size_t overflow */
  if (!mbuf_reserve(a, a->len + len)) return 0;
  if (off < a->len) memmove(a->buf + off + len, a->buf + off, a->len - off);
  if (buf != NULL) memcpy(a->buf + off, buf, len);
  a->len += len;
  return len;
}

size_t mbuf_append(struct mbuf *a, const void *buf, size_t len) {
  return mbuf_insert(a, a->len, buf, len);
}

size_t mbuf_append_and_free(struct mbuf *a, void *data, size_t len) {
  size_t n = mbuf_append(a, data, len);
  MG_FREE(data);
  return n;
}

/* Removes n bytes from the front; more than len empties the buffer. */
void mbuf_remove(struct mbuf *mb, size_t n) {
  if (n >= mb->len) {
    mb->len = 0;
    return;
  }
  memmove(mb->buf, mb->buf + n, mb->len - n);
  mb->len -= n;
}

void mbuf_clear(struct mbuf *mb) { mb->len = 0; }

void mbuf_move(struct mbuf *from, struct mbuf *to) {
  if (from == to) return;
  mbuf_free(to);
  *to = *from;
  from->buf = NULL;
  from->len = 0;
  from->size = 0;
}
