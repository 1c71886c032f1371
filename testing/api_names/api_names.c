/*
 * Every name of the API reference (../shared/spec/) that exists so far,
 * used once: each function is called (or, where a call would need a peer or
 * a plugin, referenced), each struct field is written or read, and each
 * macro, event and flag appears. Built twice: as C and as C++ (the same
 * file copied to a .cc), both linked against //:mongoose, so a name that is
 * missing, misspelt or of the wrong type breaks the build.
 *
 * Covered: mbuf.md, mg_util.md, mg_uri.md, mg_net.md, and the core names
 * the spec README lists (struct mg_str and its helpers, union
 * socket_address, struct mg_iface, struct mg_iface_vtable, cs_stat_t,
 * MG_EV_*, MG_F_BUFFER_BUT_DONT_SEND, MG_SOCK_STRINGIFY_*), the build
 * options of guide.md the core knows, and MG_VERSION; mg_mqtt.md and
 * mg_mqtt_server.md; mg_dns.md, mg_dns_server.md, mg_resolv.md; the
 * WebSocket names of mg_http.md; the HTTP names of mg_http.md,
 * mg_http_server.md, mg_http_client.md and guide.md (SSI, CGI and WebDAV
 * names wait for their plugins: see use_http()). Each
 * plugin adds its names here when it lands.
 */
#include "mongoose.h" /* first: it sets the feature-test macros */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                              \
    }                                                                          \
  } while (0)

/* --- build options (guide.md) the core knows; each must be defined --- */
#if !defined(MG_ENABLE_IPV6) || !defined(MG_ENABLE_SSL) ||            \
    !defined(MG_ENABLE_THREADS) || !defined(MG_ENABLE_BROADCAST) ||   \
    !defined(MG_ENABLE_GETADDRINFO) || !defined(MG_ENABLE_HEXDUMP) || \
    !defined(MG_ENABLE_CALLBACK_USERDATA)
#error "a core build option is not defined"
#endif
#if !defined(MG_MALLOC) || !defined(MG_CALLOC) || !defined(MG_REALLOC) || \
    !defined(MG_FREE)
#error "an allocator hook is not defined"
#endif
#ifndef MG_CTL_MSG_MESSAGE_SIZE
#error "MG_CTL_MSG_MESSAGE_SIZE is not defined"
#endif
#ifndef MG_VERSION
#error "MG_VERSION is not defined"
#endif

/* --- mbuf.md --- */
static void use_mbuf(void) {
  struct mbuf a, b;
  char *heap;

  mbuf_init(&a, 4);
  CHECK(mbuf_append(&a, "world", 5) == 5);
  CHECK(mbuf_insert(&a, 0, "hello ", 6) == 6);
  CHECK(a.len == 11 && a.size >= a.len && a.buf != NULL);
  CHECK(memcmp(a.buf, "hello world", 11) == 0);
  mbuf_remove(&a, 6);
  CHECK(a.len == 5);
  mbuf_resize(&a, 64);
  mbuf_trim(&a);
  CHECK(a.size == a.len);
  heap = (char *) MG_MALLOC(3);
  memcpy(heap, "!!!", 3);
  CHECK(mbuf_append_and_free(&a, heap, 3) == 3);
  mbuf_init(&b, 0);
  mbuf_move(&a, &b);
  CHECK(b.len == 8 && a.buf == NULL && a.len == 0);
  mbuf_clear(&b);
  CHECK(b.len == 0);
  mbuf_free(&b);
  mbuf_free(&a);
}

/* --- struct mg_str and its helpers (spec README) --- */
static void use_str(void) {
  struct mg_str s = mg_mk_str("Hello");
  struct mg_str n = mg_mk_str_n("Hello, world", 5);
  struct mg_str lit = MG_MK_STR("ell");
  struct mg_str copy;

  CHECK(s.len == 5 && s.p != NULL && n.len == 5);
  CHECK(mg_vcmp(&s, "Hello") == 0);
  CHECK(mg_vcasecmp(&s, "hELLO") == 0);
  CHECK(mg_strcmp(s, n) == 0);
  CHECK(mg_strstr(s, lit) == s.p + 1);
  copy = mg_strdup(s);
  CHECK(copy.len == 5 && copy.p != NULL && memcmp(copy.p, "Hello", 5) == 0);
  MG_FREE((void *) copy.p);
}

/* --- mg_util.md: base64 --- */
static void count_putc(char ch, void *user_data) {
  (void) ch;
  (*(int *) user_data)++;
}

static void use_base64(void) {
  char enc[16], dec[16];
  struct mbuf buf;
  struct cs_base64_ctx ctx;
  int count = 0;

  mg_base64_encode((const unsigned char *) "abcd", 4, enc);
  CHECK(strcmp(enc, "YWJjZA==") == 0);
  CHECK(mg_base64_decode((const unsigned char *) enc, (int) strlen(enc), dec) ==
        (int) strlen(enc));
  CHECK(strcmp(dec, "abcd") == 0);

  mbuf_init(&buf, 0);
  mg_mbuf_append_base64(&buf, "abcd", 4);
  CHECK(buf.len == 8 && memcmp(buf.buf, "YWJjZA==", 8) == 0);
  mbuf_clear(&buf);
  cs_base64_init(&ctx, mg_mbuf_append_base64_putc, &buf);
  cs_base64_update(&ctx, "ab", 2);
  cs_base64_update(&ctx, "cd", 2);
  cs_base64_finish(&ctx);
  CHECK(buf.len == 8 && memcmp(buf.buf, "YWJjZA==", 8) == 0);

  cs_base64_init(&ctx, count_putc, &count);
  cs_base64_update(&ctx, "x", 1);
  cs_base64_finish(&ctx);
  CHECK(count == 4);
  CHECK(ctx.b64_putc == count_putc && ctx.user_data == &count &&
        ctx.chunk_size >= 0 && sizeof(ctx.chunk) == 3);

  mbuf_clear(&buf);
  mg_basic_auth_header(mg_mk_str("user"), mg_mk_str("pass"), &buf);
  CHECK(buf.len > 0);
  mbuf_free(&buf);
}

/* --- mg_util.md: hexdump, URL encoding, tokens, endianness --- */
static void use_text_utils(FILE *scratch) {
  char dump[256];
  const char *list = "a,b", *rest;
  struct mg_str v, enc;

  CHECK(mg_hexdump("hello", 5, dump, (int) sizeof(dump)) > 0);
  mg_hexdumpf(scratch, "hello", 5);

  enc = mg_url_encode(mg_mk_str("a b"));
  CHECK(enc.p != NULL && mg_vcmp(&enc, "a%20b") == 0);
  MG_FREE((void *) enc.p);
  enc = mg_url_encode_opt(mg_mk_str("a b/"), mg_mk_str("/"),
                          MG_URL_ENCODE_F_SPACE_AS_PLUS);
  CHECK(enc.p != NULL && mg_vcmp(&enc, "a+b/") == 0);
  MG_FREE((void *) enc.p);

  rest = mg_skip(list, list + strlen(list), ",", &v);
  CHECK(v.len == 1 && v.p == list && rest > list);

  CHECK(mg_is_big_endian() == 0 || mg_is_big_endian() == 1);
}

/* --- mg_util.md: files --- */
static void use_files(const char *dir) {
  char path[512], back[8];
  cs_stat_t st;
  FILE *fp;
  int fd;

  snprintf(path, sizeof(path), "%s/api_names.tmp", dir);
  fp = mg_fopen(path, "wb");
  CHECK(fp != NULL);
  if (fp == NULL) return;
  CHECK(mg_fwrite("hello", 1, 5, fp) == 5);
  fclose(fp);
  CHECK(mg_stat(path, &st) == 0 && st.st_size == 5);
  fp = mg_fopen(path, "rb");
  CHECK(fp != NULL);
  if (fp != NULL) {
    CHECK(mg_fread(back, 1, sizeof(back), fp) == 5);
    fclose(fp);
  }
  fd = mg_open(path, O_RDONLY, 0);
  CHECK(fd >= 0);
  if (fd >= 0) close(fd);
  remove(path);
}

/* --- mg_uri.md --- */
static void use_uri(void) {
  struct mg_str scheme, user_info, host, path, query, fragment, out;
  unsigned int port = 0;

  CHECK(mg_parse_uri(mg_mk_str("https://u:p@example.com:8443/a/../b?x=1#f"),
                     &scheme, &user_info, &host, &port, &path, &query,
                     &fragment) == 0);
  CHECK(port == 8443 && mg_vcmp(&host, "example.com") == 0);
  CHECK(mg_vcmp(&scheme, "https") == 0 && mg_vcmp(&query, "x=1") == 0);
  CHECK(mg_assemble_uri(&scheme, &user_info, &host, port, &path, &query,
                        &fragment, 1, &out) == 0);
  CHECK(out.p != NULL &&
        mg_vcmp(&out, "https://u:p@example.com:8443/b?x=1#f") == 0);
  MG_FREE((void *) out.p);
}

/* --- mg_net.md: events, flags, the manager, connections --- */

/* What the handler saw. */
static struct {
  int events[7];  /* MG_EV_POLL .. MG_EV_TIMER seen */
  int broadcasts; /* mg_broadcast() callbacks run */
  int received;   /* bytes seen in MG_EV_RECV */
} seen;

