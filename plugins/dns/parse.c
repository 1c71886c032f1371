/* Parsing messages (RFC 1035 4.1) and record data: pure functions of the
 * bytes, no allocation. */
#include "plugins/dns/internal.h"

/* Parses the record at *pos of pkt[0..len) into rr (may be NULL) and moves
 * *pos past it. Returns 0, or -1 if it is malformed or truncated. */
static int parse_record(const unsigned char *pkt, size_t len, size_t *pos,
                        enum mg_dns_resource_record_kind kind,
                        struct mg_dns_resource_record *rr) {
  unsigned char wire[MG__DNS_NAME_MAX];
  size_t at = *pos, in_place = 0, fixed = kind == MG_DNS_QUESTION ? 4 : 10;
  size_t rdlen = 0;
  if (mg__dns_walk_name(pkt, len, at, len, wire, &in_place) < 0) return -1;
  if (len - at - in_place < fixed) return -1;
  if (kind == MG_DNS_ANSWER) {
    rdlen = mg__dns_get16(pkt + at + in_place + 8);
    if (len - at - in_place - fixed < rdlen) return -1;
  }
  if (rr != NULL) {
    const unsigned char *f = pkt + at + in_place;
    memset(rr, 0, sizeof(*rr));
    rr->kind = kind;
    rr->name = mg_mk_str_n((const char *) pkt + at, in_place);
    rr->rtype = mg__dns_get16(f);
    rr->rclass = mg__dns_get16(f + 2);
    if (kind == MG_DNS_ANSWER) {
      uint32_t ttl =
          ((uint32_t) mg__dns_get16(f + 4) << 16) | mg__dns_get16(f + 6);
      rr->ttl = ttl > 0x7fffffffu ? 0 : (int) ttl; /* RFC 2181 8 */
      rr->rdata = mg_mk_str_n((const char *) f + 10, rdlen);
    }
  }
  *pos = at + in_place + fixed + rdlen;
  return 0;
}

/* Parses count records of a section, keeping the first max in out. */
static int parse_section(const unsigned char *pkt, size_t len, size_t *pos,
                         unsigned int count,
                         enum mg_dns_resource_record_kind kind,
                         struct mg_dns_resource_record *out, int max,
                         int *kept) {
  unsigned int i;
  for (i = 0; i < count; i++) {
    struct mg_dns_resource_record *rr = (int) i < max ? &out[i] : NULL;
    if (parse_record(pkt, len, pos, kind, rr) != 0) return -1;
  }
  if (kept != NULL) *kept = (int) count < max ? (int) count : max;
  return 0;
}

int mg_parse_dns(const char *buf, int len, struct mg_dns_message *msg) {
  const unsigned char *p = (const unsigned char *) buf;
  size_t n = len > 0 ? (size_t) len : 0, pos = MG__DNS_HEADER_SIZE;
  if (buf == NULL || msg == NULL || n < MG__DNS_HEADER_SIZE) return -1;
  msg->pkt = mg_mk_str_n(buf, n);
  msg->transaction_id = mg__dns_get16(p);
  msg->flags = mg__dns_get16(p + 2);
  msg->num_questions = msg->num_answers = 0;
  /* Every section is checked; authority and additional are not kept. */
  if (parse_section(p, n, &pos, mg__dns_get16(p + 4), MG_DNS_QUESTION,
                    msg->questions, MG_MAX_DNS_QUESTIONS,
                    &msg->num_questions) != 0 ||
      parse_section(p, n, &pos, mg__dns_get16(p + 6), MG_DNS_ANSWER,
                    msg->answers, MG_MAX_DNS_ANSWERS, &msg->num_answers) != 0 ||
      parse_section(p, n, &pos,
                    (unsigned int) mg__dns_get16(p + 8) + mg__dns_get16(p + 10),
                    MG_DNS_ANSWER, NULL, 0, NULL) != 0) {
    msg->num_questions = msg->num_answers = 0;
    return -1;
  }
  return 0;
}

