/* A program built against mongoose from another Bazel workspace: starts and
 * stops an event manager and uses a memory buffer. */
#include <stdio.h>
#include <string.h>

#include "mongoose.h"

int main(void) {
  struct mg_mgr mgr;
  struct mbuf buf;
  const char *hello = "hello, ";
  const char *world = "world";

  mg_mgr_init(&mgr, NULL);
  mbuf_init(&buf, 0);
  mbuf_append(&buf, world, strlen(world));
  mbuf_insert(&buf, 0, hello, strlen(hello));
  mbuf_append(&buf, "", 1); /* NUL */
  printf("consumer: %s (mongoose %s, %d bytes in the mbuf)\n", buf.buf,
         MG_VERSION, (int) buf.len);
  mbuf_free(&buf);
  mg_mgr_free(&mgr);
  return 0;
}