static void handler(struct mg_connection *nc, int ev,
                    void *ev_data MG_UD_ARG(void *user_data)) {
#if MG_ENABLE_CALLBACK_USERDATA
  (void) user_data;
#endif
  switch (ev) {
    case MG_EV_POLL:
      seen.events[MG_EV_POLL]++;
      break;
    case MG_EV_ACCEPT:
      seen.events[MG_EV_ACCEPT]++;
      break;
    case MG_EV_CONNECT:
      seen.events[MG_EV_CONNECT]++;
      CHECK(*(int *) ev_data == 0);
      break;
    case MG_EV_RECV:
      seen.events[MG_EV_RECV]++;
      seen.received += *(int *) ev_data;
      mbuf_remove(&nc->recv_mbuf, nc->recv_mbuf.len);
      break;
    case MG_EV_SEND:
      seen.events[MG_EV_SEND]++;
      break;
    case MG_EV_CLOSE:
      seen.events[MG_EV_CLOSE]++;
      break;
    case MG_EV_TIMER:
      seen.events[MG_EV_TIMER]++;
      break;
    default:
      break;
  }
}

static void broadcast_cb(struct mg_connection *nc, int ev,
                         void *ev_data MG_UD_ARG(void *user_data)) {
#if MG_ENABLE_CALLBACK_USERDATA
  (void) user_data;
#endif
  (void) nc;
  if (ev == MG_EV_POLL && ev_data != NULL && memcmp(ev_data, "ping", 4) == 0) {
    seen.broadcasts++;
  }
}

/* mg_broadcast() comes from a thread that does not poll. */
static void *broadcaster(void *param) {
  mg_broadcast((struct mg_mgr *) param, broadcast_cb, (void *) "ping", 4);
  return NULL;
}

static int vprintf_helper(struct mg_connection *nc, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = mg_vprintf(nc, fmt, ap);
  va_end(ap);
  return n;
}

/* Every field of struct mg_connection, read (nothing is changed). */
static void read_connection_fields(const struct mg_connection *c) {
  size_t sum = 0;
  sum += (c->next != NULL) + (c->prev != NULL) + (c->listener != NULL);
  sum += (c->mgr != NULL) + (size_t) (c->sock != INVALID_SOCKET);
  sum += (size_t) c->err + sizeof(c->sa) + c->recv_mbuf_limit;
  sum += c->recv_mbuf.len + c->send_mbuf.len;
  sum += (size_t) (c->last_io_time > 0) + (size_t) (c->ev_timer_time > 0);
  sum += (c->proto_handler != NULL) + (c->proto_data != NULL);
  sum += (c->proto_data_destructor != NULL);
  sum += (c->handler != NULL) + (c->user_data != NULL);
  sum += (c->priv_1.v != NULL) + (c->priv_1.f != NULL) + (c->priv_2 != NULL);
  sum += (c->mgr_data != NULL) + (c->iface != NULL) + (size_t) c->flags;
#if MG_ENABLE_SSL
  sum += (c->ssl_if_data != NULL);
#else
  sum += (c->unused_ssl_if_data != NULL);
#endif
  CHECK(sum > 0);
}

/* Every flag of mg_net.md (and the README's MG_F_BUFFER_BUT_DONT_SEND):
 * all distinct bits. */
static void use_flags(void) {
  static const unsigned long flags[] = {MG_F_LISTENING,
                                        MG_F_UDP,
                                        MG_F_RESOLVING,
                                        MG_F_CONNECTING,
                                        MG_F_SSL,
                                        MG_F_SSL_HANDSHAKE_DONE,
                                        MG_F_WANT_READ,
                                        MG_F_WANT_WRITE,
                                        MG_F_IS_WEBSOCKET,
                                        MG_F_RECV_AND_CLOSE,
                                        MG_F_SEND_AND_CLOSE,
                                        MG_F_CLOSE_IMMEDIATELY,
                                        MG_F_PROTO_1,
                                        MG_F_PROTO_2,
                                        MG_F_ENABLE_BROADCAST,
                                        MG_F_BUFFER_BUT_DONT_SEND,
                                        MG_F_USER_1,
                                        MG_F_USER_2,
                                        MG_F_USER_3,
                                        MG_F_USER_4,
                                        MG_F_USER_5,
                                        MG_F_USER_6};
  unsigned long all = 0;
  size_t i;
  for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
    CHECK((all & flags[i]) == 0);
    all |= flags[i];
  }
  CHECK(MG_EV_POLL == 0 && MG_EV_ACCEPT != MG_EV_CONNECT &&
        MG_EV_RECV != MG_EV_SEND && MG_EV_CLOSE != MG_EV_TIMER);
}

/* Names only a peer or another plugin would exercise: referenced, so they
 * must exist with these types and link. */
static void *thread_noop(void *param) { return param; }

static void reference_only(void) {
  mg_event_handler_t h = handler;
  CHECK(h != NULL);
#if MG_ENABLE_THREADS
  CHECK(mg_start_thread(thread_noop, NULL) != NULL);
#else
  (void) thread_noop;
#endif
#if MG_ENABLE_SSL
  const char *(*set_ssl)(struct mg_connection *, const char *, const char *) =
      mg_set_ssl;
  CHECK(set_ssl != NULL);
#endif
}

static void use_addresses(struct mg_connection *c) {
  union socket_address sa;
  char buf[64];

  memset(&sa, 0, sizeof(sa));
  sa.sin.sin_family = AF_INET;
  sa.sin.sin_port = htons(80);
  sa.sin.sin_addr.s_addr = htonl(0x7f000001);
  CHECK(mg_sock_addr_to_str(&sa, buf, sizeof(buf),
                            MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT) > 0);
  CHECK(strcmp(buf, "127.0.0.1:80") == 0);
  CHECK(sa.sa.sa_family == AF_INET && sizeof(sa.sin6) > 0);
  mg_conn_addr_to_str(c, buf, sizeof(buf),
                      MG_SOCK_STRINGIFY_REMOTE | MG_SOCK_STRINGIFY_IP);
}

static void use_manager(const char *dir) {
  struct mg_mgr mgr;
  struct mg_mgr_init_opts init_opts;
  struct mg_bind_opts bind_opts;
  struct mg_connect_opts connect_opts;
  struct mg_add_sock_opts add_opts;
  struct mg_connection *lc, *cc, *c, *ac;
  const char *err = NULL;
  char path[512], ip[64];
  sock_t pair[2];
  double old;
  int i, n = 0;

  /* mg_mgr_init_opt() with the default interface set, and every field of
   * struct mg_mgr_init_opts. */
  memset(&init_opts, 0, sizeof(init_opts));
  init_opts.main_iface = NULL;
  init_opts.num_ifaces = 0;
  init_opts.ifaces = NULL;
  init_opts.nameserver = NULL;
  mg_mgr_init_opt(&mgr, NULL, init_opts);
  mg_mgr_free(&mgr);

  mg_mgr_init(&mgr, &seen);
  CHECK(mgr.user_data == &seen);
  CHECK(mgr.num_ifaces > 0 && mgr.ifaces != NULL && mgr.ifaces[0] != NULL);
  if (mgr.num_ifaces > 0 && mgr.ifaces != NULL) {
    struct mg_iface *iface = mgr.ifaces[0];
    const struct mg_iface_vtable *vtable = iface->vtable;
    CHECK(iface->mgr == &mgr && vtable != NULL);
    (void) iface->data;
  }
  (void) mgr.num_calls;
  (void) mgr.nameserver;
  (void) mgr.active_connections;
#if MG_ENABLE_HEXDUMP
  snprintf(path, sizeof(path), "%s/api_names.hexdump", dir);
  mgr.hexdump_file = NULL;
#else
  (void) dir;
  (void) path;
#endif
#if MG_ENABLE_BROADCAST
  (void) mgr.ctl[0];
#endif

  /* A listener and a client over the in-memory interface. */
  memset(&bind_opts, 0, sizeof(bind_opts));
  bind_opts.user_data = &seen;
  bind_opts.flags = 0;
  bind_opts.error_string = &err;
  bind_opts.iface = NULL;
#if MG_ENABLE_SSL
  bind_opts.ssl_cert = NULL;
  bind_opts.ssl_key = NULL;
  bind_opts.ssl_ca_cert = NULL;
  bind_opts.ssl_cipher_suites = NULL;
#endif
  lc = mg_bind_opt(&mgr, "mem://api_names", MG_CB(handler, NULL), bind_opts);
  CHECK(lc != NULL);
  CHECK(lc == NULL || (lc->flags & MG_F_LISTENING) != 0);

  memset(&connect_opts, 0, sizeof(connect_opts));
  connect_opts.user_data = &seen;
  connect_opts.flags = 0;
  connect_opts.error_string = &err;
  connect_opts.iface = NULL;
  connect_opts.nameserver = NULL;
#if MG_ENABLE_SSL
  connect_opts.ssl_cert = NULL;
  connect_opts.ssl_key = NULL;
  connect_opts.ssl_ca_cert = NULL;
  connect_opts.ssl_cipher_suites = NULL;
  connect_opts.ssl_server_name = NULL;
  connect_opts.ssl_psk_identity = NULL;
  connect_opts.ssl_psk_key = NULL;
#endif
  cc = mg_connect_opt(&mgr, "mem://api_names", MG_CB(handler, NULL),
                      connect_opts);
  CHECK(cc != NULL);
  c = mg_connect(&mgr, "mem://api_names", MG_CB(handler, NULL));
  CHECK(c != NULL);
  if (c != NULL) c->flags |= MG_F_SEND_AND_CLOSE;
  c = mg_bind(&mgr, "mem://api_names_2", MG_CB(handler, NULL));
  CHECK(c != NULL);
  if (c != NULL) c->flags |= MG_F_CLOSE_IMMEDIATELY;

  if (cc != NULL) {
    mg_send(cc, "abc", 3);
    CHECK(mg_printf(cc, "%d", 42) == 2);
    CHECK(vprintf_helper(cc, "%s", "xy") == 2);
    old = mg_set_timer(cc, mg_time() + 0.05);
    CHECK(old == 0);
#if MG_ENABLE_HEXDUMP
    mg_hexdump_connection(cc, path, "abc", 3, MG_EV_SEND);
    remove(path);
#endif
  }

  /* A socket of a socketpair, adopted twice over (plain and _opt). */
  if (mg_socketpair(pair, SOCK_STREAM) == 1) {
    memset(&add_opts, 0, sizeof(add_opts));
    add_opts.user_data = &seen;
    add_opts.flags = 0;
    add_opts.error_string = &err;
    add_opts.iface = NULL;
    ac = mg_add_sock_opt(&mgr, pair[0], MG_CB(handler, NULL), add_opts);
    CHECK(ac != NULL);
    ac = mg_add_sock(&mgr, pair[1], MG_CB(handler, NULL));
    CHECK(ac != NULL);
    if (ac != NULL) {
      mg_sock_to_str(ac->sock, ip, sizeof(ip), MG_SOCK_STRINGIFY_IP);
      ac->flags |= MG_F_CLOSE_IMMEDIATELY;
    }
  } else {
    fprintf(stderr, "mg_socketpair failed\n");
    failures++;
  }

#if MG_ENABLE_BROADCAST && MG_ENABLE_THREADS
  CHECK(mg_start_thread(broadcaster, &mgr) != NULL);
#else
  (void) broadcaster;
#endif

  for (i = 0; i < 200; i++) {
    mg_mgr_poll(&mgr, 10);
    if (seen.received >= 7 && seen.events[MG_EV_TIMER] > 0 &&
        seen.events[MG_EV_ACCEPT] > 0 &&
        (seen.broadcasts > 0 || !(MG_ENABLE_BROADCAST && MG_ENABLE_THREADS))) {
      break;
    }
  }
  CHECK(seen.events[MG_EV_POLL] > 0);
  CHECK(seen.events[MG_EV_ACCEPT] > 0);
  CHECK(seen.events[MG_EV_CONNECT] > 0);
  CHECK(seen.received >= 7);
  CHECK(seen.events[MG_EV_SEND] > 0);
  CHECK(seen.events[MG_EV_TIMER] > 0);
#if MG_ENABLE_BROADCAST && MG_ENABLE_THREADS
  CHECK(seen.broadcasts > 0);
#endif

  for (c = mg_next(&mgr, NULL); c != NULL; c = mg_next(&mgr, c)) {
    read_connection_fields(c);
    n++;
  }
  CHECK(n > 0);
  if (cc != NULL) use_addresses(cc);

  /* Utilities of mg_net.md without a connection. */
  CHECK(mg_check_ip_acl("-0.0.0.0/0,+192.168/16", 0xc0a80101) == 1);
  CHECK(mg_check_ip_acl("-0.0.0.0/0,+192.168/16", 0x0a000001) == 0);
  CHECK(mg_check_ip_acl("bogus", 0x0a000001) == -1);
  CHECK(mg_resolve("localhost", ip, sizeof(ip)) == 1);

  mg_mgr_free(&mgr);
  CHECK(seen.events[MG_EV_CLOSE] > 0);
}

