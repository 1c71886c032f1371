// The plugin over the in-memory interface: the server's upgrade and its
// checks, our client, messages of every size, fragments, control frames,
// the close handshake, and each hostile input seen through a connection.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "plugins/ws/ws_test_util.h"
#include "testing/util/test_util.h"

using wstest::ClosePayload;
using wstest::Decoder;
using wstest::Frame;
using wstest::Item;
using wstest::Masked;

namespace {

using Fn = std::function<void(struct mg_connection *, int, void *)>;

// What a connection saw.
struct Peer {
  Fn fn;                              // extra behaviour, any event
  std::vector<std::string> messages;  // FRAME payloads
  std::vector<int> flags;             // FRAME flags
  std::vector<std::string> controls;  // CONTROL_FRAME payloads
  std::vector<int> control_ops;       // their op codes
  int requests = 0;                   // HANDSHAKE_REQUEST
  int done = 0;                       // HANDSHAKE_DONE
  int done_code = -1;                 // resp_code at HANDSHAKE_DONE (client)
  int http_requests = 0;              // MG_EV_HTTP_REQUEST
  int closed = 0;                     // MG_EV_CLOSE
  bool echo = false;                  // echo FRAMEs back
  std::string header;                 // header to record at HANDSHAKE_REQUEST
  std::string header_value;           // its value
  std::string raw;                    // raw bytes (raw clients)
};

void Handler(struct mg_connection *c, int ev, void *ev_data) {
  Peer *p = static_cast<Peer *>(c->user_data);
  if (p == nullptr || ev == MG_EV_POLL) return;
  switch (ev) {
    case MG_EV_WEBSOCKET_HANDSHAKE_REQUEST: {
      p->requests++;
      struct http_message *hm = static_cast<struct http_message *>(ev_data);
      if (!p->header.empty()) {
        struct mg_str *v = mg_get_http_header(hm, p->header.c_str());
        p->header_value = v == nullptr ? "<none>" : std::string(v->p, v->len);
      }
      break;
    }
    case MG_EV_WEBSOCKET_HANDSHAKE_DONE: {
      p->done++;
      struct http_message *hm = static_cast<struct http_message *>(ev_data);
      p->done_code = hm != nullptr ? hm->resp_code : -2;
      break;
    }
    case MG_EV_WEBSOCKET_FRAME: {
      struct websocket_message *wm =
          static_cast<struct websocket_message *>(ev_data);
      p->messages.emplace_back(reinterpret_cast<char *>(wm->data), wm->size);
      p->flags.push_back(wm->flags);
      if (p->echo)
        mg_send_websocket_frame(c, wm->flags & 0x0f, wm->data, wm->size);
      break;
    }
    case MG_EV_WEBSOCKET_CONTROL_FRAME: {
      struct websocket_message *wm =
          static_cast<struct websocket_message *>(ev_data);
      p->controls.emplace_back(reinterpret_cast<char *>(wm->data), wm->size);
      p->control_ops.push_back(wm->flags & 0x0f);
      break;
    }
    case MG_EV_HTTP_REQUEST:
      p->http_requests++;
      mg_send_head(c, 200, 2, nullptr);
      mg_printf(c, "%s", "ok");
      break;
    case MG_EV_CLOSE:
      p->closed++;
      break;
    default:
      break;
  }
  if (p->fn) p->fn(c, ev, ev_data);
}

void RawHandler(struct mg_connection *c, int ev, void *) {
  Peer *p = static_cast<Peer *>(c->user_data);
  if (p == nullptr) return;
  if (ev == MG_EV_RECV) {
    p->raw.append(c->recv_mbuf.buf, c->recv_mbuf.len);
    mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
  } else if (ev == MG_EV_CLOSE) {
    p->closed++;
  }
}

const char kUpgrade[] =
    "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: "
    "Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: "
    "13\r\n";

class WsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mg_mgr_init(&mgr_, nullptr);
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = &srv_;
    lc_ = mg_bind_opt(&mgr_, "mem://srv", Handler, o);
    ASSERT_NE(lc_, nullptr);
    mg_set_protocol_http_websocket(lc_);
  }
  void TearDown() override {
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      c->user_data = nullptr;
    }
    mg_mgr_free(&mgr_);
  }
  bool Until(const std::function<bool()> &pred, double secs = 10) {
    return mgtest::PollUntil(&mgr_, pred, secs);
  }
  // A raw client that sends bytes.
  struct mg_connection *Raw(Peer *p, const std::string &bytes) {
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = p;
    struct mg_connection *c = mg_connect_opt(&mgr_, "mem://srv", RawHandler, o);
    EXPECT_NE(c, nullptr);
    if (c != nullptr) mg_send(c, bytes.data(), static_cast<int>(bytes.size()));
    return c;
  }
  // A raw client past the handshake; returns the connection.
  struct mg_connection *Upgraded(Peer *p, const std::string &frames = "") {
    struct mg_connection *c = Raw(p, std::string(kUpgrade) + "\r\n" + frames);
    EXPECT_TRUE(
        Until([&] { return p->raw.find("\r\n\r\n") != std::string::npos; }));
    p->raw.erase(0, p->raw.find("\r\n\r\n") + 4);
    return c;
  }
  // Our client to mem://srv.
  struct mg_connection *Client(Peer *p, const char *url = "mem://srv/ws",
                               const char *protocol = nullptr) {
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = p;
    struct mg_connection *c =
        mg_connect_ws_opt(&mgr_, Handler, o, url, protocol, nullptr);
    EXPECT_NE(c, nullptr);
    return c;
  }
  // Frames a raw client received (server frames: unmasked).
  static std::vector<Item> Frames(const std::string &bytes) {
    Decoder d(false, ~0ull, true);
    return d.Feed(bytes);
  }
  // Sends bytes after the handshake; returns the close status the server
  // sent before closing, or -1.
  int StatusFor(const std::string &frames) {
    Peer p;
    Upgraded(&p, frames);
    if (!Until([&] { return p.closed > 0; })) return -1;
    std::vector<Item> items = Frames(p.raw);
    if (items.empty() || items.back().kind != MG__WS_CONTROL ||
        items.back().payload.size() < 2) {
      return -1;
    }
    const std::string &c = items.back().payload;
    return (static_cast<unsigned char>(c[0]) << 8) |
           static_cast<unsigned char>(c[1]);
  }

  struct mg_mgr mgr_;
  struct mg_connection *lc_ = nullptr;
  Peer srv_;
};

