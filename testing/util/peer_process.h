// Running a real peer program (mosquitto, node, openssl, ...) from a test:
// spawned with its output in a file and extra environment entries, waited
// for with a bound, then killed if it has not ended.
#ifndef MG_TESTING_UTIL_PEER_PROCESS_H
#define MG_TESTING_UTIL_PEER_PROCESS_H

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "mg/core.h"

extern char **environ;

namespace mgtest {

// A scratch path under the test's temporary directory.
inline std::string TmpPath(const std::string &name) {
  const char *d = getenv("TEST_TMPDIR");
  return std::string(d ? d : "/tmp") + "/" + name;
}

// The whole content of a file ("" when it cannot be read).
inline std::string ReadFile(const std::string &path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A TCP port on 127.0.0.1 that was free a moment ago, for a peer program
// that cannot be told to bind port 0 and report it.
inline int FreePort() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sin;
  socklen_t len = sizeof(sin);
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (s < 0 ||
      bind(s, reinterpret_cast<struct sockaddr *>(&sin), sizeof(sin)) != 0 ||
      getsockname(s, reinterpret_cast<struct sockaddr *>(&sin), &len) != 0) {
    if (s >= 0) close(s);
    return -1;
  }
  close(s);
  return ntohs(sin.sin_port);
}

// Starts args (looked up in PATH) with stdout and stderr to out_path and
// extra environment entries ("NAME=value") ahead of the inherited ones.
// Returns the pid or -1.
inline pid_t StartPeer(const std::vector<std::string> &args,
                       const std::string &out_path,
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
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  return rc == 0 ? pid : -1;
}

// Waits up to `seconds` for pid to exit; kills it after that. Returns the
// exit status (WEXITSTATUS) or -1 if it had to be killed or died of a signal.
inline int WaitPeer(pid_t pid, double seconds = 10.0) {
  int status = 0;
  double deadline = mg_time() + seconds;
  for (int i = 0; i < 10000000; i++) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (r < 0 || mg_time() > deadline) break;
    usleep(5000);  // another process: nothing of ours to poll
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

// Runs args as StartPeer() does while polling mgr (the peer talks to a
// server in this process), until it exits or `seconds` pass (then it is
// killed); after_poll (if set) runs after every poll. Returns its exit
// status, or -1 (not started, killed, signal).
inline int RunPeerPolling(struct mg_mgr *mgr,
                          const std::vector<std::string> &args,
                          const std::string &out_path, double seconds = 60.0,
                          const std::function<void()> &after_poll = nullptr) {
  pid_t pid = StartPeer(args, out_path);
  int status = 0;
  if (pid < 0) return -1;
  double deadline = mg_time() + seconds;
  for (long i = 0; i < 100000000L && mg_time() < deadline; i++) {
    mg_mgr_poll(mgr, 2);
    if (after_poll) after_poll();
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

// Waits until pred() holds or `seconds` pass (state that another thread or
// process changes).
template <typename F>
bool WaitFor(F pred, double seconds = 10.0) {
  double deadline = mg_time() + seconds;
  for (int i = 0; i < 10000000 && !pred(); i++) {
    if (mg_time() > deadline) break;
    usleep(2000);
  }
  return pred();
}

}  // namespace mgtest

#endif  // MG_TESTING_UTIL_PEER_PROCESS_H
