/*
 * DNS codec (RFC 1035, 3596): parsing and building messages, name
 * (de)compression, and the "dns" protocol layer that turns UDP datagrams or
 * TCP frames (two-byte length prefix) into MG_DNS_MESSAGE events.
 *
 * Parsing is a pure function of bytes: mg_parse_dns() allocates nothing and
 * rejects malformed input (truncated fields, bad counts, compression loops,
 * forward pointers, over-long labels or names) with -1.
 */
#ifndef MG_PLUGINS_DNS_DNS_H
#define MG_PLUGINS_DNS_DNS_H

#include "mg/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Events: the dns plugin owns MG_EV_DNS_FIRST to MG_EV_DNS_LAST. */
#define MG_EV_DNS_FIRST 400
#define MG_EV_DNS_LAST 449
/* A DNS message was parsed on a connection with the dns layer:
 * struct mg_dns_message *. Sent for queries and responses alike. */
#define MG_DNS_MESSAGE 400
/* The reference's other name for the same event: a program handles either
 * name and sees each message exactly once. */
#define MG_DNS_REQUEST MG_DNS_MESSAGE

/* Record types (RFC 1035 3.2.2, RFC 3596, RFC 2782). */
#define MG_DNS_A_RECORD 0x01     /* IPv4 address */
#define MG_DNS_NS_RECORD 0x02    /* name server */
#define MG_DNS_CNAME_RECORD 0x05 /* canonical name */
#define MG_DNS_PTR_RECORD 0x0c   /* domain name pointer */
#define MG_DNS_MX_RECORD 0x0f    /* mail exchange */
#define MG_DNS_TXT_RECORD 0x10   /* text strings */
#define MG_DNS_AAAA_RECORD 0x1c  /* IPv6 address */
#define MG_DNS_SRV_RECORD 0x21   /* service location */
#define MG_DNS_ANY_RECORD 0xff   /* any type (queries only) */

/* Record class IN. */
#define MG_DNS_CLASS_IN 1

/* Header flag bits (struct mg_dns_message::flags). */
#define MG_DNS_FLAG_QR 0x8000                 /* response */
#define MG_DNS_FLAG_AA 0x0400                 /* authoritative answer */
#define MG_DNS_FLAG_TC 0x0200                 /* truncated */
#define MG_DNS_FLAG_RD 0x0100                 /* recursion desired */
#define MG_DNS_FLAG_RA 0x0080                 /* recursion available */
#define MG_DNS_RCODE(flags) ((flags) &0x000f) /* response code */

/* Response codes. */
#define MG_DNS_RCODE_NOERROR 0
#define MG_DNS_RCODE_FORMERR 1
#define MG_DNS_RCODE_SERVFAIL 2
#define MG_DNS_RCODE_NXDOMAIN 3
#define MG_DNS_RCODE_NOTIMP 4
#define MG_DNS_RCODE_REFUSED 5

/* Questions and answers kept per parsed message; more are ignored. */
#ifndef MG_MAX_DNS_QUESTIONS
#define MG_MAX_DNS_QUESTIONS 32
#endif
#ifndef MG_MAX_DNS_ANSWERS
#define MG_MAX_DNS_ANSWERS 32
#endif

/* Largest DNS message over UDP without EDNS (RFC 1035 4.2.1). */
#define MG_DNS_UDP_MAX 512

/* Which section a record belongs to. */
enum mg_dns_resource_record_kind {
  MG_DNS_INVALID_RECORD = 0,
  MG_DNS_QUESTION,
  MG_DNS_ANSWER
};

/* DNS resource record (or question). */
struct mg_dns_resource_record {
  struct mg_str name;                    /* buffer with compressed name */
  int rtype;                             /* MG_DNS_*_RECORD */
  int rclass;                            /* MG_DNS_CLASS_IN */
  int ttl;                               /* seconds; answers only */
  enum mg_dns_resource_record_kind kind; /* question or answer */
  struct mg_str rdata; /* protocol data (can be a compressed name) */
};

/* DNS message (request and response). */
struct mg_dns_message {
  struct mg_str pkt;       /* packet body */
  uint16_t flags;          /* header flags: MG_DNS_FLAG_*, opcode, rcode */
  uint16_t transaction_id; /* header id */
  int num_questions;       /* entries used in questions[] */
  int num_answers;         /* entries used in answers[] */
  struct mg_dns_resource_record questions[MG_MAX_DNS_QUESTIONS];
  struct mg_dns_resource_record answers[MG_MAX_DNS_ANSWERS];
};

