/*
 * Mbufs are mutable, growing memory buffers, like C++ strings. An mbuf can
 * append data at its end or insert data anywhere, growing as needed.
 */
#ifndef MG_MBUF_H
#define MG_MBUF_H

#include "mg/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef MBUF_SIZE_MULTIPLIER
#define MBUF_SIZE_MULTIPLIER 1.5
#endif

#ifndef MBUF_SIZE_MAX_HEADROOM
#define MBUF_SIZE_MAX_HEADROOM 1024
#endif

/* Memory buffer descriptor. */
struct mbuf {
  char *buf;   /* Buffer pointer */
  size_t len;  /* Data length. Data is located between offset 0 and len. */
  size_t size; /* Buffer size allocated by realloc(1). Must be >= len */
};

/* Initialises an mbuf with `initial_capacity` bytes allocated. */
void mbuf_init(struct mbuf *, size_t initial_capacity);

/* Frees the buffer and resets the structure. */
void mbuf_free(struct mbuf *);

/* Appends data; returns the number of bytes appended or 0 if out of memory. */
size_t mbuf_append(struct mbuf *, const void *data, size_t data_size);

/* Appends heap-allocated data and frees it (always, whatever the result). */
size_t mbuf_append_and_free(struct mbuf *, void *data, size_t data_size);

/* Inserts data at an offset, shifting what follows; returns bytes inserted. */
size_t mbuf_insert(struct mbuf *, size_t, const void *, size_t);

/* Removes `data_size` bytes from the beginning of the buffer. */
void mbuf_remove(struct mbuf *, size_t data_size);

/* Resizes the allocation; a size smaller than `len` is not applied. */
void mbuf_resize(struct mbuf *, size_t new_size);

/* Moves the state of `from` into `to` (which is freed first). */
void mbuf_move(struct mbuf *from, struct mbuf *to);

/* Removes all data (keeps the allocation). */
void mbuf_clear(struct mbuf *);

/* Shrinks the allocation to `len`. */
void mbuf_trim(struct mbuf *);

#ifdef __cplusplus
}
#endif

#endif /* MG_MBUF_H */
