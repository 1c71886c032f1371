/* Building messages: headers, questions, records, name compression
 * (RFC 1035 4.1.4), queries. */
#include "plugins/dns/internal.h"

/* Compression targets kept per message being built. */
#define MAX_TARGETS 256

/* Offsets (from the message start) where a name or a name's tail starts. */
struct targets {
  uint16_t off[MAX_TARGETS]; /* label offsets, below 0x4000 */
  int n;                     /* used entries */
};

/* Appends n bytes; 0 on success, -1 when memory ran out. */
static int append_bytes(struct mbuf *io, const void *p, size_t n) {
  if (n == 0) return 0;
  return mbuf_append(io, p, n) == n ? 0 : -1;
}

static int append_be16(struct mbuf *io, unsigned int v) {
  unsigned char b[2];
  mg__dns_put16(b, v);
  return append_bytes(io, b, 2);
}

/* Adds the labels written in place at msg[pos..pos+in_place) as targets. */
static void add_labels(struct targets *t, const unsigned char *msg, size_t pos,
                       size_t in_place) {
  size_t end = pos + in_place;
  while (pos < end && msg[pos] != 0 && (msg[pos] & 0xc0) == 0) {
    if (pos < 0x4000 && t->n < MAX_TARGETS) t->off[t->n++] = (uint16_t) pos;
    pos += 1 + (size_t) msg[pos];
  }
}

/* Adds the name in rdata at msg[pos..pos+rdlen) of a CNAME/NS/PTR record. */
static void add_rdata_name(struct targets *t, const unsigned char *msg,
                           size_t len, size_t pos, size_t rdlen) {
  unsigned char wire[MG__DNS_NAME_MAX];
  size_t in_place = 0;
  if (mg__dns_walk_name(msg, len, pos, pos + rdlen, wire, &in_place) >= 0 &&
      in_place == rdlen) {
    add_labels(t, msg, pos, in_place);
  }
}

/* Collects the targets of the message prefix msg[0..len): the header, then
 * questions (as many as its count says, at most) and records, ending
 * exactly at len. Returns 0, or -1 when msg is no such prefix. */
static int collect_targets(const unsigned char *msg, size_t len,
                           struct targets *t) {
  size_t pos = MG__DNS_HEADER_SIZE;
  unsigned int i, qd;
  t->n = 0;
  if (len < MG__DNS_HEADER_SIZE) return -1;
  qd = mg__dns_get16(msg + 4);
  for (i = 0; pos < len; i++) {
    unsigned char wire[MG__DNS_NAME_MAX];
    size_t in_place = 0, rdlen;
    int type;
    if (mg__dns_walk_name(msg, len, pos, len, wire, &in_place) < 0) return -1;
    add_labels(t, msg, pos, in_place);
    pos += in_place;
    if (i < qd) {
      pos += 4;
      continue;
    }
    if (pos + 10 > len) return -1;
    type = mg__dns_get16(msg + pos);
    rdlen = mg__dns_get16(msg + pos + 8);
    pos += 10;
    if (pos + rdlen > len) return -1;
    if (type == MG_DNS_CNAME_RECORD || type == MG_DNS_NS_RECORD ||
        type == MG_DNS_PTR_RECORD) {
      add_rdata_name(t, msg, len, pos, rdlen);
    }
    pos += rdlen;
  }
  return pos == len ? 0 : -1;
}

/* A target in msg[0..len) holding the wire name w (n bytes), or -1. */
static long find_target(const struct targets *t, const unsigned char *msg,
                        size_t len, const unsigned char *w, size_t n) {
  int i;
  for (i = 0; i < t->n; i++) {
    unsigned char wire[MG__DNS_NAME_MAX];
    size_t in_place = 0;
    int wn = mg__dns_walk_name(msg, len, t->off[i], len, wire, &in_place);
    /* Byte for byte: a pointer never changes the case the caller wrote. */
    if (wn == (int) n && memcmp(wire, w, n) == 0) return t->off[i];
  }
  return -1;
}

