// MQTT over WebSocket over the in-memory interface: our WebSocket client
// sends MQTT packets built by hand in binary frames (a packet split across
// frames, several packets in one frame) to a broker that also has a TCP
// listener, whose clients exchange messages with the WebSocket ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "plugins/mqtt/mqtt_test_packets.h"
#include "plugins/mqtt_ws/mqtt_ws.h"
#include "testing/util/test_util.h"

namespace {

// --- MQTT packets by hand (plugins/mqtt/mqtt_test_packets.h) ---

using mqtttest::B;
using mqtttest::ConnectPacket;
using mqtttest::P;
using mqtttest::PublishPacket;
using mqtttest::S;
using mqtttest::SubscribePacket;

// A clean-session CONNECT with keep-alive 60, and a will (QoS 1) if given.
std::string ConnectPkt(const std::string &id,
                       const std::string &will_topic = "",
                       const std::string &will_msg = "") {
  int flags = 0x02 | (will_topic.empty() ? 0 : 0x04 | 0x08);
  return ConnectPacket(flags, 60, id,
                       will_topic.empty() ? "" : S(will_topic) + S(will_msg));
}

// --- What a client saw ---

struct Pkt {
  int cmd = 0, qos = 0, id = 0, code = -1;
  std::string topic, payload;
};

struct Peer {
  struct mg_connection *nc = nullptr;
  bool ws = false;                  // WebSocket client (else TCP MQTT)
  std::string rx;                   // WS: MQTT bytes not yet decoded
  std::vector<Pkt> pkts;            // packets received
  std::vector<size_t> frame_sizes;  // WS: binary frames received
  int done = 0, done_code = -1;     // WS: HANDSHAKE_DONE, its resp_code
  std::string proto;                // WS: Sec-WebSocket-Protocol answered
  std::vector<int> close_status;    // WS: CLOSE frames received (status)
  int other_frames = 0;             // WS: non-binary data frames
  int closed = 0;                   // MG_EV_CLOSE
  std::string http;                 // plain HTTP reply body

