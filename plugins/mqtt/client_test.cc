// The MQTT layer over the in-memory interface: every builder reaches the
// peer as the matching event, keep-alive PINGREQs, and bad input closes only
// the offending connection.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plugins/mqtt/mqtt.h"
#include "testing/util/test_util.h"

using mgtest::PollFor;
using mgtest::PollUntil;

namespace {

// What one side saw.
struct Seen {
  std::vector<int> events;               // MQTT events, in order
  std::vector<std::string> strings;      // interesting fields, per event
  std::vector<int> ids;                  // message ids
  int closed = 0;                        // MG_EV_CLOSE count
  int connected = -1;                    // MG_EV_CONNECT status
  struct mg_connection *last = nullptr;  // connection of the last event
};

std::string Str(struct mg_str s) { return std::string(s.p ? s.p : "", s.len); }

void Record(struct mg_connection *c, int ev, void *ev_data) {
  Seen *s = static_cast<Seen *>(c->user_data);
  if (s == nullptr) return;
  if (ev == MG_EV_CLOSE) s->closed++;
  if (ev == MG_EV_CONNECT) s->connected = *static_cast<int *>(ev_data);
  if (ev < MG_MQTT_EVENT_BASE || ev > MG_MQTT_EVENT_BASE + 49) return;
  struct mg_mqtt_message *mm = static_cast<struct mg_mqtt_message *>(ev_data);
  s->last = c;
  s->events.push_back(ev);
  s->ids.push_back(mm->message_id);
  std::string f;
  switch (ev) {
    case MG_EV_MQTT_CONNECT:
      f = Str(mm->client_id) + "|" + Str(mm->will_topic) + "|" +
          Str(mm->will_message) + "|" + Str(mm->user_name) + "|" +
          Str(mm->password) + "|" + std::to_string(mm->keep_alive_timer) + "|" +
          std::to_string(mm->connect_flags);
      break;
    case MG_EV_MQTT_PUBLISH:
      f = Str(mm->topic) + "=" + Str(mm->payload) + "/q" +
          std::to_string(mm->qos);
      break;
    case MG_EV_MQTT_SUBSCRIBE: {
      struct mg_str t;
      uint8_t q;
      for (int pos = 0;
           (pos = mg_mqtt_next_subscribe_topic(mm, &t, &q, pos)) > 0;) {
        f += Str(t) + ":" + std::to_string(q) + ",";
      }
      break;
    }
    case MG_EV_MQTT_UNSUBSCRIBE: {
      struct mg_str t;
      for (int pos = 0;
           (pos = mg_mqtt_next_unsubscribe_topic(mm, &t, pos)) > 0;) {
        f += Str(t) + ",";
      }
      break;
    }
    case MG_EV_MQTT_CONNACK:
      f = std::to_string(mm->connack_ret_code);
      break;
    case MG_EV_MQTT_SUBACK:
      f = std::to_string(mm->payload.len);
      break;
    default:
      break;
  }
  s->strings.push_back(f);
}

class MqttLayerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mg_mgr_init(&mgr_, nullptr);
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = &server_;
    lc_ = mg_bind_opt(&mgr_, "mem://broker", Record, o);
    ASSERT_NE(lc_, nullptr);
    mg_set_protocol_mqtt(lc_);
  }
  void TearDown() override {
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      c->handler = nullptr;
    }
    mg_mgr_free(&mgr_);
  }
  struct mg_connection *Client(Seen *s) {
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = s;
    struct mg_connection *c = mg_connect_opt(&mgr_, "mem://broker", Record, o);
    EXPECT_NE(c, nullptr);
    mg_set_protocol_mqtt(c);
    EXPECT_TRUE(PollUntil(&mgr_, [&] { return s->connected == 0; }));
    return c;
  }
  bool WaitEvents(Seen *s, size_t n) {
    return PollUntil(&mgr_, [&] { return s->events.size() >= n; });
  }
  struct mg_mgr mgr_;
  struct mg_connection *lc_ = nullptr;
  Seen server_;
};

