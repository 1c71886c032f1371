/*
 * Fuzzes the base64 decoders (with output buffers of exactly the documented
 * size, so ASan catches any overrun) and checks that encoding the input and
 * decoding it gives the input back (abort() otherwise).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mg/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Decodes with both entry points into buffers of cap bytes: they agree,
 * and decoding just the consumed prefix gives the same again. */
static void check_decode(const unsigned char *s, int len, char *a, char *b,
                         size_t cap) {
  int dec_len = -1, dec_len2 = -1;
  int n1 = cs_base64_decode(s, len, a, &dec_len);
  int n2 = mg_base64_decode(s, len, b);
  if (n1 != n2 || n1 < 0 || n1 > len) abort();
  if (dec_len < 0 || (size_t) dec_len >= cap || a[dec_len] != '\0') abort();
  if (memcmp(a, b, (size_t) dec_len + 1) != 0) abort();
  n2 = cs_base64_decode(s, n1, b, &dec_len2);
  if (n2 != n1 || dec_len2 != dec_len) abort();
  if (memcmp(a, b, (size_t) dec_len + 1) != 0) abort();
}

/* Decodes the input as base64 with exactly the documented output size. */
static void fuzz_decode(const unsigned char *s, int len) {
  size_t cap = 3 * (size_t) len / 4 + 1;
  char *a = (char *) malloc(cap), *b = (char *) malloc(cap);
  if (a != NULL && b != NULL) check_decode(s, len, a, b, cap);
  free(a);
  free(b);
}

/* Encodes the input, checks the alphabet, and decodes it back. */
static void fuzz_roundtrip(const unsigned char *s, int len) {
  size_t enc_cap = 4 * (((size_t) len + 2) / 3) + 1;
  char *enc = (char *) malloc(enc_cap), *dec = NULL;
  int i, enc_len, dec_len = -1;
  if (enc == NULL) return;
  mg_base64_encode(s, len, enc);
  enc_len = (int) strlen(enc);
  if ((size_t) enc_len != enc_cap - 1) abort();
  for (i = 0; i < enc_len; i++) {
    if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
               "0123456789+/=",
               enc[i]) == NULL) {
      abort();
    }
  }
  dec = (char *) malloc(3 * (size_t) enc_len / 4 + 1);
  if (dec != NULL) {
    if (cs_base64_decode((const unsigned char *) enc, enc_len, dec, &dec_len) !=
        enc_len) {
      abort();
    }
    if (dec_len != len || (len > 0 && memcmp(dec, s, (size_t) len) != 0)) {
      abort();
    }
  }
  free(dec);
  free(enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int len = size > (1 << 20) ? (1 << 20) : (int) size;
  fuzz_decode(data, len);
  fuzz_roundtrip(data, len);
  return 0;
}
