// The header block a script prints: every form it may take.
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "plugins/cgi/internal.h"
}

namespace {

struct Case {
  const char *in;
  long rc;  // > 0: the head's length is strlen(in) - body_len
  int status;
  const char *location;
  int fields;
};

TEST(HeadTest, Forms) {
  const Case cases[] = {
      {"Content-Type: text/plain\n\n", 26, 0, "", 1},
      {"Content-Type: text/plain\r\n\r\n", 28, 0, "", 1},
      {"Status: 404 Not Found\nX-A: 1\n\n", 30, 404, "", 1},
      {"Status: 201\n\n", 13, 201, "", 0},
      {"Location: /other\n\n", 18, 0, "/other", 1},
      {"Location: http://h/x\nStatus: 301 Moved\n\n", 40, 301, "http://h/x", 1},
      {"Content-Type: a\n", 0, 0, "", 0},        // incomplete
      {"", 0, 0, "", 0},                         // nothing yet
      {"hello world\n\n", -1, 0, "", 0},         // no colon
      {": value\n\n", -1, 0, "", 0},             // no name
      {"Status: abc\n\n", -1, 0, "", 0},         // bad status
      {"Status: 99 Low\n\n", -1, 0, "", 0},      // below 100
      {"Content-Length: 1x\n\n", -1, 0, "", 0},  // bad length
      {"Content-Length: 1\nContent-Length: 2\n\n", -1, 0, "", 0},
      {"Bad Name: 1\n\n", -1, 0, "", 0},  // space in the name
  };
  for (const Case &c : cases) {
    struct mg__cgi_head h;
    std::string in = c.in;
    EXPECT_EQ(mg__cgi_parse_head(in.data(), in.size(), &h), c.rc) << c.in;
    if (c.rc > 0) {
      EXPECT_EQ(h.status, c.status) << c.in;
      EXPECT_EQ(std::string(h.location.p, h.location.len), c.location) << c.in;
      EXPECT_EQ(h.num_fields, c.fields) << c.in;
    }
  }
}

TEST(HeadTest, LengthAndTooManyLines) {
  struct mg__cgi_head h;
  std::string in = "Content-Length: 12345\n\nbody";
  ASSERT_GT(mg__cgi_parse_head(in.data(), in.size(), &h), 0);
  EXPECT_TRUE(h.has_length);
  EXPECT_EQ(h.length, 12345);
  std::string many;
  for (int i = 0; i <= MG__CGI_MAX_FIELDS; i++)
    many += "X-" + std::to_string(i) + ": v\n";
  many += "\n";
  EXPECT_EQ(mg__cgi_parse_head(many.data(), many.size(), &h), -1);
}

}  // namespace
