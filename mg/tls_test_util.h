// Helpers for the TLS tests: certificates made at test time, a TLS echo
// server and a recording client, peers run as programs.
#ifndef MG_TLS_TEST_UTIL_H
#define MG_TLS_TEST_UTIL_H

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mg/core.h"
#include "testing/util/test_util.h"

namespace tlstest {

// The directory with the certificates of mg/testdata/make_certs.sh, made
// once per test program.
inline const std::string &CertDir() {
  static std::string dir;
  if (dir.empty()) {
    const char *tmp = getenv("TEST_TMPDIR");
    std::string d = std::string(tmp ? tmp : "/tmp") + "/certs";
    std::string cmd = mgtest::Runfile("mg/testdata/make_certs.sh") + " " + d;
    if (system(cmd.c_str()) != 0) {
      ADD_FAILURE() << "cannot make certificates: " << cmd;
    }
    dir = d;
  }
  return dir;
}

// Path of certificate file `name` (e.g. "server.pem").
inline std::string Cert(const std::string &name) {
  return CertDir() + "/" + name;
}

// What one connection saw (via user_data).
struct Seen {
  std::string data;             // bytes received
  int connect_status = -1;      // MG_EV_CONNECT status
  int connects = 0;             // MG_EV_CONNECT count
  int accepts = 0;              // MG_EV_ACCEPT count (listener's Seen)
  int closes = 0;               // MG_EV_CLOSE count
  int events = 0;               // every event but MG_EV_POLL
  std::string error;            // mg_ssl_get_error() at MG_EV_CONNECT
  std::string close_error;      // mg_ssl_get_error() at MG_EV_CLOSE
  std::string sni;              // mg_ssl_get_sni() at MG_EV_ACCEPT
  bool handshake_done = false;  // MG_F_SSL_HANDSHAKE_DONE at connect/accept
  std::string greeting;         // sent by the client at a successful connect
};

inline Seen *SeenOf(struct mg_connection *c) {
  return static_cast<Seen *>(c->user_data);
}

// Client handler: records events and keeps what arrives.
inline void RecordHandler(struct mg_connection *c, int ev, void *ev_data) {
  Seen *s = SeenOf(c);
  if (s == nullptr || ev == MG_EV_POLL) return;
  s->events++;
  switch (ev) {
    case MG_EV_CONNECT: {
      s->connects++;
      s->connect_status = *static_cast<int *>(ev_data);
      const char *e = mg_ssl_get_error(c);
      s->error = e ? e : "";
      s->handshake_done = (c->flags & MG_F_SSL_HANDSHAKE_DONE) != 0;
      if (s->connect_status == 0 && !s->greeting.empty()) {
        mg_send(c, s->greeting.data(), static_cast<int>(s->greeting.size()));
      }
      break;
    }
    case MG_EV_RECV:
      s->data.append(c->recv_mbuf.buf, c->recv_mbuf.len);
      mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
      break;
    case MG_EV_CLOSE: {
      s->closes++;
      const char *e = mg_ssl_get_error(c);
      s->close_error = e ? e : "";
      break;
    }
  }
}

// Server handler: counts accepts in the listener's Seen (inherited
// user_data), remembers the SNI, echoes everything.
inline void EchoHandler(struct mg_connection *c, int ev, void *ev_data) {
  (void) ev_data;
  Seen *s = SeenOf(c);
  if (ev == MG_EV_POLL) return;
  if (s != nullptr) s->events++;
  if (ev == MG_EV_ACCEPT && s != nullptr) {
    s->accepts++;
    const char *sni = mg_ssl_get_sni(c);
    s->sni = sni ? sni : "";
    s->handshake_done = (c->flags & MG_F_SSL_HANDSHAKE_DONE) != 0;
  } else if (ev == MG_EV_RECV) {
    mg_send(c, c->recv_mbuf.buf, static_cast<int>(c->recv_mbuf.len));
    mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
  } else if (ev == MG_EV_CLOSE && s != nullptr) {
    s->closes++;
  }
}

// Number of connections in mgr.
inline int CountConns(struct mg_mgr *mgr) {
  int n = 0;
  for (struct mg_connection *c = mg_next(mgr, nullptr); c; c = mg_next(mgr, c))
    n++;
  return n;
}

// A free TCP port on 127.0.0.1 (bound and released: for peers that need a
// port number up front).
inline int FreePort() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(sin);
  int port = -1;
  if (bind(s, reinterpret_cast<struct sockaddr *>(&sin), sizeof(sin)) == 0 &&
      getsockname(s, reinterpret_cast<struct sockaddr *>(&sin), &len) == 0) {
    port = ntohs(sin.sin_port);
  }
  close(s);
  return port;
}

// Runs a shell command line in the background, output to out_file.
inline pid_t SpawnShell(const std::string &cmd, const std::string &out_file) {
  return mgtest::Spawn(
      {"/bin/sh", "-c", "exec " + cmd + " >" + out_file + " 2>&1"});
}

inline std::string ReadFile(const std::string &path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Polls mgr until process pid exits (or `seconds` pass); returns its exit
// status (-1 if it was still running and had to be stopped).
inline int PollUntilExit(struct mg_mgr *mgr, pid_t pid, double seconds = 20) {
  int status = 0;
  bool reaped = false;  // waitpid() succeeds once: remember it
  mgtest::PollUntil(
      mgr,
      [&] {
        if (!reaped) reaped = waitpid(pid, &status, WNOHANG) == pid;
        return reaped;
      },
      seconds);
  if (!reaped) {
    mgtest::Stop(pid);
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The test fixture: a manager with the TLS plugin.
class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CertDir();
    mg_mgr_init(&mgr_, nullptr);
  }
  void TearDown() override {
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      c->handler = nullptr;
      c->user_data = nullptr;
    }
    mg_mgr_free(&mgr_);
  }

  // A TLS echo server on 127.0.0.1 (port 0) with cert/key/ca/ciphers.
  struct mg_connection *Server(Seen *seen, const std::string &cert,
                               const std::string &key = "",
                               const std::string &ca = "",
                               const char *ciphers = nullptr,
                               mg_event_handler_t h = EchoHandler) {
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = seen;
    o.error_string = &bind_error_;
    cert_ = cert.empty() ? "" : Cert(cert);
    key_ = key.empty() ? "" : Cert(key);
    ca_ = ca.empty() ? "" : Cert(ca);
    o.ssl_cert = cert_.empty() ? nullptr : cert_.c_str();
    o.ssl_key = key_.empty() ? nullptr : key_.c_str();
    o.ssl_ca_cert = ca_.empty() ? nullptr : ca_.c_str();
    o.ssl_cipher_suites = ciphers;
    return mg_bind_opt(&mgr_, "127.0.0.1:0", h, o);
  }

  // Connects to address with TLS options; nullptr fields stay unset.
  struct mg_connection *Client(const std::string &address, Seen *seen,
                               struct mg_connect_opts o) {
    o.user_data = seen;
    o.error_string = &connect_error_;
    return mg_connect_opt(&mgr_, address.c_str(), RecordHandler, o);
  }

  static struct mg_connect_opts Opts() {
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    return o;
  }

  struct mg_mgr mgr_;
  const char *bind_error_ = nullptr;
  const char *connect_error_ = nullptr;
  std::string cert_, key_, ca_;
};

}  // namespace tlstest

#endif  // MG_TLS_TEST_UTIL_H
