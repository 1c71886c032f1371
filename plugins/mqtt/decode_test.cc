// The packet decoder: well-formed packets of every type, and each kind of
// malformed input the issue lists (the decoder says -1; the layer then
// closes the connection, see client_test.cc).
#include <gtest/gtest.h>

#include <string>

#include "plugins/mqtt/mqtt.h"
#include "plugins/mqtt/mqtt_test_packets.h"

namespace {

using mqtttest::B;
using mqtttest::P;
using mqtttest::S;
using mqtttest::Str;

int Parse(const std::string &s, struct mg_mqtt_message *mm) {
  return mg_mqtt_parse(s.data(), s.size(), mm);
}

int Parse(const std::string &s) {
  struct mg_mqtt_message mm;
  return Parse(s, &mm);
}

std::string Connect(int flags, const std::string &rest) {
  return P(0x10, S("MQTT") + B({4, flags, 0, 60}) + rest);
}

TEST(Decode, Connect) {
  std::string pkt = Connect(
      0xC6 | 0x08, S("cid") + S("will/t") + S("bye") + S("user") + S("pw"));
  struct mg_mqtt_message mm;
  ASSERT_EQ(Parse(pkt, &mm), static_cast<int>(pkt.size()));
  EXPECT_EQ(mm.cmd, MG_MQTT_CMD_CONNECT);
  EXPECT_EQ(Str(mm.protocol_name), "MQTT");
  EXPECT_EQ(mm.protocol_version, 4);
  EXPECT_EQ(mm.keep_alive_timer, 60);
  EXPECT_EQ(Str(mm.client_id), "cid");
  EXPECT_EQ(Str(mm.will_topic), "will/t");
  EXPECT_EQ(Str(mm.will_message), "bye");
  EXPECT_EQ(Str(mm.user_name), "user");
  EXPECT_EQ(Str(mm.password), "pw");
  EXPECT_EQ(MG_MQTT_GET_WILL_QOS(mm.connect_flags), 1);
}

TEST(Decode, ConnectMQIsdp) {
  std::string pkt = P(0x10, S("MQIsdp") + B({3, 2, 0, 10}) + S("abc"));
  struct mg_mqtt_message mm;
  ASSERT_EQ(Parse(pkt, &mm), static_cast<int>(pkt.size()));
  EXPECT_EQ(mm.protocol_version, 3);
  EXPECT_EQ(Str(mm.protocol_name), "MQIsdp");
}

TEST(Decode, IncompleteNeedsMore) {
  std::string pkt = Connect(2, S("cid"));
  struct mg_mqtt_message mm;
  for (size_t i = 0; i < pkt.size(); i++) {
    EXPECT_EQ(mg_mqtt_parse(pkt.data(), i, &mm), 0) << i;
  }
}

TEST(Decode, TwoPacketsBackToBack) {
  std::string a = P(0xC0, ""), b = P(0x40, B({0, 7}));
  struct mg_mqtt_message mm;
  std::string both = a + b;
  ASSERT_EQ(Parse(both, &mm), 2);
  EXPECT_EQ(mm.cmd, MG_MQTT_CMD_PINGREQ);
  ASSERT_EQ(mg_mqtt_parse(both.data() + 2, both.size() - 2, &mm), 4);
  EXPECT_EQ(mm.cmd, MG_MQTT_CMD_PUBACK);
  EXPECT_EQ(mm.message_id, 7);
}

TEST(Decode, Publish) {
  struct mg_mqtt_message mm;
  std::string q0 = P(0x31, S("a/b") + "hello");
  ASSERT_EQ(Parse(q0, &mm), static_cast<int>(q0.size()));
  EXPECT_EQ(mm.qos, 0);
  EXPECT_EQ(mm.flags & MG_MQTT_RETAIN, MG_MQTT_RETAIN);
  EXPECT_EQ(Str(mm.topic), "a/b");
  EXPECT_EQ(Str(mm.payload), "hello");
  std::string q2 = P(0x3C, S("t") + B({0x12, 0x34}) + "x");
  ASSERT_EQ(Parse(q2, &mm), static_cast<int>(q2.size()));
  EXPECT_EQ(mm.qos, 2);
  EXPECT_EQ(mm.message_id, 0x1234);
  EXPECT_TRUE(mm.flags & MG_MQTT_DUP);
  EXPECT_EQ(Str(mm.payload), "x");
  std::string empty = P(0x30, S("t"));
  ASSERT_EQ(Parse(empty, &mm), static_cast<int>(empty.size()));
  EXPECT_EQ(mm.payload.len, 0u);
}

TEST(Decode, Acks) {
  struct mg_mqtt_message mm;
  ASSERT_EQ(Parse(P(0x20, B({1, 5})), &mm), 4);
  EXPECT_EQ(mm.cmd, MG_MQTT_CMD_CONNACK);
  EXPECT_EQ(mm.connack_ret_code, 5);
  EXPECT_EQ(mm.session_present, 1);
  ASSERT_EQ(Parse(P(0x62, B({0, 9})), &mm), 4);
  EXPECT_EQ(mm.cmd, MG_MQTT_CMD_PUBREL);
  ASSERT_EQ(Parse(P(0x90, B({0, 9, 1, 0x80})), &mm), 6);
  EXPECT_EQ(mm.cmd, MG_MQTT_CMD_SUBACK);
  EXPECT_EQ(mm.payload.len, 2u);
  ASSERT_EQ(Parse(P(0xB0, B({0, 9})), &mm), 4);
  ASSERT_EQ(Parse(P(0xD0, ""), &mm), 2);
  ASSERT_EQ(Parse(P(0xE0, ""), &mm), 2);
}

TEST(Decode, SubscribeAndIterate) {
  std::string pkt = P(0x82, B({0, 42}) + S("a/+") + B({1}) + S("#") + B({2}));
  struct mg_mqtt_message mm;
  ASSERT_EQ(Parse(pkt, &mm), static_cast<int>(pkt.size()));
  EXPECT_EQ(mm.message_id, 42);
  struct mg_str t;
  uint8_t qos = 9;
  int pos = mg_mqtt_next_subscribe_topic(&mm, &t, &qos, 0);
  ASSERT_GT(pos, 0);
  EXPECT_EQ(Str(t), "a/+");
  EXPECT_EQ(qos, 1);
  pos = mg_mqtt_next_subscribe_topic(&mm, &t, &qos, pos);
  ASSERT_GT(pos, 0);
  EXPECT_EQ(Str(t), "#");
  EXPECT_EQ(qos, 2);
  EXPECT_EQ(mg_mqtt_next_subscribe_topic(&mm, &t, &qos, pos), -1);
  std::string un = P(0xA2, B({0, 43}) + S("a/+") + S("b"));
  ASSERT_EQ(Parse(un, &mm), static_cast<int>(un.size()));
  pos = mg_mqtt_next_unsubscribe_topic(&mm, &t, 0);
  EXPECT_EQ(Str(t), "a/+");
  pos = mg_mqtt_next_unsubscribe_topic(&mm, &t, pos);
  EXPECT_EQ(Str(t), "b");
  EXPECT_EQ(mg_mqtt_next_unsubscribe_topic(&mm, &t, pos), -1);
}

// --- Hostile input ---

TEST(DecodeHostile, RemainingLengthFifthByte) {
  EXPECT_EQ(Parse(B({0x30, 0xff, 0xff, 0xff, 0xff, 0x7f})), -1);
  EXPECT_EQ(Parse(B({0x30, 0x80, 0x80, 0x80, 0x80, 0x01})), -1);
}

TEST(DecodeHostile, RemainingLengthOverflowing) {
  // Four continuation bytes: the value would need more than 28 bits.
  EXPECT_EQ(Parse(B({0xC0, 0xff, 0xff, 0xff, 0xff})), -1);
  uint8_t first;
  size_t rem;
  std::string max = B({0x30, 0xff, 0xff, 0xff, 0x7f});
  EXPECT_EQ(mg_mqtt_parse_header(max.data(), max.size(), &first, &rem), 5);
  EXPECT_EQ(rem, 268435455u);
}

TEST(DecodeHostile, RemainingLengthLargerThanData) {
  // Waits for more (the layer bounds the size and the broker the time).
  std::string pkt = B({0x30, 0x7f}) + S("t") + "abc";
  EXPECT_EQ(Parse(pkt), 0);
}

TEST(DecodeHostile, ShortAcks) {
  for (int first : {0x40, 0x50, 0x62, 0x70, 0xB0}) {
    EXPECT_EQ(Parse(P(first, "")), -1) << first;
    EXPECT_EQ(Parse(P(first, B({1}))), -1) << first;
    EXPECT_EQ(Parse(P(first, B({0, 1, 2}))), -1) << first;
  }
  EXPECT_EQ(Parse(P(0x90, "")), -1);
  EXPECT_EQ(Parse(P(0x90, B({1}))), -1);
  EXPECT_EQ(Parse(P(0x90, B({0, 1}))), -1);
  EXPECT_EQ(Parse(P(0x20, B({0}))), -1);
}

TEST(DecodeHostile, ConnectFieldsMissingOrTruncated) {
  EXPECT_EQ(Parse(Connect(0x04, S("cid"))), -1);           // will: none
  EXPECT_EQ(Parse(Connect(0x04, S("cid") + S("t"))), -1);  // no message
  EXPECT_EQ(Parse(Connect(0x04, S("cid") + S("t") + B({0, 5}) + "ab")), -1);
  EXPECT_EQ(Parse(Connect(0x80, S("cid"))), -1);           // no user
  EXPECT_EQ(Parse(Connect(0xC0, S("cid") + S("u"))), -1);  // no password
  EXPECT_EQ(Parse(Connect(0xC0, S("cid") + S("u") + B({0}))), -1);
  EXPECT_EQ(Parse(Connect(0x02, B({0, 9}) + "cid")), -1);  // short id
  EXPECT_EQ(Parse(P(0x10, S("MQTT") + B({4, 2}))), -1);    // no keep-alive
}

TEST(DecodeHostile, ConnectBytesAfterPayload) {
  EXPECT_EQ(Parse(Connect(0x02, S("cid") + "x")), -1);
  EXPECT_EQ(Parse(Connect(0x82, S("cid") + S("u") + "zz")), -1);
}

TEST(DecodeHostile, ConnectBadFlags) {
  EXPECT_EQ(Parse(Connect(0x03, S("cid"))), -1);  // reserved bit
  EXPECT_EQ(Parse(Connect(0x22, S("cid"))), -1);  // will retain, no will
  EXPECT_EQ(Parse(Connect(0x0A, S("cid"))), -1);  // will QoS, no will
  EXPECT_EQ(Parse(Connect(0x1C, S("cid") + S("t") + S("m"))), -1);  // QoS 3
  EXPECT_EQ(Parse(Connect(0x42, S("cid") + S("p"))), -1);  // pw, no user
}

TEST(DecodeHostile, SubscribeNoFilters) {
  EXPECT_EQ(Parse(P(0x82, B({0, 1}))), -1);
  EXPECT_EQ(Parse(P(0xA2, B({0, 1}))), -1);
}

TEST(DecodeHostile, SubscribeAThousandFilters) {
  std::string body = B({0, 1});
  for (int i = 0; i < 1000; i++) body += S("t/" + std::to_string(i)) + B({0});
  EXPECT_EQ(Parse(P(0x82, body)), -1);
  std::string ok = B({0, 1});
  for (int i = 0; i < MG_MQTT_MAX_TOPICS_PER_SUBSCRIBE; i++)
    ok += S("t") + B({0});
  EXPECT_GT(Parse(P(0x82, ok)), 0);
}

TEST(DecodeHostile, SubscribeBadFilterOrQos) {
  EXPECT_EQ(Parse(P(0x82, B({0, 1}) + S("a/#/b") + B({0}))), -1);
  EXPECT_EQ(Parse(P(0x82, B({0, 1}) + S("a+") + B({0}))), -1);
  EXPECT_EQ(Parse(P(0x82, B({0, 1}) + S("") + B({0}))), -1);
  EXPECT_EQ(Parse(P(0x82, B({0, 1}) + S("a") + B({3}))), -1);
  EXPECT_EQ(Parse(P(0x82, B({0, 1}) + S("a"))), -1);           // no QoS byte
  EXPECT_EQ(Parse(P(0x82, B({0, 0}) + S("a") + B({0}))), -1);  // id 0
  EXPECT_EQ(Parse(P(0x80, B({0, 1}) + S("a") + B({0}))), -1);  // flags
}

TEST(DecodeHostile, TopicLengthPastEnd) {
  EXPECT_EQ(Parse(P(0x30, B({0, 10}) + "abc")), -1);
  EXPECT_EQ(Parse(P(0x30, B({0}))), -1);
  EXPECT_EQ(Parse(P(0x82, B({0, 1, 0, 50}) + "abc" + B({0}))), -1);
  EXPECT_EQ(Parse(P(0xA2, B({0, 1, 0, 50}) + "abc")), -1);
  EXPECT_EQ(Parse(P(0x32, S("abc") + B({0}))), -1);  // id truncated
}

TEST(DecodeHostile, PublishTopicEmptyOrNotUtf8) {
  EXPECT_EQ(Parse(P(0x30, S("") + "x")), -1);
  EXPECT_EQ(Parse(P(0x30, S("a\xff"
                            "b") +
                              "x")),
            -1);
  EXPECT_EQ(Parse(P(0x30, S("a\xc0\x80") + "x")), -1);     // overlong NUL
  EXPECT_EQ(Parse(P(0x30, S("\xed\xa0\x80") + "x")), -1);  // surrogate
  EXPECT_EQ(Parse(P(0x30, S(std::string("a\0b", 3)) + "x")), -1);
  EXPECT_EQ(Parse(P(0x30, S("\xe2\x82") + "x")), -1);  // truncated
  EXPECT_GT(Parse(P(0x30, S("caf\xc3\xa9/\xe2\x82\xac") + "x")), 0);
}

TEST(DecodeHostile, PublishWildcards) {
  EXPECT_EQ(Parse(P(0x30, S("a/+") + "x")), -1);
  EXPECT_EQ(Parse(P(0x30, S("#") + "x")), -1);
  EXPECT_EQ(Parse(P(0x30, S("a#b") + "x")), -1);
}

TEST(DecodeHostile, PublishQos3AndIdZero) {
  EXPECT_EQ(Parse(P(0x36, S("a") + B({0, 1}))), -1);
  EXPECT_EQ(Parse(P(0x32, S("a") + B({0, 0}))), -1);
}

TEST(DecodeHostile, ReservedTypesAndFlags) {
  EXPECT_EQ(Parse(P(0x00, "")), -1);
  EXPECT_EQ(Parse(P(0xF0, "")), -1);
  EXPECT_EQ(Parse(P(0xC1, "")), -1);
  EXPECT_EQ(Parse(P(0x60, B({0, 1}))), -1);  // PUBREL needs 0010
  EXPECT_EQ(Parse(P(0xC0, B({0}))), -1);     // PINGREQ with a body
}

}  // namespace
