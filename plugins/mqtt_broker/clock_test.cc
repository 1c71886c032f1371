// The broker's deadlines on a test clock, over mem://: a silent client is
// dropped once 1.5 x its keep-alive passed (and its will goes out), one
// that keeps pinging is not, and a connection that never sends CONNECT
// goes after MG_MQTT_BROKER_CONNECT_TIMEOUT; each in no real time.
#include <stdio.h>

#include <string>

#include "plugins/mqtt_broker/broker_test_util.h"
#include "testing/util/test_clock.h"

using mgtest::RealTimer;
using mgtest::TestClock;

namespace mqtttest {
namespace {

class BrokerClockTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    clock_ = new TestClock(&mgr_);
  }
  void TearDown() override {
    printf("%.1f simulated seconds in %.3f real seconds\n",
           clock_->Now() - TestClock::kDefaultStart, real_.Seconds());
    EXPECT_LT(real_.Seconds(), 5.0);
    BrokerTest::TearDown();
    delete clock_;
  }
  // A raw client that sent CONNECT with keep_alive seconds and a will
  // "will/<id>" = "gone", accepted by the broker.
  Client *Silent(const std::string &id, int keep_alive) {
    Client *raw = Open(true);
    std::string c =
        ConnectPacket(0x02 | 0x04, keep_alive, id, S("will/" + id) + S("gone"));
    mg_send(raw->nc, c.data(), static_cast<int>(c.size()));
    EXPECT_TRUE(Until([&] { return Session(id) != nullptr; }));
    return raw;
  }
  // Lets seconds pass in 0.5 s steps, then lets what they caused arrive
  // with the clock standing still.
  void Pass(double seconds) {
    clock_->Run(seconds, 0.5);
    for (int i = 0; i < 20; i++) mg_mgr_poll(&mgr_, 0);
  }
  TestClock *clock_ = nullptr;
  RealTimer real_;
};

// Keep-alive 60 s: still there at 90 s of silence, dropped after, will out.
TEST_F(BrokerClockTest, SilentClientDroppedAfterOneAndAHalfKeepAlives) {
  Client *watcher = Connect("watcher");  // keep-alive 0: never pings
  Subscribe(watcher, "will/#", 0);
  Client *raw = Silent("silent", 60);
  Pass(90);
  EXPECT_EQ(raw->closed, 0);
  EXPECT_TRUE(watcher->msgs.empty());
  Pass(0.5);
  EXPECT_EQ(raw->closed, 1);
  ASSERT_EQ(watcher->msgs.size(), 1u);
  EXPECT_EQ(watcher->msgs[0].topic, "will/silent");
  EXPECT_EQ(watcher->msgs[0].payload, "gone");
  EXPECT_EQ(watcher->closed, 0);
}

// Any packet counts: a PINGREQ every keep-alive keeps a client for an hour.
TEST_F(BrokerClockTest, PingingClientStaysForAnHour) {
  Client *raw = Silent("pinger", 10);
  for (int i = 0; i < 360 && raw->closed == 0; i++) {
    Pass(10);
    if (raw->nc != nullptr) mg_send(raw->nc, "\xc0\x00", 2);  // PINGREQ
  }
  EXPECT_EQ(raw->closed, 0);
  EXPECT_NE(Session("pinger"), nullptr);
}

// Our own mqtt client's keep-alive (on the same clock) does the pinging.
TEST_F(BrokerClockTest, MqttLayerKeepAliveKeepsTheConnection) {
  struct mg_send_mqtt_handshake_opts o;
  memset(&o, 0, sizeof(o));
  o.keep_alive = 20;
  Client *cl = Connect("layer", MG_MQTT_CLEAN_SESSION, &o);
  ASSERT_EQ(cl->connack, 0);
  Pass(600);
  EXPECT_EQ(cl->closed, 0);
  EXPECT_EQ(cl->pingresps, 30);
}

// No CONNECT within the connect timeout (10 s): dropped.
TEST_F(BrokerClockTest, NoConnectWithinTheTimeout) {
  EXPECT_EQ(brk_.connect_timeout, MG_MQTT_BROKER_CONNECT_TIMEOUT);
  Client *raw = Open(true);
  Pass(MG_MQTT_BROKER_CONNECT_TIMEOUT);
  EXPECT_EQ(raw->closed, 0);
  Pass(1);
  EXPECT_EQ(raw->closed, 1);
}

}  // namespace
}  // namespace mqtttest
