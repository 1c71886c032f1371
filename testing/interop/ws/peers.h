// Running real WebSocket peers (node with npm ws, Chromium through
// playwright-core) from the interop tests: our server polled by a thread
// of its own, programs spawned with their output in a file, bounded waits.
#ifndef MG_TESTING_INTEROP_WS_PEERS_H
#define MG_TESTING_INTEROP_WS_PEERS_H

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "mongoose.h"
#include "testing/util/peer_process.h"
#include "testing/util/test_util.h"

extern char **environ;

namespace wspeers {

using mgtest::ReadFile;
using mgtest::TmpPath;
using mgtest::WaitFor;

// testing/interop/node_modules in the source tree, found through the
// runfile symlink of a script in testing/interop/ws (MG_NODE_MODULES
// overrides).
inline std::string NodeModules() {
  const char *env = getenv("MG_NODE_MODULES");
  if (env != nullptr) return env;
  char real[PATH_MAX];
  std::string script = mgtest::Runfile("testing/interop/ws/npm_client.js");
  if (realpath(script.c_str(), real) == nullptr) return "";
  std::string dir(real);
  dir = dir.substr(0, dir.rfind('/'));  // testing/interop/ws
  dir = dir.substr(0, dir.rfind('/'));  // testing/interop
  return dir + "/node_modules";
}

// Starts args (looked up in PATH) with stdout and stderr to out_path,
// NODE_PATH set and extra environment entries ("NAME=value"). Returns the
// pid or -1.
inline pid_t Start(const std::vector<std::string> &args,
                   const std::string &out_path,
                   const std::vector<std::string> &env = {}) {
  std::vector<std::string> envs(env);
  envs.push_back("NODE_PATH=" + NodeModules());
  return mgtest::StartPeer(args, out_path, envs);
}

inline int Wait(pid_t pid, double seconds) {
  return mgtest::WaitPeer(pid, seconds);
}

// Our HTTP + WebSocket server on 127.0.0.1, polled by a thread: serves
// `page` at every HTTP path, echoes every message (picking subprotocol
// "echo.v1" when offered), and counts. A text "ping-me" makes it PING the
// peer (and say "ponged" when the PONG comes back), "close-me" makes it
// close with 4002.
class ServerThread {
 public:
  explicit ServerThread(const std::string &page, const char *cert = nullptr,
                        const char *key = nullptr)
      : page_(page) {
    mg_mgr_init(&mgr_, this);
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    const char *err = nullptr;
    o.error_string = &err;
#if MG_ENABLE_SSL
    o.ssl_cert = cert;
    o.ssl_key = key;
#else
    (void) cert;
    (void) key;
#endif
    lc_ = mg_bind_opt(&mgr_, "127.0.0.1:0", Handler, o);
    if (lc_ == nullptr) {
      fprintf(stderr, "bind: %s\n", err ? err : "?");
      return;
    }
    mg_set_protocol_http_websocket(lc_);
    port_ = mgtest::LocalPort(lc_);
    thread_ = std::thread([this] {
      for (int i = 0; i < 100000000 && !stop_; i++) mg_mgr_poll(&mgr_, 5);
    });
  }
  ~ServerThread() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    mg_mgr_free(&mgr_);
  }
  int port() const { return port_; }
  std::string url(const char *scheme, const char *path) const {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::atomic<int> handshakes{0};   // HANDSHAKE_DONE
  std::atomic<int> messages{0};     // FRAME
  std::atomic<int> last_close{-1};  // status of the last CLOSE received
  std::atomic<int> closes{0};       // MG_EV_CLOSE of WebSocket connections

 private:
  static void Handler(struct mg_connection *c, int ev, void *ev_data) {
    ServerThread *self = static_cast<ServerThread *>(c->mgr->user_data);
    if (ev == MG_EV_HTTP_REQUEST) {
      mg_send_head(c, 200, static_cast<int64_t>(self->page_.size()),
                   "Content-Type: text/html; charset=utf-8");
      mg_send(c, self->page_.data(), static_cast<int>(self->page_.size()));
    } else if (ev == MG_EV_WEBSOCKET_HANDSHAKE_REQUEST) {
      struct http_message *hm = static_cast<struct http_message *>(ev_data);
      struct mg_str *p = mg_get_http_header(hm, "Sec-WebSocket-Protocol");
      if (p != nullptr && mg_strstr(*p, mg_mk_str("echo.v1")) != nullptr) {
        mg_ws_set_protocol(c, "echo.v1");
      }
    } else if (ev == MG_EV_WEBSOCKET_HANDSHAKE_DONE) {
      self->handshakes++;
    } else if (ev == MG_EV_WEBSOCKET_FRAME) {
      struct websocket_message *wm =
          static_cast<struct websocket_message *>(ev_data);
      std::string text(reinterpret_cast<char *>(wm->data), wm->size);
      self->messages++;
      if (text == "ping-me") {  // the peer's PONG is answered with "ponged"
        mg_send_websocket_frame(c, WEBSOCKET_OP_PING, "are you there?", 14);
      } else if (text == "close-me") {
        mg_send_websocket_frame(c, WEBSOCKET_OP_CLOSE,
                                "\x0f\xa2server says bye", 17);
      } else {
        mg_send_websocket_frame(c, wm->flags & 0x0f, wm->data, wm->size);
      }
    } else if (ev == MG_EV_WEBSOCKET_CONTROL_FRAME) {
      struct websocket_message *wm =
          static_cast<struct websocket_message *>(ev_data);
      if ((wm->flags & 0x0f) == WEBSOCKET_OP_PONG &&
          std::string(reinterpret_cast<char *>(wm->data), wm->size) ==
              "are you there?") {
        mg_printf_websocket_frame(c, WEBSOCKET_OP_TEXT, "%s", "ponged");
      }
      if ((wm->flags & 0x0f) == WEBSOCKET_OP_CLOSE) {
        self->last_close =
            wm->size >= 2 ? (wm->data[0] << 8) | wm->data[1] : 1005;
      }
    } else if (ev == MG_EV_CLOSE && (c->flags & MG_F_IS_WEBSOCKET)) {
      self->closes++;
    }
  }
  std::string page_;
  struct mg_mgr mgr_;
  struct mg_connection *lc_ = nullptr;
  int port_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace wspeers

#endif  // MG_TESTING_INTEROP_WS_PEERS_H
