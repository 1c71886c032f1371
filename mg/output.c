/* Output: mg_send(), mg_printf(), and hexdumps of a connection's traffic
 * (mg_hexdump_connection). */
#include "mg/internal.h"

void mg_send(struct mg_connection *nc, const void *buf, int len) {
  if (nc == NULL || len <= 0) return;
  if (nc->send_off > nc->send_mbuf.len) nc->send_off = 0;
  mbuf_append(&nc->send_mbuf, buf, (size_t) len);
}

int mg_vprintf(struct mg_connection *nc, const char *fmt, va_list ap) {
  char mem[256], *buf = mem;
  int len = mg_avprintf(&buf, sizeof(mem), fmt, ap);
  if (len > 0) mg_send(nc, buf, len);
  if (buf != mem) MG_FREE(buf);
  return len < 0 ? 0 : len;
}

int mg_printf(struct mg_connection *nc, const char *fmt, ...) {
  int len;
  va_list ap;
  va_start(ap, fmt);
  len = mg_vprintf(nc, fmt, ap);
  va_end(ap);
  return len;
}

#if MG_ENABLE_HEXDUMP
void mg_hexdump_connection(struct mg_connection *nc, const char *path,
                           const void *buf, int num_bytes, int ev) {
  FILE *fp;
  char local[60], remote[60];
  const char *dir = ev == MG_EV_RECV ? "<-" : ev == MG_EV_SEND ? "->" : "--";
  if (path == NULL || num_bytes < 0) return;
  if (strcmp(path, "-") == 0) {
    fp = stdout;
  } else if (strcmp(path, "--") == 0) {
    fp = stderr;
  } else if ((fp = mg_fopen(path, "a")) == NULL) {
    return;
  }
  mg_conn_addr_to_str(nc, local, sizeof(local),
                      MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT);
  mg_conn_addr_to_str(
      nc, remote, sizeof(remote),
      MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT | MG_SOCK_STRINGIFY_REMOTE);
  fprintf(fp, "%.3f %p %s %s %s %d\n", mg_mgr_time(nc->mgr), (void *) nc, local,
          dir, remote, num_bytes);
  if (buf != NULL && num_bytes > 0) mg_hexdumpf(fp, buf, num_bytes);
  if (fp != stdout && fp != stderr) fclose(fp);
}
#endif
