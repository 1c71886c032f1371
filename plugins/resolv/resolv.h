/*
 * Asynchronous DNS resolver (stands on the dns plugin). Linking it also
 * makes mg_connect("name:port") resolve names without blocking: the hosts
 * file first, then DNS (A, then AAAA), through the core's resolver hook.
 *
 * Beyond the reference, as c-ares users expect:
 *  - Nameservers, `search`/`domain`, and `options ndots:N timeout:N
 *    attempts:N` come from /etc/resolv.conf; 8.8.8.8 is used only when it
 *    names no nameserver. A nameserver may carry a port and a transport:
 *    `1.2.3.4`, `1.2.3.4:5353`, `udp://1.2.3.4:5353`, `tcp://1.2.3.4:53`,
 *    `[::1]:53`, `::1` (also in resolv.conf, and comma-separated lists in
 *    mg_set_nameserver() and the options).
 *  - The environment variable MG_RESOLV_CONF names another resolv.conf and
 *    MG_HOSTS_FILE another hosts file (read when a manager first resolves,
 *    and by mg_resolve_from_hosts_file() on each call). Tests use them to
 *    point at files and servers of their own.
 *  - When MG_TEST_NO_EXTERNAL is set (the project's tests set it), only
 *    loopback nameservers are used: nothing is ever sent beyond loopback.
 *  - AAAA queries, IPv6 nameservers and IPv6 hosts entries; CNAME chains
 *    are followed (re-querying the target when the reply stops short); a
 *    reply is accepted only if its transaction id and question match the
 *    query and it comes from the nameserver asked (each query has its own
 *    connected socket, so the kernel drops datagrams from anyone else); a
 *    truncated (TC) UDP reply is retried over TCP; any number of queries
 *    may be outstanding at once.
 */
#ifndef MG_PLUGINS_RESOLV_RESOLV_H
#define MG_PLUGINS_RESOLV_RESOLV_H

#include "plugins/dns/dns.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Events: the resolv plugin owns MG_EV_RESOLV_FIRST to MG_EV_RESOLV_LAST
 * (none used yet). */
#define MG_EV_RESOLV_FIRST 500
#define MG_EV_RESOLV_LAST 549

/* How a resolution ended. */
enum mg_resolve_err {
  MG_RESOLVE_OK = 0,         /* msg has an answer of the type asked */
  MG_RESOLVE_NO_ANSWERS = 1, /* the name or that type does not exist, or
                                every server refused or failed */
  MG_RESOLVE_EXCEEDED_RETRY_COUNT = 2, /* no server replied in time */
  MG_RESOLVE_TIMEOUT = 3 /* cancelled: the query's connection (dns_conn)
                            closed first, e.g. in mg_mgr_free() */
};

/* Called once per mg_resolve_async*(): msg is the reply (valid during the
 * call; following CNAMEs, the reply that has the answer), NULL whenever err
 * is not MG_RESOLVE_OK. */
typedef void (*mg_resolve_callback_t)(struct mg_dns_message *msg,
                                      void *user_data, enum mg_resolve_err err);

/* Options for mg_resolve_async_opt(). */
struct mg_resolve_async_opts {
  const char *nameserver; /* NULL: mg_set_nameserver()'s, else resolv.conf */
  int max_retries;        /* defaults to 2 if zero (resolv.conf attempts:N gives
                             N-1); negative: no retry. Each try goes to the next
                             nameserver in turn. */
  int timeout;        /* in seconds; defaults to 5 if zero (or resolv.conf's) */
  int accept_literal; /* pseudo-resolve literal ipv4 and ipv6 addrs */
  int only_literal;   /* only resolves literal addrs; sync cb invocation */
  struct mg_connection **dns_conn; /* return DNS connection: it lives until
                                      the callback; closing it cancels */
};

/* See mg_resolve_async_opt(). */
int mg_resolve_async(struct mg_mgr *mgr, const char *name, int query,
                     mg_resolve_callback_t cb, void *data);

/* Resolves name (record type query: MG_DNS_A_RECORD, MG_DNS_AAAA_RECORD,
 * ...) asynchronously; cb(msg, data, err) is called once from
 * mg_mgr_poll(). A name without a trailing dot goes through the resolv.conf
 * search list (ndots rule). With accept_literal or only_literal, a literal
 * IPv4/IPv6 address is answered at once, synchronously, with a made-up
 * reply. Extract answers with mg_next_record() and
 * mg_dns_parse_record_data():
 *
 *   struct in_addr ina;
 *   struct mg_dns_resource_record *rr =
 *       mg_next_record(msg, MG_DNS_A_RECORD, NULL);
 *   mg_dns_parse_record_data(msg, rr, &ina, sizeof(ina));
 *
 * Returns 0, or -1 if the query cannot start (bad name, no usable
 * nameserver, only_literal with a name, out of memory): cb is not called. */
int mg_resolve_async_opt(struct mg_mgr *mgr, const char *name, int query,
                         mg_resolve_callback_t cb, void *data,
                         struct mg_resolve_async_opts opts);

/* Looks host up in the hosts file (/etc/hosts, or $MG_HOSTS_FILE): an IPv4
 * entry if there is one, else an IPv6 one. usa gets the family and address
 * (port 0). Returns 0 on success, -1 on failure. */
int mg_resolve_from_hosts_file(const char *host, union socket_address *usa);

/* Sets mgr's default DNS server (copied; NULL: back to resolv.conf). */
void mg_set_nameserver(struct mg_mgr *mgr, const char *nameserver);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_RESOLV_RESOLV_H */