/* Offset of p in msg->pkt when [p, p + n) lies inside it, else -1. */
static long offset_in(const struct mg_dns_message *msg, const char *p,
                      size_t n) {
  uintptr_t base = (uintptr_t) msg->pkt.p, at = (uintptr_t) p;
  if (p == NULL || msg->pkt.p == NULL || at < base ||
      at - base > msg->pkt.len || n > msg->pkt.len - (at - base)) {
    return -1;
  }
  return (long) (at - base);
}

/* The name at rdata offset skip, which must end inside the rdata, as text
 * in data. Returns 0 or -1. */
static int rdata_name(const struct mg_dns_message *msg,
                      const struct mg_dns_resource_record *rr, size_t skip,
                      char *data, size_t data_len) {
  char text[MG__DNS_NAME_MAX + 1];
  long off = offset_in(msg, rr->rdata.p, rr->rdata.len);
  size_t in_place = 0;
  int n;
  if (off < 0 || rr->rdata.len <= skip) return -1;
  n = mg__dns_read_name((const unsigned char *) msg->pkt.p, msg->pkt.len,
                        (size_t) off + skip, (size_t) off + rr->rdata.len, text,
                        &in_place);
  if (n < 0 || (size_t) n >= data_len) return -1;
  memcpy(data, text, (size_t) n + 1);
  return 0;
}

/* The character-strings of a TXT record, concatenated. Returns 0 or -1. */
static int rdata_txt(const struct mg_dns_resource_record *rr, char *data,
                     size_t data_len) {
  const unsigned char *p = (const unsigned char *) rr->rdata.p;
  size_t i = 0, n = 0;
  while (i < rr->rdata.len) {
    size_t l = p[i];
    if (l > rr->rdata.len - i - 1 || n + l >= data_len) return -1;
    memcpy(data + n, p + i + 1, l);
    n += l;
    i += 1 + l;
  }
  if (n >= data_len) return -1;
  data[n] = '\0';
  return 0;
}

/* Copies an address of exactly size bytes. Returns 0 or -1. */
static int rdata_addr(const struct mg_dns_resource_record *rr, size_t size,
                      void *data, size_t data_len) {
  if (rr->rdata.len != size || data_len < size) return -1;
  memcpy(data, rr->rdata.p, size);
  return 0;
}

int mg_dns_parse_record_data(struct mg_dns_message *msg,
                             struct mg_dns_resource_record *rr, void *data,
                             size_t data_len) {
  if (msg == NULL || rr == NULL || data == NULL ||
      offset_in(msg, rr->rdata.p, rr->rdata.len) < 0) {
    return -1;
  }
  switch (rr->rtype) {
    case MG_DNS_A_RECORD:
      return rdata_addr(rr, 4, data, data_len);
    case MG_DNS_AAAA_RECORD:
      return rdata_addr(rr, 16, data, data_len);
    case MG_DNS_CNAME_RECORD:
    case MG_DNS_NS_RECORD:
    case MG_DNS_PTR_RECORD:
      return rdata_name(msg, rr, 0, (char *) data, data_len);
    case MG_DNS_MX_RECORD:
      return rdata_name(msg, rr, 2, (char *) data, data_len);
    case MG_DNS_SRV_RECORD:
      return rdata_name(msg, rr, 6, (char *) data, data_len);
    case MG_DNS_TXT_RECORD:
      return rdata_txt(rr, (char *) data, data_len);
    default:
      return -1;
  }
}

struct mg_dns_resource_record *mg_next_record(
    struct mg_dns_message *msg, int query,
    struct mg_dns_resource_record *prev) {
  int i = 0;
  if (msg == NULL) return NULL;
  if (prev != NULL) {
    uintptr_t first = (uintptr_t) msg->answers, at = (uintptr_t) prev;
    if (at < first || at >= first + sizeof(msg->answers)) return NULL;
    i = (int) ((at - first) / sizeof(*prev)) + 1;
  }
  for (; i < msg->num_answers && i < MG_MAX_DNS_ANSWERS; i++) {
    if (msg->answers[i].rtype == query) return &msg->answers[i];
  }
  return NULL;
}

struct mg_dns_resource_record *mg_dns_next_record(
    struct mg_dns_message *msg, int query,
    struct mg_dns_resource_record *prev) {
  return mg_next_record(msg, query, prev);
}