TEST_F(WsTest, ServerHandshakeOfRfc6455) {
  Peer p;
  Raw(&p, std::string(kUpgrade) + "\r\n");
  ASSERT_TRUE(
      Until([&] { return p.raw.find("\r\n\r\n") != std::string::npos; }));
  EXPECT_EQ(p.raw.find("HTTP/1.1 101 Switching Protocols\r\n"), 0u);
  EXPECT_NE(
      p.raw.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"),
      std::string::npos);
  EXPECT_NE(p.raw.find("Upgrade: websocket\r\n"), std::string::npos);
  EXPECT_EQ(p.raw.find("Sec-WebSocket-Protocol"), std::string::npos);
  EXPECT_EQ(srv_.requests, 1);
  EXPECT_EQ(srv_.done, 1);
  EXPECT_EQ(srv_.http_requests, 0);
}

TEST_F(WsTest, EchoThroughARawClientAndFramesRightAfterTheHandshake) {
  srv_.echo = true;
  Peer p;
  // The first frame comes in the same write as the handshake.
  Upgraded(&p, Masked(WEBSOCKET_OP_TEXT, "first"));
  ASSERT_TRUE(Until([&] { return Frames(p.raw).size() == 1; }));
  std::vector<Item> items = Frames(p.raw);
  EXPECT_EQ(items[0].payload, "first");
  EXPECT_EQ(items[0].flags, 0x80 | WEBSOCKET_OP_TEXT);
  ASSERT_EQ(srv_.messages.size(), 1u);
  EXPECT_EQ(srv_.messages[0], "first");
}

