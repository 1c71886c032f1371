/*
 * mg_http_reverse_proxy(): forwards a request to an upstream server over
 * a new connection and relays the reply bytes back. The upstream is asked
 * to close after its reply, and the client connection closes after it too
 * (the relay does not re-frame the reply).
 */
#include "plugins/http/internal.h"

/* State of the upstream connection (its user_data). */
struct relay {
  struct mg_connection *client; /* the connection being served, or NULL */
  int relayed;                  /* bytes went back to the client */
};

/* Request headers that concern one hop only. */
static int hop_header(const struct mg_str *name) {
  static const char *const k_hop[] = {
      "Host",  "Connection",        "Keep-Alive", "Proxy-Connection",
      "TE",    "Transfer-Encoding", "Upgrade",    "Content-Length",
      "Expect"};
  size_t i;
  for (i = 0; i < ARRAY_SIZE(k_hop); i++) {
    if (mg_vcasecmp(name, k_hop[i]) == 0) return 1;
  }
  return 0;
}

static void relay_handler(struct mg_connection *up, int ev,
                          void *ev_data MG_UD_ARG(void *user_data)) {
  struct relay *r = (struct relay *) up->user_data;
  struct mg__http_conn *hc;
  (void) ev_data;
#if MG_ENABLE_CALLBACK_USERDATA
  (void) user_data;
#endif
  if (r == NULL) return;
  if (ev == MG_EV_RECV && r->client != NULL) {
    mg_send(r->client, up->recv_mbuf.buf, (int) up->recv_mbuf.len);
    r->relayed = 1;
    mbuf_remove(&up->recv_mbuf, up->recv_mbuf.len);
  } else if (ev == MG_EV_CLOSE) {
    if (r->client != NULL) {
      hc = mg__http_conn(r->client);
      if (hc != NULL) hc->peer = NULL;
      if (!r->relayed) {
        mg_http_send_error(r->client, 502, NULL);
      } else {
        r->client->flags |= MG_F_SEND_AND_CLOSE;
      }
    }
    up->user_data = NULL;
    MG_FREE(r);
  }
}

void mg__http_proxy_unlink(struct mg_connection *nc, struct mg__http_conn *hc) {
  struct relay *r;
  (void) nc;
  if (hc->peer == NULL) return;
  r = (struct relay *) hc->peer->user_data;
  if (r != NULL) r->client = NULL;
  hc->peer->flags |= MG_F_CLOSE_IMMEDIATELY;
  hc->peer = NULL;
}

/* Writes the forwarded request to up. */
static void forward(struct mg_connection *up, const struct http_message *hm,
                    struct mg_str mount, struct mg_str host, unsigned int port,
                    struct mg_str prefix) {
  struct mg_str rest =
      mg_mk_str_n(hm->uri.p + mount.len, hm->uri.len - mount.len);
  int i;
  while (prefix.len > 0 && prefix.p[prefix.len - 1] == '/' && rest.len > 0 &&
         rest.p[0] == '/') {
    prefix.len--;
  }
  mg_printf(up, "%.*s %.*s%s%.*s%s%.*s HTTP/1.1\r\nHost: %.*s:%u\r\n",
            (int) hm->method.len, hm->method.p, (int) prefix.len, prefix.p,
            rest.len == 0 || rest.p[0] == '/' ? "" : "/", (int) rest.len,
            rest.p, hm->query_string.len > 0 ? "?" : "",
            (int) hm->query_string.len, hm->query_string.p, (int) host.len,
            host.p, port);
  for (i = 0; i < MG_MAX_HTTP_HEADERS && hm->header_names[i].len > 0; i++) {
    if (hop_header(&hm->header_names[i])) continue;
    mg_printf(up, "%.*s: %.*s\r\n", (int) hm->header_names[i].len,
              hm->header_names[i].p, (int) hm->header_values[i].len,
              hm->header_values[i].p);
  }
  mg_printf(up, "Content-Length: %lu\r\nConnection: close\r\n\r\n",
            (unsigned long) hm->body.len);
  mg_send(up, hm->body.p, (int) hm->body.len);
}

void mg_http_reverse_proxy(struct mg_connection *nc,
                           const struct http_message *hm, struct mg_str mount,
                           struct mg_str upstream) {
  struct mg_str scheme, ui, host, path, query, frag;
  unsigned int port = 0;
  char addr[300];
  struct mg_connect_opts o;
  struct mg_connection *up;
  struct mg__http_conn *hc = mg__http_conn(nc);
  struct relay *r;
  if (mg_parse_uri(upstream, &scheme, &ui, &host, &port, &path, &query,
                   &frag) != 0 ||
      host.len == 0 || mg_vcasecmp(&scheme, "http") != 0 ||
      mount.len > hm->uri.len || hc == NULL || hc->peer != NULL) {
    mg_http_send_error(nc, 502, NULL);
    return;
  }
  if (port == 0) port = 80;
  snprintf(addr, sizeof(addr), "tcp://%.*s:%u", (int) host.len, host.p, port);
  r = (struct relay *) MG_CALLOC(1, sizeof(*r));
  memset(&o, 0, sizeof(o));
  o.user_data = r;
  up = r == NULL ? NULL
                 : mg_connect_opt(nc->mgr, addr, MG_CB(relay_handler, r), o);
  if (up == NULL) {
    MG_FREE(r);
    mg_http_send_error(nc, 502, NULL);
    return;
  }
  r->client = nc;
  hc->peer = up;
  hc->busy = 1;
  hc->close_after = 1;
  forward(up, hm, mount, host, port, path);
}
