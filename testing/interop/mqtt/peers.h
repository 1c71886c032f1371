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

extern char **environ;

namespace mqttpeers {

// A scratch path under the test's temporary directory.
inline std::string TmpPath(const std::string &name) {
  const char *d = getenv("TEST_TMPDIR");
  return std::string(d ? d : "/tmp") + "/" + name;
}

inline std::string ReadFile(const std::string &path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A TCP port on 127.0.0.1 that was free a moment ago.
inline int FreePort() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sin;
  socklen_t len = sizeof(sin);
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s, reinterpret_cast<struct sockaddr *>(&sin), sizeof(sin)) != 0 ||
      getsockname(s, reinterpret_cast<struct sockaddr *>(&sin), &len) != 0) {
    close(s);
    return -1;
  }
  close(s);
  return ntohs(sin.sin_port);
}

// Starts args (looked up in PATH) with stdout and stderr to out_path and
// extra environment entries ("NAME=value"). Returns the pid or -1.
inline pid_t Start(const std::vector<std::string> &args, const std::string &out_path,
                   const std::vector<std::string> &env = {}) {
  std::vector<char *> argv;
  for (const auto &a : args) argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> envs(env);
  for (char **e = environ; *e != nullptr; e++) envs.push_back(*e);
  std::vector<char *> envp;
  for (const auto &e : envs) envp.push_back(const_cast<char *>(e.c_str()));
  envp.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  return rc == 0 ? pid : -1;
}

// Waits up to `seconds` for pid to exit; kills it after that. Returns the
// exit status (WEXITSTATUS) or -1 if it had to be killed.
inline int Wait(pid_t pid, double seconds = 10.0) {
  int status = 0;
  double deadline = mg_time() + seconds;
  for (int i = 0; i < 1000000; i++) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (r < 0 || mg_time() > deadline) break;
    usleep(5000);  // another process: nothing of ours to poll
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

// Runs args to completion (bounded) and returns its exit status.
inline int RunPeer(const std::vector<std::string> &args, std::string *out = nullptr,
               double seconds = 10.0) {
  static int n = 0;
  std::string path = TmpPath("run" + std::to_string(++n) + ".out");
  pid_t pid = Start(args, path);
  if (pid < 0) return -2;
  int rc = Wait(pid, seconds);
  if (out != nullptr) *out = ReadFile(path);
  return rc;
}

// Polls until pred() or `seconds` pass (for state changed by another thread).
template <typename F>
bool WaitFor(F pred, double seconds = 10.0) {
  double deadline = mg_time() + seconds;
  for (int i = 0; i < 1000000 && !pred(); i++) {
    if (mg_time() > deadline) break;
    usleep(2000);
  }
  return pred();
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
