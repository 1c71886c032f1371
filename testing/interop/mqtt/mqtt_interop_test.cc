// MQTT interop with real peers on loopback:
// - mosquitto_pub / mosquitto_sub against our broker: QoS 0/1/2, retained
//   set and delete, a will, a persistent session (clean session 0)
//   receiving what was queued while it was away;
// - the npm `mqtt` package (MQTT.js) against our broker;
// - our client against a mosquitto broker started here on a free port.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/interop/mqtt/peers.h"
#include "testing/util/test_util.h"

using mqttpeers::BrokerThread;
using mqttpeers::RunPeer;
using mqttpeers::Start;
using mqttpeers::TmpPath;
using mqttpeers::Wait;
using mqttpeers::WaitFor;

namespace {

std::vector<std::string> Sub(const BrokerThread &b,
                             std::vector<std::string> extra) {
  std::vector<std::string> a = {"mosquitto_sub", "-h", "127.0.0.1", "-p",
                                b.portstr()};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

std::vector<std::string> Pub(const BrokerThread &b,
                             std::vector<std::string> extra) {
  std::vector<std::string> a = {"mosquitto_pub", "-h", "127.0.0.1", "-p",
                                b.portstr()};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

TEST(MosquittoClientsToOurBroker, Qos012) {
  BrokerThread b;
  ASSERT_GT(b.port(), 0);
  for (int q = 0; q <= 2; q++) {
    std::string qs = std::to_string(q), topic = "t/" + qs;
    std::string out = TmpPath("sub_q" + qs + ".out");
    int subs = b.subscribes;
    pid_t sub = Start(Sub(b, {"-t", topic, "-q", qs, "-C", "2", "-v"}), out);
    ASSERT_GT(sub, 0);
    ASSERT_TRUE(WaitFor([&] { return b.subscribes > subs; }));
    EXPECT_EQ(RunPeer(Pub(b, {"-t", topic, "-q", qs, "-m", "first"})), 0);
    EXPECT_EQ(RunPeer(Pub(b, {"-t", topic, "-q", qs, "-m", "second"})), 0);
    EXPECT_EQ(Wait(sub), 0) << "QoS " << q;
    EXPECT_EQ(mqttpeers::ReadFile(out),
              topic + " first\n" + topic + " second\n");
  }
}

TEST(MosquittoClientsToOurBroker, RetainedSetAndDelete) {
  BrokerThread b;
  std::string out;
  ASSERT_EQ(RunPeer(Pub(b, {"-t", "r/x", "-r", "-q", "1", "-m", "kept"})), 0);
  ASSERT_EQ(RunPeer(Sub(b, {"-t", "r/#", "-C", "1", "-v"}), &out), 0);
  EXPECT_EQ(out, "r/x kept\n");
  ASSERT_EQ(RunPeer(Pub(b, {"-t", "r/x", "-r", "-n"})), 0);
  // -W 1: give up after a second; nothing retained is left to show.
  RunPeer(Sub(b, {"-t", "r/#", "-W", "1", "-v"}), &out);
  EXPECT_EQ(out.find("r/x"), std::string::npos) << out;
}

TEST(MosquittoClientsToOurBroker, WillOnAbnormalDisconnect) {
  BrokerThread b;
  std::string out = TmpPath("will.out");
  int subs = b.subscribes;
  pid_t watcher =
      Start(Sub(b, {"-t", "will/#", "-q", "1", "-C", "1", "-v"}), out);
  ASSERT_TRUE(WaitFor([&] { return b.subscribes > subs; }));
  int conns = b.connects;
  pid_t mortal =
      Start(Sub(b, {"-t", "nothing", "-k", "5", "--will-topic", "will/x",
                    "--will-payload", "bye", "--will-qos", "1"}),
            TmpPath("mortal.out"));
  ASSERT_TRUE(WaitFor([&] { return b.connects > conns; }));
  kill(mortal, SIGKILL);  // the socket closes without DISCONNECT
  Wait(mortal);
  EXPECT_EQ(Wait(watcher), 0);
  EXPECT_EQ(mqttpeers::ReadFile(out), "will/x bye\n");
}

TEST(MosquittoClientsToOurBroker, PersistentSessionGetsQueuedMessages) {
  BrokerThread b;
  // -E: subscribe, then leave (clean session 0 keeps the subscription).
  ASSERT_EQ(
      RunPeer(Sub(b, {"-c", "-i", "persist", "-q", "1", "-t", "p/t", "-E"})),
      0);
  for (int i = 1; i <= 3; i++) {
    ASSERT_EQ(RunPeer(Pub(b, {"-t", "p/t", "-q", i == 2 ? "2" : "1", "-m",
                              "queued" + std::to_string(i)})),
              0);
  }
  std::string out;
  ASSERT_EQ(RunPeer(Sub(b, {"-c", "-i", "persist", "-q", "1", "-t", "p/t", "-C",
                            "3", "-v"}),
                    &out),
            0);
  EXPECT_EQ(out, "p/t queued1\np/t queued2\np/t queued3\n");
}

// The directory of the source tree holding testing/interop/node_modules,
// found through the runfile symlink of the script.
std::string NodeModules(const std::string &script) {
  char real[PATH_MAX];
  if (realpath(script.c_str(), real) == nullptr) return "";
  std::string dir(real);
  dir = dir.substr(0, dir.rfind('/'));  // testing/interop/mqtt
  dir = dir.substr(0, dir.rfind('/'));  // testing/interop
  const char *env = getenv("MG_NODE_MODULES");
  return env != nullptr ? env : dir + "/node_modules";
}

TEST(NpmMqttToOurBroker, Qos012RetainedWill) {
  std::string script = mgtest::Runfile("testing/interop/mqtt/npm_client.js");
  std::string modules = NodeModules(script);
  ASSERT_EQ(access((modules + "/mqtt/package.json").c_str(), R_OK), 0)
      << "npm package mqtt missing under " << modules
      << " (tools/bootstrap installs it)";
  BrokerThread b;
  std::string path = TmpPath("npm.out");
  pid_t node =
      Start({"node", script, b.portstr()}, path, {"NODE_PATH=" + modules});
  ASSERT_GT(node, 0);
  EXPECT_EQ(Wait(node, 20), 0);
  EXPECT_EQ(mqttpeers::ReadFile(path), "OK\n");
}

// --- Our client against mosquitto ---

struct Peer {
  int connack = -1;
  int subacked = 0;
  int closed = 0;
  std::vector<std::string> got;  // "topic=payload/qos"
  std::vector<int> done_ids;     // PUBACK / PUBCOMP ids
};

void PeerHandler(struct mg_connection *c, int ev, void *ev_data) {
  Peer *p = static_cast<Peer *>(c->user_data);
  struct mg_mqtt_message *mm = static_cast<struct mg_mqtt_message *>(ev_data);
  if (p == nullptr) return;
  switch (ev) {
    case MG_EV_MQTT_CONNACK:
      p->connack = mm->connack_ret_code;
      break;
    case MG_EV_MQTT_SUBACK:
      p->subacked++;
      break;
    case MG_EV_MQTT_PUBLISH:
      p->got.push_back(std::string(mm->topic.p, mm->topic.len) + "=" +
                       std::string(mm->payload.p, mm->payload.len) + "/" +
                       std::to_string(mm->qos));
      if (mm->qos == 1) mg_mqtt_puback(c, mm->message_id);
      if (mm->qos == 2) mg_mqtt_pubrec(c, mm->message_id);
      break;
    case MG_EV_MQTT_PUBREL:
      mg_mqtt_pubcomp(c, mm->message_id);
      break;
    case MG_EV_MQTT_PUBREC:
      mg_mqtt_pubrel(c, mm->message_id);
      break;
    case MG_EV_MQTT_PUBACK:
    case MG_EV_MQTT_PUBCOMP:
      p->done_ids.push_back(mm->message_id);
      break;
    case MG_EV_CLOSE:
      p->closed++;
      break;
    default:
      break;
  }
}

class OurClientToMosquitto : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = mqttpeers::FreePort();
    ASSERT_GT(port_, 0);
    std::string conf = TmpPath("mosquitto.conf");
    std::ofstream(conf) << "listener " << port_ << " 127.0.0.1\n"
                        << "allow_anonymous true\npersistence false\n"
                        // as root, stay root: the sandbox refuses setgroups()
                        << "user root\n"
                        << "log_dest stderr\nlog_type error\n";
    broker_ = Start({"mosquitto", "-c", conf}, TmpPath("mosquitto.log"));
    ASSERT_GT(broker_, 0);
    int s = mgtest::ConnectRetry("127.0.0.1", port_);
    ASSERT_GE(s, 0) << mqttpeers::ReadFile(TmpPath("mosquitto.log"));
    close(s);
    mg_mgr_init(&mgr_, nullptr);
  }
  void TearDown() override {
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      c->user_data = nullptr;
    }
    mg_mgr_free(&mgr_);
    if (broker_ > 0) mgtest::Stop(broker_);
  }
  struct mg_connection *Connect(
      Peer *p, const char *id,
      struct mg_send_mqtt_handshake_opts *o = nullptr) {
    struct mg_connect_opts co;
    memset(&co, 0, sizeof(co));
    co.user_data = p;
    std::string addr = "127.0.0.1:" + std::to_string(port_);
    struct mg_connection *c =
        mg_connect_opt(&mgr_, addr.c_str(), PeerHandler, co);
    EXPECT_NE(c, nullptr);
    mg_set_protocol_mqtt(c);
    struct mg_send_mqtt_handshake_opts opts;
    memset(&opts, 0, sizeof(opts));
    if (o != nullptr) opts = *o;
    opts.flags |= MG_MQTT_CLEAN_SESSION;
    mg_send_mqtt_handshake_opt(c, id, opts);
    EXPECT_TRUE(mgtest::PollUntil(&mgr_, [&] { return p->connack >= 0; }));
    EXPECT_EQ(p->connack, 0);
    return c;
  }
  int port_ = -1;
  pid_t broker_ = -1;
  struct mg_mgr mgr_;
};