#if MG_ENABLE_MQTT && MG_ENABLE_MQTT_BROKER
/* --- mg_mqtt.md, mg_mqtt_server.md and the MQTT names of the README --- */
static int mqtt_events[16]; /* MG_EV_MQTT_* seen by the client, by command */

static void mqtt_client_handler(struct mg_connection *nc, int ev,
                                void *ev_data MG_UD_ARG(void *user_data)) {
  struct mg_mqtt_message *mm = (struct mg_mqtt_message *) ev_data;
  struct mg_mqtt_proto_data *pd = (struct mg_mqtt_proto_data *) nc->proto_data;
#if MG_ENABLE_CALLBACK_USERDATA
  (void) user_data;
#endif
  if (ev < MG_EV_MQTT_CONNECT || ev > MG_EV_MQTT_DISCONNECT) return;
  mqtt_events[ev - MG_MQTT_EVENT_BASE]++;
  CHECK(pd != NULL && pd->keep_alive == 30 && pd->last_control_time > 0);
  if (ev == MG_EV_MQTT_CONNACK) {
    CHECK(mm->cmd == MG_MQTT_CMD_CONNACK && mm->len == 4);
    CHECK(mm->connack_ret_code == MG_EV_MQTT_CONNACK_ACCEPTED);
  } else if (ev == MG_EV_MQTT_PUBLISH) {
    CHECK(mg_vcmp(&mm->topic, "api/x") == 0 && mm->payload.len == 2);
    CHECK(mm->qos == 1 && mm->message_id != 0);
    mg_mqtt_puback(nc, mm->message_id);
  }
}

static void mqtt_broker_handler(struct mg_connection *nc, int ev,
                                void *ev_data MG_UD_ARG(void *user_data)) {
#if MG_ENABLE_CALLBACK_USERDATA
  (void) user_data;
#endif
  mg_mqtt_broker(nc, ev, ev_data);
}

static void use_mqtt_message(void) {
  static const char sub[] = {(char) 0x82, 6, 0, 1, 0, 1, 'a', 1};
  struct mg_mqtt_message m;
  struct mg_str topic;
  uint8_t qos = 0;
  memset(&m, 0, sizeof(m));
  m.cmd = MG_MQTT_CMD_SUBSCRIBE;
  m.payload = mg_mk_str_n(sub + 4, 4);
  CHECK(mg_mqtt_next_subscribe_topic(&m, &topic, &qos, 0) == 4);
  CHECK(topic.len == 1 && qos == 1);
  CHECK(mg_mqtt_next_subscribe_topic(&m, &topic, &qos, 4) == -1);
  m.protocol_version = 4;
  m.connect_flags = MG_MQTT_CLEAN_SESSION | MG_MQTT_HAS_WILL |
                    MG_MQTT_WILL_RETAIN | MG_MQTT_HAS_PASSWORD |
                    MG_MQTT_HAS_USER_NAME;
  MG_MQTT_SET_WILL_QOS(m.connect_flags, 2);
  CHECK(MG_MQTT_GET_WILL_QOS(m.connect_flags) == 2);
  m.keep_alive_timer = 1;
  m.protocol_name = m.client_id = m.will_topic = m.will_message = topic;
  m.user_name = m.password = topic;
  CHECK(mg_mqtt_match_topic_expression(mg_mk_str("a/+"), mg_mk_str("a/b")));
  CHECK(mg_mqtt_vmatch_topic_expression("#", mg_mk_str("a/b")));
  CHECK(!mg_mqtt_vmatch_topic_expression("#", mg_mk_str("$SYS/x")));
  CHECK(MG_MQTT_GET_QOS(MG_MQTT_QOS(2) | MG_MQTT_RETAIN | MG_MQTT_DUP) == 2);
  CHECK(MG_EV_MQTT_CONNACK_UNACCEPTABLE_VERSION == 1 &&
        MG_EV_MQTT_CONNACK_IDENTIFIER_REJECTED == 2 &&
        MG_EV_MQTT_CONNACK_SERVER_UNAVAILABLE == 3 &&
        MG_EV_MQTT_CONNACK_BAD_AUTH == 4 &&
        MG_EV_MQTT_CONNACK_NOT_AUTHORIZED == 5);
  CHECK(MG_EV_MQTT_SUBSCRIBE > MG_EV_MQTT_PUBCOMP &&
        MG_EV_MQTT_UNSUBSCRIBE > MG_EV_MQTT_SUBACK &&
        MG_EV_MQTT_PINGREQ > MG_EV_MQTT_UNSUBACK &&
        MG_EV_MQTT_PINGRESP > MG_EV_MQTT_PINGREQ &&
        MG_EV_MQTT_DISCONNECT > MG_EV_MQTT_PINGRESP &&
        MG_EV_MQTT_PUBREC > MG_EV_MQTT_PUBACK &&
        MG_EV_MQTT_PUBREL > MG_EV_MQTT_PUBREC);
}