  int Count(int cmd) const {
    int n = 0;
    for (const Pkt &p : pkts) n += p.cmd == cmd;
    return n;
  }
  std::vector<Pkt> Of(int cmd) const {
    std::vector<Pkt> v;
    for (const Pkt &p : pkts) {
      if (p.cmd == cmd) v.push_back(p);
    }
    return v;
  }
};

void Record(Peer *p, const struct mg_mqtt_message &mm) {
  Pkt k;
  k.cmd = mm.cmd;
  k.qos = mm.qos;
  k.id = mm.message_id;
  k.code = mm.cmd == MG_MQTT_CMD_CONNACK ? mm.connack_ret_code : -1;
  k.topic.assign(mm.topic.p ? mm.topic.p : "", mm.topic.len);
  k.payload.assign(mm.payload.p ? mm.payload.p : "", mm.payload.len);
  p->pkts.push_back(k);
}

void ClientHandler(struct mg_connection *c, int ev, void *ev_data) {
  Peer *p = static_cast<Peer *>(c->user_data);
  if (p == nullptr) return;
  if (ev == MG_EV_CLOSE) {
    p->closed++;
    p->nc = nullptr;
  } else if (ev == MG_EV_WEBSOCKET_HANDSHAKE_DONE) {
    struct http_message *hm = static_cast<struct http_message *>(ev_data);
    struct mg_str *v = mg_get_http_header(hm, "Sec-WebSocket-Protocol");
    p->done++;
    p->done_code = hm->resp_code;
    p->proto = v == nullptr ? "<none>" : std::string(v->p, v->len);
  } else if (ev == MG_EV_WEBSOCKET_FRAME) {
    struct websocket_message *wm =
        static_cast<struct websocket_message *>(ev_data);
    if ((wm->flags & 0x0f) != WEBSOCKET_OP_BINARY) {
      p->other_frames++;
      return;
    }
    p->frame_sizes.push_back(wm->size);
    p->rx.append(reinterpret_cast<const char *>(wm->data), wm->size);
    for (int i = 0; i < 1000; i++) {
      struct mg_mqtt_message mm;
      int n = mg_mqtt_parse(p->rx.data(), p->rx.size(), &mm);
      ASSERT_GE(n, 0) << "malformed MQTT from the broker";
      if (n == 0) break;
      Record(p, mm);
      p->rx.erase(0, static_cast<size_t>(n));
    }
  } else if (ev == MG_EV_WEBSOCKET_CONTROL_FRAME) {
    struct websocket_message *wm =
        static_cast<struct websocket_message *>(ev_data);
    if ((wm->flags & 0x0f) == WEBSOCKET_OP_CLOSE) {
      p->close_status.push_back(wm->size >= 2 ? (wm->data[0] << 8) | wm->data[1]
                                              : 0);
    }
  } else if (ev == MG_EV_HTTP_REPLY) {
    struct http_message *hm = static_cast<struct http_message *>(ev_data);
    p->http.assign(hm->body.p, hm->body.len);
  } else if (ev >= MG_EV_MQTT_CONNECT && ev <= MG_EV_MQTT_DISCONNECT) {
    struct mg_mqtt_message *mm = static_cast<struct mg_mqtt_message *>(ev_data);
    Record(p, *mm);
    if (mm->cmd == MG_MQTT_CMD_PUBLISH && mm->qos == 1)
      mg_mqtt_puback(c, mm->message_id);
  }
}

// What the listeners' handler saw.
struct App {
  std::vector<int> events;  // not POLL
  int http_requests = 0;
  bool refuse_ws = false;          // refuse every upgrade
  const char *protocol = nullptr;  // subprotocol the handler picks itself
};

void AppHandler(struct mg_connection *c, int ev, void *ev_data) {
  App *a = static_cast<App *>(c->user_data);
  if (a == nullptr || ev == MG_EV_POLL) return;
  a->events.push_back(ev);
  if (ev == MG_EV_HTTP_REQUEST) {
    a->http_requests++;
    mg_printf(c, "%s", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
  } else if (ev == MG_EV_WEBSOCKET_HANDSHAKE_REQUEST && a->refuse_ws) {
    c->flags |= MG_F_SEND_AND_CLOSE;
  } else if (ev == MG_EV_WEBSOCKET_HANDSHAKE_REQUEST &&
             a->protocol != nullptr) {
    mg_ws_set_protocol(c, a->protocol);
  } else if (ev == MG_EV_WEBSOCKET_FRAME) {
    struct websocket_message *wm =
        static_cast<struct websocket_message *>(ev_data);
    mg_send_websocket_frame(c, WEBSOCKET_OP_TEXT, wm->data, wm->size);  // echo
  }
  (void) ev_data;
}

class MqttWsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mg_mgr_init(&mgr_, nullptr);
    mg_mqtt_broker_init(&brk_, nullptr);
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = &app_;
    tcp_ = mg_bind_opt(&mgr_, "mem://tcp", AppHandler, o);
    ws_ = mg_bind_opt(&mgr_, "mem://ws", AppHandler, o);
    ASSERT_NE(tcp_, nullptr);
    ASSERT_NE(ws_, nullptr);
    mg_mqtt_broker_attach(&brk_, tcp_);
    ASSERT_EQ(mg_mqtt_ws_attach(&brk_, ws_), 0);
  }
  void TearDown() override {
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      if (c->handler == ClientHandler) c->user_data = nullptr;
    }
    mg_mgr_free(&mgr_);
    mg_mqtt_broker_free(&brk_);
  }

  bool Until(const std::function<bool()> &pred, double secs = 5.0) {
    return mgtest::PollUntil(&mgr_, pred, secs);
  }

  // A WebSocket client offering protocol (nullptr: none); upgraded.
  Peer *Ws(const char *protocol = "mqtt", const char *path = "/mqtt") {
    peers_.emplace_back(new Peer);
    Peer *p = peers_.back().get();
    p->ws = true;
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = p;
    std::string url = std::string("mem://ws") + path;
    p->nc = mg_connect_ws_opt(&mgr_, ClientHandler, o, url.c_str(), protocol,
                              nullptr);
    EXPECT_NE(p->nc, nullptr);
    EXPECT_TRUE(Until([&] { return p->done > 0 || p->closed > 0; }));
    return p;
  }

  // A WebSocket client that sent CONNECT and got CONNACK.
  Peer *WsConnected(const std::string &id) {
    Peer *p = Ws();
    EXPECT_EQ(p->done_code, 101);
    Send(p, ConnectPkt(id));
    EXPECT_TRUE(
        Until([&] { return p->Count(MG_MQTT_CMD_CONNACK) > 0 || p->closed; }));
    return p;
  }

  // One binary frame from a WebSocket client.
  void Send(Peer *p, const std::string &bytes) {
    ASSERT_NE(p->nc, nullptr);
    mg_send_websocket_frame(p->nc, WEBSOCKET_OP_BINARY, bytes.data(),
                            bytes.size());
  }

  // A TCP MQTT client that got CONNACK.
  Peer *Tcp(const std::string &id) {
    peers_.emplace_back(new Peer);
    Peer *p = peers_.back().get();
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = p;
    p->nc = mg_connect_opt(&mgr_, "mem://tcp", ClientHandler, o);
    EXPECT_NE(p->nc, nullptr);
    mg_set_protocol_mqtt(p->nc);
    struct mg_send_mqtt_handshake_opts h;
    memset(&h, 0, sizeof(h));
    h.flags = MG_MQTT_CLEAN_SESSION;
    mg_send_mqtt_handshake_opt(p->nc, id.c_str(), h);
    EXPECT_TRUE(
        Until([&] { return p->Count(MG_MQTT_CMD_CONNACK) > 0 || p->closed; }));
    return p;
  }

  void TcpSubscribe(Peer *p, const char *filter, int qos) {
    struct mg_mqtt_topic_expression te = {filter, static_cast<uint8_t>(qos)};
    int n = p->Count(MG_MQTT_CMD_SUBACK);
    mg_mqtt_subscribe(p->nc, &te, 1, 9);
    ASSERT_TRUE(Until([&] { return p->Count(MG_MQTT_CMD_SUBACK) > n; }));
  }

  struct mg_mqtt_session *Session(const std::string &id) {
    for (struct mg_mqtt_session *s = mg_mqtt_next(&brk_, nullptr); s;
         s = mg_mqtt_next(&brk_, s)) {
      if (id == s->client_id) return s;
    }
    return nullptr;
  }

  struct mg_mgr mgr_;
  struct mg_mqtt_broker brk_;
  struct mg_connection *tcp_ = nullptr, *ws_ = nullptr;
  App app_;
  std::vector<std::unique_ptr<Peer>> peers_;
};