TEST_F(OurClientToMosquitto, PublishSubscribeQos012) {
  Peer a, b;
  struct mg_connection *ca = Connect(&a, "ours-a");
  struct mg_connection *cb = Connect(&b, "ours-b");
  struct mg_mqtt_topic_expression te[3] = {{"m/0", 0}, {"m/1", 1}, {"m/2", 2}};
  mg_mqtt_subscribe(ca, te, 3, 1);
  ASSERT_TRUE(mgtest::PollUntil(&mgr_, [&] { return a.subacked == 1; }));
  mg_mqtt_publish(cb, "m/0", 0, MG_MQTT_QOS(0), "zero", 4);
  mg_mqtt_publish(cb, "m/1", 21, MG_MQTT_QOS(1), "one", 3);
  mg_mqtt_publish(cb, "m/2", 22, MG_MQTT_QOS(2), "two", 3);
  ASSERT_TRUE(mgtest::PollUntil(
      &mgr_, [&] { return a.got.size() == 3 && b.done_ids.size() == 2; }));
  EXPECT_EQ(a.got,
            std::vector<std::string>({"m/0=zero/0", "m/1=one/1", "m/2=two/2"}));
  EXPECT_EQ(b.done_ids, std::vector<int>({21, 22}));
}

TEST_F(OurClientToMosquitto, KeepAliveAndWill) {
  Peer a, m;
  struct mg_connection *ca = Connect(&a, "watcher");
  struct mg_mqtt_topic_expression te = {"will/#", 1};
  mg_mqtt_subscribe(ca, &te, 1, 1);
  ASSERT_TRUE(mgtest::PollUntil(&mgr_, [&] { return a.subacked == 1; }));
  struct mg_send_mqtt_handshake_opts o;
  memset(&o, 0, sizeof(o));
  o.keep_alive = 1;  // mosquitto drops us after 1.5 s without PINGREQ
  o.will_topic = "will/ours";
  o.will_message = "gone";
  MG_MQTT_SET_WILL_QOS(o.flags, 1);
  struct mg_connection *cm = Connect(&m, "mortal", &o);
  mgtest::PollFor(&mgr_, 3.0);
  EXPECT_EQ(m.closed, 0) << "our PINGREQs did not keep the connection";
  EXPECT_TRUE(a.got.empty());
  cm->flags |= MG_F_CLOSE_IMMEDIATELY;  // no DISCONNECT: the will goes out
  ASSERT_TRUE(mgtest::PollUntil(&mgr_, [&] { return a.got.size() == 1; }));
  EXPECT_EQ(a.got[0], "will/ours=gone/1");
}

}  // namespace