/* Appends name to the message at io[msg_start..], compressed against t
 * (NULL: uncompressed), and adds its new labels to t. Returns 0 or -1. */
static int put_name(struct mbuf *io, size_t msg_start, struct targets *t,
                    const char *name, size_t len) {
  unsigned char w[MG__DNS_NAME_MAX];
  int n = mg__dns_name_to_wire(name, len, w);
  size_t i = 0, pos = io->len - msg_start;
  long target = -1;
  if (n < 0) return -1;
  if (t != NULL) {
    const unsigned char *msg = (const unsigned char *) io->buf + msg_start;
    /* The longest tail already in the message (the root is not worth it). */
    for (; w[i] != 0; i += 1 + (size_t) w[i]) {
      target = find_target(t, msg, pos, w + i, (size_t) n - i);
      if (target >= 0) break;
    }
  }
  if (target < 0) {
    if (append_bytes(io, w, (size_t) n) != 0) return -1;
    i = (size_t) n;
  } else if (append_bytes(io, w, i) != 0 ||
             append_be16(io, 0xc000 | (unsigned int) target) != 0) {
    return -1;
  }
  if (t != NULL) {
    add_labels(t, (const unsigned char *) io->buf + msg_start, pos, i);
  }
  return 0;
}

/* Appends rr's rdata for an answer record. Returns 0 or -1. */
static int put_rdata(struct mbuf *io, size_t msg_start, struct targets *t,
                     int rtype, const void *rdata, size_t rlen) {
  if (rlen > 0 && rdata == NULL) return -1;
  switch (rtype) {
    case MG_DNS_A_RECORD:
      return rlen == 4 ? append_bytes(io, rdata, rlen) : -1;
    case MG_DNS_AAAA_RECORD:
      return rlen == 16 ? append_bytes(io, rdata, rlen) : -1;
    case MG_DNS_CNAME_RECORD:
    case MG_DNS_NS_RECORD:
    case MG_DNS_PTR_RECORD:
      return put_name(io, msg_start, t, (const char *) rdata, rlen);
    default:
      return rlen <= 0xffff ? append_bytes(io, rdata, rlen) : -1;
  }
}

/* Appends the fixed fields and rdata of an answer. Returns 0 or -1. */
static int put_answer_tail(struct mbuf *io, size_t msg_start, struct targets *t,
                           struct mg_dns_resource_record *rr, const void *rdata,
                           size_t rlen) {
  unsigned long ttl = rr->ttl < 0 ? 0 : (unsigned long) rr->ttl;
  size_t len_at;
  if (append_be16(io, (unsigned int) (ttl >> 16)) != 0 ||
      append_be16(io, (unsigned int) (ttl & 0xffff)) != 0) {
    return -1;
  }
  len_at = io->len;
  if (append_be16(io, 0) != 0 ||
      put_rdata(io, msg_start, t, rr->rtype, rdata, rlen) != 0 ||
      io->len - len_at - 2 > 0xffff) {
    return -1;
  }
  mg__dns_put16((unsigned char *) io->buf + len_at,
                (unsigned int) (io->len - len_at - 2));
  return 0;
}

int mg__dns_encode_record_at(struct mbuf *io, size_t msg_start,
                             struct mg_dns_resource_record *rr,
                             const char *name, size_t nlen, const void *rdata,
                             size_t rlen) {
  struct targets t, *tp = NULL;
  size_t start;
  if (io == NULL || rr == NULL ||
      (rr->kind != MG_DNS_QUESTION && rr->kind != MG_DNS_ANSWER)) {
    return -1;
  }
  start = io->len;
  if (msg_start <= io->len &&
      collect_targets((const unsigned char *) io->buf + msg_start,
                      io->len - msg_start, &t) == 0) {
    tp = &t;
  }
  if (put_name(io, msg_start, tp, name, nlen) != 0 ||
      append_be16(io, (unsigned int) rr->rtype & 0xffff) != 0 ||
      append_be16(io, (unsigned int) rr->rclass & 0xffff) != 0 ||
      (rr->kind == MG_DNS_ANSWER &&
       put_answer_tail(io, msg_start, tp, rr, rdata, rlen) != 0)) {
    io->len = start;
    return -1;
  }
  return (int) (io->len - start);
}

