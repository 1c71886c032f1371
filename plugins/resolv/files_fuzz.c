/*
 * The resolver's configuration readers on arbitrary bytes: the input is
 * read as a resolv.conf, as a hosts file (looked up for a few names) and
 * as nameserver strings; none may crash or read out of bounds, and what
 * resolv.conf yields stays within its limits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plugins/resolv/internal.h"

/* Writes the input to a scratch file; returns its path (static). */
static const char *scratch(const uint8_t *data, size_t size) {
  static char path[512];
  const char *dir = getenv("TEST_TMPDIR");
  FILE *fp;
  snprintf(path, sizeof(path), "%s/resolv_fuzz.%ld", dir ? dir : "/tmp",
           (long) getpid());
  fp = fopen(path, "wb");
  if (fp == NULL) return NULL;
  if (size > 0) fwrite(data, 1, size, fp);
  fclose(fp);
  return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const names[] = {"localhost", "a", "x.example", ""};
  struct mg__resolv_conf conf;
  struct mg__resolv_ns ns[4];
  union socket_address sa;
  char *s = (char *) malloc(size + 1);
  const char *path = scratch(data, size);
  size_t i;
  if (s == NULL) return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  mg__resolv_parse_ns((const char *) data, size, &ns[0]);
  if (mg__resolv_parse_ns_list(s, ns, 4) > 4) abort();
  if (path != NULL) {
    memset(&conf, 0, sizeof(conf));
    mg__resolv_load_conf(path, &conf);
    if (conf.num_ns < 0 || conf.num_ns > MG__RESOLV_MAX_NS) abort();
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
      mg__resolv_hosts_lookup(path, names[i], &sa);
    }
    remove(path);
  }
  free(s);
  return 0;
}