TEST_F(WsTest, ClientAndServerEchoEverySize) {
  srv_.echo = true;
  Peer cl;
  struct mg_connection *c = Client(&cl);
  ASSERT_TRUE(Until([&] { return cl.done == 1; }));
  EXPECT_EQ(cl.done_code, 101);
  EXPECT_TRUE(c->flags & MG_F_IS_WEBSOCKET);
  std::vector<size_t> sizes = {0, 1, 125, 126, 127, 65535, 65536, 1 << 20};
  for (size_t n : sizes) {
    std::string text(n, 'a'), bin(n, '\0');
    for (size_t i = 0; i < n; i++) bin[i] = static_cast<char>(i * 7);
    mg_send_websocket_frame(c, WEBSOCKET_OP_TEXT, text.data(), text.size());
    mg_send_websocket_frame(c, WEBSOCKET_OP_BINARY, bin.data(), bin.size());
  }
  ASSERT_TRUE(Until([&] { return cl.messages.size() == 2 * sizes.size(); }));
  for (size_t i = 0; i < sizes.size(); i++) {
    EXPECT_EQ(cl.messages[2 * i].size(), sizes[i]);
    EXPECT_EQ(cl.flags[2 * i], 0x80 | WEBSOCKET_OP_TEXT);
    EXPECT_EQ(cl.flags[2 * i + 1], 0x80 | WEBSOCKET_OP_BINARY);
    EXPECT_EQ(cl.messages[2 * i + 1], srv_.messages[2 * i + 1]);
  }
}

TEST_F(WsTest, ClientFramesAreMaskedWithFreshKeys) {
  // A raw server sees what our client sends.
  Peer raw;
  struct mg_bind_opts o;
  memset(&o, 0, sizeof(o));
  o.user_data = &raw;
  ASSERT_NE(mg_bind_opt(&mgr_, "mem://raw", RawHandler, o), nullptr);
  Peer cl;
  struct mg_connection *c = Client(&cl, "mem://raw/x");
  ASSERT_TRUE(
      Until([&] { return raw.raw.find("\r\n\r\n") != std::string::npos; }));
  EXPECT_EQ(raw.raw.find("GET /x HTTP/1.1\r\n"), 0u);
  EXPECT_NE(raw.raw.find("Sec-WebSocket-Version: 13\r\n"), std::string::npos);
  mg_send_websocket_frame(c, WEBSOCKET_OP_TEXT, "aaaa", 4);
  mg_send_websocket_frame(c, WEBSOCKET_OP_TEXT, "aaaa", 4);
  size_t head = raw.raw.find("\r\n\r\n") + 4;
  ASSERT_TRUE(Until([&] { return raw.raw.size() >= head + 20; }));
  std::string f1 = raw.raw.substr(head, 10), f2 = raw.raw.substr(head + 10, 10);
  EXPECT_EQ(static_cast<unsigned char>(f1[1]), 0x84);  // MASK bit, length 4
  EXPECT_NE(f1.substr(2, 4), f2.substr(2, 4));         // keys differ
  Decoder d(true);
  std::vector<Item> items = d.Feed(raw.raw.substr(head));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].payload, "aaaa");
}

TEST_F(WsTest, PrintfAndFramevAndDontFin) {
  srv_.echo = true;
  Peer cl;
  struct mg_connection *c = Client(&cl);
  ASSERT_TRUE(Until([&] { return cl.done == 1; }));
  mg_printf_websocket_frame(c, WEBSOCKET_OP_TEXT, "n=%d %s", 42, "x");
  struct mg_str parts[3] = {mg_mk_str("ab"), mg_mk_str(""), mg_mk_str("cd")};
  mg_send_websocket_framev(c, WEBSOCKET_OP_BINARY, parts, 3);
  mg_send_websocket_frame(c, WEBSOCKET_OP_TEXT | WEBSOCKET_DONT_FIN, "fra", 3);
  mg_send_websocket_frame(c, WEBSOCKET_OP_CONTINUE, "g", 1);
  ASSERT_TRUE(Until([&] { return cl.messages.size() == 3; }));
  EXPECT_EQ(cl.messages[0], "n=42 x");
  EXPECT_EQ(cl.messages[1], "abcd");
  EXPECT_EQ(cl.messages[2], "frag");
  EXPECT_EQ(srv_.flags[2], 0x80 | WEBSOCKET_OP_TEXT);
}

