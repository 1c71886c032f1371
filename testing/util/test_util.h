// Helpers for tests: bounded polling, addresses, spawning our programs.
// A test using them also depends on a mongoose_library() target (for
// example //mg:core_only), which provides the plugin table.
// Every loop here is
// bounded in count and in time; nothing sleeps waiting for something that
// can be polled for.
#ifndef MG_TESTING_UTIL_TEST_UTIL_H
#define MG_TESTING_UTIL_TEST_UTIL_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/wait.h>

#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "mg/core.h"

extern char **environ;

namespace mgtest {

// Polls mgr until pred() holds or `seconds` pass. Returns pred().
inline bool PollUntil(struct mg_mgr *mgr, const std::function<bool()> &pred,
                      double seconds = 10.0) {
  // Bounded by time; the count bound only guards against a stuck clock (a
  // poll may return at once, as in the browser build).
  double deadline = mg_time() + seconds;
  for (long i = 0; i < 100000000L && !pred(); i++) {
    if (mg_time() > deadline) break;
    mg_mgr_poll(mgr, 5);
  }
  return pred();
}

// A value in kB from /proc/self/status ("VmRSS", "VmHWM"), or -1 (not
// Linux).
inline long StatusKb(const char *key) {
  FILE *fp = fopen("/proc/self/status", "r");
  char line[256];
  long v = -1;
  size_t klen = strlen(key);
  if (fp == nullptr) return -1;
  while (fgets(line, sizeof(line), fp) != nullptr) {
    if (strncmp(line, key, klen) == 0 && line[klen] == ':')
      v = atol(line + klen + 1);
  }
  fclose(fp);
  return v;
}

// Polls mgr for about `seconds` (to show that something does NOT happen).
inline void PollFor(struct mg_mgr *mgr, double seconds) {
  double deadline = mg_time() + seconds;
  for (long i = 0; i < 100000000L && mg_time() < deadline; i++) {
    mg_mgr_poll(mgr, 5);
  }
}

// "IP:PORT" of a connection's local address ("[::1]:PORT" for IPv6).
inline std::string LocalAddr(struct mg_connection *c) {
  char buf[100];
  mg_conn_addr_to_str(c, buf, sizeof(buf),
                      MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT);
  return buf;
}

// The local port of a connection.
inline int LocalPort(struct mg_connection *c) {
  char buf[20];
  mg_conn_addr_to_str(c, buf, sizeof(buf), MG_SOCK_STRINGIFY_PORT);
  return atoi(buf);
}

// Path of a runfile given relative to the workspace root.
inline std::string Runfile(const std::string &path) {
  const char *srcdir = getenv("TEST_SRCDIR");
  const char *ws = getenv("TEST_WORKSPACE");
  if (srcdir == nullptr || ws == nullptr) return path;
  return std::string(srcdir) + "/" + ws + "/" + path;
}

// Starts a program of ours (argv[0] a path) and returns its pid, or -1.
// When MG_TEST_LAUNCHER is set (e.g. "qemu-aarch64 -L /usr/aarch64-linux-gnu"
// in the ARM configs), the program runs under it.
inline pid_t Spawn(const std::vector<std::string> &args) {
  std::vector<std::string> full;
  if (const char *launcher = getenv("MG_TEST_LAUNCHER")) {
    std::istringstream in(launcher);
    std::string word;
    while (in >> word) full.push_back(word);
  }
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char *> argv;
  for (auto &a : full) argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) !=
      0) {
    return -1;
  }
  return pid;
}

// Stops a spawned program: SIGTERM, then SIGKILL after `seconds`.
inline int Stop(pid_t pid, double seconds = 5.0) {
  int status = 0;
  if (pid <= 0) return -1;
  kill(pid, SIGTERM);
  double deadline = mg_time() + seconds;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (mg_time() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    usleep(10000);
  }
  return status;
}

// Connects a blocking TCP socket to host:port, retrying until `seconds`
// pass (for a server that is still starting). Returns the socket or -1.
inline int ConnectRetry(const char *ip, int port, double seconds = 10.0) {
  double deadline = mg_time() + seconds;
  for (int i = 0; i < 100000 && mg_time() < deadline; i++) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, ip, &sin.sin_addr);
    if (connect(s, reinterpret_cast<struct sockaddr *>(&sin), sizeof(sin)) == 0)
      return s;
    close(s);
    usleep(20000);  // the server process is starting: nothing to poll here
  }
  return -1;
}

}  // namespace mgtest

#endif  // MG_TESTING_UTIL_TEST_UTIL_H