TEST_F(MqttWsTest, HandshakeAnswersSubprotocolMqtt) {
  Peer *p = Ws("mqtt");
  EXPECT_EQ(p->done_code, 101);
  EXPECT_EQ(p->proto, "mqtt");
}

TEST_F(MqttWsTest, MqttIsPickedAmongOtherOffers) {
  Peer *p = Ws("chat, mqtt");
  EXPECT_EQ(p->done_code, 101);
  EXPECT_EQ(p->proto, "mqtt");
  Peer *old = Ws("mqttv3.1");
  EXPECT_EQ(old->proto, "mqttv3.1");
}

TEST_F(MqttWsTest, ConnectSubscribePublishInBinaryFrames) {
  Peer *p = WsConnected("w");
  ASSERT_EQ(p->Count(MG_MQTT_CMD_CONNACK), 1);
  EXPECT_EQ(p->Of(MG_MQTT_CMD_CONNACK)[0].code, 0);
  ASSERT_NE(Session("w"), nullptr);
  EXPECT_EQ(Session("w")->nc->listener, ws_);
  Send(p, SubscribePacket(5, "t/#", 1));
  ASSERT_TRUE(Until([&] { return p->Count(MG_MQTT_CMD_SUBACK) == 1; }));
  EXPECT_EQ(p->Of(MG_MQTT_CMD_SUBACK)[0].id, 5);
  EXPECT_EQ(p->Of(MG_MQTT_CMD_SUBACK)[0].payload, B({1}));
  Send(p, PublishPacket("t/a", "to myself", 1, 6));
  ASSERT_TRUE(Until([&] {
    return p->Count(MG_MQTT_CMD_PUBACK) == 1 &&
           p->Count(MG_MQTT_CMD_PUBLISH) == 1;
  }));
  EXPECT_EQ(p->Of(MG_MQTT_CMD_PUBACK)[0].id, 6);
  Pkt m = p->Of(MG_MQTT_CMD_PUBLISH)[0];
  EXPECT_EQ(m.topic, "t/a");
  EXPECT_EQ(m.payload, "to myself");
  EXPECT_EQ(m.qos, 1);
  // Each packet from the broker is a frame of its own.
  EXPECT_EQ(p->frame_sizes.size(), p->pkts.size());
  EXPECT_EQ(p->other_frames, 0);
  // The application sees the MQTT events, not the WebSocket bytes.
  auto seen = [&](int ev) {
    return std::find(app_.events.begin(), app_.events.end(), ev) !=
           app_.events.end();
  };
  EXPECT_TRUE(seen(MG_EV_WEBSOCKET_HANDSHAKE_REQUEST));
  EXPECT_TRUE(seen(MG_EV_WEBSOCKET_HANDSHAKE_DONE));
  EXPECT_TRUE(seen(MG_EV_MQTT_CONNECT));
  EXPECT_TRUE(seen(MG_EV_MQTT_SUBSCRIBE));
  EXPECT_TRUE(seen(MG_EV_MQTT_PUBLISH));
  EXPECT_FALSE(seen(MG_EV_WEBSOCKET_FRAME));
}