TEST_F(WsTest, HandshakeChecks) {
  struct Case {
    std::string req;
    int code;
  } cases[] = {
      {"POST /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: "
       "13\r\n\r\n",
       400},
      {"GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Version: 13\r\n\r\n",
       400},  // no key
      {"GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n\r\n",
       400},  // key not 16 bytes
      {"GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n"
       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: "
       "13\r\n\r\n",
       400},  // no upgrade token
      {"GET /ws HTTP/1.1\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: "
       "13\r\n\r\n",
       400},  // no Upgrade header
      {"GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: "
       "8\r\n\r\n",
       426},
      {"GET /ws HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: "
       "13\r\n\r\n",
       400},
      {"GET /ws HTTP/1.1\r\nUpgrade: h2c, WebSocket\r\nConnection: keep-alive, "
       "Upgrade\r\n"
       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: "
       "13\r\n\r\n",
       101},  // token lists, any case
  };
  for (const Case &k : cases) {
    Peer p;
    Raw(&p, k.req);
    ASSERT_TRUE(Until([&] {
      return p.raw.find("\r\n\r\n") != std::string::npos;
    })) << k.req;
    EXPECT_EQ(p.raw.substr(0, 12), "HTTP/1.1 " + std::to_string(k.code))
        << k.req;
    if (k.code == 426) {
      EXPECT_NE(p.raw.find("Sec-WebSocket-Version: 13"), std::string::npos);
    }
    if (k.code != 101) {
      EXPECT_TRUE(Until([&] { return p.closed > 0; }));
    }
  }
  EXPECT_EQ(srv_.requests, 1);
}

Peer *g_endpoint = nullptr;

void EndpointHandler(struct mg_connection *c, int ev, void *ev_data) {
  void *saved = c->user_data;
  c->user_data = g_endpoint;
  Handler(c, ev, ev_data);
  c->user_data = saved;
}

TEST_F(WsTest, EndpointHandlerGetsTheWebSocketEvents) {
  Peer ep;
  ep.echo = true;
  g_endpoint = &ep;
  mg_register_http_endpoint(lc_, "/ep", EndpointHandler);
  Peer cl;
  struct mg_connection *c = Client(&cl, "mem://srv/ep/room");
  ASSERT_TRUE(Until([&] { return cl.done == 1; }));
  mg_send_websocket_frame(c, WEBSOCKET_OP_TEXT, "to endpoint", 11);
  ASSERT_TRUE(Until([&] { return cl.messages.size() == 1; }));
  EXPECT_EQ(cl.messages[0], "to endpoint");
  EXPECT_EQ(ep.requests, 1);
  EXPECT_EQ(ep.done, 1);
  EXPECT_EQ(ep.messages.size(), 1u);
  EXPECT_EQ(srv_.requests, 0);
  EXPECT_EQ(srv_.done, 0);
  EXPECT_TRUE(srv_.messages.empty());
  g_endpoint = nullptr;
  for (struct mg_connection *s = mg_next(&mgr_, nullptr); s;
       s = mg_next(&mgr_, s)) {
    if (s->handler == EndpointHandler) s->flags |= MG_F_CLOSE_IMMEDIATELY;
  }
  mg_mgr_poll(&mgr_, 0);
}

