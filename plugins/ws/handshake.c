/*
 * The opening handshake (RFC 6455 section 4): the server's upgrade of an
 * HTTP request and the client's request and check of the reply, both
 * through http's extension ABI.
 */
#include "plugins/ws/internal.h"

/* Non-zero if the comma-separated header value v lists token t
 * (case-insensitive). */
static int has_token(const struct mg_str *v, const char *t) {
  struct mg_str list, tok;
  if (v == NULL) return 0;
  list = *v;
  while (list.len > 0) {
    const char *comma = mg_strchr(list, ',');
    size_t n = comma != NULL ? (size_t) (comma - list.p) : list.len;
    tok = mg_strstrip(mg_mk_str_n(list.p, n));
    if (mg_vcasecmp(&tok, t) == 0) return 1;
    list.p += n;
    list.len -= n;
    if (list.len > 0) {
      list.p++;
      list.len--;
    }
  }
  return 0;
}

/* Length of the head of hm (the body follows it). */
static size_t head_len(const struct http_message *hm) {
  return (size_t) (hm->body.p - hm->message.p);
}

/* --- Server --- */

/* A valid Sec-WebSocket-Key: base64 of 16 bytes. */
static int key_ok(const struct mg_str *key) {
  char dec[32];
  if (key == NULL || key->len != 24 || key->p[22] != '=' || key->p[23] != '=')
    return 0;
  return mg_base64_decode((const unsigned char *) key->p, 24, dec) == 24;
}

/* 0 if hm is a valid upgrade request, else the status to answer. */
static int check_request(struct http_message *hm) {
  struct mg_str *ver = mg_get_http_header(hm, "Sec-WebSocket-Version");
  if (mg_vcmp(&hm->method, "GET") != 0) return 400;
  if (mg_vcmp(&hm->proto, "HTTP/1.1") != 0) return 400;
  if (!has_token(mg_get_http_header(hm, "Upgrade"), "websocket")) return 400;
  if (!has_token(mg_get_http_header(hm, "Connection"), "upgrade")) return 400;
  if (!key_ok(mg_get_http_header(hm, "Sec-WebSocket-Key"))) return 400;
  if (ver == NULL || mg_vcmp(ver, "13") != 0) return 426;
  if (head_len(hm) != hm->message.len) return 400; /* a body */
  return 0;
}

/* Ends an upgrade that will not happen: nothing more is parsed. */
static void give_up(struct mg_connection *nc, struct mg_layer *http_layer) {
  nc->flags |= MG_F_SEND_AND_CLOSE;
  mg_layer_remove(nc, http_layer);
  nc->recv_mbuf.len = 0;
}

