// Runs the reference's TCP echo example (port 1234) and echoes 1 MiB.
#include <gtest/gtest.h>

#include <thread>

#include "testing/util/test_util.h"

TEST(TcpEchoServerExample, Echoes1MiB) {
  pid_t pid = mgtest::Spawn(
      {mgtest::Runfile("examples/tcp_echo_server/tcp_echo_server")});
  ASSERT_GT(pid, 0);
  int s = mgtest::ConnectRetry("127.0.0.1", 1234);
  ASSERT_GE(s, 0) << "the example did not start listening on 1234";
  std::string out(1 << 20, '\0');
  for (size_t i = 0; i < out.size(); i++) out[i] = static_cast<char>(i * 31 + 7);
  std::thread writer([&] {
    size_t off = 0;
    while (off < out.size()) {
      ssize_t n = write(s, out.data() + off, out.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
  });
  std::string in;
  char buf[65536];
  struct timeval tv = {10, 0};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  while (in.size() < out.size()) {
    ssize_t n = read(s, buf, sizeof(buf));
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  writer.join();
  close(s);
  mgtest::Stop(pid);
  EXPECT_EQ(in.size(), out.size());
  EXPECT_TRUE(in == out);
}
