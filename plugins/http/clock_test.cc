// The server's timeouts at their defaults on a test clock, over mem://:
// header_timeout (30 s, answered with 408) and idle_timeout (60 s), each
// checked just before and just after, in a small fraction of real time.
#include <stdio.h>

#include <string>
#include <vector>

#include "plugins/http/http_test_util.h"
#include "testing/util/test_clock.h"

using httptest::Raw;
using httptest::Replies;
using httptest::Reply;
using httptest::Server;
using mgtest::RealTimer;
using mgtest::TestClock;

namespace {

// Answers every request with 200 and a short body.
void Ok(struct mg_connection *c, int ev, void *) {
  if (ev != MG_EV_HTTP_REQUEST) return;
  mg_send_head(c, 200, 2, "Content-Type: text/plain");
  mg_send(c, "ok", 2);
}

class HttpClockTest : public httptest::HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    clock_ = new TestClock(&mgr_);
    srv_.fn = Ok;
    ASSERT_NE(Listen("mem://srv", &srv_), nullptr);
  }
  void TearDown() override {
    printf("%.1f simulated seconds in %.3f real seconds\n",
           clock_->Now() - TestClock::kDefaultStart, real_.Seconds());
    EXPECT_LT(real_.Seconds(), 5.0);
    delete clock_;
    HttpTest::TearDown();
  }
  // Lets seconds pass in 0.5 s steps, then lets what they caused (a close
  // reaching the client) happen with the clock standing still.
  void Pass(double seconds) {
    clock_->Run(seconds, 0.5);
    for (int i = 0; i < 20; i++) mg_mgr_poll(&mgr_, 0);
  }
  // Waits, with the clock standing still, until the server connection
  // holds n unparsed bytes (a head still incomplete).
  bool ServerHolds(size_t n) {
    return Until([&] {
      for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
           c = mg_next(&mgr_, c)) {
        if (c->listener != nullptr && c->recv_mbuf.len == n) return true;
      }
      return false;
    });
  }
  TestClock *clock_ = nullptr;
  RealTimer real_;
  Server srv_;
};

TEST_F(HttpClockTest, DefaultsAreThirtyAndSixtySeconds) {
  struct mg_http_opts o = mg_http_get_options(&mgr_);
  EXPECT_EQ(o.header_timeout, 30.0);
  EXPECT_EQ(o.idle_timeout, 60.0);
}

// A head that never ends: nothing for 30 s, then 408 and the close.
TEST_F(HttpClockTest, HeaderTimeoutAnswers408AfterThirtySeconds) {
  Raw r;
  std::string head = "GET /slow HTTP/1.1\r\nHost: h\r\n";
  Send("mem://srv", &r, head);
  ASSERT_TRUE(ServerHolds(head.size()));
  Pass(29.5);
  EXPECT_EQ(r.data, "");
  EXPECT_EQ(r.closed, 0);
  Pass(1);  // 30.5 s after the head's bytes arrived
  std::vector<Reply> rs = Replies(r.data);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].code, 408);
  Pass(5);  // the linger after an error is on the clock too
  EXPECT_EQ(r.closed, 1);
  EXPECT_EQ(srv_.requests, 0);
}

// The head's clock starts at its first byte and is not reset by more
// bytes: a client trickling a byte every 10 s still gets 408 at 30 s.
TEST_F(HttpClockTest, HeaderTimeoutIsNotResetByTrickling) {
  Raw r;
  struct mg_connection *c = Send("mem://srv", &r, "G");
  ASSERT_TRUE(ServerHolds(1));
  const char *more = "ET / HTTP/1.1\r\n";
  for (int i = 0; i < 3; i++) {
    Pass(9.75);
    EXPECT_EQ(r.data, "");
    mg_send(c, more + i, 1);
    ASSERT_TRUE(ServerHolds(static_cast<size_t>(i) + 2));
  }
  Pass(0.75);  // 30 s after "G": not yet
  EXPECT_EQ(r.data, "");
  Pass(0.5);
  std::vector<Reply> rs = Replies(r.data);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].code, 408);
}

// A kept-alive connection is closed 60 s after its last I/O, not before;
// a request in between moves the deadline.
TEST_F(HttpClockTest, IdleTimeoutClosesAfterSixtySecondsWithoutIo) {
  Raw r;
  struct mg_connection *c = Send("mem://srv", &r, "GET /1 HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(Until([&] { return Replies(r.data).size() == 1; }));
  Pass(50);
  EXPECT_EQ(r.closed, 0);
  std::string again = "GET /2 HTTP/1.1\r\n\r\n";
  mg_send(c, again.data(), static_cast<int>(again.size()));
  ASSERT_TRUE(Until([&] { return Replies(r.data).size() == 2; }));
  Pass(59.5);  // 109.5 s since the start, 59.5 s since the last I/O
  EXPECT_EQ(r.closed, 0);
  Pass(1);
  EXPECT_EQ(r.closed, 1);
  EXPECT_EQ(srv_.requests, 2);
}

// A connection that never sends a byte is idle too.
TEST_F(HttpClockTest, SilentConnectionClosedAfterSixtySeconds) {
  Raw r;
  Send("mem://srv", &r, "");
  ASSERT_TRUE(Until([&] { return r.status == 0; }));
  Pass(59.5);
  EXPECT_EQ(r.closed, 0);
  Pass(1);
  EXPECT_EQ(r.closed, 1);
  EXPECT_EQ(r.data, "");
}

// Set timeouts follow the clock as well; -1 disables one.
TEST_F(HttpClockTest, DisabledIdleTimeoutNeverCloses) {
  struct mg_http_opts o = mg_http_get_options(&mgr_);
  o.idle_timeout = -1;
  ASSERT_EQ(mg_http_set_options(&mgr_, &o), 0);
  Raw r;
  Send("mem://srv", &r, "GET / HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(Until([&] { return Replies(r.data).size() == 1; }));
  clock_->Run(86400, 60);  // a day, 1440 polls
  Pass(0);
  EXPECT_EQ(r.closed, 0);
}

}  // namespace
