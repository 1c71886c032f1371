// Topic filters: matching and validation (MQTT 3.1.1, 4.7).
#include <gtest/gtest.h>

#include "plugins/mqtt/mqtt.h"

namespace {

bool M(const char *exp, const char *topic) {
  return mg_mqtt_vmatch_topic_expression(exp, mg_mk_str(topic)) == 1;
}

TEST(Topic, Exact) {
  EXPECT_TRUE(M("a/b", "a/b"));
  EXPECT_FALSE(M("a/b", "a/bc"));
  EXPECT_FALSE(M("a/b", "a"));
  EXPECT_FALSE(M("a", "a/b"));
  EXPECT_TRUE(M("/", "/"));
  EXPECT_FALSE(M("a/b", "A/b"));
}

TEST(Topic, Plus) {
  EXPECT_TRUE(M("a/+", "a/b"));
  EXPECT_TRUE(M("a/+", "a/"));
  EXPECT_FALSE(M("a/+", "a"));
  EXPECT_FALSE(M("a/+", "a/b/c"));
  EXPECT_TRUE(M("+/+", "/finance"));
  EXPECT_TRUE(M("/+", "/finance"));
  EXPECT_FALSE(M("+", "/finance"));
  EXPECT_TRUE(M("+/b/+", "a/b/c"));
  EXPECT_TRUE(M("+", "a"));
}

TEST(Topic, Hash) {
  EXPECT_TRUE(M("#", "a/b/c"));
  EXPECT_TRUE(M("a/#", "a"));
  EXPECT_TRUE(M("a/#", "a/b/c"));
  EXPECT_FALSE(M("a/#", "b/a"));
  EXPECT_TRUE(M("a/+/#", "a/b"));
  EXPECT_TRUE(M("#", "/"));
}

TEST(Topic, DollarTopics) {
  EXPECT_FALSE(M("#", "$SYS/x"));
  EXPECT_FALSE(M("+/x", "$SYS/x"));
  EXPECT_TRUE(M("$SYS/#", "$SYS/x"));
  EXPECT_TRUE(M("$SYS/+", "$SYS/x"));
  EXPECT_TRUE(M("a/#", "a/$x"));
}

TEST(Topic, MatchWithSlices) {
  struct mg_str exp = mg_mk_str_n("a/+xyz", 3), topic = mg_mk_str_n("a/bq", 3);
  EXPECT_EQ(mg_mqtt_match_topic_expression(exp, topic), 1);
}

TEST(Topic, Validation) {
  EXPECT_TRUE(mg_mqtt_valid_filter(mg_mk_str("a/+/#")));
  EXPECT_TRUE(mg_mqtt_valid_filter(mg_mk_str("#")));
  EXPECT_TRUE(mg_mqtt_valid_filter(mg_mk_str("+")));
  EXPECT_TRUE(mg_mqtt_valid_filter(mg_mk_str("/")));
  EXPECT_FALSE(mg_mqtt_valid_filter(mg_mk_str("#/a")));
  EXPECT_FALSE(mg_mqtt_valid_filter(mg_mk_str("a/b#")));
  EXPECT_FALSE(mg_mqtt_valid_filter(mg_mk_str("a+/b")));
  EXPECT_FALSE(mg_mqtt_valid_filter(mg_mk_str("")));
  EXPECT_TRUE(mg_mqtt_valid_topic(mg_mk_str("a/b")));
  EXPECT_FALSE(mg_mqtt_valid_topic(mg_mk_str("a/+")));
  EXPECT_FALSE(mg_mqtt_valid_topic(mg_mk_str("")));
  EXPECT_TRUE(mg_mqtt_valid_utf8(mg_mk_str("\xf0\x9f\x98\x80")));
  EXPECT_FALSE(mg_mqtt_valid_utf8(mg_mk_str("\xf4\x90\x80\x80")));
  EXPECT_FALSE(mg_mqtt_valid_utf8(mg_mk_str("\xe0\x80\xaf")));
  EXPECT_FALSE(mg_mqtt_valid_utf8(mg_mk_str("\x80")));
}

}  // namespace