TEST_F(WsTest, PlainHttpStillWorks) {
  Peer p;
  Raw(&p, "GET /page HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(Until([&] { return p.raw.find("ok") != std::string::npos; }));
  EXPECT_EQ(srv_.http_requests, 1);
  EXPECT_EQ(srv_.requests, 0);
}

TEST_F(WsTest, HandlerRefusesTheUpgrade) {
  srv_.fn = [](struct mg_connection *c, int ev, void *) {
    if (ev == MG_EV_WEBSOCKET_HANDSHAKE_REQUEST)
      c->flags |= MG_F_SEND_AND_CLOSE;
  };
  Peer p;
  Raw(&p, std::string(kUpgrade) + "\r\n");
  ASSERT_TRUE(Until([&] { return p.closed > 0; }));
  EXPECT_EQ(p.raw.substr(0, 12), "HTTP/1.1 403");
  EXPECT_EQ(srv_.done, 0);
  // With its own response.
  srv_.fn = [](struct mg_connection *c, int ev, void *) {
    if (ev == MG_EV_WEBSOCKET_HANDSHAKE_REQUEST)
      mg_http_send_error(c, 401, nullptr);
  };
  Peer p2;
  Raw(&p2, std::string(kUpgrade) + "\r\n");
  ASSERT_TRUE(Until([&] { return p2.closed > 0; }));
  EXPECT_EQ(p2.raw.substr(0, 12), "HTTP/1.1 401");
  EXPECT_EQ(srv_.done, 0);
  // Our client sees the refusal as a handshake that failed.
  Peer cl;
  Client(&cl);
  ASSERT_TRUE(Until([&] { return cl.closed > 0; }));
  EXPECT_EQ(cl.done, 1);
  EXPECT_EQ(cl.done_code, 401);
}

TEST_F(WsTest, SubprotocolChosenByTheHandler) {
  srv_.header = "Sec-WebSocket-Protocol";
  srv_.fn = [](struct mg_connection *c, int ev, void *) {
    if (ev == MG_EV_WEBSOCKET_HANDSHAKE_REQUEST)
      mg_ws_set_protocol(c, "chat.v2");
  };
  Peer cl;
  Client(&cl, "mem://srv/ws", "chat.v1, chat.v2");
  ASSERT_TRUE(Until([&] { return cl.done == 1; }));
  EXPECT_EQ(cl.done_code, 101);
  EXPECT_EQ(srv_.header_value, "chat.v1, chat.v2");
  // A server that picks what was not offered fails our client's check.
  srv_.fn = [](struct mg_connection *c, int ev, void *) {
    if (ev == MG_EV_WEBSOCKET_HANDSHAKE_REQUEST) mg_ws_set_protocol(c, "other");
  };
  Peer cl2;
  Client(&cl2, "mem://srv/ws", "chat.v1");
  ASSERT_TRUE(Until([&] { return cl2.closed > 0; }));
  EXPECT_EQ(cl2.done, 1);
  EXPECT_EQ(cl2.done_code, 0);
}

TEST_F(WsTest, ClientChecksTheAcceptKey) {
  // A raw server answering with a wrong Sec-WebSocket-Accept.
  Peer raw;
  struct mg_bind_opts o;
  memset(&o, 0, sizeof(o));
  o.user_data = &raw;
  ASSERT_NE(mg_bind_opt(&mgr_, "mem://liar", RawHandler, o), nullptr);
  Peer cl;
  Client(&cl, "mem://liar/");
  ASSERT_TRUE(
      Until([&] { return raw.raw.find("\r\n\r\n") != std::string::npos; }));
  for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
       c = mg_next(&mgr_, c)) {
    if (c->user_data == &raw && c->listener != nullptr) {
      mg_printf(c, "%s",
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
    }
  }
  ASSERT_TRUE(Until([&] { return cl.closed > 0; }));
  EXPECT_EQ(cl.done, 1);
  EXPECT_EQ(cl.done_code, 0);
}

TEST_F(WsTest, BasicAuthFromTheUrl) {
  srv_.header = "Authorization";
  Peer cl;
  Client(&cl, "mem://user:secret@srv/ws");
  ASSERT_TRUE(Until([&] { return cl.done == 1; }));
  EXPECT_EQ(srv_.header_value, "Basic dXNlcjpzZWNyZXQ=");
}

TEST_F(WsTest, AutomaticPongAndControlEvents) {
  Peer p;
  Upgraded(&p, Masked(WEBSOCKET_OP_PING, "are you there") +
                   Masked(WEBSOCKET_OP_PONG, "unsolicited"));
  ASSERT_TRUE(Until([&] { return Frames(p.raw).size() == 1; }));
  std::vector<Item> items = Frames(p.raw);
  EXPECT_EQ(items[0].flags, 0x80 | WEBSOCKET_OP_PONG);
  EXPECT_EQ(items[0].payload, "are you there");
  ASSERT_TRUE(Until([&] { return srv_.controls.size() == 2; }));
  EXPECT_EQ(srv_.control_ops[0], WEBSOCKET_OP_PING);
  EXPECT_EQ(srv_.control_ops[1], WEBSOCKET_OP_PONG);
}

TEST_F(WsTest, CloseIsEchoedThenTheConnectionCloses) {
  Peer p;
  Upgraded(&p, Masked(WEBSOCKET_OP_CLOSE, ClosePayload(4000, "bye")) +
                   Masked(WEBSOCKET_OP_TEXT, "after close: ignored"));
  ASSERT_TRUE(Until([&] { return p.closed > 0; }));
  std::vector<Item> items = Frames(p.raw);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].flags, 0x80 | WEBSOCKET_OP_CLOSE);
  EXPECT_EQ(items[0].payload, ClosePayload(4000));
  EXPECT_TRUE(srv_.messages.empty());
  ASSERT_EQ(srv_.control_ops.size(), 1u);
  EXPECT_EQ(srv_.controls[0], ClosePayload(4000, "bye"));
  // An empty CLOSE gets an empty one back.
  Peer p2;
  Upgraded(&p2, Masked(WEBSOCKET_OP_CLOSE, ""));
  ASSERT_TRUE(Until([&] { return p2.closed > 0; }));
  items = Frames(p2.raw);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].payload, "");
}