static void use_mqtt(void) {
  struct mg_mgr mgr;
  struct mg_mqtt_broker brk;
  struct mg_mqtt_session *s;
  struct mg_connection *lc, *c;
  struct mg_send_mqtt_handshake_opts opts;
  struct mg_mqtt_topic_expression te;
  char *unsub[1];
  uint8_t granted[1] = {0};
  size_t n = 0;
  int i;
  use_mqtt_message();
  mg_mgr_init(&mgr, NULL);
  mg_mqtt_broker_init(&brk, &mgr);
  CHECK(brk.user_data == &mgr);
  lc = mg_bind(&mgr, "mem://api_mqtt", MG_CB(mqtt_broker_handler, NULL));
  CHECK(lc != NULL);
  if (lc == NULL) return;
  lc->priv_2 = &brk;
  mg_set_protocol_mqtt(lc);
  c = mg_connect(&mgr, "mem://api_mqtt", MG_CB(mqtt_client_handler, NULL));
  mg_set_protocol_mqtt(c);
  memset(&opts, 0, sizeof(opts));
  opts.flags = MG_MQTT_CLEAN_SESSION;
  opts.keep_alive = 30;
  opts.will_topic = "api/will";
  opts.will_message = "bye";
  opts.user_name = "user";
  opts.password = "pass";
  mg_send_mqtt_handshake_opt(c, "api-client", opts);
  te.topic = "api/+";
  te.qos = 1;
  mg_mqtt_subscribe(c, &te, 1, 7);
  mg_mqtt_publish(c, "api/x", 8, MG_MQTT_QOS(1), "hi", 2);
  unsub[0] = (char *) "api/+";
  for (i = 0; i < 200 && mqtt_events[MG_MQTT_CMD_PUBLISH] == 0; i++) {
    mg_mgr_poll(&mgr, 1);
  }
  mg_mqtt_unsubscribe(c, unsub, 1, 9);
  mg_mqtt_ping(c);
  for (i = 0; i < 200 && mqtt_events[MG_MQTT_CMD_PINGRESP] == 0; i++) {
    mg_mgr_poll(&mgr, 1);
  }
  CHECK(mqtt_events[MG_MQTT_CMD_CONNACK] == 1);
  CHECK(mqtt_events[MG_MQTT_CMD_SUBACK] == 1);
  CHECK(mqtt_events[MG_MQTT_CMD_PUBLISH] == 1);
  CHECK(mqtt_events[MG_MQTT_CMD_PUBACK] == 1);
  CHECK(mqtt_events[MG_MQTT_CMD_UNSUBACK] == 1);
  CHECK(mqtt_events[MG_MQTT_CMD_PINGRESP] == 1);
  for (s = mg_mqtt_next(&brk, NULL); s != NULL; s = mg_mqtt_next(&brk, s)) {
    CHECK(s->brk == &brk && s->nc != NULL && s->num_subscriptions == 0);
    CHECK(s->subscriptions != NULL || s->num_subscriptions == 0);
    s->user_data = NULL;
    n++;
  }
  CHECK(n == 1);
  CHECK(LIST_FIRST(&brk.sessions) != NULL);
  /* The rest of the builders: sent, not answered (a broker would close). */
  mg_mqtt_pong(c);
  mg_mqtt_pubrec(c, 1);
  mg_mqtt_pubrel(c, 1);
  mg_mqtt_pubcomp(c, 1);
  mg_mqtt_disconnect(c);
  mg_mqtt_suback(c, granted, 1, 1);
  mg_mqtt_unsuback(c, 1);
  mg_mqtt_connack(c, MG_EV_MQTT_CONNACK_ACCEPTED);
  mg_send_mqtt_handshake(c, "again");
  for (i = 0; i < 50; i++) mg_mgr_poll(&mgr, 1);
  mg_mgr_free(&mgr);
  mg_mqtt_broker_free(&brk);
}
#endif

#if MG_ENABLE_DNS && MG_ENABLE_DNS_SERVER && MG_ENABLE_ASYNC_RESOLVER
/* --- mg_dns.md, mg_dns_server.md, mg_resolv.md and the DNS names of the
 * README --- */
static int dns_answers; /* A answers the DNS client saw */

/* The reference's captive DNS server, over mem:// (TCP framing). */
static void dns_server_handler(struct mg_connection *nc, int ev,
                               void *ev_data MG_UD_ARG(void *user_data)) {
  struct mg_dns_message *msg = (struct mg_dns_message *) ev_data;
  struct mg_dns_reply reply;
  struct mbuf reply_buf;
  int i;
#if MG_ENABLE_CALLBACK_USERDATA
  (void) user_data;
#endif
  if (ev != MG_DNS_MESSAGE || (msg->flags & 0x8000)) return;
  mbuf_init(&reply_buf, 512);
  reply = mg_dns_create_reply(&reply_buf, msg);
  CHECK(reply.msg == msg && reply.io == &reply_buf && reply.start == 0);
  for (i = 0; i < msg->num_questions; i++) {
    char rname[256];
    struct mg_dns_resource_record *rr = &msg->questions[i];
    mg_dns_uncompress_name(msg, &rr->name, rname, sizeof(rname) - 1);
    CHECK(strcmp(rname, "api.example") == 0);
    if (rr->rtype == MG_DNS_A_RECORD) {
      in_addr_t addr = inet_addr("127.0.0.1");
      mg_dns_reply_record(&reply, rr, NULL, rr->rtype, 10, &addr, 4);
    }
  }
  mg_dns_send_reply(nc, &reply);
  mbuf_free(&reply_buf);
}

static void dns_client_handler(struct mg_connection *nc, int ev,
                               void *ev_data MG_UD_ARG(void *user_data)) {
  struct mg_dns_message *msg = (struct mg_dns_message *) ev_data;
  struct mg_dns_resource_record *rr;
  struct in_addr ina;
#if MG_ENABLE_CALLBACK_USERDATA
  (void) user_data;
#endif
  (void) nc;
  if (ev != MG_DNS_REQUEST) return; /* the same event as MG_DNS_MESSAGE */
  for (rr = mg_next_record(msg, MG_DNS_A_RECORD, NULL); rr != NULL;
       rr = mg_dns_next_record(msg, MG_DNS_A_RECORD, rr)) {
    CHECK(rr->kind == MG_DNS_ANSWER && rr->rclass == 1 && rr->ttl == 10);
    CHECK(mg_dns_parse_record_data(msg, rr, &ina, sizeof(ina)) == 0);
    CHECK(ina.s_addr == inet_addr("127.0.0.1"));
    dns_answers++;
  }
}

static void use_dns_codec(void) {
  struct mg_dns_message msg, parsed;
  struct mg_dns_resource_record rr;
  struct mbuf io, copy;
  char name[64];
  mbuf_init(&io, 0);
  mbuf_init(&copy, 0);
  memset(&msg, 0, sizeof(msg));
  memset(&rr, 0, sizeof(rr));
  msg.transaction_id = 1;
  msg.flags = 0x8180;
  msg.num_questions = 1;
  msg.num_answers = 1;
  CHECK(mg_dns_insert_header(&io, 0, &msg) == 12);
  rr.kind = MG_DNS_QUESTION;
  rr.rtype = MG_DNS_CNAME_RECORD;
  rr.rclass = 1;
  CHECK(mg_dns_encode_record(&io, &rr, "a.example", 9, NULL, 0) > 0);
  rr.kind = MG_DNS_ANSWER;
  rr.ttl = 5;
  CHECK(mg_dns_encode_record(&io, &rr, "a.example", 9, "b.example", 9) > 0);
  CHECK(mg_parse_dns(io.buf, (int) io.len, &parsed) == 0);
  CHECK(parsed.pkt.len == io.len && parsed.transaction_id == 1);
  CHECK(parsed.num_questions == 1 && parsed.num_answers == 1);
  CHECK(parsed.questions[0].kind == MG_DNS_QUESTION);
  CHECK(parsed.answers[0].rdata.len == 4); /* "b" + a pointer */
  CHECK(mg_dns_parse_record_data(&parsed, &parsed.answers[0], name,
                                 sizeof(name)) == 0);
  CHECK(strcmp(name, "b.example") == 0);
  CHECK(mg_dns_copy_questions(&copy, &parsed) == 15);
  CHECK(mg_dns_encode_name(&copy, "c.example", 9) == 11);
  CHECK(MG_MAX_DNS_QUESTIONS >= 1 && MG_MAX_DNS_ANSWERS >= 1);
  CHECK(MG_DNS_INVALID_RECORD == 0 && MG_DNS_A_RECORD == 1 &&
        MG_DNS_CNAME_RECORD == 5 && MG_DNS_PTR_RECORD == 12 &&
        MG_DNS_TXT_RECORD == 16 && MG_DNS_AAAA_RECORD == 28 &&
        MG_DNS_SRV_RECORD == 33 && MG_DNS_MX_RECORD == 15 &&
        MG_DNS_ANY_RECORD == 255);
  mbuf_free(&io);
  mbuf_free(&copy);
}

static int resolve_calls;
static void resolve_cb(struct mg_dns_message *msg, void *data,
                       enum mg_resolve_err err) {
  CHECK(data == &resolve_calls);
  CHECK(err == MG_RESOLVE_OK && msg != NULL && msg->num_answers == 1);
  CHECK(MG_RESOLVE_NO_ANSWERS != MG_RESOLVE_EXCEEDED_RETRY_COUNT &&
        MG_RESOLVE_TIMEOUT != MG_RESOLVE_OK);
  resolve_calls++;
}

static void use_dns(void) {
  struct mg_mgr mgr;
  struct mg_connection *lc, *c;
  struct mg_resolve_async_opts ropts;
  struct mg_connect_opts copts;
  union socket_address usa;
  mg_resolve_callback_t cb = resolve_cb;
  int (*async)(struct mg_mgr *, const char *, int, mg_resolve_callback_t,
               void *) = mg_resolve_async;
  int i;
  use_dns_codec();
  mg_mgr_init(&mgr, NULL);
  lc = mg_bind(&mgr, "mem://api_dns", MG_CB(dns_server_handler, NULL));
  CHECK(lc != NULL);
  if (lc == NULL) return;
  mg_set_protocol_dns(lc);
  c = mg_connect(&mgr, "mem://api_dns", MG_CB(dns_client_handler, NULL));
  mg_set_protocol_dns(c);
  mg_send_dns_query(c, "api.example", MG_DNS_A_RECORD);
  for (i = 0; i < 200 && dns_answers == 0; i++) mg_mgr_poll(&mgr, 1);
  CHECK(dns_answers == 1);
  /* The resolver: literal addresses need no network. */
  memset(&ropts, 0, sizeof(ropts));
  ropts.nameserver = NULL;
  ropts.max_retries = 0;
  ropts.timeout = 0;
  ropts.accept_literal = 1;
  ropts.only_literal = 1;
  ropts.dns_conn = NULL;
  CHECK(mg_resolve_async_opt(&mgr, "192.0.2.1", MG_DNS_A_RECORD, cb,
                             &resolve_calls, ropts) == 0);
  CHECK(resolve_calls == 1);
  CHECK(async != NULL);
  mg_set_nameserver(&mgr, "127.0.0.1");
  memset(&copts, 0, sizeof(copts));
  copts.nameserver = "127.0.0.1";
  (void) mg_resolve_from_hosts_file("localhost", &usa);
  mg_mgr_free(&mgr);
}
#endif

