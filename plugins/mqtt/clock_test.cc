// The client's keep-alive on a test clock, over mem://: a PINGREQ once
// keep_alive seconds passed without a packet sent, not before, and any
// packet sent moves it; minutes simulated in a fraction of real time.
#include <gtest/gtest.h>

#include <stdio.h>

#include <vector>

#include "plugins/mqtt/mqtt.h"
#include "testing/util/test_clock.h"
#include "testing/util/test_util.h"

using mgtest::RealTimer;
using mgtest::TestClock;

namespace {

// MQTT events one side received (its user_data), PINGREQs counted apart.
struct Seen {
  std::vector<int> events;  // MQTT events, in order
  int pingreqs = 0;         // MG_EV_MQTT_PINGREQ count
  int connected = -1;       // MG_EV_CONNECT status
};

void Record(struct mg_connection *c, int ev, void *ev_data) {
  Seen *s = static_cast<Seen *>(c->user_data);
  if (s == nullptr) return;
  if (ev == MG_EV_CONNECT) s->connected = *static_cast<int *>(ev_data);
  if (ev < MG_MQTT_EVENT_BASE || ev > MG_MQTT_EVENT_BASE + 49) return;
  s->events.push_back(ev);
  if (ev == MG_EV_MQTT_PINGREQ) s->pingreqs++;
}

class MqttClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mg_mgr_init(&mgr_, nullptr);
    clock_ = new TestClock(&mgr_);
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = &server_;
    struct mg_connection *lc = mg_bind_opt(&mgr_, "mem://broker", Record, o);
    ASSERT_NE(lc, nullptr);
    mg_set_protocol_mqtt(lc);
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
  // A client that sent CONNECT with keep_alive (0: the default, 60 s),
  // received by the server.
  struct mg_connection *Client(Seen *s, uint16_t keep_alive) {
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = s;
    struct mg_connection *c = mg_connect_opt(&mgr_, "mem://broker", Record, o);
    EXPECT_NE(c, nullptr);
    if (c == nullptr) return nullptr;
    mg_set_protocol_mqtt(c);
    struct mg_send_mqtt_handshake_opts h;
    memset(&h, 0, sizeof(h));
    h.keep_alive = keep_alive;
    mg_send_mqtt_handshake_opt(c, "ka", h);
    EXPECT_TRUE(
        mgtest::PollUntil(&mgr_, [&] { return !server_.events.empty(); }));
    return c;
  }
  // Lets seconds pass in 0.5 s steps, then lets what they caused arrive
  // with the clock standing still.
  void Pass(double seconds) {
    clock_->Run(seconds, 0.5);
    for (int i = 0; i < 20; i++) mg_mgr_poll(&mgr_, 0);
  }

  struct mg_mgr mgr_;
  TestClock *clock_ = nullptr;
  RealTimer real_;
  Seen server_;
};

TEST_F(MqttClockTest, DefaultKeepAliveSendsPingreqAfterSixtySeconds) {
  Seen cl;
  struct mg_connection *c = Client(&cl, 0);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(static_cast<struct mg_mqtt_proto_data *>(c->proto_data)->keep_alive,
            60);
  Pass(59.5);
  EXPECT_EQ(server_.pingreqs, 0);
  Pass(0.5);  // 60 s since CONNECT
  EXPECT_EQ(server_.pingreqs, 1);
  Pass(59.5);
  EXPECT_EQ(server_.pingreqs, 1);
  Pass(0.5);
  EXPECT_EQ(server_.pingreqs, 2);
}

TEST_F(MqttClockTest, PacketsSentPostponeThePingreq) {
  Seen cl;
  struct mg_connection *c = Client(&cl, 30);
  ASSERT_NE(c, nullptr);
  Pass(20);
  mg_mqtt_publish(c, "t", 0, 0, "x", 1);  // the last packet: at 20 s
  Pass(29.5);
  EXPECT_EQ(server_.pingreqs, 0);
  EXPECT_EQ(server_.events.back(), MG_EV_MQTT_PUBLISH);
  Pass(0.5);  // 30 s after the PUBLISH
  EXPECT_EQ(server_.pingreqs, 1);
}

// A long quiet hour: one PINGREQ per keep-alive period, no more.
TEST_F(MqttClockTest, AnHourOfPingreqs) {
  Seen cl;
  ASSERT_NE(Client(&cl, 10), nullptr);
  Pass(3600);
  EXPECT_EQ(server_.pingreqs, 360);
}

}  // namespace
