/* TLS on a connection, the core's side: its state, the handshake and its
 * outcome, TLS set up from options and mg_set_ssl(). The implementation is
 * behind mgr->tls (mg/tls.h). */
#include "mg/internal.h"
#include "mg/tls.h"

#if MG_ENABLE_SSL
/* Non-zero if nc's bytes go through TLS. */
int mg__uses_tls(const struct mg_connection *nc) {
  return (nc->flags & MG_F_SSL) && nc->ssl_if_data != NULL &&
         nc->mgr->tls != NULL;
}

/* Non-zero while nc's TLS handshake is under way. */
int mg__tls_handshaking(const struct mg_connection *nc) {
  return mg__uses_tls(nc) &&
         !(nc->flags & (MG_F_SSL_HANDSHAKE_DONE | MG_F_LISTENING));
}

/* Non-zero for an accepted TLS connection not yet announced (no
 * MG_EV_ACCEPT yet): it gets no events, not even MG_EV_CLOSE. */
int mg__tls_unannounced(const struct mg_connection *nc) {
  return mg__tls_handshaking(nc) && nc->listener != NULL;
}

/* Non-zero if TLS holds decrypted bytes for nc that the core wants. */
int mg__tls_has_pending(struct mg_connection *nc) {
  return mg__uses_tls(nc) && (nc->flags & MG_F_SSL_HANDSHAKE_DONE) &&
         mg_if_wants_read(nc) && nc->mgr->tls->pending(nc);
}

/* Runs nc's TLS handshake as far as the transport allows and announces the
 * outcome: MG_EV_ACCEPT / MG_EV_CONNECT(0) when done; on failure a client
 * gets MG_EV_CONNECT(errno) and a server connection is closed (logged).
 * Returns 1 when the handshake completed now. */
int mg__tls_advance(struct mg_connection *nc) {
  int r = nc->mgr->tls->handshake(nc);
  if (r == MG_TLS_AGAIN) return 0;
  nc->flags &= ~(unsigned long) (MG_F_WANT_READ | MG_F_WANT_WRITE);
  if (r == MG_TLS_DONE) {
    nc->flags |= MG_F_SSL_HANDSHAKE_DONE;
    nc->last_io_time = (time_t) mg_mgr_time(nc->mgr);
    if (nc->listener != NULL) {
      mg_call(nc, MG_EV_ACCEPT, &nc->sa);
    } else {
      mg__deliver_connect(nc, 0);
    }
    return 1;
  }
  if (nc->listener != NULL) {
    char addr[64];
    const char *why = nc->mgr->tls->error(nc);
    mg_sock_addr_to_str(&nc->sa, addr, sizeof(addr),
                        MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT);
    mg__log("TLS handshake with %s failed: %s", addr, why ? why : "?");
    nc->err = -r;
    nc->flags |= MG_F_CLOSE_IMMEDIATELY;
  } else {
    mg__deliver_connect(nc, -r);
  }
  return 0;
}

/* Sets up TLS on nc (not yet in the manager's list). NULL on success, else
 * the reason (static), with nothing of TLS left on nc. */
static const char *setup_conn_tls(struct mg_connection *nc,
                                  const struct mg_tls_params *p) {
  const char *err = NULL;
  if (nc->mgr->tls == NULL) return "TLS is not available in this build";
  if (nc->flags & MG_F_UDP) return "TLS over UDP is not supported";
  if (nc->mgr->tls->setup(nc, p, &err) != 0) {
    if (nc->ssl_if_data != NULL) nc->mgr->tls->free(nc);
    return err != NULL ? err : "TLS setup failed";
  }
  nc->flags |= MG_F_SSL;
  return NULL;
}

/* Non-zero if s is an IPv4 or IPv6 address literal. */
static int is_ip_literal(const char *s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* TLS for a listener, if opts ask for it. NULL on success. */
const char *mg__bind_tls(struct mg_connection *nc,
                         const struct mg_bind_opts *opts) {
  struct mg_tls_params p;
  if (opts->ssl_cert == NULL && opts->ssl_ca_cert == NULL &&
      opts->ssl_cipher_suites == NULL && !(opts->flags & MG_F_SSL)) {
    return NULL;
  }
  nc->flags &= ~(unsigned long) MG_F_SSL;
  memset(&p, 0, sizeof(p));
  p.cert = opts->ssl_cert;
  p.key = opts->ssl_key;
  p.ca_cert = opts->ssl_ca_cert;
  p.cipher_suites = opts->ssl_cipher_suites;
  p.is_server = 1;
  return setup_conn_tls(nc, &p);
}

/* TLS for an outgoing connection to host, if opts ask for it. */
const char *mg__connect_tls(struct mg_connection *nc,
                            const struct mg_connect_opts *opts,
                            const char *host) {
  struct mg_tls_params p;
  const char *name;
  if (opts->ssl_cert == NULL && opts->ssl_ca_cert == NULL &&
      opts->ssl_cipher_suites == NULL && opts->ssl_psk_identity == NULL &&
      !(opts->flags & MG_F_SSL)) {
    return NULL;
  }
  nc->flags &= ~(unsigned long) MG_F_SSL;
  memset(&p, 0, sizeof(p));
  p.cert = opts->ssl_cert;
  p.key = opts->ssl_key;
  p.ca_cert = opts->ssl_ca_cert;
  p.cipher_suites = opts->ssl_cipher_suites;
  p.psk_identity = opts->ssl_psk_identity;
  p.psk_key = opts->ssl_psk_key;
  if (host != NULL && host[0] == '\0') host = NULL;
  p.server_name = opts->ssl_server_name ? opts->ssl_server_name : host;
  name = p.server_name;
  if (name == NULL || strcmp(name, "*") == 0) name = host;
  if (name != NULL && !is_ip_literal(name)) p.sni = name;
  return setup_conn_tls(nc, &p);
}

const char *mg_set_ssl(struct mg_connection *nc, const char *cert,
                       const char *ca_cert) {
  struct mg_tls_params p;
  if (nc == NULL) return "no connection";
  if (nc->ssl_if_data != NULL) return "TLS is already set up";
  if (!(nc->flags & (MG_F_LISTENING | MG_F_CONNECTING | MG_F_RESOLVING))) {
    return "call mg_set_ssl() right after mg_bind() or mg_connect()";
  }
  memset(&p, 0, sizeof(p));
  p.cert = cert;
  p.ca_cert = ca_cert;
  p.is_server = (nc->flags & MG_F_LISTENING) != 0;
  return setup_conn_tls(nc, &p);
}

const char *mg_ssl_get_error(const struct mg_connection *nc) {
  if (nc == NULL || nc->ssl_if_data == NULL || nc->mgr->tls == NULL) {
    return NULL;
  }
  return nc->mgr->tls->error(nc);
}

const char *mg_ssl_get_sni(const struct mg_connection *nc) {
  if (nc == NULL || nc->ssl_if_data == NULL || nc->mgr->tls == NULL) {
    return NULL;
  }
  return nc->mgr->tls->server_name(nc);
}
#endif /* MG_ENABLE_SSL */
