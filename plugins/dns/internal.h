/* Private to the dns package (its files, tests and fuzz targets). What the
 * plugins standing on dns may call is in dns_ext.h. */
#ifndef MG_PLUGINS_DNS_INTERNAL_H
#define MG_PLUGINS_DNS_INTERNAL_H

#include "plugins/dns/dns_ext.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- name.c --- */

/* Reads the possibly compressed name at offset off of the message
 * pkt[0..len) into text (room for MG__DNS_NAME_MAX + 1 bytes) as dotted
 * text, NUL-terminated; the rules of mg__dns_walk_name(). Returns the text
 * length or -1 if malformed. */
int mg__dns_read_name(const unsigned char *pkt, size_t len, size_t off,
                      size_t limit, char *text, size_t *in_place);

/* --- conn.c --- */

/* Takes what MG_EV_RECV brought on nc (one datagram, or the complete
 * length-prefixed frames) and emits MG_DNS_MESSAGE above layer for each
 * message that parses. */
void mg__dns_conn_recv(struct mg_connection *nc, struct mg_layer *layer);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_DNS_INTERNAL_H */
