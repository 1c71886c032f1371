// The ws plugin's timers at their defaults on a test clock, over mem://:
// a PING after 5 quiet seconds, and a CLOSE the peer never answers given
// up after 5 seconds; each checked just before and just after.
#include <gtest/gtest.h>

#include <stdio.h>

#include <string>
#include <vector>

#include "plugins/ws/ws_test_util.h"
#include "testing/util/test_clock.h"
#include "testing/util/test_util.h"

using mgtest::RealTimer;
using mgtest::TestClock;
using wstest::Decoder;
using wstest::Item;

namespace {

// A raw client's bytes and close (its user_data).
struct RawPeer {
  std::string bytes;  // received, handshake response removed once seen
  int closed = 0;     // MG_EV_CLOSE
};

void RawHandler(struct mg_connection *c, int ev, void *) {
  RawPeer *p = static_cast<RawPeer *>(c->user_data);
  if (p == nullptr) return;
  if (ev == MG_EV_RECV) {
    p->bytes.append(c->recv_mbuf.buf, c->recv_mbuf.len);
    mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
  } else if (ev == MG_EV_CLOSE) {
    p->closed++;
  }
}

// The server: sends a CLOSE as soon as the upgrade is done if told to.
bool g_close_at_once = false;

void ServerHandler(struct mg_connection *c, int ev, void *) {
  if (ev == MG_EV_WEBSOCKET_HANDSHAKE_DONE && g_close_at_once) {
    mg_send_websocket_frame(c, WEBSOCKET_OP_CLOSE, "", 0);
  }
}

const char kUpgrade[] =
    "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\n\r\n";

class WsClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_close_at_once = false;
    mg_mgr_init(&mgr_, nullptr);
    clock_ = new TestClock(&mgr_);
    struct mg_connection *lc = mg_bind(&mgr_, "mem://srv", ServerHandler);
    ASSERT_NE(lc, nullptr);
    mg_set_protocol_http_websocket(lc);
  }
  void TearDown() override {
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      c->user_data = nullptr;
    }
    printf("%.1f simulated seconds in %.3f real seconds\n",
           clock_->Now() - TestClock::kDefaultStart, real_.Seconds());
    EXPECT_LT(real_.Seconds(), 5.0);
    mg_mgr_free(&mgr_);
    delete clock_;
  }
  // A raw client past the upgrade (clock standing still).
  void Upgrade(RawPeer *p) {
    struct mg_connection *c = mg_connect(&mgr_, "mem://srv", RawHandler);
    ASSERT_NE(c, nullptr);
    c->user_data = p;
    mg_send(c, kUpgrade, sizeof(kUpgrade) - 1);
    ASSERT_TRUE(mgtest::PollUntil(
        &mgr_, [&] { return p->bytes.find("\r\n\r\n") != std::string::npos; }));
    p->bytes.erase(0, p->bytes.find("\r\n\r\n") + 4);
  }
  // Lets seconds pass in 0.5 s steps, then lets what they caused happen
  // with the clock standing still.
  void Pass(double seconds) {
    clock_->Run(seconds, 0.5);
    for (int i = 0; i < 20; i++) mg_mgr_poll(&mgr_, 0);
  }
  // The frames a raw client got (server frames are not masked).
  static std::vector<Item> Frames(const std::string &bytes) {
    Decoder d(false, ~0ull, true);
    return d.Feed(bytes);
  }

  struct mg_mgr mgr_;
  TestClock *clock_ = nullptr;
  RealTimer real_;
};

TEST_F(WsClockTest, QuietConnectionIsPingedEveryFiveSeconds) {
  EXPECT_EQ(mg_ws_get_options(&mgr_).ping_interval, 5.0);
  RawPeer p;
  Upgrade(&p);
  Pass(5);  // exactly 5 s: not yet (more than 5 s without traffic)
  EXPECT_EQ(Frames(p.bytes).size(), 0u);
  Pass(0.5);
  std::vector<Item> items = Frames(p.bytes);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].flags, 0x80 | WEBSOCKET_OP_PING);
  Pass(5);  // 5 s after that PING, which was traffic too
  EXPECT_EQ(Frames(p.bytes).size(), 1u);
  Pass(0.5);
  EXPECT_EQ(Frames(p.bytes).size(), 2u);
  Pass(60);  // a minute more: a PING every 5.5 s (0.5 s steps)
  EXPECT_EQ(Frames(p.bytes).size(), 2u + 10u);
  EXPECT_EQ(p.closed, 0);
}

TEST_F(WsClockTest, UnansweredCloseGivesUpAfterFiveSeconds) {
  EXPECT_EQ(mg_ws_get_options(&mgr_).close_timeout, 5.0);
  g_close_at_once = true;
  RawPeer p;
  Upgrade(&p);
  mgtest::PollUntil(&mgr_, [&] { return !Frames(p.bytes).empty(); });
  std::vector<Item> items = Frames(p.bytes);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].flags, 0x80 | WEBSOCKET_OP_CLOSE);
  Pass(5);  // the deadline itself: still waiting for the peer's CLOSE
  EXPECT_EQ(p.closed, 0);
  EXPECT_EQ(Frames(p.bytes).size(), 1u);  // no PINGs while closing
  Pass(0.5);
  EXPECT_EQ(p.closed, 1);
}

}  // namespace
