// HTTPS and WSS end to end: mg_connect_http() and mg_connect_ws() to our
// own TLS server, verification against a given CA or, with none, the system
// bundle; curl against it.
#include "mongoose.h"
#include "mg/tls_test_util.h"

using mgtest::PollUntil;
using tlstest::Cert;

namespace {

// The HTTPS server: answers every request with its URI and the SNI, and
// echoes WebSocket messages.
void Serve(struct mg_connection *c, int ev, void *ev_data) {
  if (ev == MG_EV_WEBSOCKET_FRAME) {
    struct websocket_message *wm =
        static_cast<struct websocket_message *>(ev_data);
    mg_send_websocket_frame(c, WEBSOCKET_OP_BINARY, wm->data, wm->size);
    return;
  }
  if (ev != MG_EV_HTTP_REQUEST) return;
  struct http_message *hm = static_cast<struct http_message *>(ev_data);
  const char *sni = mg_ssl_get_sni(c);
  std::string body = "uri=" + std::string(hm->uri.p, hm->uri.len) +
                     " sni=" + (sni ? sni : "-");
  mg_send_head(c, 200, static_cast<int64_t>(body.size()),
               "Content-Type: text/plain");
  mg_send(c, body.data(), static_cast<int>(body.size()));
}

// What the client saw.
struct Reply {
  int connect_status = -1;
  int code = 0;
  std::string body, error;
  bool closed = false;
};

void OnReply(struct mg_connection *c, int ev, void *ev_data) {
  Reply *r = static_cast<Reply *>(c->user_data);
  if (r == nullptr) return;
  if (ev == MG_EV_CONNECT) {
    r->connect_status = *static_cast<int *>(ev_data);
    const char *e = mg_ssl_get_error(c);
    r->error = e ? e : "";
  } else if (ev == MG_EV_HTTP_REPLY) {
    struct http_message *hm = static_cast<struct http_message *>(ev_data);
    r->code = hm->resp_code;
    r->body.assign(hm->body.p, hm->body.len);
    c->flags |= MG_F_CLOSE_IMMEDIATELY;
  } else if (ev == MG_EV_CLOSE) {
    r->closed = true;
  }
}

class Https : public tlstest::TlsTest {
 protected:
  void SetUp() override {
    TlsTest::SetUp();
    std::string cert = Cert("server.pem"), key = Cert("server.key");
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    o.ssl_cert = cert.c_str();
    o.ssl_key = key.c_str();
    o.error_string = &bind_error_;
    listener_ = mg_bind_opt(&mgr_, "127.0.0.1:0", Serve, o);
    ASSERT_NE(listener_, nullptr) << bind_error_;
    mg_set_protocol_http_websocket(listener_);
    port_ = mgtest::LocalPort(listener_);
  }

  Reply Get(const std::string &url, const char *ca) {
    Reply r;
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = &r;
    o.ssl_ca_cert = ca;
    o.error_string = &connect_error_;
    struct mg_connection *c =
        mg_connect_http_opt(&mgr_, OnReply, o, url.c_str(), nullptr, nullptr);
    EXPECT_NE(c, nullptr) << connect_error_;
    if (c != nullptr) {
      EXPECT_TRUE(PollUntil(&mgr_, [&] { return r.closed; }));
    }
    return r;
  }

  std::string Url(const char *host, const char *path) {
    return std::string("https://") + host + ":" + std::to_string(port_) + path;
  }

  struct mg_connection *listener_ = nullptr;
  int port_ = 0;
};

TEST_F(Https, OurClientAndServer) {
  std::string ca = Cert("ca.pem");
  Reply r = Get(Url("localhost", "/hello?x=1"), ca.c_str());
  EXPECT_EQ(r.connect_status, 0) << r.error;
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.body, "uri=/hello sni=localhost");
  r = Get(Url("127.0.0.1", "/ip"), ca.c_str());
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.body, "uri=/ip sni=-");
}

