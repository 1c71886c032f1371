/*
 * DNS server helpers (stands on the dns plugin): build a reply to a parsed
 * query, append answers, send it on a UDP or TCP connection. See the
 * captive DNS server in examples/captive_dns_server.
 */
#ifndef MG_PLUGINS_DNS_SERVER_DNS_SERVER_H
#define MG_PLUGINS_DNS_SERVER_DNS_SERVER_H

#include "plugins/dns/dns.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Events: the dns_server plugin owns MG_EV_DNS_SERVER_FIRST to
 * MG_EV_DNS_SERVER_LAST (none used yet). */
#define MG_EV_DNS_SERVER_FIRST 450
#define MG_EV_DNS_SERVER_LAST 499

/* A reply being built in an IO buffer. */
struct mg_dns_reply {
  struct mg_dns_message *msg; /* the query, updated as the reply grows */
  struct mbuf *io;            /* buffer holding the reply */
  size_t start;               /* offset of the reply in io */
};

/* Creates a reply to msg at the end of io: a header (rewritten when sent)
 * and msg's questions. msg->flags get "response + recursion available"
 * and msg->num_answers is set to 0. Append answers with
 * mg_dns_reply_record(), then send with mg_dns_send_reply(). io may be the
 * connection's send_mbuf, on UDP and TCP alike. */
struct mg_dns_reply mg_dns_create_reply(struct mbuf *io,
                                        struct mg_dns_message *msg);

/* Appends an answer to the reply and to reply->msg's answers (num_answers
 * is incremented): owner name (NULL: the question's name), type rtype, the
 * question's class, ttl, and rdata as mg_dns_encode_record() takes it (4
 * bytes for A, 16 for AAAA, a dotted name for CNAME/NS/PTR). Names are
 * compressed. Returns 0, or -1 on error (bad name or data, more than
 * MG_MAX_DNS_ANSWERS answers); the reply is then unchanged. */
int mg_dns_reply_record(struct mg_dns_reply *reply,
                        struct mg_dns_resource_record *question,
                        const char *name, int rtype, int ttl, const void *rdata,
                        size_t rdata_len);

/* Sends the reply on nc. The header is rewritten from r->msg (id, flags,
 * question and answer counts). Over UDP a reply longer than 512 bytes keeps
 * the answers that fit and gets the TC flag (the client retries over TCP);
 * over TCP it is prefixed with its two-byte length. Unless io is nc's
 * send_mbuf, the reply is copied there and io is trimmed back to r->start. */
void mg_dns_send_reply(struct mg_connection *nc, struct mg_dns_reply *r);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_DNS_SERVER_DNS_SERVER_H */
