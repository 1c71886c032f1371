// The manager's clock (mg_mgr_set_clock, mg_mgr_time) moved by a test:
// timers, MG_EV_TIMER, last_io_time and the poll wait follow it; mg_time()
// does not. Over mem:// only, so it runs in the browser build too.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mg/core.h"
#include "testing/util/test_clock.h"

using mgtest::RealTimer;
using mgtest::TestClock;

namespace {

// What one connection saw (its user_data).
struct Seen {
  std::string name;                           // label in the order log
  std::vector<std::string> *order = nullptr;  // shared log of firings
  std::vector<double> timers;      // MG_EV_TIMER ev_data (the old stamp)
  std::vector<double> timer_left;  // ev_timer_time inside MG_EV_TIMER
  std::vector<double> timer_now;   // mg_mgr_time() inside MG_EV_TIMER
  int connected = -1;              // MG_EV_CONNECT status
  size_t received = 0;             // bytes received
};

void Record(struct mg_connection *c, int ev, void *ev_data) {
  Seen *s = static_cast<Seen *>(c->user_data);
  if (s == nullptr) return;
  if (ev == MG_EV_CONNECT) s->connected = *static_cast<int *>(ev_data);
  if (ev == MG_EV_RECV) {
    s->received += c->recv_mbuf.len;
    mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
  }
  if (ev != MG_EV_TIMER) return;
  s->timers.push_back(*static_cast<double *>(ev_data));
  s->timer_left.push_back(c->ev_timer_time);
  s->timer_now.push_back(mg_mgr_time(c->mgr));
  if (s->order != nullptr) s->order->push_back(s->name);
}

// Polls without waiting until pred() holds, at most n times.
template <typename Pred>
bool PollN(struct mg_mgr *mgr, Pred pred, int n = 1000) {
  for (int i = 0; i < n && !pred(); i++) mg_mgr_poll(mgr, 0);
  return pred();
}

class ClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mg_mgr_init(&mgr_, nullptr);
    srv_ = mg_bind(&mgr_, "mem://clock", Record);
    ASSERT_NE(srv_, nullptr);
    srv_->user_data = &server_;
  }
  void TearDown() override {
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      c->user_data = nullptr;
    }
    mg_mgr_free(&mgr_);
  }

  // A connected mem:// client recording into s.
  struct mg_connection *Client(Seen *s) {
    struct mg_connection *c = mg_connect(&mgr_, "mem://clock", Record);
    EXPECT_NE(c, nullptr);
    if (c == nullptr) return nullptr;
    c->user_data = s;
    EXPECT_TRUE(PollN(&mgr_, [&] { return s->connected == 0; }));
    return c;
  }

  // The server side of the last accepted connection.
  struct mg_connection *Accepted() {
    struct mg_connection *found = nullptr;
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      if (c->listener == srv_ && found == nullptr) found = c;
    }
    return found;
  }

  struct mg_mgr mgr_;
  struct mg_connection *srv_ = nullptr;
  Seen server_;
};

TEST_F(ClockTest, ManagerTimeIsTheClockAndMgTimeIsNot) {
  double before = mg_time();
  EXPECT_GE(mg_mgr_time(&mgr_), before);  // default: the wall clock
  {
    TestClock clock(&mgr_, 1000.0);
    EXPECT_EQ(mg_mgr_time(&mgr_), 1000.0);
    clock.Advance(247);
    EXPECT_EQ(mg_mgr_time(&mgr_), 1247.0);
    double wall = mg_time();
    EXPECT_GE(wall, before);  // mg_time() keeps telling UNIX time
    EXPECT_LT(wall, before + 3600);
  }
  // Restored: wall time again.
  EXPECT_EQ(mgr_.clock_fn, nullptr);
  double a = mg_time(), m = mg_mgr_time(&mgr_), b = mg_time();
  EXPECT_LE(a, m);
  EXPECT_LE(m, b);
}

TEST_F(ClockTest, SetClockNullRestoresDefault) {
  static double fixed = 5.0;
  mg_mgr_set_clock(
      &mgr_, [](void *arg) { return *static_cast<double *>(arg); }, &fixed);
  EXPECT_EQ(mg_mgr_time(&mgr_), 5.0);
  mg_mgr_set_clock(&mgr_, nullptr, &fixed);
  EXPECT_EQ(mgr_.clock_fn, nullptr);
  EXPECT_EQ(mgr_.clock_arg, nullptr);
  EXPECT_GT(mg_mgr_time(&mgr_), 1e9);
}

TEST_F(ClockTest, NestedClocksRestoreTheOuterOne) {
  TestClock outer(&mgr_, 100.0);
  {
    TestClock inner(&mgr_, 200.0);
    EXPECT_EQ(mg_mgr_time(&mgr_), 200.0);
  }
  EXPECT_EQ(mg_mgr_time(&mgr_), 100.0);
}

