// The broker over the in-memory interface: CONNECT rules, takeover, QoS
// 0/1/2 flows both ways, retained and will messages, persistent sessions
// and their bounded queue, DUP retry, the auth/ACL hooks, deadlines.
#include <algorithm>

#include "plugins/mqtt_broker/broker_test_util.h"

namespace mqtttest {
namespace {

TEST_F(BrokerTest, PublishSubscribeQos0) {
  Client *a = Connect("a");
  Client *b = Connect("b");
  ASSERT_EQ(a->connack, 0);
  EXPECT_EQ(a->session_present, 0);
  Subscribe(a, "a/+", 0);
  EXPECT_EQ(a->suback, std::vector<uint8_t>({0}));
  Publish(b, "a/b", "hello");
  Publish(b, "x/y", "not for a");
  ASSERT_TRUE(Until([&] { return a->msgs.size() == 1; }));
  Sync(b);
  Sync(a);
  ASSERT_EQ(a->msgs.size(), 1u);
  EXPECT_EQ(a->msgs[0].topic, "a/b");
  EXPECT_EQ(a->msgs[0].payload, "hello");
  EXPECT_EQ(a->msgs[0].qos, 0);
  EXPECT_EQ(a->msgs[0].retain, 0);
}

// As in the reference, a connected client's priv_2 is its session.
TEST_F(BrokerTest, Priv2PointsToTheSession) {
  Client *a = Connect("a");
  Sync(a);
  struct mg_mqtt_session *s = Session("a");
  ASSERT_NE(s, nullptr);
  ASSERT_NE(s->nc, nullptr);
  EXPECT_EQ(s->nc->priv_2, static_cast<void *>(s));
  EXPECT_EQ(s->nc->listener, lc_);
}

TEST_F(BrokerTest, Qos1BothWays) {
  Client *a = Connect("a");
  Client *b = Connect("b");
  Subscribe(a, "t", 1);
  Publish(b, "t", "one", 1, false, 11);
  ASSERT_TRUE(Until([&] { return a->msgs.size() == 1 && !b->acked.empty(); }));
  EXPECT_EQ(b->acked[0], 11);
  EXPECT_EQ(a->msgs[0].qos, 1);
  EXPECT_NE(a->msgs[0].id, 0);
  ASSERT_TRUE(Until([&] { return Session("a")->num_inflight == 0; }));
}

TEST_F(BrokerTest, Qos2BothWays) {
  Client *a = Connect("a");
  Client *b = Connect("b");
  Subscribe(a, "t", 2);
  Publish(b, "t", "two", 2, false, 12);
  ASSERT_TRUE(Until([&] { return a->msgs.size() == 1 && !b->acked.empty(); }));
  EXPECT_EQ(b->acked[0], 12);  // PUBCOMP after our PUBREL
  EXPECT_EQ(a->msgs[0].qos, 2);
  ASSERT_TRUE(Until([&] { return Session("a")->num_inflight == 0; }));
  EXPECT_TRUE(std::find(a->events.begin(), a->events.end(),
                        MG_EV_MQTT_PUBREL) != a->events.end());
}

TEST_F(BrokerTest, GrantedQosIsTheMinimum) {
  Client *a = Connect("a");
  Client *b = Connect("b");
  Subscribe(a, "low", 1);
  Subscribe(a, "high", 2);
  Publish(b, "low", "x", 2, false, 5);
  Publish(b, "high", "y", 0);
  ASSERT_TRUE(Until([&] { return a->msgs.size() == 2; }));
  for (const Msg &m : a->msgs) {
    EXPECT_EQ(m.qos, m.topic == "low" ? 1 : 0) << m.topic;
  }
}

TEST_F(BrokerTest, OverlappingSubscriptionsDeliverOnce) {
  Client *a = Connect("a");
  Client *b = Connect("b");
  Subscribe(a, "o/+", 0);
  Subscribe(a, "o/#", 1);
  Publish(b, "o/x", "m", 1, false, 3);
  ASSERT_TRUE(Until([&] { return a->msgs.size() == 1; }));
  Sync(b);
  Sync(a);
  ASSERT_EQ(a->msgs.size(), 1u);
  EXPECT_EQ(a->msgs[0].qos, 1);
}

TEST_F(BrokerTest, Qos2DuplicateBeforePubrelNotForwardedTwice) {
  Client *a = Connect("a");
  Subscribe(a, "d", 0);
  Client *raw = Open(true);
  std::string c = ConnectPacket(2, 0, "raw");
  mg_send(raw->nc, c.data(), static_cast<int>(c.size()));
  std::string pub = P(0x34, S("d") + B({0, 9}) + "once");
  std::string dup = P(0x3C, S("d") + B({0, 9}) + "once");
  mg_send(raw->nc, pub.data(), static_cast<int>(pub.size()));
  mg_send(raw->nc, dup.data(), static_cast<int>(dup.size()));
  ASSERT_TRUE(Until([&] { return a->msgs.size() == 1; }));
  mgtest::PollFor(&mgr_, 0.2);
  EXPECT_EQ(a->msgs.size(), 1u);
  // After PUBREL the id may be used for a new message.
  std::string rel = P(0x62, B({0, 9}));
  mg_send(raw->nc, rel.data(), static_cast<int>(rel.size()));
  mg_send(raw->nc, pub.data(), static_cast<int>(pub.size()));
  ASSERT_TRUE(Until([&] { return a->msgs.size() == 2; }));
  EXPECT_EQ(raw->closed, 0);
}

TEST_F(BrokerTest, RetainedSetReplaceDelete) {
  Client *p = Connect("p");
  Publish(p, "r/1", "first", 1, true, 1);
  Publish(p, "r/1", "second", 0, true);
  Publish(p, "r/2", "other", 0, true);
  Sync(p);
  Client *a = Connect("a");
  Subscribe(a, "r/1", 1);
  ASSERT_TRUE(Until([&] { return a->msgs.size() == 1; }));
  EXPECT_EQ(a->msgs[0].payload, "second");
  EXPECT_EQ(a->msgs[0].retain, 1);
  EXPECT_EQ(a->msgs[0].qos, 0);  // stored at the QoS it was published with
  // Forwarded live: RETAIN is 0.
  Publish(p, "r/1", "third", 0, true);
  ASSERT_TRUE(Until([&] { return a->msgs.size() == 2; }));
  EXPECT_EQ(a->msgs[1].retain, 0);
  // Delete with an empty payload.
  Publish(p, "r/1", "", 0, true);
  ASSERT_TRUE(Until([&] { return a->msgs.size() == 3; }));
  Client *b = Connect("b");
  Subscribe(b, "r/#", 0);
  ASSERT_TRUE(Until([&] { return b->msgs.size() == 1; }));
  Sync(b);
  ASSERT_EQ(b->msgs.size(), 1u);
  EXPECT_EQ(b->msgs[0].topic, "r/2");
}

TEST_F(BrokerTest, WillOnAbnormalDisconnectOnly) {
  Client *a = Connect("a");
  Subscribe(a, "will/#", 1);
  struct mg_send_mqtt_handshake_opts o;
  memset(&o, 0, sizeof(o));
  o.will_topic = "will/x";
  o.will_message = "x died";
  MG_MQTT_SET_WILL_QOS(o.flags, 1);
  Client *x = Connect("x", MG_MQTT_CLEAN_SESSION, &o);
  ASSERT_EQ(x->connack, 0);
  x->nc->flags |= MG_F_CLOSE_IMMEDIATELY;  // no DISCONNECT
  ASSERT_TRUE(Until([&] { return a->msgs.size() == 1; }));
  EXPECT_EQ(a->msgs[0].topic, "will/x");
  EXPECT_EQ(a->msgs[0].payload, "x died");
  EXPECT_EQ(a->msgs[0].qos, 1);
  o.will_message = "y died";
  Client *y = Connect("y", MG_MQTT_CLEAN_SESSION, &o);
  mg_mqtt_disconnect(y->nc);
  ASSERT_TRUE(Until([&] { return Session("y") == nullptr; }));
  Sync(a);
  EXPECT_EQ(a->msgs.size(), 1u);
}

TEST_F(BrokerTest, WillOnKeepAliveExpiry) {
  Client *a = Connect("a");
  Subscribe(a, "will/#", 0);
  // A raw client: CONNECT with keep-alive 1 s and a will, then silence.
  Client *raw = Open(true);
  std::string c =
      ConnectPacket(0x02 | 0x04, 1, "silent", S("will/s") + S("timeout"));
  mg_send(raw->nc, c.data(), static_cast<int>(c.size()));
  double start = mg_time();
  ASSERT_TRUE(Until([&] { return a->msgs.size() == 1 && raw->closed; }, 6.0));
  double took = mg_time() - start;
  EXPECT_GE(took, 1.4);
  EXPECT_EQ(a->msgs[0].payload, "timeout");
}

TEST_F(BrokerTest, KeepAlivePingsKeepTheConnection) {
  Client *raw = Open(true);
  std::string c = ConnectPacket(0x02, 1, "pinger");
  mg_send(raw->nc, c.data(), static_cast<int>(c.size()));
  for (int i = 0; i < 4; i++) {
    mgtest::PollFor(&mgr_, 0.5);
    mg_send(raw->nc, "\xc0\x00", 2);
  }
  EXPECT_EQ(raw->closed, 0);
}

TEST_F(BrokerTest, TakeoverClosesTheFirst) {
  Client *first = Connect("same");
  Client *second = Connect("same");
  ASSERT_EQ(second->connack, 0);
  ASSERT_TRUE(Until([&] { return first->closed == 1; }));
  EXPECT_EQ(second->closed, 0);
  Sync(second);
  int n = 0;
  for (struct mg_mqtt_session *s = mg_mqtt_next(&brk_, nullptr); s;
       s = mg_mqtt_next(&brk_, s)) {
    n++;
  }
  EXPECT_EQ(n, 1);
}

TEST_F(BrokerTest, PersistentSessionQueuesWhileAway) {
  Client *x = Connect("p", 0);
  Subscribe(x, "q/#", 2);
  mg_mqtt_disconnect(x->nc);
  ASSERT_TRUE(Until([&] { return x->closed == 1; }));
  struct mg_mqtt_session *s = Session("p");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->nc, nullptr);
  Client *pub = Connect("pub");
  Publish(pub, "q/1", "m1", 1, false, 1);
  Publish(pub, "q/2", "m2", 2, false, 2);
  Publish(pub, "q/3", "m0", 0);
  Publish(pub, "q/4", "m3", 1, false, 3);
  Sync(pub);
  EXPECT_EQ(s->num_queued, 3u);
  Client *y = Connect("p", 0);
  EXPECT_EQ(y->session_present, 1);
  ASSERT_TRUE(Until([&] { return y->msgs.size() == 3; }));
  EXPECT_EQ(y->msgs[0].payload, "m1");
  EXPECT_EQ(y->msgs[1].payload, "m2");
  EXPECT_EQ(y->msgs[1].qos, 2);
  EXPECT_EQ(y->msgs[2].payload, "m3");
  // Subscriptions survived too.
  Publish(pub, "q/5", "live", 0);
  ASSERT_TRUE(Until([&] { return y->msgs.size() == 4; }));
  // A clean session discards it.
  y->nc->flags |= MG_F_CLOSE_IMMEDIATELY;
  ASSERT_TRUE(Until([&] { return y->closed == 1; }));
  Client *z = Connect("p", MG_MQTT_CLEAN_SESSION);
  EXPECT_EQ(z->session_present, 0);
  Publish(pub, "q/6", "gone", 0);
  Sync(pub);
  Sync(z);
  EXPECT_TRUE(z->msgs.empty());
}

TEST_F(BrokerTest, QueueIsBounded) {
  brk_.max_queued = 5;
  Client *x = Connect("bounded", 0);
  Subscribe(x, "b", 1);
  mg_mqtt_disconnect(x->nc);
  ASSERT_TRUE(Until([&] { return x->closed == 1; }));
  Client *pub = Connect("pub");
  for (int i = 0; i < 10; i++)
    Publish(pub, "b", std::to_string(i), 1, false, i + 1);
  Sync(pub);
  struct mg_mqtt_session *s = Session("bounded");
  EXPECT_EQ(s->num_queued, 5u);
  EXPECT_EQ(s->num_dropped, 5u);
  Client *y = Connect("bounded", 0);
  ASSERT_TRUE(Until([&] { return y->msgs.size() == 5; }));
  EXPECT_EQ(y->msgs[0].payload, "0");
  EXPECT_EQ(y->msgs[4].payload, "4");
}

TEST_F(BrokerTest, InflightWindowAndDupRetryOnReconnect) {
  brk_.max_inflight = 2;
  Client *x = Connect("slow", 0);
  x->auto_ack = false;
  Subscribe(x, "w", 1);
  Client *pub = Connect("pub");
  for (int i = 0; i < 4; i++)
    Publish(pub, "w", "m" + std::to_string(i), 1, false, i + 1);
  ASSERT_TRUE(Until([&] { return x->msgs.size() == 2; }));
  Sync(pub);
  Sync(x);
  EXPECT_EQ(x->msgs.size(), 2u);  // the window is full
  EXPECT_EQ(Session("slow")->num_queued, 2u);
  int first_id = x->msgs[0].id;
  x->nc->flags |= MG_F_CLOSE_IMMEDIATELY;
  ASSERT_TRUE(Until([&] { return x->closed == 1; }));
  Client *y = Connect("slow", 0);
  ASSERT_TRUE(Until([&] { return y->msgs.size() == 4; }));
  EXPECT_EQ(y->msgs[0].dup, 1);
  EXPECT_EQ(y->msgs[0].id, first_id);
  EXPECT_EQ(y->msgs[0].payload, "m0");
  EXPECT_EQ(y->msgs[2].dup, 0);
  EXPECT_EQ(y->msgs[3].payload, "m3");
  ASSERT_TRUE(Until([&] { return Session("slow")->num_inflight == 0; }));
}

TEST_F(BrokerTest, ZeroInflightWindowStillDelivers) {
  brk_.max_inflight = 0;  // taken as 1
  Client *a = Connect("a");
  Subscribe(a, "z", 1);
  Client *b = Connect("b");
  for (int i = 0; i < 3; i++)
    Publish(b, "z", std::to_string(i), 1, false, i + 1);
  ASSERT_TRUE(Until([&] { return a->msgs.size() == 3; }));
}

TEST_F(BrokerTest, Qos2PubrelRetriedOnReconnect) {
  Client *x = Connect("q2", 0);
  Subscribe(x, "z", 2);
  x->auto_ack = false;  // PUBREC it by hand, never PUBCOMP
  Client *pub = Connect("pub");
  Publish(pub, "z", "once", 2, false, 4);
  ASSERT_TRUE(Until([&] { return x->msgs.size() == 1; }));
  mg_mqtt_pubrec(x->nc, static_cast<uint16_t>(x->msgs[0].id));
  ASSERT_TRUE(Until([&] {
    return std::count(x->events.begin(), x->events.end(), MG_EV_MQTT_PUBREL) ==
           1;
  }));
  x->nc->flags |= MG_F_CLOSE_IMMEDIATELY;
  ASSERT_TRUE(Until([&] { return x->closed == 1; }));
  Client *y = Connect("q2", 0);
  ASSERT_TRUE(Until([&] {
    return std::count(y->events.begin(), y->events.end(), MG_EV_MQTT_PUBREL) ==
           1;
  }));
  EXPECT_TRUE(y->msgs.empty());  // not delivered again
  ASSERT_TRUE(Until([&] { return Session("q2")->num_inflight == 0; }));
}

TEST_F(BrokerTest, UnsubscribeAndPing) {
  Client *a = Connect("a");
  Client *b = Connect("b");
  Subscribe(a, "u/+", 0);
  char *filters[] = {const_cast<char *>("u/+")};
  mg_mqtt_unsubscribe(a->nc, filters, 1, 5);
  ASSERT_TRUE(Until([&] { return a->unsubacks == 1; }));
  Publish(b, "u/x", "nobody");
  Sync(b);
  Sync(a);
  EXPECT_TRUE(a->msgs.empty());
  EXPECT_EQ(Session("a")->num_subscriptions, 0u);
}

TEST_F(BrokerTest, AuthHookRefuses) {
  hooks_.auth = [](struct mg_mqtt_message *mm) -> uint8_t {
    return Str(mm->password) == "good" ? 0 : MG_EV_MQTT_CONNACK_BAD_AUTH;
  };
  struct mg_send_mqtt_handshake_opts o;
  memset(&o, 0, sizeof(o));
  o.user_name = "u";
  o.password = "bad";
  Client *bad = Connect("bad", MG_MQTT_CLEAN_SESSION, &o);
  EXPECT_EQ(bad->connack, MG_EV_MQTT_CONNACK_BAD_AUTH);
  ASSERT_TRUE(Until([&] { return bad->closed == 1; }));
  o.password = "good";
  Client *good = Connect("good", MG_MQTT_CLEAN_SESSION, &o);
  EXPECT_EQ(good->connack, 0);
  EXPECT_EQ(Session("bad"), nullptr);
}

TEST_F(BrokerTest, AclHookOnPublishSubscribeAndWill) {
  hooks_.acl = [](const std::string &topic, int action) {
    if (action == MG_MQTT_ACL_SUBSCRIBE) return topic != "private/#";
    return topic.compare(0, 7, "secret/") != 0;
  };
  Client *a = Connect("a");
  struct mg_mqtt_topic_expression te[2] = {{"private/#", 1}, {"#", 1}};
  mg_mqtt_subscribe(a->nc, te, 2, 3);
  ASSERT_TRUE(Until([&] { return a->suback.size() == 2; }));
  EXPECT_EQ(a->suback, std::vector<uint8_t>({0x80, 1}));
  Client *b = Connect("b");
  Publish(b, "secret/x", "no", 1, false, 8);
  Publish(b, "open/x", "yes", 1, false, 9);
  ASSERT_TRUE(Until([&] { return b->acked.size() == 2; }));  // both acked
  ASSERT_TRUE(Until([&] { return a->msgs.size() == 1; }));
  Sync(a);
  EXPECT_EQ(a->msgs.size(), 1u);
  EXPECT_EQ(a->msgs[0].topic, "open/x");
  struct mg_send_mqtt_handshake_opts o;
  memset(&o, 0, sizeof(o));
  o.will_topic = "secret/will";
  o.will_message = "w";
  Client *w = Connect("w", MG_MQTT_CLEAN_SESSION, &o);
  EXPECT_EQ(w->connack, MG_EV_MQTT_CONNACK_NOT_AUTHORIZED);
}

TEST_F(BrokerTest, ConnectValidation) {
  struct Case {
    std::string packet;
    int connack;  // -1: closed without CONNACK
  } cases[] = {
      {ConnectPacket(2, 0, "v3", "", "MQTT", 3), 1},
      {ConnectPacket(2, 0, "v5", "", "MQTT", 5), 1},
      {ConnectPacket(0, 0, ""), 2},                   // no id, clean 0
      {ConnectPacket(2, 0, "", "", "MQIsdp", 3), 2},  // 3.1: id needed
      {ConnectPacket(2, 0, std::string(24, 'x'), "", "MQIsdp", 3), 2},
      {ConnectPacket(2, 0, "x", "", "HTTP", 4), -1},
  };
  for (const Case &c : cases) {
    Client *raw = Open();
    mg_send(raw->nc, c.packet.data(), static_cast<int>(c.packet.size()));
    ASSERT_TRUE(Until([&] { return raw->closed == 1; })) << c.connack;
    EXPECT_EQ(raw->connack, c.connack);
  }
  // Accepted: an empty id with clean session (one is assigned), and 3.1.
  Client *anon = Connect("");
  EXPECT_EQ(anon->connack, 0);
  Client *v31 = Open();
  std::string p = ConnectPacket(2, 0, "old", "", "MQIsdp", 3);
  mg_send(v31->nc, p.data(), static_cast<int>(p.size()));
  ASSERT_TRUE(Until([&] { return v31->connack == 0; }));
  EXPECT_NE(Session("old"), nullptr);
}

TEST_F(BrokerTest, SecondConnectCloses) {
  Client *a = Connect("a");
  mg_send_mqtt_handshake(a->nc, "a");
  ASSERT_TRUE(Until([&] { return a->closed == 1; }));
  EXPECT_EQ(Session("a"), nullptr);  // clean session ended with it
}

TEST_F(BrokerTest, PacketBeforeConnectCloses) {
  Client *a = Open();
  mg_mqtt_ping(a->nc);
  ASSERT_TRUE(Until([&] { return a->closed == 1; }));
  EXPECT_EQ(a->pingresps, 0);
}

TEST_F(BrokerTest, ConnectTimeout) {
  brk_.connect_timeout = 0.3;
  Client *a = Open();
  ASSERT_TRUE(Until([&] { return a->closed == 1; }, 3.0));
}

TEST_F(BrokerTest, ApplicationPublish) {
  Client *a = Connect("a");
  Subscribe(a, "app/#", 1);
  mg_mqtt_broker_publish(&brk_, "app/x", "from app", 8, 1, 1);
  ASSERT_TRUE(Until([&] { return a->msgs.size() == 1; }));
  EXPECT_EQ(a->msgs[0].payload, "from app");
  Client *b = Connect("b");
  Subscribe(b, "app/x", 0);
  ASSERT_TRUE(Until([&] { return b->msgs.size() == 1; }));
  EXPECT_EQ(b->msgs[0].retain, 1);
}

// A refused CONNECT followed at once by more packets: the CONNACK still
// goes out, the rest is ignored.
TEST_F(BrokerTest, RefusedConnectWithTrailingPackets) {
  hooks_.auth = [](struct mg_mqtt_message *) -> uint8_t {
    return MG_EV_MQTT_CONNACK_NOT_AUTHORIZED;
  };
  Client *c = Open();
  std::string bytes =
      ConnectPacket(2, 0, "x") + P(0x30, S("t") + "x") + P(0xC0, "");
  mg_send(c->nc, bytes.data(), static_cast<int>(bytes.size()));
  ASSERT_TRUE(Until([&] { return c->closed == 1; }));
  EXPECT_EQ(c->connack, MG_EV_MQTT_CONNACK_NOT_AUTHORIZED);
  EXPECT_EQ(c->pingresps, 0);
}

// DISCONNECT followed by more packets in the same read: they are ignored.
TEST_F(BrokerTest, PacketsAfterDisconnectIgnored) {
  Client *a = Connect("a");
  Subscribe(a, "t", 0);
  Client *c = Open(true);
  std::string bytes =
      ConnectPacket(2, 0, "c") + P(0xE0, "") + P(0x30, S("t") + "late");
  mg_send(c->nc, bytes.data(), static_cast<int>(bytes.size()));
  ASSERT_TRUE(Until([&] { return c->closed == 1; }));
  Sync(a);
  EXPECT_TRUE(a->msgs.empty());
}

// mg_mqtt_broker_attach(): no forwarding from the handler needed.
TEST(BrokerAttach, WorksWithoutForwarding) {
  struct mg_mgr mgr;
  struct mg_mqtt_broker brk;
  mg_mgr_init(&mgr, nullptr);
  mg_mqtt_broker_init(&brk, nullptr);
  struct mg_connection *lc = mg_bind(&mgr, "mem://attached", nullptr);
  ASSERT_NE(lc, nullptr);
  mg_mqtt_broker_attach(&brk, lc);
  Client a, b;
  struct mg_connect_opts o;
  memset(&o, 0, sizeof(o));
  o.user_data = &a;
  a.nc = mg_connect_opt(&mgr, "mem://attached", ClientHandler, o);
  o.user_data = &b;
  b.nc = mg_connect_opt(&mgr, "mem://attached", ClientHandler, o);
  mg_set_protocol_mqtt(a.nc);
  mg_set_protocol_mqtt(b.nc);
  mg_send_mqtt_handshake(a.nc, "a");
  mg_send_mqtt_handshake(b.nc, "b");
  struct mg_mqtt_topic_expression te = {"t", 0};
  mg_mqtt_subscribe(a.nc, &te, 1, 1);
  ASSERT_TRUE(mgtest::PollUntil(
      &mgr, [&] { return !a.suback.empty() && b.connack == 0; }));
  mg_mqtt_publish(b.nc, "t", 0, 0, "x", 1);
  ASSERT_TRUE(mgtest::PollUntil(&mgr, [&] { return a.msgs.size() == 1; }));
  int n = 0;
  for (struct mg_mqtt_session *s = mg_mqtt_next(&brk, nullptr); s;
       s = mg_mqtt_next(&brk, s))
    n++;
  EXPECT_EQ(n, 2);
  mg_mgr_free(&mgr);
  mg_mqtt_broker_free(&brk);
}

}  // namespace
}  // namespace mqtttest
