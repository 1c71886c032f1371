/* Building and sending replies. */
#include "plugins/dns_server/internal.h"

struct mg_dns_reply mg_dns_create_reply(struct mbuf *io,
                                        struct mg_dns_message *msg) {
  struct mg_dns_reply r;
  r.msg = msg;
  r.io = io;
  r.start = io != NULL ? io->len : 0;
  if (io == NULL || msg == NULL) return r;
  msg->flags |= MG_DNS_FLAG_QR | MG_DNS_FLAG_RA;
  msg->num_answers = 0;
  mg_dns_insert_header(io, io->len, msg);
  mg_dns_copy_questions(io, msg);
  return r;
}

int mg_dns_reply_record(struct mg_dns_reply *reply,
                        struct mg_dns_resource_record *question,
                        const char *name, int rtype, int ttl, const void *rdata,
                        size_t rdata_len) {
  char qname[MG__DNS_NAME_MAX + 1];
  struct mg_dns_message *msg;
  struct mg_dns_resource_record *rr;
  if (reply == NULL || reply->msg == NULL || reply->io == NULL ||
      question == NULL || reply->msg->num_answers < 0 ||
      reply->msg->num_answers >= MG_MAX_DNS_ANSWERS) {
    return -1;
  }
  msg = reply->msg;
  if (name == NULL) {
    size_t n = mg_dns_uncompress_name(msg, &question->name, qname,
                                      (int) sizeof(qname) - 1);
    qname[n] = '\0'; /* 0: the root */
    name = qname;
  }
  rr = &msg->answers[msg->num_answers];
  *rr = *question;
  rr->kind = MG_DNS_ANSWER;
  rr->rtype = rtype;
  rr->ttl = ttl;
  rr->rdata = mg_mk_str_n(NULL, 0); /* it would point into a growing io */
  if (mg__dns_encode_record_at(reply->io, reply->start, rr, name, strlen(name),
                               rdata, rdata_len) < 0) {
    return -1;
  }
  msg->num_answers++;
  return 0;
}

/* Cuts the UDP reply at io[start..] to MG_DNS_UDP_MAX bytes on a record
 * boundary, sets TC and fixes the answer count. */
static void truncate_for_udp(struct mbuf *io, size_t start) {
  const unsigned char *m = (const unsigned char *) io->buf + start;
  size_t len = io->len - start, pos = MG__DNS_HEADER_SIZE, keep = 0;
  unsigned int i, qd = mg__dns_get16(m + 4), qkept = 0, an = 0;
  for (i = 0; pos <= MG_DNS_UDP_MAX && pos < len; i++) {
    unsigned char wire[MG__DNS_NAME_MAX];
    size_t in_place = 0;
    if (mg__dns_walk_name(m, len, pos, len, wire, &in_place) < 0) break;
    pos += in_place + (i < qd ? 4 : 10);
    if (i >= qd && pos <= len) pos += mg__dns_get16(m + pos - 2);
    if (pos > MG_DNS_UDP_MAX || pos > len) break;
    keep = pos;
    if (i >= qd) {
      an++;
    } else {
      qkept++;
    }
  }
  if (keep < MG__DNS_HEADER_SIZE) keep = MG__DNS_HEADER_SIZE;
  io->len = start + keep;
  mg__dns_put16((unsigned char *) io->buf + start + 4, qkept);
  mg__dns_put16((unsigned char *) io->buf + start + 6, an);
  io->buf[start + 2] |= (char) (MG_DNS_FLAG_TC >> 8);
}

void mg_dns_send_reply(struct mg_connection *nc, struct mg_dns_reply *r) {
  struct mg_dns_message *msg;
  unsigned char *h;
  if (nc == NULL || r == NULL || r->io == NULL || r->msg == NULL ||
      r->start > r->io->len || r->io->len - r->start < MG__DNS_HEADER_SIZE) {
    return;
  }
  msg = r->msg;
  h = (unsigned char *) r->io->buf + r->start;
  mg__dns_put16(h, msg->transaction_id);
  mg__dns_put16(h + 2, msg->flags);
  mg__dns_put16(h + 4, (unsigned int) msg->num_questions & 0xffff);
  mg__dns_put16(h + 6, (unsigned int) msg->num_answers & 0xffff);
  memset(h + 8, 0, 4);
  if ((nc->flags & MG_F_UDP) && r->io->len - r->start > MG_DNS_UDP_MAX) {
    truncate_for_udp(r->io, r->start);
  }
  if (!(nc->flags & MG_F_UDP)) {
    unsigned char len[2];
    mg__dns_put16(len, (unsigned int) (r->io->len - r->start) & 0xffff);
    mbuf_insert(r->io, r->start, len, 2);
  }
  if (r->io != &nc->send_mbuf) {
    mg_send(nc, r->io->buf + r->start, (int) (r->io->len - r->start));
    r->io->len = r->start;
  }
}