TEST_F(WsTest, ServerInitiatedCloseBetweenOurClientAndServer) {
  srv_.fn = [](struct mg_connection *c, int ev, void *) {
    if (ev == MG_EV_WEBSOCKET_FRAME) {
      mg_send_websocket_frame(c, WEBSOCKET_OP_CLOSE, "\x03\xe9going", 7);
    }
  };
  Peer cl;
  struct mg_connection *c = Client(&cl);
  ASSERT_TRUE(Until([&] { return cl.done == 1; }));
  mg_send_websocket_frame(c, WEBSOCKET_OP_TEXT, "hi", 2);
  ASSERT_TRUE(Until([&] { return cl.closed > 0 && srv_.closed > 0; }));
  ASSERT_EQ(cl.control_ops.size(), 1u);
  EXPECT_EQ(cl.controls[0], ClosePayload(1001, "going"));
  ASSERT_EQ(srv_.control_ops.size(), 1u);  // our client echoed 1001
  EXPECT_EQ(srv_.controls[0], ClosePayload(1001));
}

TEST_F(WsTest, CloseTimesOutWhenThePeerNeverAnswers) {
  struct mg_ws_opts o = mg_ws_get_options(&mgr_);
  EXPECT_EQ(o.max_message_size,
            static_cast<size_t>(MG_WEBSOCKET_MAX_MESSAGE_SIZE));
  o.close_timeout = 0.2;
  ASSERT_EQ(mg_ws_set_options(&mgr_, &o), 0);
  srv_.fn = [](struct mg_connection *c, int ev, void *) {
    if (ev == MG_EV_WEBSOCKET_HANDSHAKE_DONE)
      mg_send_websocket_frame(c, WEBSOCKET_OP_CLOSE, "", 0);
  };
  Peer p;
  Upgraded(&p);
  ASSERT_TRUE(Until([&] { return p.closed > 0; }, 5));
  EXPECT_EQ(Frames(p.raw).size(), 1u);
}

TEST_F(WsTest, IdleConnectionsArePinged) {
  struct mg_ws_opts o = mg_ws_get_options(&mgr_);
  EXPECT_EQ(o.ping_interval, MG_WEBSOCKET_PING_INTERVAL_SECONDS);
  o.ping_interval = 0.1;
  ASSERT_EQ(mg_ws_set_options(&mgr_, &o), 0);
  Peer p;
  Upgraded(&p);
  ASSERT_TRUE(Until([&] { return Frames(p.raw).size() >= 2; }, 5));
  std::vector<Item> items = Frames(p.raw);
  EXPECT_EQ(items[0].flags, 0x80 | WEBSOCKET_OP_PING);
  EXPECT_EQ(items[0].payload, "");
  // Our client answers them: the server sees PONGs.
  Peer cl;
  Client(&cl);
  ASSERT_TRUE(Until(
      [&] {
        for (int op : srv_.control_ops) {
          if (op == WEBSOCKET_OP_PONG) return true;
        }
        return false;
      },
      5));
  // Negative: none.
  o.ping_interval = -1;
  ASSERT_EQ(mg_ws_set_options(&mgr_, &o), 0);
  Peer q;
  Upgraded(&q);
  mgtest::PollFor(&mgr_, 0.3);
  EXPECT_TRUE(q.raw.empty());
}

