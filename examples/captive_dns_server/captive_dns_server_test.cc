// Runs the reference's captive DNS server example (udp://:5353) and asks it
// with dig and kdig; then the same main.c with its handler also on TCP.
#include <gtest/gtest.h>

#include <stdio.h>

#include <string>

#include "testing/util/test_util.h"

namespace {

// Runs a shell command, returns its stdout.
std::string Run(const std::string &cmd) {
  std::string out;
  FILE *p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

std::string Dig(const std::string &args) {
  return Run("dig @127.0.0.1 -p 5353 +tries=1 +time=3 " + args);
}

std::string Kdig(const std::string &args) {
  return Run("kdig @127.0.0.1 -p 5353 +retry=0 +time=3 " + args);
}

// Waits until the server answers over UDP (it is starting).
bool WaitReady() {
  for (int i = 0; i < 50; i++) {
    // Exactly the answer: dig's own error lines name 127.0.0.1 too.
    if (Dig("+short ready.example A") == "127.0.0.1\n") return true;
    usleep(100000);  // another process is starting: nothing to poll here
  }
  return false;
}

bool Has(const std::string &out, const std::string &what) {
  return out.find(what) != std::string::npos;
}

// Every A query gets 127.0.0.1 with TTL 10; other types get no answer.
void CheckAnswers(const std::string &transport) {
  SCOPED_TRACE(transport);
  std::string out = Dig(transport + " www.example.com A");
  EXPECT_TRUE(Has(out, "status: NOERROR")) << out;
  EXPECT_TRUE(Has(out, "ANSWER: 1")) << out;
  EXPECT_TRUE(Has(out, "www.example.com.\t10\tIN\tA\t127.0.0.1")) << out;
  out = Dig(transport + " +short anything.at.all A");
  EXPECT_EQ("127.0.0.1\n", out);
  out = Dig(transport + " www.example.com AAAA");
  EXPECT_TRUE(Has(out, "status: NOERROR")) << out;
  EXPECT_TRUE(Has(out, "ANSWER: 0")) << out;
  out = Kdig(transport + " captive.portal A");
  EXPECT_TRUE(Has(out, "NOERROR")) << out;
  EXPECT_TRUE(Has(out, "captive.portal."));
  EXPECT_TRUE(Has(out, "127.0.0.1")) << out;
  out = Kdig(transport + " +short second.example A");
  EXPECT_EQ("127.0.0.1\n", out);
}

TEST(CaptiveDnsServerExample, AnswersDigAndKdigOverUdp) {
  pid_t pid = mgtest::Spawn(
      {mgtest::Runfile("examples/captive_dns_server/captive_dns_server")});
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(WaitReady()) << "the example did not answer on udp://:5353";
  CheckAnswers("");
  // The example binds UDP only: TCP is refused, not hung.
  std::string out = Dig("+tcp www.example.com A");
  EXPECT_TRUE(Has(out, "connection refused") || Has(out, "communications error"))
      << out;
  mgtest::Stop(pid);
}

TEST(CaptiveDnsServerExample, SameHandlerOverTcp) {
  pid_t pid = mgtest::Spawn(
      {mgtest::Runfile("examples/captive_dns_server/captive_dns_server_tcp")});
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(WaitReady());
  CheckAnswers("+tcp");
  CheckAnswers("+notcp");
  mgtest::Stop(pid);
}

}  // namespace