/* Low-level: parses the DNS message in buf (len bytes) into msg. The
 * question and answer sections are kept (up to the MG_MAX_DNS_* limits);
 * authority and additional records are not. Every name is checked. Returns
 * 0 on success, -1 on malformed input (msg is then unspecified). */
int mg_parse_dns(const char *buf, int len, struct mg_dns_message *msg);

/* Uncompresses the (possibly compressed) name at name->p, which lies in
 * msg->pkt, into dst as dotted text without a trailing dot. If the name is
 * shorter than dst_len, the rest of dst is filled with '\0'; otherwise dst
 * gets the first dst_len characters, unterminated. dst may be NULL when
 * dst_len is 0. Returns the number of characters written (the name's length
 * when it fits), 0 for the root name or a malformed one. */
size_t mg_dns_uncompress_name(struct mg_dns_message *msg, struct mg_str *name,
                              char *dst, int dst_len);

/* Parses the record data of rr (from msg) into data:
 *  - A:     struct in_addr (data_len >= 4, rdata exactly 4 bytes)
 *  - AAAA:  struct in6_addr (data_len >= 16, rdata exactly 16 bytes)
 *  - CNAME, NS, PTR: the name, dotted, NUL-terminated char buffer
 *  - MX:    the exchange name (the preference is rdata's first 2 bytes)
 *  - SRV:   the target name (priority, weight, port: rdata's first 6 bytes)
 *  - TXT:   the character-strings concatenated, NUL-terminated
 * Returns 0, or -1 on a malformed record, a type not listed or a data
 * buffer too small. */
int mg_dns_parse_record_data(struct mg_dns_message *msg,
                             struct mg_dns_resource_record *rr, void *data,
                             size_t data_len);

/* Encodes the dotted name (len bytes; a trailing dot is allowed) as labels
 * and appends it to io. Returns the bytes appended, or -1 for an empty
 * label, a label over 63 bytes or a name over 255 bytes encoded. */
int mg_dns_encode_name(struct mbuf *io, const char *name, size_t len);

/* Encodes and appends a resource record (rr->kind MG_DNS_QUESTION or
 * MG_DNS_ANSWER; rtype, rclass and ttl from rr; name and data from the
 * parameters). For CNAME, NS and PTR, rdata is a dotted name; for A and
 * AAAA exactly 4 and 16 address bytes; other types' rdata is copied as is.
 *
 * Names are compressed against the names already in io, whose offsets are
 * taken relative to the start of io: as in the reference, build a message
 * from io's offset 0, header first (mg_dns_insert_header(io, 0, msg)).
 * When io does not hold such a well-formed message prefix, names are
 * written uncompressed. Don't trim io while a message is being built.
 * rr->name and rr->rdata are not updated.
 * Returns the number of bytes appended or -1 in case of error. */
int mg_dns_encode_record(struct mbuf *io, struct mg_dns_resource_record *rr,
                         const char *name, size_t nlen, const void *rdata,
                         size_t rlen);

/* Inserts a DNS header for msg (id, flags, counts of its questions and
 * answers) at pos in io. Returns the number of bytes inserted (12). */
int mg_dns_insert_header(struct mbuf *io, size_t pos,
                         struct mg_dns_message *msg);

/* Appends the already encoded questions of msg (as they are in msg->pkt)
 * to io: useful for a reply, which repeats them. Returns the number of
 * appended bytes. */
int mg_dns_copy_questions(struct mbuf *io, struct mg_dns_message *msg);

/* Sends a query for name (record type query_type, class IN, recursion
 * desired, a random id) on nc: one datagram on UDP, a length-prefixed frame
 * on TCP. */
void mg_send_dns_query(struct mg_connection *nc, const char *name,
                       int query_type);

/* Attaches the dns layer to nc (a listener: every accepted connection and
 * UDP peer inherits it). Each received datagram, or each TCP frame, that
 * parses as a DNS message reaches the handler as MG_DNS_MESSAGE with a
 * struct mg_dns_message * (pointing into recv_mbuf: valid during the event).
 * The handler sees the core's events too. A malformed query received by a
 * server-side connection is answered with FORMERR. */
void mg_set_protocol_dns(struct mg_connection *nc);

/* The next answer of type query after prev (NULL: the first), or NULL. */
struct mg_dns_resource_record *mg_next_record(
    struct mg_dns_message *msg, int query, struct mg_dns_resource_record *prev);

/* The same as mg_next_record(). */
struct mg_dns_resource_record *mg_dns_next_record(
    struct mg_dns_message *msg, int query, struct mg_dns_resource_record *prev);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_DNS_DNS_H */