#if MG_ENABLE_HTTP_WEBSOCKET
/* --- the WebSocket names of mg_http.md (and guide.md's flags) --- */
static int ws_events[4]; /* HANDSHAKE_REQUEST, _DONE, FRAME, CONTROL_FRAME */

static void ws_handler(struct mg_connection *nc, int ev,
                       void *ev_data MG_UD_ARG(void *user_data)) {
  struct websocket_message *wm = (struct websocket_message *) ev_data;
#if MG_ENABLE_CALLBACK_USERDATA
  (void) user_data;
#endif
  switch (ev) {
    case MG_EV_WEBSOCKET_HANDSHAKE_REQUEST:
      ws_events[0]++;
      break;
    case MG_EV_WEBSOCKET_HANDSHAKE_DONE:
      ws_events[1]++;
      CHECK(nc->flags & MG_F_IS_WEBSOCKET);
      break;
    case MG_EV_WEBSOCKET_FRAME:
      ws_events[2]++;
      CHECK(wm->data != NULL && wm->size > 0 && (wm->flags & 0x80));
      if (nc->listener != NULL) {
        mg_send_websocket_frame(nc, wm->flags & 0x0f, wm->data, wm->size);
      }
      break;
    case MG_EV_WEBSOCKET_CONTROL_FRAME:
      ws_events[3]++;
      break;
    default:
      break;
  }
}

static void use_ws(void) {
  struct mg_mgr mgr;
  struct mg_connection *lc, *c, *raw;
  struct mg_str parts[2];
  int i;
  mg_mgr_init(&mgr, NULL);
  lc = mg_bind(&mgr, "mem://api_ws", MG_CB(ws_handler, NULL));
  CHECK(lc != NULL);
  if (lc == NULL) return;
  mg_set_protocol_http_websocket(lc);
  c = mg_connect_ws(&mgr, MG_CB(ws_handler, NULL), "mem://api_ws/ws", "p1",
                    "X-Api: 1\r\n");
  CHECK(c != NULL);
  for (i = 0; i < 200 && ws_events[1] < 2; i++) mg_mgr_poll(&mgr, 1);
  CHECK(ws_events[0] == 1 && ws_events[1] == 2);
  c->flags |= MG_F_WEBSOCKET_NO_DEFRAG;
  c->flags &= ~(unsigned long) MG_F_WEBSOCKET_NO_DEFRAG;
  mg_send_websocket_frame(c, WEBSOCKET_OP_TEXT, "hi", 2);
  mg_printf_websocket_frame(c, WEBSOCKET_OP_BINARY | WEBSOCKET_DONT_FIN, "%d",
                            4);
  mg_send_websocket_frame(c, WEBSOCKET_OP_CONTINUE, "2", 1);
  parts[0] = mg_mk_str("a");
  parts[1] = mg_mk_str("b");
  mg_send_websocket_framev(c, WEBSOCKET_OP_TEXT, parts, 2);
  mg_send_websocket_frame(c, WEBSOCKET_OP_PING, "", 0);
  for (i = 0; i < 200 && ws_events[2] < 6; i++) mg_mgr_poll(&mgr, 1);
  CHECK(ws_events[2] == 6); /* three messages each way */
  mg_send_websocket_frame(c, WEBSOCKET_OP_CLOSE, "\x03\xe8", 2);
  for (i = 0; i < 200 && ws_events[3] < 4; i++) mg_mgr_poll(&mgr, 1);
  CHECK(ws_events[3] >= 3); /* PING, PONG, CLOSE, CLOSE */
  CHECK(WEBSOCKET_OP_PONG == 10);
  /* The handshake senders on plain connections (answered, not used). */
  raw = mg_connect(&mgr, "mem://api_ws", MG_CB(ws_handler, NULL));
  mg_send_websocket_handshake(raw, "/a", "Host: x\r\n");
  raw = mg_connect(&mgr, "mem://api_ws", MG_CB(ws_handler, NULL));
  mg_send_websocket_handshake2(raw, "/b", "x", NULL, NULL);
  raw = mg_connect(&mgr, "mem://api_ws", MG_CB(ws_handler, NULL));
  mg_send_websocket_handshake3(raw, "/c", "x", NULL, NULL, "u", "p");
  raw = mg_connect(&mgr, "mem://api_ws", MG_CB(ws_handler, NULL));
  mg_send_websocket_handshake3v(raw, mg_mk_str("/d"), mg_mk_str("x"),
                                mg_mk_str(""), mg_mk_str(""), mg_mk_str("u"),
                                mg_mk_str("p"));
  for (i = 0; i < 200 && ws_events[1] < 10; i++) mg_mgr_poll(&mgr, 1);
  CHECK(ws_events[1] == 10);
  {
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    CHECK(mg_connect_ws_opt(&mgr, MG_CB(ws_handler, NULL), o, "mem://api_ws/",
                            NULL, NULL) != NULL);
  }
  mg_mgr_free(&mgr);
}
#endif

#if MG_ENABLE_HTTP
/* --- mg_http.md (HTTP parts), mg_http_server.md, mg_http_client.md and
 * the HTTP parts of guide.md ---
 *
 * SSI (MG_EV_SSI_CALL, MG_EV_SSI_CALL_CTX, struct mg_ssi_call_ctx with
 * req, file and arg, MG_ENABLE_HTTP_SSI and MG_ENABLE_HTTP_SSI_EXEC) is
 * used when the ssi plugin is linked (//:mongoose has it): a page with a
 * call is served below. CGI (MG_ENABLE_HTTP_CGI, cgi_file_pattern and
 * cgi_interpreter) likewise: a /bin/sh script is run below. Not in the
 * implementation, so not used here: the build option MG_ENABLE_HTTP_WEBDAV,
 * whose plugin (webdav) does not exist yet. Its fields of struct
 * mg_serve_http_opts do exist and are set below. The disabling options
 * MG_DISABLE_HTTP_DIGEST_AUTH and CS_DISABLE_MD5 are checked by
 * plugins/http/no_digest. MG_SSL_CRYPTO_MODERN
 * and MG_SSL_CRYPTO_OLD are build options of //mg:tls
 * (--define=mg_ssl_crypto=modern|old), not visible to a program. */
#if !defined(MG_ENABLE_HTTP_STREAMING_MULTIPART) ||                          \
    !defined(MG_ENABLE_HTTP_URL_REWRITES) ||                                 \
    !defined(MG_DISABLE_HTTP_KEEP_ALIVE) || !defined(MG_MAX_HTTP_HEADERS) || \
    !defined(MG_DISABLE_HTTP_DIGEST_AUTH) || !defined(CS_DISABLE_MD5)
#error "an HTTP build option is not defined"
#endif

/* The htdigest line of user "user", realm "api", password "pass":
 * MD5("user:api:pass"). */
#define API_HTDIGEST "user:api:6e8ffe836689b40471e29c573bdf2e36\n"

static char http_root[512];     /* mg_serve_http()'s document root */
static char http_passwd[512];   /* htdigest file, outside the root */
static char http_upstream[128]; /* http://127.0.0.1:PORT/up (the proxy's) */
static struct mg_serve_http_opts http_opts;

/* What the server side saw. */
static struct {
  int requests;   /* MG_EV_HTTP_REQUEST */
  int mp_request; /* MG_EV_HTTP_MULTIPART_REQUEST */
  int part_begin; /* MG_EV_HTTP_PART_BEGIN */
  int part_data;  /* MG_EV_HTTP_PART_DATA */
  int part_end;   /* MG_EV_HTTP_PART_END */
  int mp_end;     /* MG_EV_HTTP_MULTIPART_REQUEST_END */
  int endpoint;   /* requests of the /ep endpoint */
  int digest_ok;  /* digest-authenticated requests */
  int ssi_calls;  /* MG_EV_SSI_CALL_CTX with the expected context */
} hsrv;

/* What the client saw of the last reply. */
static struct {
  int replies;      /* MG_EV_HTTP_REPLY */
  int chunk_events; /* MG_EV_HTTP_CHUNK */
  int code;         /* resp_code */
  char body[512];   /* body (NUL-terminated, cut to fit) */
  char chunks[64];  /* chunk data, deleted with MG_F_DELETE_CHUNK */
  char content_type[64], location[64], x_api[32], nonce[64];
} hcl;

static void copy_mg_str(char *dst, size_t size, const struct mg_str *s) {
  size_t n = s == NULL ? 0 : s->len < size - 1 ? s->len : size - 1;
  if (n > 0) memcpy(dst, s->p, n);
  dst[n] = '\0';
}

static void write_file(const char *path, const char *text) {
  FILE *fp = mg_fopen(path, "wb");
  CHECK(fp != NULL);
  if (fp == NULL) return;
  CHECK(mg_fwrite(text, 1, strlen(text), fp) == strlen(text));
  fclose(fp);
}

