// Running real peers (mosquitto, mosquitto_pub/sub, node) from the MQTT
// interop tests: spawn with output to a file, bounded waits, free ports,
// and our broker in a thread of its own.
#ifndef MG_TESTING_INTEROP_MQTT_PEERS_H
#define MG_TESTING_INTEROP_MQTT_PEERS_H

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "mongoose.h"
#include "testing/util/peer_process.h"

extern char **environ;

namespace mqttpeers {

using mgtest::FreePort;
using mgtest::ReadFile;
using mgtest::TmpPath;
using mgtest::WaitFor;

inline pid_t Start(const std::vector<std::string> &args,
                   const std::string &out_path,
                   const std::vector<std::string> &env = {}) {
  return mgtest::StartPeer(args, out_path, env);
}

inline int Wait(pid_t pid, double seconds = 10.0) {
  return mgtest::WaitPeer(pid, seconds);
}

// Runs args to completion (bounded) and returns its exit status.
inline int RunPeer(const std::vector<std::string> &args,
                   std::string *out = nullptr, double seconds = 10.0) {
  static int n = 0;
  std::string path = TmpPath("run" + std::to_string(++n) + ".out");
  pid_t pid = Start(args, path);
  if (pid < 0) return -2;
  int rc = Wait(pid, seconds);
  if (out != nullptr) *out = ReadFile(path);
  return rc;
}

// Our broker (the reference's usage) on 127.0.0.1, polled by a thread.
class BrokerThread {
 public:
  BrokerThread() {
    mg_mgr_init(&mgr_, this);
    mg_mqtt_broker_init(&brk_, nullptr);
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = this;
    lc_ = mg_bind_opt(&mgr_, "127.0.0.1:0", Handler, o);
    if (lc_ == nullptr) return;
    lc_->priv_2 = &brk_;
    mg_set_protocol_mqtt(lc_);
    char buf[20];
    mg_conn_addr_to_str(lc_, buf, sizeof(buf), MG_SOCK_STRINGIFY_PORT);
    port_ = atoi(buf);
    thread_ = std::thread([this] {
      for (int i = 0; i < 100000000 && !stop_; i++) mg_mgr_poll(&mgr_, 5);
    });
  }
  ~BrokerThread() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    mg_mgr_free(&mgr_);
    mg_mqtt_broker_free(&brk_);
  }
  int port() const { return port_; }
  std::string portstr() const { return std::to_string(port_); }
  std::atomic<int> connects{0};    // CONNECTs handled
  std::atomic<int> subscribes{0};  // SUBSCRIBEs handled

 private:
  static void Handler(struct mg_connection *c, int ev, void *ev_data) {
    BrokerThread *self = static_cast<BrokerThread *>(c->mgr->user_data);
    mg_mqtt_broker(c, ev, ev_data);  // the broker acts first, then:
    if (ev == MG_EV_MQTT_CONNECT) self->connects++;
    if (ev == MG_EV_MQTT_SUBSCRIBE) self->subscribes++;
  }
  struct mg_mgr mgr_;
  struct mg_mqtt_broker brk_;
  struct mg_connection *lc_ = nullptr;
  int port_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace mqttpeers

#endif  // MG_TESTING_INTEROP_MQTT_PEERS_H