TEST_F(MqttWsTest, PacketSplitAcrossFrames) {
  Peer *p = Ws();
  std::string connect = ConnectPkt("split");
  Send(p, connect.substr(0, 1));  // the first byte alone
  Send(p, connect.substr(1, 7));
  mgtest::PollFor(&mgr_, 0.05);
  EXPECT_EQ(p->Count(MG_MQTT_CMD_CONNACK), 0);
  Send(p, connect.substr(8));
  ASSERT_TRUE(Until([&] { return p->Count(MG_MQTT_CMD_CONNACK) == 1; }));
  // A SUBSCRIBE in two frames, the second also holding a PUBLISH's start.
  std::string sub = SubscribePacket(1, "s", 0),
              pub = PublishPacket("s", "whole");
  Send(p, sub.substr(0, 3));
  Send(p, sub.substr(3) + pub.substr(0, 4));
  Send(p, pub.substr(4));
  ASSERT_TRUE(Until([&] { return p->Count(MG_MQTT_CMD_PUBLISH) == 1; }));
  EXPECT_EQ(p->Count(MG_MQTT_CMD_SUBACK), 1);
  EXPECT_EQ(p->Of(MG_MQTT_CMD_PUBLISH)[0].payload, "whole");
  // A message fragmented into a binary frame and a continuation.
  std::string frag = PublishPacket("s", "fragmented");
  mg_send_websocket_frame(p->nc, WEBSOCKET_OP_BINARY | WEBSOCKET_DONT_FIN,
                          frag.data(), 5);
  mg_send_websocket_frame(p->nc, WEBSOCKET_OP_CONTINUE, frag.data() + 5,
                          frag.size() - 5);
  ASSERT_TRUE(Until([&] { return p->Count(MG_MQTT_CMD_PUBLISH) == 2; }));
  EXPECT_EQ(p->Of(MG_MQTT_CMD_PUBLISH)[1].payload, "fragmented");
  EXPECT_EQ(p->closed, 0);
}

