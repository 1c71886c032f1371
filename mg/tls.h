/*
 * The seam between the core and a TLS implementation. Private to the core
 * and to the TLS target (//mg:tls); programs use the ssl_* options of
 * mg_bind_opt()/mg_connect_opt() and the mg_ssl_*() functions of mg/net.h.
 *
 * The core never names a TLS library. A TLS implementation is a plugin
 * (no events) whose per-manager init sets mgr->tls to its vtable; without
 * one, TLS options are refused ("TLS is not available in this build").
 *
 * Per-connection state lives in nc->ssl_if_data, owned by the
 * implementation. The core moves bytes through recv/send when nc has
 * MG_F_SSL, drives the handshake from the poll loop, and sets
 * MG_F_SSL_HANDSHAKE_DONE. The implementation sets MG_F_WANT_READ or
 * MG_F_WANT_WRITE on nc when it cannot go on until the transport is
 * readable or writable, and clears them when it makes progress; the core
 * turns them into readiness interest.
 */
#ifndef MG_TLS_H
#define MG_TLS_H

#include "mg/net.h"

#ifdef __cplusplus
extern "C" {
#endif

#if MG_ENABLE_SSL

/* What a connection's TLS is set up with (strings may be NULL). */
struct mg_tls_params {
  const char *cert;          /* certificate chain (PEM file) */
  const char *key;           /* private key (PEM file); cert when NULL */
  const char *ca_cert;       /* CA bundle to verify the peer; "*": none */
  const char *cipher_suites; /* OpenSSL-style list; NULL: the default */
  const char *server_name;   /* client: name to verify; "*": none */
  const char *sni;           /* client: name to send (not an IP literal) */
  const char *psk_identity;  /* client: PSK identity */
  const char *psk_key;       /* client: PSK key, 32 or 64 hex digits */
  int is_server;             /* nc is a listener */
};

/* Result of mg_tls_vtable::handshake. */
#define MG_TLS_DONE 0  /* the handshake completed */
#define MG_TLS_AGAIN 1 /* waits for I/O (MG_F_WANT_READ/WRITE set) */

/* A TLS implementation. */
struct mg_tls_vtable {
  /* Sets up TLS on a listener or an outgoing connection. Returns 0, or -1
   * with a static or per-connection message in *err (nc->ssl_if_data may
   * then hold state: free() releases it). */
  int (*setup)(struct mg_connection *nc, const struct mg_tls_params *p,
               const char **err);
  /* Sets up the server side of a connection accepted by TLS listener lc.
   * Returns 0 or -1. */
  int (*accept)(struct mg_connection *nc, struct mg_connection *lc);
  /* Advances the handshake: MG_TLS_DONE, MG_TLS_AGAIN, or a negative errno
   * value (reason in error()). */
  int (*handshake)(struct mg_connection *nc);
  /* Like mg_iface_vtable's tcp_recv/tcp_send, in plaintext: bytes moved,
   * 0 if it would block, -EPIPE when the peer closed, another negative
   * errno value on error. */
  long (*recv)(struct mg_connection *nc, void *buf, size_t len);
  long (*send)(struct mg_connection *nc, const void *buf, size_t len);
  /* Non-zero if decrypted bytes wait inside TLS (the transport will not
   * signal them). */
  int (*pending)(struct mg_connection *nc);
  /* Sends close_notify, without waiting (the connection is closing). */
  void (*shutdown)(struct mg_connection *nc);
  /* Releases nc->ssl_if_data. */
  void (*free)(struct mg_connection *nc);
  /* Why TLS failed on nc, or NULL. */
  const char *(*error)(const struct mg_connection *nc);
  /* Server: the name the client asked for (SNI). Client: the name sent.
   * NULL if none. */
  const char *(*server_name)(const struct mg_connection *nc);
};

#endif /* MG_ENABLE_SSL */

#ifdef __cplusplus
}
#endif

#endif /* MG_TLS_H */
