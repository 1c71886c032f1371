/* The allocator mbuf_oom_test builds mbuf.c with (-DMG_REALLOC=...). */
#ifndef MG_MBUF_OOM_TEST_H
#define MG_MBUF_OOM_TEST_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* realloc(), or NULL while the test makes it fail. */
void *failing_realloc(void *ptr, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* MG_MBUF_OOM_TEST_H */