static void refuse_upgrade(struct mg_connection *nc,
                           struct mg_layer *http_layer, int status) {
  if (status == 426) {
    mg_printf(nc, "%s",
              "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n"
              "Content-Length: 0\r\nConnection: close\r\n\r\n");
  } else {
    mg_printf(
        nc, "HTTP/1.1 %d %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        status, status == 403 ? "Forbidden" : "Bad Request");
  }
  give_up(nc, http_layer);
}

static void send_101(struct mg_connection *nc, struct http_message *hm,
                     const char *protocol) {
  char accept[29];
  mg__ws_accept_key(*mg_get_http_header(hm, "Sec-WebSocket-Key"), accept);
  mg_printf(nc,
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n",
            accept);
  if (protocol[0] != '\0')
    mg_printf(nc, "Sec-WebSocket-Protocol: %s\r\n", protocol);
  mg_printf(nc, "%s", "\r\n");
}

/* Asks the handler; returns 1 if it refused (and answered or closed). */
static int ask_handler(struct mg_connection *nc, struct mg_layer *http_layer,
                       struct http_message *hm, struct mg__ws_mgr *m) {
  size_t before = nc->send_mbuf.len;
  const unsigned long closing = MG_F_SEND_AND_CLOSE | MG_F_CLOSE_IMMEDIATELY;
  int wrote;
  m->upgrading = nc;
  m->protocol[0] = '\0';
  mg_http_ext_emit(nc, http_layer, MG_EV_WEBSOCKET_HANDSHAKE_REQUEST, hm);
  m->upgrading = NULL;
  wrote = nc->send_mbuf.len > before;
  if (!(nc->flags & closing) && (!wrote || (nc->send_mbuf.len - before >= 12 &&
                                            memcmp(nc->send_mbuf.buf + before,
                                                   "HTTP/1.1 101", 12) == 0))) {
    if (!wrote) send_101(nc, hm, m->protocol);
    return 0;
  }
  if (!wrote && !(nc->flags & MG_F_CLOSE_IMMEDIATELY)) {
    refuse_upgrade(nc, http_layer, 403);
  } else {
    give_up(nc, http_layer);
  }
  return 1;
}

static int ws_upgrade(struct mg_connection *nc, struct mg_layer *http_layer,
                      struct http_message *hm) {
  struct mg__ws_mgr *m = mg__ws_mgr(nc->mgr);
  struct mg_layer *l;
  struct mg__ws_conn *wc;
  mg_event_handler_t ep;
  void *ep_data;
  int status;
  if (!has_token(mg_get_http_header(hm, "Upgrade"), "websocket") &&
      mg_get_http_header(hm, "Sec-WebSocket-Key") == NULL) {
    return 0; /* plain HTTP */
  }
  if ((status = check_request(hm)) != 0) {
    refuse_upgrade(nc, http_layer, status);
    return 1;
  }
  if (m == NULL || ask_handler(nc, http_layer, hm, m)) return 1;
  ep = mg_http_ext_endpoint(http_layer, &ep_data);
  l = mg_layer_switch(nc, http_layer, &mg_plugin_ws);
  if (l == NULL) {
    nc->flags |= MG_F_CLOSE_IMMEDIATELY;
    return 1;
  }
  if (ep != NULL) { /* the endpoint's handler gets the WebSocket's events */
    nc->handler = ep;
#if MG_ENABLE_CALLBACK_USERDATA
    nc->user_data = ep_data;
#endif
  }
  wc = (struct mg__ws_conn *) l->state;
  wc->open = 1;
  nc->flags |= MG_F_IS_WEBSOCKET;
  mg_layer_emit(nc, l, MG_EV_WEBSOCKET_HANDSHAKE_DONE, hm);
  mbuf_remove(&nc->recv_mbuf, head_len(hm));
  if (!l->dead) mg__ws_open(nc, l);
  return 1;
}

/* --- Client --- */

/* Non-zero if the server's reply completes our handshake. */
static int reply_ok(const struct mg__ws_conn *wc, struct http_message *hm) {
  char want[29];
  struct mg_str *acc = mg_get_http_header(hm, "Sec-WebSocket-Accept");
  struct mg_str *proto = mg_get_http_header(hm, "Sec-WebSocket-Protocol");
  struct mg_str offered = mg_mk_str(wc->protocols);
  if (hm->resp_code != 101) return 0;
  if (!has_token(mg_get_http_header(hm, "Upgrade"), "websocket")) return 0;
  if (!has_token(mg_get_http_header(hm, "Connection"), "upgrade")) return 0;
  mg__ws_accept_key(mg_mk_str(wc->key), want);
  if (acc == NULL || mg_vcmp(acc, want) != 0) return 0;
  if (proto != NULL) {
    char buf[128];
    if (proto->len >= sizeof(buf) || mg_strchr(*proto, ',') != NULL) return 0;
    memcpy(buf, proto->p, proto->len);
    buf[proto->len] = '\0';
    if (!has_token(&offered, buf)) return 0;
  }
  return 1;
}

static int ws_reply(struct mg_connection *nc, struct mg_layer *http_layer,
                    struct http_message *hm) {
  struct mg_layer *l = mg_layer_find(nc, &mg_plugin_ws);
  struct mg__ws_conn *wc = l == NULL ? NULL : (struct mg__ws_conn *) l->state;
  if (wc == NULL || wc->open || wc->key[0] == '\0') return 0;
  if (!reply_ok(wc, hm)) {
    struct http_message failed = *hm;
    if (failed.resp_code == 101) {
      failed.resp_code = 0; /* a 101 that does not complete the handshake */
      failed.resp_status_msg = mg_mk_str("bad WebSocket handshake reply");
    }
    mg_layer_emit(nc, l, MG_EV_WEBSOCKET_HANDSHAKE_DONE, &failed);
    nc->flags |= MG_F_CLOSE_IMMEDIATELY;
    mg_layer_remove(nc, http_layer);
    nc->recv_mbuf.len = 0;
    return 1;
  }
  mg_layer_remove(nc, http_layer);
  wc->open = 1;
  nc->flags |= MG_F_IS_WEBSOCKET;
  mg_layer_emit(nc, l, MG_EV_WEBSOCKET_HANDSHAKE_DONE, hm);
  mbuf_remove(&nc->recv_mbuf, head_len(hm));
  if (!l->dead) mg__ws_open(nc, l);
  return 1;
}

const struct mg_http_ext mg__ws_http_ext = {
    .version = MG_HTTP_EXT_VERSION,
    .name = "ws",
    .upgrade = ws_upgrade,
    .reply = ws_reply,
    .access = NULL,
    .serve = NULL,
    .claim = NULL,
    .body = NULL,
    .produce = NULL,
    .finish = NULL,
};

void mg_send_websocket_handshake3v(struct mg_connection *nc,
                                   const struct mg_str path,
                                   const struct mg_str host,
                                   const struct mg_str protocol,
                                   const struct mg_str extra_headers,
                                   const struct mg_str user,
                                   const struct mg_str pass) {
  unsigned char nonce[16];
  struct mg_layer *l;
  struct mg__ws_conn *wc;
  if (nc == NULL) return;
  mg_set_protocol_http_websocket(nc);
  l = mg_layer_find(nc, &mg_plugin_ws);
  if (l == NULL) l = mg_layer_push(nc, &mg_plugin_ws);
  if (l == NULL) return;
  wc = (struct mg__ws_conn *) l->state;
  mg__ws_random(nc->mgr, nonce, sizeof(nonce));
  mg_base64_encode(nonce, (int) sizeof(nonce), wc->key);
  snprintf(wc->protocols, sizeof(wc->protocols), "%.*s", (int) protocol.len,
           protocol.p != NULL ? protocol.p : "");
  mg_printf(nc, "GET %.*s HTTP/1.1\r\n", (int) (path.len > 0 ? path.len : 1),
            path.len > 0 ? path.p : "/");
  if (host.len > 0) mg_printf(nc, "Host: %.*s\r\n", (int) host.len, host.p);
  mg_printf(nc,
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: %s\r\n",
            wc->key);
  if (protocol.len > 0) {
    mg_printf(nc, "Sec-WebSocket-Protocol: %.*s\r\n", (int) protocol.len,
              protocol.p);
  }
  if (user.len > 0) {
    struct mbuf auth;
    mbuf_init(&auth, 0);
    mg_basic_auth_header(user, pass.p != NULL ? pass : mg_mk_str(""), &auth);
    mg_send(nc, auth.buf, (int) auth.len);
    mbuf_free(&auth);
  }
  if (extra_headers.len > 0)
    mg_send(nc, extra_headers.p, (int) extra_headers.len);
  mg_printf(nc, "%s", "\r\n");
}

/* A slice of s, empty for NULL. */
static struct mg_str opt_str(const char *s) {
  return s != NULL ? mg_mk_str(s) : mg_mk_str_n("", 0);
}

void mg_send_websocket_handshake3(struct mg_connection *nc, const char *path,
                                  const char *host, const char *protocol,
                                  const char *extra_headers, const char *user,
                                  const char *pass) {
  mg_send_websocket_handshake3v(nc, opt_str(path), opt_str(host),
                                opt_str(protocol), opt_str(extra_headers),
                                opt_str(user),
                                pass != NULL ? mg_mk_str(pass) : mg_mk_str(""));
}

void mg_send_websocket_handshake2(struct mg_connection *nc, const char *path,
                                  const char *host, const char *protocol,
                                  const char *extra_headers) {
  mg_send_websocket_handshake3(nc, path, host, protocol, extra_headers, NULL,
                               NULL);
}

void mg_send_websocket_handshake(struct mg_connection *nc, const char *uri,
                                 const char *extra_headers) {
  mg_send_websocket_handshake3(nc, uri, NULL, NULL, extra_headers, NULL, NULL);
}
