// Hostile input to the broker: each case closes the offending connection
// and nothing else (a bystander keeps publishing and receiving).
#include "plugins/mqtt_broker/broker_test_util.h"

namespace mqtttest {
namespace {

struct HostileCase {
  const char *name;    // what is wrong
  bool connect_first;  // send a valid CONNECT before the bytes
  std::string bytes;   // the offending input
};

std::string ThousandFilters() {
  std::string body = B({0, 1});
  for (int i = 0; i < 1000; i++) body += S("f/" + std::to_string(i)) + B({0});
  return P(0x82, body);
}

std::vector<HostileCase> Cases() {
  return {
      {"remaining_length_fifth_byte", true,
       B({0x30, 0x80, 0x80, 0x80, 0x80, 0x01})},
      {"remaining_length_overflowing", true,
       B({0x30, 0xff, 0xff, 0xff, 0xff, 0x7f})},
      {"remaining_length_beyond_max_packet", true,
       B({0x30, 0xff, 0xff, 0xff, 0x7f}) + S("t")},
      {"puback_short", true, P(0x40, B({0}))},
      {"puback_empty", true, P(0x40, "")},
      {"pubrec_short", true, P(0x50, B({1}))},
      {"pubrel_short", true, P(0x62, B({1}))},
      {"pubcomp_short", true, P(0x70, "")},
      {"suback_short", true, P(0x90, B({0}))},
      {"connect_will_missing", false, ConnectPacket(0x06, 0, "w")},
      {"connect_will_message_truncated", false,
       ConnectPacket(0x06, 0, "w", S("t") + B({0, 9}) + "abc")},
      {"connect_user_missing", false, ConnectPacket(0x82, 0, "u")},
      {"connect_password_missing", false,
       ConnectPacket(0xC2, 0, "u", S("user"))},
      {"connect_password_truncated", false,
       ConnectPacket(0xC2, 0, "u", S("user") + B({0, 4}) + "pw")},
      {"connect_bytes_after_payload", false,
       ConnectPacket(0x02, 0, "u", "junk")},
      {"connect_reserved_flag", false, ConnectPacket(0x03, 0, "u")},
      {"subscribe_no_filters", true, P(0x82, B({0, 1}))},
      {"subscribe_a_thousand_filters", true, ThousandFilters()},
      {"subscribe_topic_past_end", true,
       P(0x82, B({0, 1, 0, 40}) + "a" + B({0}))},
      {"unsubscribe_topic_past_end", true, P(0xA2, B({0, 1, 0, 40}) + "a")},
      {"publish_topic_past_end", true, P(0x30, B({0, 40}) + "abc")},
      {"publish_topic_empty", true, P(0x30, S("") + "x")},
      {"publish_topic_not_utf8", true, P(0x30, S("a\xff\xfe") + "x")},
      {"publish_topic_with_nul", true,
       P(0x30, S(std::string("a\0b", 3)) + "x")},
      {"publish_wildcard_plus", true, P(0x30, S("a/+/b") + "x")},
      {"publish_wildcard_hash", true, P(0x30, S("a/#") + "x")},
      {"publish_qos3", true, P(0x36, S("a") + B({0, 1}) + "x")},
      {"client_sends_connack", true, P(0x20, B({0, 0}))},
      {"client_sends_connack_first", false, P(0x20, B({0, 0}))},
      {"client_sends_suback", true, P(0x90, B({0, 1, 0}))},
      {"client_sends_pingresp", true, P(0xD0, "")},
      {"second_connect", true, ConnectPacket(0x02, 0, "again")},
      {"packet_before_connect", false, P(0x30, S("a") + "x")},
      {"reserved_type_0", true, P(0x00, "")},
      {"reserved_type_15", true, P(0xF0, "")},
  };
}

class HostileTest : public BrokerTest,
                    public ::testing::WithParamInterface<HostileCase> {};

TEST_P(HostileTest, ClosesOnlyTheOffender) {
  const HostileCase &hc = GetParam();
  Client *by = Connect("bystander");
  Subscribe(by, "live", 1);
  Client *bad = Open(true);
  if (hc.connect_first) {
    std::string c = ConnectPacket(0x02, 0, "bad");
    mg_send(bad->nc, c.data(), static_cast<int>(c.size()));
  }
  mg_send(bad->nc, hc.bytes.data(), static_cast<int>(hc.bytes.size()));
  ASSERT_TRUE(Until([&] { return bad->closed == 1; })) << hc.name;
  // The bystander is untouched.
  EXPECT_EQ(by->closed, 0);
  Publish(by, "live", "still here", 1, false, 3);
  ASSERT_TRUE(
      Until([&] { return by->msgs.size() == 1 && by->acked.size() == 1; }));
  EXPECT_EQ(Session("bad"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Broker, HostileTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<HostileCase> &i) {
                           return std::string(i.param.name);
                         });

// Remaining Length larger than the data that ever comes: the connection is
// closed by the keep-alive deadline (1.5 x 1 s), not kept forever.
TEST_F(BrokerTest, HostileRemainingLengthLargerThanData) {
  Client *by = Connect("bystander");
  Client *bad = Open(true);
  std::string c = ConnectPacket(0x02, 1, "bad");
  std::string partial = B({0x30, 100}) + S("t") + "only a few bytes";
  mg_send(bad->nc, c.data(), static_cast<int>(c.size()));
  mg_send(bad->nc, partial.data(), static_cast<int>(partial.size()));
  ASSERT_TRUE(Until([&] { return bad->closed == 1; }, 6.0));
  EXPECT_EQ(by->closed, 0);
  Sync(by);
}

// Before CONNECT the connect deadline does the same.
TEST_F(BrokerTest, HostilePartialConnectTimesOut) {
  brk_.connect_timeout = 0.5;
  Client *bad = Open(true);
  std::string partial = B({0x10, 60}) + S("MQTT");
  mg_send(bad->nc, partial.data(), static_cast<int>(partial.size()));
  ASSERT_TRUE(Until([&] { return bad->closed == 1; }, 4.0));
}

// A flood of unreleased QoS 2 ids is bounded.
TEST_F(BrokerTest, HostileUnreleasedQos2Flood) {
  Client *bad = Open(true);
  std::string c = ConnectPacket(0x02, 0, "flood");
  mg_send(bad->nc, c.data(), static_cast<int>(c.size()));
  for (int i = 1; i <= MG_MQTT_BROKER_MAX_INCOMING + 1; i++) {
    std::string p = P(0x34, S("q") + B({i >> 8, i & 0xff}));
    mg_send(bad->nc, p.data(), static_cast<int>(p.size()));
  }
  ASSERT_TRUE(Until([&] { return bad->closed == 1; }));
}

}  // namespace
}  // namespace mqtttest
