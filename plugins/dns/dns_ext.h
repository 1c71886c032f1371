/*
 * The dns plugin's extension header: what the plugins standing on dns
 * (dns_server, resolv) call beyond the public dns.h. Visible to plugins
 * only (//plugins/dns:dns_ext); programs use dns.h. Everything else of the
 * package stays in internal.h.
 */
#ifndef MG_PLUGINS_DNS_DNS_EXT_H
#define MG_PLUGINS_DNS_DNS_EXT_H

#include "mg/plugin.h"
#include "plugins/dns/dns.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The dns plugin (the dns layer, MG_DNS_MESSAGE): name it in deps. */
extern const struct mg_plugin mg_plugin_dns;

/* Bytes of a message header (RFC 1035 4.1.1). */
#define MG__DNS_HEADER_SIZE 12

/* Octets of an encoded name at most (RFC 1035 2.3.4). */
#define MG__DNS_NAME_MAX 255

/* Reads a 16-bit big-endian value at p. */
uint16_t mg__dns_get16(const unsigned char *p);

/* Writes v as a 16-bit big-endian value at p. */
void mg__dns_put16(unsigned char *p, unsigned int v);

/* Walks the possibly compressed name at offset off of the message
 * pkt[0..len) and gives its uncompressed wire form (labels and the final
 * zero; room for MG__DNS_NAME_MAX bytes) in wire. The bytes of the name
 * before any pointer must lie below limit; *in_place gets the bytes the
 * name takes at off. Pointers must point back, before the label run they
 * are found in, and past the header. Returns the wire length or -1 if
 * malformed. */
int mg__dns_walk_name(const unsigned char *pkt, size_t len, size_t off,
                      size_t limit, unsigned char *wire, size_t *in_place);

/* Encodes dotted text (len bytes, an optional trailing dot) in wire form
 * into wire (MG__DNS_NAME_MAX bytes). Returns the wire length or -1 for an
 * empty or over-long label or name. */
int mg__dns_name_to_wire(const char *name, size_t len, unsigned char *wire);

/* mg_dns_encode_record() for a message starting at msg_start in io: names
 * are compressed against that message only. */
int mg__dns_encode_record_at(struct mbuf *io, size_t msg_start,
                             struct mg_dns_resource_record *rr,
                             const char *name, size_t nlen, const void *rdata,
                             size_t rlen);

/* Appends a query for name (type qtype, class IN, RD set) with id to io.
 * Returns the bytes appended or -1 for a bad name. */
int mg__dns_build_query(struct mbuf *io, uint16_t id, const char *name,
                        int qtype);

/* An unpredictable transaction id (from /dev/urandom when it can be read). */
uint16_t mg__dns_random_id(void);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_DNS_DNS_EXT_H */