int mg_dns_encode_record(struct mbuf *io, struct mg_dns_resource_record *rr,
                         const char *name, size_t nlen, const void *rdata,
                         size_t rlen) {
  return mg__dns_encode_record_at(io, 0, rr, name, nlen, rdata, rlen);
}

int mg_dns_insert_header(struct mbuf *io, size_t pos,
                         struct mg_dns_message *msg) {
  unsigned char h[MG__DNS_HEADER_SIZE];
  if (io == NULL || msg == NULL || pos > io->len) return 0;
  memset(h, 0, sizeof(h));
  mg__dns_put16(h, msg->transaction_id);
  mg__dns_put16(h + 2, msg->flags);
  mg__dns_put16(h + 4, (unsigned int) msg->num_questions & 0xffff);
  mg__dns_put16(h + 6, (unsigned int) msg->num_answers & 0xffff);
  return (int) mbuf_insert(io, pos, h, sizeof(h));
}

int mg_dns_copy_questions(struct mbuf *io, struct mg_dns_message *msg) {
  const struct mg_dns_resource_record *last;
  uintptr_t base, first, end;
  if (io == NULL || msg == NULL || msg->num_questions <= 0 ||
      msg->num_questions > MG_MAX_DNS_QUESTIONS || msg->pkt.p == NULL) {
    return 0;
  }
  last = &msg->questions[msg->num_questions - 1];
  base = (uintptr_t) msg->pkt.p;
  first = (uintptr_t) msg->questions[0].name.p;
  end = (uintptr_t) last->name.p + last->name.len + 4;
  if (first < base || end > base + msg->pkt.len || end <= first) return 0;
  if (append_bytes(io, msg->questions[0].name.p, (size_t) (end - first)) != 0) {
    return 0;
  }
  return (int) (end - first);
}

int mg__dns_build_query(struct mbuf *io, uint16_t id, const char *name,
                        int qtype) {
  struct mg_dns_message msg;
  struct mg_dns_resource_record rr;
  size_t start = io->len;
  memset(&msg, 0, sizeof(msg));
  memset(&rr, 0, sizeof(rr));
  msg.transaction_id = id;
  msg.flags = MG_DNS_FLAG_RD;
  msg.num_questions = 1;
  rr.kind = MG_DNS_QUESTION;
  rr.rtype = qtype;
  rr.rclass = MG_DNS_CLASS_IN;
  if (name == NULL ||
      mg_dns_insert_header(io, io->len, &msg) != MG__DNS_HEADER_SIZE ||
      mg__dns_encode_record_at(io, start, &rr, name, strlen(name), NULL, 0) <
          0) {
    io->len = start;
    return -1;
  }
  return (int) (io->len - start);
}

uint16_t mg__dns_random_id(void) {
  static uint32_t s_state;
  unsigned char b[2];
  int fd = open("/dev/urandom", O_RDONLY);
  if (fd >= 0) {
    ssize_t n = read(fd, b, sizeof(b));
    close(fd);
    if (n == (ssize_t) sizeof(b)) return mg__dns_get16(b);
  }
  /* No /dev/urandom: xorshift seeded from the clock and the pid (the wall
   * clock, mg_time(): a seed, not a time stamp, and no manager here). */
  if (s_state == 0) {
    s_state =
        (uint32_t) (uint64_t) (mg_time() * 1000.0) ^ (uint32_t) getpid() ^ 1u;
  }
  s_state ^= s_state << 13;
  s_state ^= s_state >> 17;
  s_state ^= s_state << 5;
  return (uint16_t) (s_state >> 8);
}