/* Pure functions: parsing, variables, multipart, basic and digest auth. */
static void use_http_parsing(void) {
  static const char req[] =
      "POST /a%20b/c?x=1&y=two+2 HTTP/1.1\r\nHost: h\r\n"
      "Cookie: a=1; b=\"quoted value\"\r\nContent-Length: 3\r\n\r\nabc";
  static const char rep[] =
      "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
  static const char mp[] =
      "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
      "filename=\"a.txt\"\r\n\r\nhello\r\n--XyZ--\r\n";
  struct http_message hm;
  struct mg_str *h, basic = mg_mk_str("Basic dTpw"); /* "u:p" */
  char buf[128], small[4], *p = small, var[16], file[16], user[8], pass[8];
  const char *chunk = NULL;
  size_t chunk_len = 0, skip;
  int n;

  memset(&hm, 0, sizeof(hm));
  n = mg_parse_http(req, (int) strlen(req), &hm, 1);
  CHECK(n > 0 && (size_t) n == strlen(req) - 3);
  CHECK(hm.message.p == req && hm.message.len >= (size_t) n);
  CHECK(mg_vcmp(&hm.method, "POST") == 0 && mg_vcmp(&hm.uri, "/a%20b/c") == 0);
  CHECK(mg_vcmp(&hm.proto, "HTTP/1.1") == 0);
  CHECK(mg_vcmp(&hm.query_string, "x=1&y=two+2") == 0);
  CHECK(hm.body.len == 3 && memcmp(hm.body.p, "abc", 3) == 0);
  CHECK(mg_vcasecmp(&hm.header_names[0], "host") == 0 &&
        mg_vcmp(&hm.header_values[0], "h") == 0);
  CHECK(sizeof(hm.header_names) / sizeof(hm.header_names[0]) ==
            MG_MAX_HTTP_HEADERS &&
        sizeof(hm.header_values) / sizeof(hm.header_values[0]) ==
            MG_MAX_HTTP_HEADERS);
  CHECK(mg_get_http_header(&hm, "X-None") == NULL);
  h = mg_get_http_header(&hm, "cookie");
  CHECK(h != NULL);
  if (h != NULL) {
    CHECK(mg_http_parse_header(h, "a", buf, sizeof(buf)) == 1 &&
          strcmp(buf, "1") == 0);
    CHECK(mg_http_parse_header(h, "b", small, sizeof(small)) == 0);
    n = mg_http_parse_header2(h, "b", &p, sizeof(small)); /* grows p */
    CHECK(n == 12 && p != small && strcmp(p, "quoted value") == 0);
    if (p != small) MG_FREE(p);
  }
  CHECK(mg_url_decode(hm.uri.p, (int) hm.uri.len, buf, (int) sizeof(buf), 0) ==
            6 &&
        strcmp(buf, "/a b/c") == 0);
  CHECK(mg_url_decode("a+b", 3, buf, (int) sizeof(buf), 1) == 3 &&
        strcmp(buf, "a b") == 0);
  CHECK(mg_get_http_var(&hm.query_string, "y", buf, sizeof(buf)) == 5 &&
        strcmp(buf, "two 2") == 0);
  CHECK(mg_get_http_var(&hm.query_string, "z", buf, sizeof(buf)) == 0);
  CHECK(mg_get_http_basic_auth(&hm, user, sizeof(user), pass, sizeof(pass)) ==
        -1);
  CHECK(mg_http_is_authorized(&hm, hm.uri, NULL, NULL, 0) == 1);

  memset(&hm, 0, sizeof(hm));
  CHECK(mg_parse_http(rep, (int) strlen(rep), &hm, 0) == (int) strlen(rep));
  CHECK(hm.resp_code == 404 && mg_vcmp(&hm.resp_status_msg, "Not Found") == 0);

  skip = mg_parse_multipart(mp, strlen(mp), var, sizeof(var), file,
                            sizeof(file), &chunk, &chunk_len);
  CHECK(skip > 0 && skip <= strlen(mp));
  CHECK(strcmp(var, "f") == 0 && strcmp(file, "a.txt") == 0);
  CHECK(chunk_len == 5 && chunk != NULL && memcmp(chunk, "hello", 5) == 0);
  if (skip > 0 && skip <= strlen(mp)) {
    CHECK(mg_parse_multipart(mp + skip, strlen(mp) - skip, var, sizeof(var),
                             file, sizeof(file), &chunk, &chunk_len) == 0);
  }

  CHECK(mg_parse_http_basic_auth(&basic, user, sizeof(user), pass,
                                 sizeof(pass)) == 0);
  CHECK(strcmp(user, "u") == 0 && strcmp(pass, "p") == 0);
  n = mg_http_create_digest_auth_header(buf, sizeof(buf), "GET", "/x", "api",
                                        "user", "pass", "abc");
  CHECK(n > 0 && strncmp(buf, "Authorization: Digest ", 22) == 0);
}

/* The digest fields of an authorized request, checked again by hand. */
static void check_digest(struct http_message *hm) {
  static const char *const names[7] = {"username", "cnonce", "response", "qop",
                                       "nc",       "nonce",  "uri"};
  char bufs[7][8], *v[7]; /* small: the longer values go to the heap */
  struct mg_str f[7], *hdr = mg_get_http_header(hm, "Authorization");
  FILE *fp = mg_fopen(http_passwd, "r");
  int i;
  CHECK(hdr != NULL && fp != NULL);
  if (hdr == NULL || fp == NULL) {
    if (fp != NULL) fclose(fp);
    return;
  }
  for (i = 0; i < 7; i++) {
    int n;
    v[i] = bufs[i];
    n = mg_http_parse_header2(hdr, names[i], &v[i], sizeof(bufs[i]));
    f[i] = mg_mk_str_n(v[i], n > 0 ? (size_t) n : 0);
  }
  CHECK(mg_check_digest_auth(hm->method, f[6], f[0], f[1], f[2], f[3], f[4],
                             f[5], mg_mk_str("api"), fp) == 1);
  rewind(fp);
  CHECK(mg_http_check_digest_auth(hm, "api", fp) == 1);
  fclose(fp);
  for (i = 0; i < 7; i++) {
    if (v[i] != bufs[i]) MG_FREE(v[i]);
  }
  hsrv.digest_ok++;
}

/* Reads every field of struct http_message of a request. */
static void read_request_fields(const struct http_message *hm) {
  CHECK(hm->message.len > 0 && hm->method.len > 0 && hm->uri.len > 0);
  CHECK(mg_vcmp(&hm->proto, "HTTP/1.1") == 0);
  CHECK(hm->body.len <= hm->message.len);
  CHECK(hm->resp_code == 0 && hm->resp_status_msg.len == 0);
  CHECK(hm->query_string.len < hm->message.len);
  CHECK(hm->header_names[0].len > 0 && hm->header_values[0].p != NULL);
}

static int uri_starts(const struct http_message *hm, const char *prefix) {
  size_t n = strlen(prefix);
  return hm->uri.len >= n && memcmp(hm->uri.p, prefix, n) == 0;
}

static void http_request(struct mg_connection *nc, struct http_message *hm) {
  char user[16], pass[16], buf[64], path[600];
  int n;
  hsrv.requests++;
  read_request_fields(hm);
  if (mg_vcmp(&hm->uri, "/line") == 0) {
#if MG_ENABLE_SSL
    /* Not right after mg_bind()/mg_connect(): refused, nothing changes. */
    CHECK(mg_set_ssl(nc, NULL, NULL) != NULL);
#endif
    mg_send_response_line(nc, 200, "X-Api: line");
    mg_printf(nc, "Content-Length: 4\r\n\r\nline");
  } else if (mg_vcmp(&hm->uri, "/chunk") == 0) {
    mg_send_head(nc, 200, -1, "Content-Type: text/html");
    mg_send_http_chunk(nc, "ab", 2);
    mg_printf_http_chunk(nc, "%d", 12);
    mg_printf_html_escape(nc, "%s", "<b>");
    mg_send_http_chunk(nc, "", 0);
  } else if (mg_vcmp(&hm->uri, "/error") == 0) {
    mg_http_send_error(nc, 404, NULL);
  } else if (mg_vcmp(&hm->uri, "/redirect") == 0) {
    mg_http_send_redirect(nc, 302, mg_mk_str("/line"),
                          mg_mk_str("X-Api: redirect"));
  } else if (mg_vcmp(&hm->uri, "/file") == 0) {
    snprintf(path, sizeof(path), "%s/data.api", http_root);
    mg_http_serve_file(nc, hm, path, mg_mk_str("text/plain"),
                       mg_mk_str("X-Api: file"));
  } else if (mg_vcmp(&hm->uri, "/form") == 0) {
    n = mg_get_http_var(&hm->body, "b", buf, sizeof(buf));
    CHECK(n > 0);
    mg_send_head(nc, 200, n > 0 ? n : 0, NULL);
    mg_send(nc, buf, n > 0 ? n : 0);
  } else if (mg_vcmp(&hm->uri, "/basic") == 0) {
    if (mg_get_http_basic_auth(hm, user, sizeof(user), pass, sizeof(pass)) ==
            0 &&
        strcmp(user, "u") == 0 && strcmp(pass, "p") == 0) {
      mg_send_head(nc, 200, 0, NULL);
    } else {
      mg_http_send_error(nc, 401, NULL);
    }
  } else if (mg_vcmp(&hm->uri, "/auth") == 0) {
    if (mg_http_is_authorized(hm, hm->uri, "api", http_passwd, 0)) {
      check_digest(hm);
      mg_send_head(nc, 200, 2, NULL);
      mg_printf(nc, "ok");
    } else {
      mg_http_send_digest_auth_request(nc, "api");
    }
  } else if (uri_starts(hm, "/proxy/")) {
    mg_http_reverse_proxy(nc, hm, mg_mk_str("/proxy"),
                          mg_mk_str(http_upstream));
  } else if (uri_starts(hm, "/up/")) { /* the upstream of /proxy/ */
    n = snprintf(buf, sizeof(buf), "up:%.*s", (int) hm->uri.len, hm->uri.p);
    mg_send_head(nc, 200, n, "X-Api: upstream");
    mg_send(nc, buf, n);
  } else {
    mg_serve_http(nc, hm, http_opts);
  }
}