TEST_F(WsTest, NoDefragFlagDeliversFrames) {
  srv_.fn = [](struct mg_connection *c, int ev, void *) {
    if (ev == MG_EV_WEBSOCKET_HANDSHAKE_DONE)
      c->flags |= MG_F_WEBSOCKET_NO_DEFRAG;
  };
  Peer p;
  Upgraded(&p, Masked(WEBSOCKET_OP_BINARY, "one", false) +
                   Masked(WEBSOCKET_OP_CONTINUE, "two"));
  ASSERT_TRUE(Until([&] { return srv_.messages.size() == 2; }));
  EXPECT_EQ(srv_.messages[0], "one");
  EXPECT_EQ(srv_.flags[0], WEBSOCKET_OP_BINARY);
  EXPECT_EQ(srv_.messages[1], "two");
  EXPECT_EQ(srv_.flags[1], 0x80 | WEBSOCKET_OP_CONTINUE);
}

// Hostile input through a connection: the server answers with the right
// close status, then closes.

TEST_F(WsTest, HostileFragmentsWithPingsWhileTheBufferGrows) {
  Peer p;
  std::string big(200000, 'b');
  std::string all = Masked(WEBSOCKET_OP_TEXT, "start-", false);
  for (int i = 0; i < 20; i++) {
    all += Masked(WEBSOCKET_OP_PING, "ping" + std::to_string(i));
    all += Masked(WEBSOCKET_OP_CONTINUE, big.substr(0, 10000), false);
  }
  all += Masked(WEBSOCKET_OP_CONTINUE, "-end");
  struct mg_connection *c = Upgraded(&p);
  for (size_t off = 0; off < all.size(); off += 777) {
    std::string piece = all.substr(off, 777);
    mg_send(c, piece.data(), static_cast<int>(piece.size()));
    mg_mgr_poll(&mgr_, 0);
  }
  ASSERT_TRUE(Until([&] { return srv_.messages.size() == 1; }));
  EXPECT_EQ(srv_.messages[0], "start-" + std::string(200000, 'b') + "-end");
  EXPECT_EQ(srv_.controls.size(), 20u);
  ASSERT_TRUE(Until([&] { return Frames(p.raw).size() == 20; }));
  EXPECT_EQ(Frames(p.raw)[19].payload, "ping19");
}

TEST_F(WsTest, HostileSixtyFourBitLengthThatWraps) {
  std::string f = std::string("\x82\xff\xff") + std::string(6, '\xff') +
                  "\xfc" + "abcd" + "xyz";
  EXPECT_EQ(StatusFor(f), 1002);
  f = std::string("\x82\xff\x7f") + std::string(6, '\xff') + "\xfc" + "abcd" +
      "xyz";
  EXPECT_EQ(StatusFor(f), 1009);
}

TEST_F(WsTest, HostileLengthLargerThanTheLimit) {
  struct mg_ws_opts o;
  memset(&o, 0, sizeof(o));
  o.max_message_size = 1000;
  ASSERT_EQ(mg_ws_set_options(&mgr_, &o), 0);
  EXPECT_EQ(mg_ws_get_options(&mgr_).max_message_size, 1000u);
  std::string f = Masked(WEBSOCKET_OP_BINARY, std::string(5000, 'x'));
  EXPECT_EQ(StatusFor(f.substr(0, 8)), 1009);  // the header alone suffices
  EXPECT_EQ(StatusFor(Masked(WEBSOCKET_OP_TEXT, std::string(600, 'x'), false) +
                      Masked(WEBSOCKET_OP_CONTINUE, std::string(600, 'x'))),
            1009);
}

TEST_F(WsTest, HostileContinuationWithoutStart) {
  EXPECT_EQ(StatusFor(Masked(WEBSOCKET_OP_CONTINUE, "x")), 1002);
}

TEST_F(WsTest, HostileNewDataFrameInsideAFragmentedMessage) {
  EXPECT_EQ(StatusFor(Masked(WEBSOCKET_OP_TEXT, "a", false) +
                      Masked(WEBSOCKET_OP_TEXT, "b")),
            1002);
}

TEST_F(WsTest, HostileUnmaskedClientFrame) {
  EXPECT_EQ(StatusFor(Frame(WEBSOCKET_OP_TEXT, "hi")), 1002);
}

