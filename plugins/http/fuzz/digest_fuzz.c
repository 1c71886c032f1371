/*
 * Fuzzes digest (and basic) authentication parsing: the input is an
 * Authorization header value checked against a small password file. The
 * file's one user has a password the fuzzer cannot know, so a "success"
 * is a bug: abort().
 */
#include <stdlib.h>

#include "plugins/http/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *password_file(void) {
  static FILE *fp;
  if (fp == NULL) {
    fp = tmpfile();
    if (fp == NULL) abort();
    fputs("joe:realm:0123456789abcdef0123456789abcdef\n", fp);
    fputs("noline\nbob:0123456789abcdef0123456789abcdef\n:realm:\n", fp);
    fflush(fp);
  }
  rewind(fp);
  return fp;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct http_message hm;
  char user[16], pass[16];
  char *v;
  if (size > 1 << 14) return 0;
  v = (char *) malloc(size + 1);
  if (v == NULL) return 0;
  memcpy(v, data, size);
  memset(&hm, 0, sizeof(hm));
  hm.method = mg_mk_str("GET");
  hm.uri = mg_mk_str("/x");
  hm.header_names[0] = mg_mk_str("Authorization");
  hm.header_values[0] = mg_mk_str_n(v, size);
  if (mg_http_check_digest_auth(&hm, "realm", password_file()) != 0) abort();
  if (mg_get_http_basic_auth(&hm, user, sizeof(user), pass, sizeof(pass)) ==
          0 &&
      (strlen(user) >= sizeof(user) || strlen(pass) >= sizeof(pass))) {
    abort();
  }
  free(v);
  return 0;
}