/* mg_fu_fname_fn: only "a.txt", stored in the root as up_a.txt. */
static struct mg_str upload_fname(struct mg_connection *nc,
                                  struct mg_str fname) {
  size_t size = strlen(http_root) + 16;
  char *p;
  (void) nc;
  if (mg_vcmp(&fname, "a.txt") != 0) return mg_mk_str_n(NULL, 0);
  p = (char *) MG_MALLOC(size);
  if (p == NULL) return mg_mk_str_n(NULL, 0);
  snprintf(p, size, "%s/up_a.txt", http_root);
  return mg_mk_str(p);
}

static void http_server_handler(struct mg_connection *nc, int ev,
                                void *ev_data MG_UD_ARG(void *user_data)) {
  struct http_message *hm = (struct http_message *) ev_data;
  struct mg_http_multipart_part *mp = (struct mg_http_multipart_part *) ev_data;
  mg_fu_fname_fn local_name_fn = upload_fname;
  switch (ev) {
    case MG_EV_HTTP_REQUEST:
      http_request(nc, hm);
      break;
    case MG_EV_HTTP_MULTIPART_REQUEST:
      hsrv.mp_request++;
      CHECK(mg_vcmp(&hm->uri, "/upload") == 0);
      break;
    case MG_EV_HTTP_PART_BEGIN:
    case MG_EV_HTTP_PART_DATA:
    case MG_EV_HTTP_PART_END:
      if (ev == MG_EV_HTTP_PART_BEGIN) hsrv.part_begin++;
      if (ev == MG_EV_HTTP_PART_END) hsrv.part_end++;
      CHECK(mp->var_name != NULL && strcmp(mp->var_name, "f") == 0);
      CHECK(mp->file_name != NULL && strcmp(mp->file_name, "a.txt") == 0);
      CHECK(mp->status >= 0);
      if (ev == MG_EV_HTTP_PART_DATA) {
        hsrv.part_data++;
        CHECK(mp->data.len > 0 && mp->num_data_consumed == mp->data.len);
        mp->num_data_consumed = mp->data.len; /* all of it (the default) */
      }
      mg_file_upload_handler(nc, ev, ev_data,
                             local_name_fn MG_UD_ARG(user_data));
      break;
    case MG_EV_HTTP_MULTIPART_REQUEST_END:
      hsrv.mp_end++;
      CHECK(mp->status == 0 && mp->var_name == NULL && mp->file_name == NULL);
      CHECK(mp->user_data == NULL);
      break;
#if MG_ENABLE_HTTP_SSI
    case MG_EV_SSI_CALL:
      mg_printf(nc, "[%s]", (const char *) ev_data);
      break;
    case MG_EV_SSI_CALL_CTX: {
      struct mg_ssi_call_ctx *ctx = (struct mg_ssi_call_ctx *) ev_data;
      CHECK(ctx->req != NULL && mg_vcmp(&ctx->req->uri, "/page.shtml") == 0);
      CHECK(ctx->file.len > 0 && mg_vcmp(&ctx->arg, "api") == 0);
      hsrv.ssi_calls++;
      break;
    }
#endif
    default:
      break;
  }
#if MG_ENABLE_CALLBACK_USERDATA
  (void) user_data;
#endif
}

/* The handler of the /ep endpoint (mg_register_http_endpoint). */
static void http_ep_handler(struct mg_connection *nc, int ev,
                            void *ev_data MG_UD_ARG(void *user_data)) {
#if MG_ENABLE_CALLBACK_USERDATA
  (void) user_data;
#endif
  (void) ev_data;
  if (ev != MG_EV_HTTP_REQUEST) return;
  hsrv.endpoint++;
  mg_send_head(nc, 200, 2, NULL);
  mg_printf(nc, "ep");
}

static void http_client_handler(struct mg_connection *nc, int ev,
                                void *ev_data MG_UD_ARG(void *user_data)) {
  struct http_message *hm = (struct http_message *) ev_data;
  struct mg_str *h;
#if MG_ENABLE_CALLBACK_USERDATA
  (void) user_data;
#endif
  if (ev == MG_EV_HTTP_CHUNK) {
    size_t have = strlen(hcl.chunks);
    hcl.chunk_events++;
    if (have + hm->body.len < sizeof(hcl.chunks)) {
      memcpy(hcl.chunks + have, hm->body.p, hm->body.len);
      hcl.chunks[have + hm->body.len] = '\0';
    }
    nc->flags |= MG_F_DELETE_CHUNK; /* consumed: drop the body so far */
  } else if (ev == MG_EV_HTTP_REPLY) {
    hcl.replies++;
    hcl.code = hm->resp_code;
    CHECK(hm->resp_status_msg.len > 0 && mg_vcmp(&hm->proto, "HTTP/1.1") == 0);
    copy_mg_str(hcl.body, sizeof(hcl.body), &hm->body);
    copy_mg_str(hcl.content_type, sizeof(hcl.content_type),
                mg_get_http_header(hm, "Content-Type"));
    copy_mg_str(hcl.location, sizeof(hcl.location),
                mg_get_http_header(hm, "Location"));
    copy_mg_str(hcl.x_api, sizeof(hcl.x_api), mg_get_http_header(hm, "X-Api"));
    h = mg_get_http_header(hm, "WWW-Authenticate");
    if (h != NULL) {
      CHECK(mg_http_parse_header(h, "nonce", hcl.nonce, sizeof(hcl.nonce)) > 0);
    }
    nc->flags |= MG_F_CLOSE_IMMEDIATELY;
  }
}

/* Fetches url (POSTs post_data if not NULL) and waits for the reply.
 * Returns its status code, or -1. */
static int http_fetch(struct mg_mgr *mgr, const char *url, const char *extra,
                      const char *post, const struct mg_connect_opts *opts) {
  struct mg_connection *c;
  int before = hcl.replies, i;
  hcl.code = -1;
  hcl.body[0] = hcl.chunks[0] = hcl.content_type[0] = '\0';
  hcl.location[0] = hcl.x_api[0] = '\0';
  if (opts != NULL) {
    c = mg_connect_http_opt(mgr, MG_CB(http_client_handler, NULL), *opts, url,
                            extra, post);
  } else {
    c = mg_connect_http(mgr, MG_CB(http_client_handler, NULL), url, extra,
                        post);
  }
  CHECK(c != NULL);
  if (c == NULL) return -1;
  for (i = 0; i < 2000 && hcl.replies == before; i++) mg_mgr_poll(mgr, 1);
  return hcl.replies == before ? -1 : hcl.code;
}