TEST_F(WsTest, HostileInvalidUtf8SplitAcrossFragments) {
  EXPECT_EQ(StatusFor(Masked(WEBSOCKET_OP_TEXT, "ok \xe2\x82", false) +
                      Masked(WEBSOCKET_OP_CONTINUE, "\x28")),
            1007);
  EXPECT_TRUE(srv_.messages.empty());
}

TEST_F(WsTest, HostileCloseWithOneBytePayloadOrInvalidCode) {
  EXPECT_EQ(StatusFor(Masked(WEBSOCKET_OP_CLOSE, "\x03")), 1002);
  EXPECT_EQ(StatusFor(Masked(WEBSOCKET_OP_CLOSE, ClosePayload(1005))), 1002);
  EXPECT_EQ(StatusFor(Masked(WEBSOCKET_OP_CLOSE, ClosePayload(999))), 1002);
  EXPECT_EQ(
      StatusFor(Masked(WEBSOCKET_OP_CLOSE, ClosePayload(1000, "\xc0\x80"))),
      1007);
}

TEST_F(WsTest, HostileRsvBitsAndBigOrFragmentedControlFrames) {
  EXPECT_EQ(StatusFor(Frame(WEBSOCKET_OP_TEXT, "x", true, "abcd", 0x40)), 1002);
  EXPECT_EQ(StatusFor(Masked(WEBSOCKET_OP_PING, std::string(126, 'p'))), 1002);
  EXPECT_EQ(StatusFor(Masked(WEBSOCKET_OP_PING, "p", false)), 1002);
  EXPECT_EQ(StatusFor(Masked(3, "reserved op")), 1002);
}

TEST_F(WsTest, ServerFramesToOurClientMustNotBeMasked) {
  Peer raw;
  struct mg_bind_opts o;
  memset(&o, 0, sizeof(o));
  o.user_data = &raw;
  ASSERT_NE(mg_bind_opt(&mgr_, "mem://masker", RawHandler, o), nullptr);
  Peer cl;
  struct mg_connection *c = Client(&cl, "mem://masker/");
  ASSERT_TRUE(
      Until([&] { return raw.raw.find("\r\n\r\n") != std::string::npos; }));
  // Answer with the right key (the request is in raw.raw), then a masked frame.
  size_t k = raw.raw.find("Sec-WebSocket-Key: ") + 19;
  std::string key = raw.raw.substr(k, 24);
  char accept[29];
  mg__ws_accept_key(mg_mk_str_n(key.data(), key.size()), accept);
  std::string reply =
      std::string(
          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
          "Connection: Upgrade\r\nSec-WebSocket-Accept: ") +
      accept + "\r\n\r\n" + Frame(WEBSOCKET_OP_TEXT, "fine") +
      Masked(WEBSOCKET_OP_TEXT, "masked");
  for (struct mg_connection *s = mg_next(&mgr_, nullptr); s;
       s = mg_next(&mgr_, s)) {
    if (s->user_data == &raw && s->listener != nullptr) {
      mg_send(s, reply.data(), static_cast<int>(reply.size()));
    }
  }
  size_t head = raw.raw.find("\r\n\r\n") + 4;
  ASSERT_TRUE(
      Until([&] { return cl.closed > 0 && raw.raw.size() >= head + 8; }));
  EXPECT_EQ(cl.done_code, 101);
  ASSERT_EQ(cl.messages.size(), 1u);
  EXPECT_EQ(cl.messages[0], "fine");
  (void) c;
  Decoder d(true);
  std::vector<Item> items = d.Feed(raw.raw.substr(head));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].payload, ClosePayload(1002));
}

TEST_F(WsTest, BadUrlsAreRefused) {
  const char *err = nullptr;
  struct mg_connect_opts o;
  memset(&o, 0, sizeof(o));
  o.error_string = &err;
  EXPECT_EQ(mg_connect_ws_opt(&mgr_, Handler, o, "ftp://x/", nullptr, nullptr),
            nullptr);
  EXPECT_STREQ(err, "unsupported URL scheme");
  EXPECT_EQ(
      mg_connect_ws_opt(&mgr_, Handler, o, "ws://:99999/", nullptr, nullptr),
      nullptr);
  EXPECT_EQ(mg_connect_ws(&mgr_, Handler, nullptr, nullptr, nullptr), nullptr);
}

}  // namespace