// With no CA given, https:// verifies against the system bundle, which does
// not know our test CA: refused, not trusted blindly.
TEST_F(Https, NoCaMeansSystemBundle) {
  Reply r = Get(Url("localhost", "/"), nullptr);
  EXPECT_EQ(r.connect_status, EPROTO);
  EXPECT_NE(r.error.find("certificate verify failed"), std::string::npos)
      << r.error;
  EXPECT_EQ(r.code, 0);
  // "*" disables verification explicitly.
  r = Get(Url("localhost", "/"), "*");
  EXPECT_EQ(r.code, 200);
}

TEST_F(Https, CurlAgainstOurHttpServer) {
  std::string out = std::string(getenv("TEST_TMPDIR")) + "/curl.out";
  pid_t pid =
      tlstest::SpawnShell("/usr/bin/curl -sS --cacert " + Cert("ca.pem") + " " +
                              Url("localhost", "/from-curl"),
                          out);
  ASSERT_GT(pid, 0);
  EXPECT_EQ(tlstest::PollUntilExit(&mgr_, pid), 0) << tlstest::ReadFile(out);
  EXPECT_EQ(tlstest::ReadFile(out), "uri=/from-curl sni=localhost");
}

// What a WebSocket client saw.
struct WsSeen {
  int handshake_code = 0;
  std::string message;
  std::string error;
  bool closed = false;
};

void OnWs(struct mg_connection *c, int ev, void *ev_data) {
  WsSeen *w = static_cast<WsSeen *>(c->user_data);
  if (w == nullptr) return;
  if (ev == MG_EV_CONNECT) {
    const char *e = mg_ssl_get_error(c);
    w->error = e ? e : "";
  } else if (ev == MG_EV_WEBSOCKET_HANDSHAKE_DONE) {
    w->handshake_code = static_cast<struct http_message *>(ev_data)->resp_code;
    if (w->handshake_code == 101) {
      std::string big(100000, 'w');
      mg_send_websocket_frame(c, WEBSOCKET_OP_BINARY, big.data(), big.size());
    }
  } else if (ev == MG_EV_WEBSOCKET_FRAME) {
    struct websocket_message *wm =
        static_cast<struct websocket_message *>(ev_data);
    w->message.assign(reinterpret_cast<char *>(wm->data), wm->size);
    c->flags |= MG_F_CLOSE_IMMEDIATELY;
  } else if (ev == MG_EV_CLOSE) {
    w->closed = true;
  }
}

TEST_F(Https, WssOurClientAndServer) {
  std::string ca = Cert("ca.pem");
  WsSeen w;
  struct mg_connect_opts o;
  memset(&o, 0, sizeof(o));
  o.user_data = &w;
  o.ssl_ca_cert = ca.c_str();
  o.error_string = &connect_error_;
  std::string url = "wss://localhost:" + std::to_string(port_) + "/ws";
  ASSERT_NE(mg_connect_ws_opt(&mgr_, OnWs, o, url.c_str(), nullptr, nullptr),
            nullptr)
      << connect_error_;
  EXPECT_TRUE(PollUntil(&mgr_, [&] { return w.closed; }));
  EXPECT_EQ(w.handshake_code, 101) << w.error;
  EXPECT_EQ(w.message, std::string(100000, 'w'));

  // No CA: the system bundle, which does not know our test CA.
  WsSeen refused;
  o.user_data = &refused;
  o.ssl_ca_cert = nullptr;
  ASSERT_NE(mg_connect_ws_opt(&mgr_, OnWs, o, url.c_str(), nullptr, nullptr),
            nullptr);
  EXPECT_TRUE(PollUntil(&mgr_, [&] { return refused.closed; }));
  EXPECT_NE(refused.handshake_code, 101);
  EXPECT_NE(refused.error.find("certificate verify failed"), std::string::npos)
      << refused.error;
}

}  // namespace