static void use_http(const char *dir) {
  static const char upload[] =
      "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
      "filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
      "--XyZ--\r\n";
  struct mg_mgr mgr;
  struct mg_connection *lc, *up;
  struct mg_connect_opts copts;
  const char *err = NULL;
  char path[600], rewrites[600], port[16], auth[512], back[16];
  FILE *fp;
  size_t n;

  use_http_parsing();

  /* The files: <dir>/api_http/{index.html,data.api,secret.hidden,sub/f.txt}
   * and the password file <dir>/api_http.htdigest. */
  snprintf(http_root, sizeof(http_root), "%.400s/api_http", dir);
  snprintf(http_passwd, sizeof(http_passwd), "%.400s/api_http.htdigest", dir);
  mkdir(http_root, 0755);
  snprintf(path, sizeof(path), "%s/sub", http_root);
  mkdir(path, 0755);
  snprintf(path, sizeof(path), "%s/index.html", http_root);
  write_file(path, "<p>index</p>");
  snprintf(path, sizeof(path), "%s/run.cgi", http_root);
  write_file(path,
             "printf 'Content-Type: text/plain\\n\\n'\n"
             "printf 'cgi %s' \"$QUERY_STRING\"\n");
  snprintf(path, sizeof(path), "%s/page.shtml", http_root);
  write_file(path,
             "a<!--#call api --><!--#include \"index.html\" -->"
             "<!--#exec \"echo exec\" -->b");
  snprintf(path, sizeof(path), "%s/data.api", http_root);
  write_file(path, "api-data");
  snprintf(path, sizeof(path), "%s/secret.hidden", http_root);
  write_file(path, "hidden");
  snprintf(path, sizeof(path), "%s/sub/f.txt", http_root);
  write_file(path, "sub-file");
  write_file(http_passwd, API_HTDIGEST);

  /* Every field of struct mg_serve_http_opts. The SSI, CGI and WebDAV
   * ones match no file here (and their plugins do not exist yet). */
  snprintf(rewrites, sizeof(rewrites), "/rw=%s/sub", http_root);
  memset(&http_opts, 0, sizeof(http_opts));
  http_opts.document_root = http_root;
  http_opts.index_files = "index.html";
  http_opts.per_directory_auth_file = ".htpasswd"; /* none: allowed */
  http_opts.auth_domain = "api";
  http_opts.global_auth_file = NULL; /* would protect everything */
  http_opts.enable_directory_listing = "yes";
  http_opts.ssi_pattern = "**.shtml$|**.shtm$";
  http_opts.ip_acl = "-0.0.0.0/0,+127.0.0.1"; /* mem:// is 127.0.0.1 */
#if MG_ENABLE_HTTP_URL_REWRITES
  http_opts.url_rewrites = rewrites;
#endif
  http_opts.dav_document_root = http_root;
  http_opts.dav_auth_file = "-";
  http_opts.hidden_file_pattern = "**.hidden$";
  http_opts.cgi_file_pattern = "**.cgi$|**.php$";
  http_opts.cgi_interpreter = "/bin/sh";
  http_opts.custom_mime_types = ".api=text/x-api";
  http_opts.extra_headers = "X-Api: serve";

  mg_mgr_init(&mgr, NULL);
  lc = mg_bind(&mgr, "mem://api_http", MG_CB(http_server_handler, NULL));
  CHECK(lc != NULL);
  if (lc == NULL) {
    mg_mgr_free(&mgr);
    return;
  }
  mg_set_protocol_http_websocket(lc);
  mg_register_http_endpoint(lc, "/ep", MG_CB(http_ep_handler, NULL));
  /* The upstream of mg_http_reverse_proxy(): the same server on loopback
   * TCP (the proxy connects over tcp://). */
  up = mg_bind(&mgr, "tcp://127.0.0.1:0", MG_CB(http_server_handler, NULL));
  CHECK(up != NULL);
  if (up != NULL) {
    mg_set_protocol_http_websocket(up);
    mg_conn_addr_to_str(up, port, sizeof(port), MG_SOCK_STRINGIFY_PORT);
    snprintf(http_upstream, sizeof(http_upstream), "http://127.0.0.1:%s/up",
             port);
  }

  /* Responses. */
  memset(&copts, 0, sizeof(copts));
  copts.error_string = &err;
  CHECK(http_fetch(&mgr, "mem://api_http/line", NULL, NULL, &copts) == 200);
  CHECK(strcmp(hcl.body, "line") == 0 && strcmp(hcl.x_api, "line") == 0);
  CHECK(http_fetch(&mgr, "mem://api_http/chunk", NULL, NULL, NULL) == 200);
  CHECK(hcl.chunk_events >= 3 && strcmp(hcl.chunks, "ab12&lt;b&gt;") == 0);
  CHECK(hcl.body[0] == '\0'); /* all deleted with MG_F_DELETE_CHUNK */
  CHECK(http_fetch(&mgr, "mem://api_http/error", NULL, NULL, NULL) == 404);
  CHECK(http_fetch(&mgr, "mem://api_http/redirect", NULL, NULL, NULL) == 302);
  CHECK(strcmp(hcl.location, "/line") == 0 &&
        strcmp(hcl.x_api, "redirect") == 0);
  CHECK(http_fetch(&mgr, "mem://api_http/file", NULL, NULL, NULL) == 200);
  CHECK(strcmp(hcl.body, "api-data") == 0 &&
        strcmp(hcl.content_type, "text/plain") == 0 &&
        strcmp(hcl.x_api, "file") == 0);
  CHECK(http_fetch(&mgr, "mem://api_http/form",
                   "Content-Type: application/x-www-form-urlencoded\r\n",
                   "a=1&b=x+y%21", NULL) == 200);
  CHECK(strcmp(hcl.body, "x y!") == 0);
  CHECK(http_fetch(&mgr, "mem://api_http/ep", NULL, NULL, NULL) == 200);
  CHECK(strcmp(hcl.body, "ep") == 0 && hsrv.endpoint == 1);

  /* Basic and digest authentication. */
  CHECK(http_fetch(&mgr, "mem://api_http/basic", NULL, NULL, NULL) == 401);
  CHECK(http_fetch(&mgr, "mem://u:p@api_http/basic", NULL, NULL, NULL) == 200);
  CHECK(http_fetch(&mgr, "mem://api_http/auth", NULL, NULL, NULL) == 401);
  CHECK(hcl.nonce[0] != '\0');
  CHECK(mg_http_create_digest_auth_header(auth, sizeof(auth), "GET", "/auth",
                                          "api", "user", "pass",
                                          hcl.nonce) > 0);
  CHECK(http_fetch(&mgr, "mem://api_http/auth", auth, NULL, NULL) == 200);
  CHECK(strcmp(hcl.body, "ok") == 0 && hsrv.digest_ok == 1);

  /* mg_serve_http() with the options above. */
  CHECK(http_fetch(&mgr, "mem://api_http/", NULL, NULL, NULL) == 200);
  CHECK(strcmp(hcl.body, "<p>index</p>") == 0 &&
        strcmp(hcl.x_api, "serve") == 0);
  CHECK(http_fetch(&mgr, "mem://api_http/data.api", NULL, NULL, NULL) == 200);
  CHECK(strcmp(hcl.body, "api-data") == 0 &&
        strcmp(hcl.content_type, "text/x-api") == 0);
  CHECK(http_fetch(&mgr, "mem://api_http/secret.hidden", NULL, NULL, NULL) ==
        404);
  CHECK(http_fetch(&mgr, "mem://api_http/rw/f.txt", NULL, NULL, NULL) == 200);
  CHECK(strcmp(hcl.body, "sub-file") == 0);
  CHECK(http_fetch(&mgr, "mem://api_http/sub/", NULL, NULL, NULL) == 200);
#if MG_ENABLE_HTTP_CGI
  CHECK(http_fetch(&mgr, "mem://api_http/run.cgi?x=1", NULL, NULL, NULL) ==
        200);
  CHECK(strcmp(hcl.chunks, "cgi x=1") == 0); /* chunked */
#endif
#if MG_ENABLE_HTTP_SSI
  CHECK(http_fetch(&mgr, "mem://api_http/page.shtml", NULL, NULL, NULL) == 200);
#if MG_ENABLE_HTTP_SSI_EXEC
  CHECK(strcmp(hcl.chunks, "a[api]<p>index</p>exec\nb") == 0);
#else
  CHECK(strcmp(hcl.chunks, "a[api]<p>index</p>b") == 0); /* chunked */
#endif
  CHECK(hsrv.ssi_calls == 1);
#endif

  /* The reverse proxy. */
  if (up != NULL) {
    CHECK(http_fetch(&mgr, "mem://api_http/proxy/x", NULL, NULL, NULL) == 200);
    CHECK(strcmp(hcl.body, "up:/up/x") == 0 &&
          strcmp(hcl.x_api, "upstream") == 0);
  }

  /* A streamed multipart upload into mg_file_upload_handler(). */
  CHECK(http_fetch(&mgr, "mem://api_http/upload",
                   "Content-Type: multipart/form-data; boundary=XyZ\r\n",
                   upload, NULL) == 200);
  CHECK(hsrv.mp_request == 1 && hsrv.part_begin == 1 && hsrv.part_data >= 1 &&
        hsrv.part_end == 1 && hsrv.mp_end == 1);
  snprintf(path, sizeof(path), "%s/up_a.txt", http_root);
  fp = mg_fopen(path, "rb");
  CHECK(fp != NULL);
  if (fp != NULL) {
    n = mg_fread(back, 1, sizeof(back), fp);
    CHECK(n == 5 && memcmp(back, "hello", 5) == 0);
    fclose(fp);
  }
  CHECK(hsrv.requests > 0);
  CHECK(MG_EV_HTTP_REQUEST != MG_EV_HTTP_REPLY &&
        MG_EV_HTTP_REPLY != MG_EV_HTTP_CHUNK);
  mg_mgr_free(&mgr);

  remove(path);
  snprintf(path, sizeof(path), "%s/index.html", http_root);
  remove(path);
  snprintf(path, sizeof(path), "%s/data.api", http_root);
  remove(path);
  snprintf(path, sizeof(path), "%s/secret.hidden", http_root);
  remove(path);
  snprintf(path, sizeof(path), "%s/sub/f.txt", http_root);
  remove(path);
  snprintf(path, sizeof(path), "%s/sub", http_root);
  rmdir(path);
  rmdir(http_root);
  remove(http_passwd);
}
#endif

int main(void) {
  const char *dir = getenv("TEST_TMPDIR");
  char tmpl[] = "/tmp/api_names.XXXXXX";
  FILE *scratch = tmpfile();

  if (dir == NULL) dir = mkdtemp(tmpl);
  if (dir == NULL) dir = ".";
  if (scratch == NULL) scratch = stderr;

  use_mbuf();
  use_str();
  use_base64();
  use_text_utils(scratch);
  use_files(dir);
  use_uri();
  use_flags();
  reference_only();
  use_manager(dir);
#if MG_ENABLE_MQTT && MG_ENABLE_MQTT_BROKER
  use_mqtt();
#endif
#if MG_ENABLE_DNS && MG_ENABLE_DNS_SERVER && MG_ENABLE_ASYNC_RESOLVER
  use_dns();
#endif
#if MG_ENABLE_HTTP_WEBSOCKET
  use_ws();
#endif
#if MG_ENABLE_HTTP
  use_http(dir);
#endif

  if (scratch != stderr) fclose(scratch);
  printf("api_names (%s, mongoose %s): %d failed checks\n",
#ifdef __cplusplus
         "C++",
#else
         "C",
#endif
         MG_VERSION, failures);
  return failures == 0 ? 0 : 1;
}
