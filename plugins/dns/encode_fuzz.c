/* libFuzzer target: the encoder's name compression. The input is a list of
 * names, one per line. Each becomes an answer record (with the next name
 * as CNAME data) of one message built from offset 0, so the encoder
 * compresses against everything before it. The message must parse, and
 * every name must read back exactly as given (a trailing dot aside). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plugins/dns/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_NAMES 24

/* One input name (without a trailing dot). */
struct name {
  const char *p;
  size_t len;
};

/* Splits the input into encodable names without NULs. */
static int split(const uint8_t *data, size_t size, struct name *names) {
  unsigned char wire[MG__DNS_NAME_MAX];
  size_t i = 0;
  int n = 0;
  while (i < size && n < MAX_NAMES) {
    const char *p = (const char *) data + i;
    const char *nl = (const char *) memchr(p, '\n', size - i);
    size_t len = nl != NULL ? (size_t) (nl - p) : size - i;
    i += len + 1;
    if (memchr(p, '\0', len) != NULL) continue;
    if (mg__dns_name_to_wire(p, len, wire) < 0) continue;
    if (len > 0 && p[len - 1] == '.') len--;
    names[n].p = p;
    names[n].len = len;
    n++;
  }
  return n;
}

/* The name at rr's name (or, with rdata, its data) equals want. */
static void check_name(struct mg_dns_message *msg, const char *at, size_t limit,
                       struct name want) {
  char text[MG__DNS_NAME_MAX + 1];
  size_t off = (size_t) (at - msg->pkt.p), in_place = 0;
  int n = mg__dns_read_name((const unsigned char *) msg->pkt.p, msg->pkt.len,
                            off, off + limit, text, &in_place);
  if (n < 0 || (size_t) n != want.len || memcmp(text, want.p, want.len) != 0) {
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct name names[MAX_NAMES];
  struct mg_dns_message msg;
  struct mg_dns_resource_record rr;
  struct mbuf io;
  int n = split(data, size, names), i;
  if (n == 0) return 0;
  memset(&msg, 0, sizeof(msg));
  memset(&rr, 0, sizeof(rr));
  msg.num_answers = n;
  mbuf_init(&io, 0);
  mg_dns_insert_header(&io, 0, &msg);
  rr.kind = MG_DNS_ANSWER;
  rr.rtype = MG_DNS_CNAME_RECORD;
  rr.rclass = MG_DNS_CLASS_IN;
  for (i = 0; i < n; i++) {
    struct name next = names[(i + 1) % n];
    if (mg_dns_encode_record(&io, &rr, names[i].p, names[i].len, next.p,
                             next.len) < 0) {
      abort(); /* every name encodes */
    }
  }
  if (mg_parse_dns(io.buf, (int) io.len, &msg) != 0) abort();
  for (i = 0; i < msg.num_answers; i++) {
    check_name(&msg, msg.answers[i].name.p, msg.answers[i].name.len, names[i]);
    check_name(&msg, msg.answers[i].rdata.p, msg.answers[i].rdata.len,
               names[(i + 1) % n]);
  }
  mbuf_free(&io);
  return 0;
}