TEST_F(MqttWsTest, SeveralPacketsInOneFrame) {
  Peer *p = Ws();
  Send(p, ConnectPkt("many") + SubscribePacket(2, "m/+", 0) +
              PublishPacket("m/1", "one") + PublishPacket("m/2", "two"));
  ASSERT_TRUE(Until([&] { return p->Count(MG_MQTT_CMD_PUBLISH) == 2; }));
  EXPECT_EQ(p->Count(MG_MQTT_CMD_CONNACK), 1);
  EXPECT_EQ(p->Count(MG_MQTT_CMD_SUBACK), 1);
  std::vector<Pkt> got = p->Of(MG_MQTT_CMD_PUBLISH);
  EXPECT_EQ(got[0].topic + "=" + got[0].payload, "m/1=one");
  EXPECT_EQ(got[1].topic + "=" + got[1].payload, "m/2=two");
  EXPECT_EQ(p->pkts[0].cmd, MG_MQTT_CMD_CONNACK);
}

TEST_F(MqttWsTest, TcpAndWebSocketClientsShareOneBroker) {
  Peer *w = WsConnected("web");
  Peer *t = Tcp("tcp");
  ASSERT_EQ(t->Of(MG_MQTT_CMD_CONNACK)[0].code, 0);
  Send(w, SubscribePacket(3, "to/web", 1));
  ASSERT_TRUE(Until([&] { return w->Count(MG_MQTT_CMD_SUBACK) == 1; }));
  TcpSubscribe(t, "to/tcp", 0);
  // TCP -> WebSocket, QoS 1 (the WebSocket client acknowledges).
  mg_mqtt_publish(t->nc, "to/web", 21, MG_MQTT_QOS(1), "from tcp", 8);
  ASSERT_TRUE(Until([&] { return w->Count(MG_MQTT_CMD_PUBLISH) == 1; }));
  Pkt m = w->Of(MG_MQTT_CMD_PUBLISH)[0];
  EXPECT_EQ(m.payload, "from tcp");
  EXPECT_EQ(m.qos, 1);
  Send(w, P(0x40, B({m.id >> 8, m.id & 0xff})));  // PUBACK
  ASSERT_TRUE(Until([&] { return Session("web")->num_inflight == 0; }));
  // WebSocket -> TCP.
  Send(w, PublishPacket("to/tcp", "from web"));
  ASSERT_TRUE(Until([&] { return t->Count(MG_MQTT_CMD_PUBLISH) == 1; }));
  EXPECT_EQ(t->Of(MG_MQTT_CMD_PUBLISH)[0].payload, "from web");
  // Large payloads: 16-bit and 64-bit WebSocket lengths.
  std::string mid(300, 'm'), big(70000, 'b');
  mg_mqtt_publish(t->nc, "to/web", 0, 0, mid.data(), mid.size());
  mg_mqtt_publish(t->nc, "to/web", 0, 0, big.data(), big.size());
  ASSERT_TRUE(Until([&] { return w->Count(MG_MQTT_CMD_PUBLISH) == 3; }));
  EXPECT_EQ(w->Of(MG_MQTT_CMD_PUBLISH)[1].payload, mid);
  EXPECT_EQ(w->Of(MG_MQTT_CMD_PUBLISH)[2].payload, big);
  EXPECT_EQ(w->frame_sizes.size(), w->pkts.size());
  Send(w, PublishPacket("to/tcp", big));
  ASSERT_TRUE(Until([&] { return t->Count(MG_MQTT_CMD_PUBLISH) == 2; }));
  EXPECT_EQ(t->Of(MG_MQTT_CMD_PUBLISH)[1].payload, big);
}

TEST_F(MqttWsTest, WillOfAVanishedWebSocketClientReachesTcp) {
  Peer *t = Tcp("watcher");
  TcpSubscribe(t, "will/#", 1);
  Peer *w = Ws();
  Send(w, ConnectPkt("mortal", "will/w", "bye"));
  ASSERT_TRUE(Until([&] { return w->Count(MG_MQTT_CMD_CONNACK) == 1; }));
  w->nc->flags |= MG_F_CLOSE_IMMEDIATELY;  // no DISCONNECT, no CLOSE frame
  ASSERT_TRUE(Until([&] { return t->Count(MG_MQTT_CMD_PUBLISH) == 1; }));
  EXPECT_EQ(t->Of(MG_MQTT_CMD_PUBLISH)[0].payload, "bye");
  EXPECT_TRUE(Until([&] { return Session("mortal") == nullptr; }));
}