TEST_F(MqttLayerTest, EveryPacketBothWays) {
  Seen cl;
  struct mg_connection *c = Client(&cl);
  struct mg_send_mqtt_handshake_opts opts;
  memset(&opts, 0, sizeof(opts));
  opts.flags = MG_MQTT_CLEAN_SESSION | MG_MQTT_WILL_RETAIN;
  MG_MQTT_SET_WILL_QOS(opts.flags, 1);
  opts.keep_alive = 30;
  opts.will_topic = "w/t";
  opts.will_message = "gone";
  opts.user_name = "alice";
  opts.password = "secret";
  mg_send_mqtt_handshake_opt(c, "cid-1", opts);
  ASSERT_TRUE(WaitEvents(&server_, 1));
  EXPECT_EQ(server_.events[0], MG_EV_MQTT_CONNECT);
  EXPECT_EQ(server_.strings[0],
            "cid-1|w/t|gone|alice|secret|30|" +
                std::to_string(0x02 | 0x04 | 0x08 | 0x20 | 0x40 | 0x80));
  struct mg_connection *s = server_.last;
  ASSERT_NE(s, nullptr);
  // The accepted connection's layer exposes proto_data as the reference did.
  ASSERT_NE(c->proto_data, nullptr);
  EXPECT_EQ(static_cast<struct mg_mqtt_proto_data *>(c->proto_data)->keep_alive,
            30);

  mg_mqtt_connack(s, MG_EV_MQTT_CONNACK_ACCEPTED);
  mg_mqtt_publish(c, "a/b", 7, MG_MQTT_QOS(1) | MG_MQTT_RETAIN, "hi", 2);
  struct mg_mqtt_topic_expression te[2] = {{"x/+", 1}, {"#", 2}};
  mg_mqtt_subscribe(c, te, 2, 8);
  char *un[] = {const_cast<char *>("x/+")};
  mg_mqtt_unsubscribe(c, un, 1, 9);
  mg_mqtt_ping(c);
  mg_mqtt_pubrec(c, 10);
  mg_mqtt_pubrel(c, 11);
  mg_mqtt_pubcomp(c, 12);
  mg_mqtt_puback(c, 13);
  mg_mqtt_disconnect(c);
  ASSERT_TRUE(WaitEvents(&server_, 10));
  std::vector<int> want = {MG_EV_MQTT_CONNECT,   MG_EV_MQTT_PUBLISH,
                           MG_EV_MQTT_SUBSCRIBE, MG_EV_MQTT_UNSUBSCRIBE,
                           MG_EV_MQTT_PINGREQ,   MG_EV_MQTT_PUBREC,
                           MG_EV_MQTT_PUBREL,    MG_EV_MQTT_PUBCOMP,
                           MG_EV_MQTT_PUBACK,    MG_EV_MQTT_DISCONNECT};
  EXPECT_EQ(server_.events, want);
  EXPECT_EQ(server_.strings[1], "a/b=hi/q1");
  EXPECT_EQ(server_.ids[1], 7);
  EXPECT_EQ(server_.strings[2], "x/+:1,#:2,");
  EXPECT_EQ(server_.ids[2], 8);
  EXPECT_EQ(server_.strings[3], "x/+,");
  EXPECT_EQ(server_.ids[5], 10);
  EXPECT_EQ(server_.ids[8], 13);

  uint8_t granted[2] = {1, 0x80};
  mg_mqtt_suback(s, granted, 2, 8);
  mg_mqtt_unsuback(s, 9);
  mg_mqtt_pong(s);
  mg_mqtt_publish(s, "x/y", 0, MG_MQTT_QOS(0), "data", 4);
  mg_mqtt_puback(s, 7);
  ASSERT_TRUE(WaitEvents(&cl, 6));
  std::vector<int> cwant = {MG_EV_MQTT_CONNACK,  MG_EV_MQTT_SUBACK,
                            MG_EV_MQTT_UNSUBACK, MG_EV_MQTT_PINGRESP,
                            MG_EV_MQTT_PUBLISH,  MG_EV_MQTT_PUBACK};
  EXPECT_EQ(cl.events, cwant);
  EXPECT_EQ(cl.strings[0], "0");
  EXPECT_EQ(cl.strings[1], "2");
  EXPECT_EQ(cl.strings[4], "x/y=data/q0");
  EXPECT_EQ(cl.ids[5], 7);
}

TEST_F(MqttLayerTest, DefaultHandshake) {
  Seen cl;
  struct mg_connection *c = Client(&cl);
  mg_send_mqtt_handshake(c, "");
  ASSERT_TRUE(WaitEvents(&server_, 1));
  EXPECT_EQ(server_.strings[0], "|||||60|0");
}

TEST_F(MqttLayerTest, KeepAliveSendsPingreq) {
  Seen cl;
  struct mg_connection *c = Client(&cl);
  struct mg_send_mqtt_handshake_opts opts;
  memset(&opts, 0, sizeof(opts));
  opts.keep_alive = 1;
  mg_send_mqtt_handshake_opt(c, "ka", opts);
  ASSERT_TRUE(PollUntil(
      &mgr_, [&] { return server_.events.size() >= 2; }, 5.0));
  EXPECT_EQ(server_.events[1], MG_EV_MQTT_PINGREQ);
}

TEST_F(MqttLayerTest, LargePublishSplitAcrossReads) {
  Seen cl;
  struct mg_connection *c = Client(&cl);
  std::string big(1 << 20, 'z');
  mg_mqtt_publish(c, "big", 0, 0, big.data(), big.size());
  mg_mqtt_publish(c, "small", 0, 0, "s", 1);
  ASSERT_TRUE(WaitEvents(&server_, 2));
  EXPECT_EQ(server_.strings[0], "big=" + big + "/q0");
  EXPECT_EQ(server_.strings[1], "small=s/q0");
}

// Bad bytes close the offending connection; another one carries on.
TEST_F(MqttLayerTest, MalformedClosesOnlyOffender) {
  Seen bad, good;
  struct mg_connection *b = Client(&bad);
  struct mg_connection *g = Client(&good);
  mg_send(b, "\x30\xff\xff\xff\xff\x7f", 6);
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return bad.closed == 1; }));
  mg_mqtt_ping(g);
  ASSERT_TRUE(WaitEvents(&server_, 1));
  EXPECT_EQ(server_.events[0], MG_EV_MQTT_PINGREQ);
  EXPECT_EQ(good.closed, 0);
  (void) g;
}

TEST_F(MqttLayerTest, OversizedPacketCloses) {
  Seen bad;
  struct mg_connection *b = Client(&bad);
  // Announces 268 MB, more than MG_MQTT_MAX_PACKET_SIZE.
  mg_send(b, "\x30\xff\xff\xff\x7f\x00\x01t", 8);
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return bad.closed == 1; }));
  EXPECT_TRUE(server_.events.empty());
}

}  // namespace
