// Runs the reference's HTTP server example (port 8000) and queries it: it
// answers every request with the request itself, as text.
#include <gtest/gtest.h>

#include <string>

#include "testing/util/test_util.h"

namespace {

// Sends req on s and reads until the reply's Content-Length is complete.
std::string Ask(int s, const std::string &req) {
  if (write(s, req.data(), req.size()) != static_cast<ssize_t>(req.size())) return "";
  std::string in;
  char buf[4096];
  struct timeval tv = {10, 0};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  for (int i = 0; i < 1000; i++) {
    size_t head = in.find("\r\n\r\n");
    if (head != std::string::npos) {
      size_t cl = in.find("Content-Length: ");
      if (cl != std::string::npos &&
          in.size() >= head + 4 + std::stoul(in.substr(cl + 16))) {
        break;
      }
    }
    ssize_t n = read(s, buf, sizeof(buf));
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  return in;
}

TEST(HttpServerExample, EchoesTheRequest) {
  pid_t pid = mgtest::Spawn({mgtest::Runfile("examples/http_server/http_server")});
  ASSERT_GT(pid, 0);
  int s = mgtest::ConnectRetry("127.0.0.1", 8000);
  ASSERT_GE(s, 0) << "the example did not start listening on 8000";
  std::string req = "GET /hello?x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n";
  std::string reply = Ask(s, req);
  EXPECT_EQ(reply.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << reply;
  EXPECT_NE(reply.find("Content-Type: text/plain"), std::string::npos);
  EXPECT_EQ(reply.substr(reply.find("\r\n\r\n") + 4), req);
  // Keep-alive: a second request on the same connection.
  std::string post = "POST /p HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
  reply = Ask(s, post);
  EXPECT_EQ(reply.substr(reply.find("\r\n\r\n") + 4), post);
  close(s);
  mgtest::Stop(pid);
}

}  // namespace