// Advanced in steps, the timer fires exactly when the clock reaches its
// stamp, once, with the old stamp as ev_data and the timer already reset.
TEST_F(ClockTest, TimerFiresWhenTheClockPassesTheStamp) {
  TestClock clock(&mgr_);
  Seen s;
  struct mg_connection *c = Client(&s);
  ASSERT_NE(c, nullptr);
  double stamp = clock.Now() + 30;
  EXPECT_EQ(mg_set_timer(c, stamp), 0.0);
  for (int i = 0; i < 59; i++) {  // up to 29.5 s, polling at each step
    clock.Advance(0.5);
    mg_mgr_poll(&mgr_, 0);
    mg_mgr_poll(&mgr_, 0);
  }
  clock.Advance(0.25);  // 29.75 s
  mg_mgr_poll(&mgr_, 0);
  EXPECT_TRUE(s.timers.empty()) << "fired before its time";
  EXPECT_EQ(c->ev_timer_time, stamp);
  clock.Advance(0.25);  // 30 s: due
  mg_mgr_poll(&mgr_, 0);
  ASSERT_EQ(s.timers.size(), 1u);
  EXPECT_EQ(s.timers[0], stamp);     // ev_data: the stamp that fired
  EXPECT_EQ(s.timer_left[0], 0.0);   // reset before the handler runs
  EXPECT_EQ(s.timer_now[0], stamp);  // the handler sees the clock
  clock.Advance(100);
  PollN(
      &mgr_, [] { return false; }, 5);
  EXPECT_EQ(s.timers.size(), 1u);  // once
}

// A handler may re-arm its timer: a periodic timer, 1000 simulated seconds
// in one poll per period.
TEST_F(ClockTest, RearmedTimerFiresOncePerPeriod) {
  TestClock clock(&mgr_);
  Seen s;
  struct mg_connection *c = Client(&s);
  ASSERT_NE(c, nullptr);
  c->handler = [](struct mg_connection *nc, int ev, void *ev_data) {
    Record(nc, ev, ev_data);
    if (ev == MG_EV_TIMER) mg_set_timer(nc, mg_mgr_time(nc->mgr) + 10);
  };
  mg_set_timer(c, clock.Now() + 10);
  int polls = clock.Run(1000, 1);
  EXPECT_EQ(polls, 1000);
  EXPECT_EQ(s.timers.size(), 100u);
  for (size_t i = 0; i < s.timers.size(); i++) {
    EXPECT_EQ(s.timers[i], mgtest::TestClock::kDefaultStart + 10.0 * (i + 1));
  }
}

// Timers on several connections fire earliest first, whatever the order
// they were set in or the connections' order.
TEST_F(ClockTest, TimersOfSeveralConnectionsFireInOrder) {
  TestClock clock(&mgr_);
  std::vector<std::string> order;
  Seen a, b, c, d;
  a.name = "a", b.name = "b", c.name = "c", d.name = "d";
  Seen *all[] = {&a, &b, &c, &d};
  double delay[] = {3, 1, 2, 50};
  for (int i = 0; i < 4; i++) {
    all[i]->order = &order;
    struct mg_connection *nc = Client(all[i]);
    ASSERT_NE(nc, nullptr);
    mg_set_timer(nc, clock.Now() + delay[i]);
  }
  clock.Advance(5);
  mg_mgr_poll(&mgr_, 0);  // one poll: every due timer, earliest first
  EXPECT_EQ(order, (std::vector<std::string>{"b", "c", "a"}));
  clock.Advance(45);
  mg_mgr_poll(&mgr_, 0);
  EXPECT_EQ(order, (std::vector<std::string>{"b", "c", "a", "d"}));
}

// last_io_time is stamped from the manager's clock, on both sides.
TEST_F(ClockTest, LastIoTimeFollowsTheClock) {
  TestClock clock(&mgr_, 5000.0);
  Seen s;
  struct mg_connection *c = Client(&s);
  ASSERT_NE(c, nullptr);
  struct mg_connection *peer = Accepted();
  ASSERT_NE(peer, nullptr);
  EXPECT_EQ(c->last_io_time, 5000);
  EXPECT_EQ(peer->last_io_time, 5000);
  clock.Advance(42.5);
  mg_send(c, "hi", 2);
  ASSERT_TRUE(PollN(&mgr_, [&] {
    return peer->recv_mbuf.len == 2 || server_.received == 2;
  }));
  EXPECT_EQ(c->last_io_time, 5042);     // sent
  EXPECT_EQ(peer->last_io_time, 5042);  // received
  clock.Advance(1000);
  mg_send(peer, "back", 4);
  ASSERT_TRUE(PollN(&mgr_, [&] { return s.received == 4; }));
  EXPECT_EQ(c->last_io_time, 6042);
  EXPECT_EQ(peer->last_io_time, 6042);
}

// A test clock does not move by itself: mg_mgr_poll() still returns within
// its milli of real time, however far off a timer is on the clock, and at
// once when a timer is due.
TEST_F(ClockTest, PollWaitsRealTimeAtMostMilli) {
  TestClock clock(&mgr_);
  Seen s;
  struct mg_connection *c = Client(&s);
  ASSERT_NE(c, nullptr);
  mg_set_timer(c, clock.Now() + 3600);
  RealTimer far;
  for (int i = 0; i < 5; i++) mg_mgr_poll(&mgr_, 10);
  EXPECT_LT(far.Seconds(), 2.5);  // 5 x 10 ms, not an hour
  EXPECT_TRUE(s.timers.empty());
  clock.Advance(3600);
  RealTimer due;
  mg_mgr_poll(&mgr_, 5000);
  EXPECT_LT(due.Seconds(), 2.5);  // due: no wait at all
  EXPECT_EQ(s.timers.size(), 1u);
}

// Simulated hours cost little real time.
TEST_F(ClockTest, ADaySimulatedQuickly) {
  TestClock clock(&mgr_);
  Seen s;
  struct mg_connection *c = Client(&s);
  ASSERT_NE(c, nullptr);
  mg_set_timer(c, clock.Now() + 86400);
  RealTimer real;
  clock.Run(86400, 60);  // 1440 polls
  EXPECT_EQ(s.timers.size(), 1u);
  double took = real.Seconds();
  printf("86400 simulated seconds in %.3f real seconds\n", took);
  EXPECT_LT(took, 5.0);
}

}  // namespace
