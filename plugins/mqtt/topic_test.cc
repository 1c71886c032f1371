// Topic filters: matching and validation (MQTT 3.1.1, 4.7), as tables.
#include <gtest/gtest.h>

#include "plugins/mqtt/mqtt.h"

namespace {

// One matching case: does filter exp match topic?
struct MatchCase {
  const char *exp, *topic;
  bool match;
};

void ExpectMatches(const MatchCase *cases, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const MatchCase &c = cases[i];
    EXPECT_EQ(c.match,
              mg_mqtt_vmatch_topic_expression(c.exp, mg_mk_str(c.topic)) == 1)
        << "filter \"" << c.exp << "\", topic \"" << c.topic << "\"";
  }
}

TEST(Topic, Exact) {
  static const MatchCase cases[] = {
      {"a/b", "a/b", true}, {"a/b", "a/bc", false}, {"a/b", "a", false},
      {"a", "a/b", false},  {"/", "/", true},       {"a/b", "A/b", false},
  };
  ExpectMatches(cases, sizeof(cases) / sizeof(cases[0]));
}

TEST(Topic, Plus) {
  static const MatchCase cases[] = {
      {"a/+", "a/b", true},      {"a/+", "a/", true},
      {"a/+", "a", false},       {"a/+", "a/b/c", false},
      {"+/+", "/finance", true}, {"/+", "/finance", true},
      {"+", "/finance", false},  {"+/b/+", "a/b/c", true},
      {"+", "a", true},
  };
  ExpectMatches(cases, sizeof(cases) / sizeof(cases[0]));
}

TEST(Topic, Hash) {
  static const MatchCase cases[] = {
      {"#", "a/b/c", true},  {"a/#", "a", true},     {"a/#", "a/b/c", true},
      {"a/#", "b/a", false}, {"a/+/#", "a/b", true}, {"#", "/", true},
  };
  ExpectMatches(cases, sizeof(cases) / sizeof(cases[0]));
}

TEST(Topic, DollarTopics) {
  static const MatchCase cases[] = {
      {"#", "$SYS/x", false},     {"+/x", "$SYS/x", false},
      {"$SYS/#", "$SYS/x", true}, {"$SYS/+", "$SYS/x", true},
      {"a/#", "a/$x", true},
  };
  ExpectMatches(cases, sizeof(cases) / sizeof(cases[0]));
}

TEST(Topic, MatchWithSlices) {
  struct mg_str exp = mg_mk_str_n("a/+xyz", 3), topic = mg_mk_str_n("a/bq", 3);
  EXPECT_EQ(mg_mqtt_match_topic_expression(exp, topic), 1);
}

// One validation case: what check says of input.
struct ValidCase {
  const char *what;             // the check's name, for the message
  int (*check)(struct mg_str);  // mg_mqtt_valid_filter, _topic, _utf8
  const char *input;
  bool valid;
};

TEST(Topic, Validation) {
  static const ValidCase cases[] = {
      {"filter", mg_mqtt_valid_filter, "a/+/#", true},
      {"filter", mg_mqtt_valid_filter, "#", true},
      {"filter", mg_mqtt_valid_filter, "+", true},
      {"filter", mg_mqtt_valid_filter, "/", true},
      {"filter", mg_mqtt_valid_filter, "#/a", false},
      {"filter", mg_mqtt_valid_filter, "a/b#", false},
      {"filter", mg_mqtt_valid_filter, "a+/b", false},
      {"filter", mg_mqtt_valid_filter, "", false},
      {"topic", mg_mqtt_valid_topic, "a/b", true},
      {"topic", mg_mqtt_valid_topic, "a/+", false},
      {"topic", mg_mqtt_valid_topic, "", false},
      {"utf8", mg_mqtt_valid_utf8, "\xf0\x9f\x98\x80", true},   // U+1F600
      {"utf8", mg_mqtt_valid_utf8, "\xf4\x90\x80\x80", false},  // > U+10FFFF
      {"utf8", mg_mqtt_valid_utf8, "\xe0\x80\xaf", false},      // overlong
      {"utf8", mg_mqtt_valid_utf8, "\x80", false},              // stray byte
  };
  for (const ValidCase &c : cases) {
    EXPECT_EQ(c.valid, c.check(mg_mk_str(c.input)) != 0)
        << c.what << " \"" << c.input << "\"";
  }
}

}  // namespace