TEST_F(MqttWsTest, SessionTakeoverAcrossTransports) {
  Peer *t = Tcp("same");
  Peer *w = WsConnected("same");
  EXPECT_EQ(w->Of(MG_MQTT_CMD_CONNACK)[0].code, 0);
  EXPECT_TRUE(Until([&] { return t->closed > 0; }));
  ASSERT_NE(Session("same"), nullptr);
  EXPECT_EQ(Session("same")->nc->listener, ws_);
}

TEST_F(MqttWsTest, TextFrameClosesWith1003) {
  Peer *p = WsConnected("texter");
  mg_send_websocket_frame(p->nc, WEBSOCKET_OP_TEXT, "hi", 2);
  ASSERT_TRUE(Until([&] { return p->closed > 0; }));
  EXPECT_EQ(p->close_status, std::vector<int>({1003}));
}

TEST_F(MqttWsTest, MalformedMqttClosesTheConnection) {
  Peer *p = Ws();
  Send(p, B({0x10, 0xff, 0xff, 0xff, 0xff, 0x7f}));  // a fifth length byte
  EXPECT_TRUE(Until([&] { return p->closed > 0; }));
  Peer *q = Ws();
  Send(q, PublishPacket("before/connect", "x"));  // nothing before CONNECT
  EXPECT_TRUE(Until([&] { return q->closed > 0; }));
  EXPECT_TRUE(Tcp("alive")->closed == 0);
}

TEST_F(MqttWsTest, OtherUpgradesStayPlainWebSocket) {
  Peer *p = Ws("chat");
  EXPECT_EQ(p->done_code, 101);
  EXPECT_EQ(p->proto, "<none>");
  mg_send_websocket_frame(p->nc, WEBSOCKET_OP_TEXT, "echo me", 7);
  ASSERT_TRUE(Until([&] { return p->other_frames == 1; }));
  EXPECT_EQ(mg_mqtt_next(&brk_, nullptr), nullptr);
  Peer *none = Ws(nullptr);
  EXPECT_EQ(none->done_code, 101);
  EXPECT_EQ(none->proto, "<none>");
}

TEST_F(MqttWsTest, HandlerMayPickAnotherSubprotocol) {
  app_.protocol = "chat";
  Peer *p = Ws("mqtt, chat");
  EXPECT_EQ(p->done_code, 101);
  EXPECT_EQ(p->proto, "chat");
  mg_send_websocket_frame(p->nc, WEBSOCKET_OP_TEXT, "echo me", 7);
  ASSERT_TRUE(Until([&] { return p->other_frames == 1; }));
  EXPECT_EQ(mg_mqtt_next(&brk_, nullptr), nullptr);
}

TEST_F(MqttWsTest, PlainHttpStillReachesTheHandler) {
  peers_.emplace_back(new Peer);
  Peer *p = peers_.back().get();
  struct mg_connect_opts o;
  memset(&o, 0, sizeof(o));
  o.user_data = p;
  p->nc = mg_connect_http_opt(&mgr_, ClientHandler, o, "mem://ws/index.html",
                              nullptr, nullptr);
  ASSERT_NE(p->nc, nullptr);
  ASSERT_TRUE(Until([&] { return !p->http.empty(); }));
  EXPECT_EQ(p->http, "hello");
  EXPECT_EQ(app_.http_requests, 1);
}

TEST_F(MqttWsTest, HandlerMayRefuseTheUpgrade) {
  app_.refuse_ws = true;
  Peer *p = Ws();
  EXPECT_NE(p->done_code, 101);
  EXPECT_TRUE(Until([&] { return p->closed > 0; }));
  EXPECT_EQ(mg_mqtt_next(&brk_, nullptr), nullptr);
}

TEST_F(MqttWsTest, AttachRefusesNull) {
  EXPECT_EQ(mg_mqtt_ws_attach(nullptr, ws_), -1);
  EXPECT_EQ(mg_mqtt_ws_attach(&brk_, nullptr), -1);
}

}  // namespace
