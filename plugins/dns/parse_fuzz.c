/* libFuzzer target: mg_parse_dns() on arbitrary bytes. A parsed message's
 * names and record data must lie inside the input; every name must
 * uncompress and every record's data parse (or be refused) without reading
 * outside it; copying the questions must copy bytes of the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plugins/dns/dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_inside(const uint8_t *data, size_t size, struct mg_str s) {
  if (s.len == 0) return;
  if ((const uint8_t *) s.p < data || s.len > size ||
      (const uint8_t *) s.p + s.len > data + size) {
    abort();
  }
}

static void check_record(struct mg_dns_message *msg,
                         struct mg_dns_resource_record *rr, const uint8_t *data,
                         size_t size) {
  char name[256];
  unsigned char out[256];
  size_t n;
  check_inside(data, size, rr->name);
  check_inside(data, size, rr->rdata);
  n = mg_dns_uncompress_name(msg, &rr->name, name, sizeof(name));
  if (n > 253) abort(); /* 255 octets encoded at most */
  if (mg_dns_parse_record_data(msg, rr, out, sizeof(out)) == 0 &&
      (rr->rtype == MG_DNS_CNAME_RECORD || rr->rtype == MG_DNS_TXT_RECORD) &&
      memchr(out, '\0', sizeof(out)) == NULL) {
    abort(); /* text results are NUL-terminated */
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct mg_dns_message msg;
  struct mbuf io;
  int i;
  if (size > 65535) return 0;
  if (mg_parse_dns((const char *) data, (int) size, &msg) != 0) return 0;
  if (msg.num_questions < 0 || msg.num_questions > MG_MAX_DNS_QUESTIONS ||
      msg.num_answers < 0 || msg.num_answers > MG_MAX_DNS_ANSWERS) {
    abort();
  }
  for (i = 0; i < msg.num_questions; i++) {
    check_record(&msg, &msg.questions[i], data, size);
  }
  for (i = 0; i < msg.num_answers; i++) {
    check_record(&msg, &msg.answers[i], data, size);
  }
  mbuf_init(&io, 0);
  if ((size_t) mg_dns_copy_questions(&io, &msg) > size) abort();
  mbuf_free(&io);
  return 0;
}
