// MQTT over WebSocket with a real peer on loopback: the npm `mqtt` package
// (MQTT.js) connects to ws://127.0.0.1:PORT/mqtt (subprotocol "mqtt") and
// exchanges messages with an MQTT.js client on the TCP listener of the
// same broker (npm_ws_client.js).
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>

#include "testing/interop/mqtt/peers.h"
#include "testing/util/test_util.h"

namespace {

// One broker with a TCP and a WebSocket listener on 127.0.0.1, polled by a
// thread of its own.
class DualBroker {
 public:
  DualBroker() {
    mg_mgr_init(&mgr_, nullptr);
    mg_mqtt_broker_init(&brk_, nullptr);
    struct mg_connection *tcp = mg_bind(&mgr_, "127.0.0.1:0", Handler);
    struct mg_connection *ws = mg_bind(&mgr_, "127.0.0.1:0", Handler);
    if (tcp == nullptr || ws == nullptr) return;
    mg_mqtt_broker_attach(&brk_, tcp);
    if (mg_mqtt_ws_attach(&brk_, ws) != 0) return;
    tcp_port_ = mgtest::LocalPort(tcp);
    ws_port_ = mgtest::LocalPort(ws);
    thread_ = std::thread([this] {
      for (int i = 0; i < 100000000 && !stop_; i++) mg_mgr_poll(&mgr_, 5);
    });
  }
  ~DualBroker() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    mg_mgr_free(&mgr_);
    mg_mqtt_broker_free(&brk_);
  }
  int tcp_port() const { return tcp_port_; }
  int ws_port() const { return ws_port_; }

 private:
  static void Handler(struct mg_connection *c, int ev, void *ev_data) {
    (void) ev_data;
    if (ev == MG_EV_HTTP_REQUEST) {  // not an upgrade
      mg_printf(c, "%s", "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    }
  }
  struct mg_mgr mgr_;
  struct mg_mqtt_broker brk_;
  int tcp_port_ = -1, ws_port_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// testing/interop/node_modules, found through the runfile symlink of the
// script (or MG_NODE_MODULES).
std::string NodeModules(const std::string &script) {
  const char *env = getenv("MG_NODE_MODULES");
  if (env != nullptr) return env;
  char real[PATH_MAX];
  if (realpath(script.c_str(), real) == nullptr) return "";
  std::string dir(real);
  dir = dir.substr(0, dir.rfind('/'));  // testing/interop/mqtt
  dir = dir.substr(0, dir.rfind('/'));  // testing/interop
  return dir + "/node_modules";
}

TEST(NpmMqttOverWebSocket, SubscribesAndGetsTcpPublishes) {
  std::string script = mgtest::Runfile("testing/interop/mqtt/npm_ws_client.js");
  std::string modules = NodeModules(script);
  ASSERT_EQ(access((modules + "/mqtt/package.json").c_str(), R_OK), 0)
      << "npm package mqtt missing under " << modules
      << " (tools/bootstrap installs it)";
  DualBroker b;
  ASSERT_GT(b.tcp_port(), 0);
  ASSERT_GT(b.ws_port(), 0);
  std::string path = mqttpeers::TmpPath("npm_ws.out");
  pid_t node = mqttpeers::Start({"node", script, std::to_string(b.ws_port()),
                                 std::to_string(b.tcp_port())},
                                path, {"NODE_PATH=" + modules});
  ASSERT_GT(node, 0);
  EXPECT_EQ(mqttpeers::Wait(node, 20), 0);
  EXPECT_EQ(mqttpeers::ReadFile(path), "OK\n");
}

}  // namespace
