// WebSocket interop with real peers on loopback:
// - the npm `ws` client against our server (echo of 0 B to 1 MiB, text and
//   binary, fragments, ping/pong, subprotocol, close status);
// - our client against the npm `ws` server (the same, Basic auth, pings
//   from the server, closes started by either side);
// - headless Chromium: a page served by our library exchanges messages of
//   0 B, 125 B, 126 B, 64 KiB and 1 MiB and closes cleanly; it answers our
//   PING and a close our server starts;
// - wss:// between our client and our server (TLS), and the npm `ws`
//   client against our server over TLS.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/interop/ws/peers.h"
#if MG_ENABLE_SSL
#include "mg/tls_test_util.h"
#endif

using wspeers::NodeModules;
using wspeers::ReadFile;
using wspeers::ServerThread;
using wspeers::Start;
using wspeers::TmpPath;
using wspeers::Wait;
using wspeers::WaitFor;

namespace {

std::string Script(const char *name) {
  return mgtest::Runfile(std::string("testing/interop/ws/") + name);
}

bool HaveModule(const char *name) {
  return access((NodeModules() + "/" + name + "/package.json").c_str(), R_OK) ==
         0;
}

// What our client saw.
struct Seen {
  int done_code = -1;
  std::vector<std::string> messages;
  std::vector<int> ops;
  std::vector<int> close_codes;  // CLOSE frames received
  int closed = 0;
};

void ClientHandler(struct mg_connection *c, int ev, void *ev_data) {
  Seen *s = static_cast<Seen *>(c->user_data);
  if (s == nullptr) return;
  if (ev == MG_EV_WEBSOCKET_HANDSHAKE_DONE) {
    s->done_code = static_cast<struct http_message *>(ev_data)->resp_code;
  } else if (ev == MG_EV_WEBSOCKET_FRAME) {
    struct websocket_message *wm =
        static_cast<struct websocket_message *>(ev_data);
    s->messages.emplace_back(reinterpret_cast<char *>(wm->data), wm->size);
    s->ops.push_back(wm->flags & 0x0f);
  } else if (ev == MG_EV_WEBSOCKET_CONTROL_FRAME) {
    struct websocket_message *wm =
        static_cast<struct websocket_message *>(ev_data);
    if ((wm->flags & 0x0f) == WEBSOCKET_OP_CLOSE) {
      s->close_codes.push_back(wm->size >= 2 ? (wm->data[0] << 8) | wm->data[1]
                                             : 1005);
    }
  } else if (ev == MG_EV_CLOSE) {
    s->closed++;
  }
}

std::string Pattern(size_t n, bool text) {
  std::string p(n, '\0');
  for (size_t i = 0; i < n; i++) {
    p[i] = static_cast<char>(text ? 'a' + i % 26 : (i * 31 + 7) & 255);
  }
  return p;
}

// Our client exchanges every size with an echo server at url.
void EchoEverySize(struct mg_mgr *mgr, const std::string &url,
                   struct mg_connect_opts o) {
  Seen s;
  o.user_data = &s;
  const char *err = nullptr;
  o.error_string = &err;
  struct mg_connection *c =
      mg_connect_ws_opt(mgr, ClientHandler, o, url.c_str(), "echo.v1", nullptr);
  ASSERT_NE(c, nullptr) << (err ? err : "");
  ASSERT_TRUE(mgtest::PollUntil(
      mgr, [&] { return s.done_code != -1 || s.closed > 0; }));
  ASSERT_EQ(s.done_code, 101);
  std::vector<size_t> sizes = {0, 1, 125, 126, 127, 65535, 65536, 1 << 20};
  for (size_t n : sizes) {
    std::string t = Pattern(n, true), b = Pattern(n, false);
    mg_send_websocket_frame(c, WEBSOCKET_OP_TEXT, t.data(), t.size());
    mg_send_websocket_frame(c, WEBSOCKET_OP_BINARY, b.data(), b.size());
  }
  ASSERT_TRUE(mgtest::PollUntil(
      mgr, [&] { return s.messages.size() == 2 * sizes.size(); }, 30));
  for (size_t i = 0; i < sizes.size(); i++) {
    EXPECT_EQ(s.messages[2 * i], Pattern(sizes[i], true)) << sizes[i];
    EXPECT_EQ(s.ops[2 * i], WEBSOCKET_OP_TEXT);
    EXPECT_EQ(s.messages[2 * i + 1], Pattern(sizes[i], false)) << sizes[i];
    EXPECT_EQ(s.ops[2 * i + 1], WEBSOCKET_OP_BINARY);
  }
  mg_send_websocket_frame(c, WEBSOCKET_OP_CLOSE, "\x03\xe8", 2);
  ASSERT_TRUE(mgtest::PollUntil(mgr, [&] { return s.closed > 0; }));
  ASSERT_EQ(s.close_codes.size(), 1u);
  EXPECT_EQ(s.close_codes[0], 1000);
}

TEST(NpmWsClientToOurServer, EchoFragmentsPingCloseStatus) {
  ASSERT_TRUE(HaveModule("ws")) << "npm ws missing under " << NodeModules();
  ServerThread srv("<p>ws</p>");
  ASSERT_GT(srv.port(), 0);
  std::string out = TmpPath("npm_client.out");
  pid_t pid =
      Start({"node", Script("npm_client.js"), srv.url("ws", "/echo")}, out);
  ASSERT_GT(pid, 0);
  EXPECT_EQ(Wait(pid, 60), 0) << ReadFile(out);
  EXPECT_NE(ReadFile(out).find("OK"), std::string::npos) << ReadFile(out);
  EXPECT_TRUE(WaitFor([&] { return srv.closes == 1; }));
  EXPECT_EQ(srv.last_close, 4001);
  EXPECT_EQ(srv.handshakes, 1);
}

// Starts npm_server.js and returns its port (-1 on failure).
int StartNpmServer(pid_t *pid, const std::string &out) {
  *pid = Start({"node", Script("npm_server.js"), "0"}, out);
  if (*pid < 0) return -1;
  int port = -1;
  WaitFor([&] {
    std::string s = ReadFile(out);
    size_t k = s.find("PORT ");
    if (k != std::string::npos && s.find('\n', k) != std::string::npos)
      port = atoi(s.c_str() + k + 5);
    return port > 0;
  });
  return port;
}

class OurClientToNpmWsServer : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(HaveModule("ws")) << "npm ws missing under " << NodeModules();
    mg_mgr_init(&mgr_, nullptr);
    out_ = TmpPath("npm_server.out");
    port_ = StartNpmServer(&pid_, out_);
    ASSERT_GT(port_, 0) << ReadFile(out_);
  }
  void TearDown() override {
    mg_mgr_free(&mgr_);
    if (pid_ > 0) mgtest::Stop(pid_);
  }
  std::string Url(const std::string &rest) {
    return "ws://" + rest + "127.0.0.1:" + std::to_string(port_) + "/chat?x=1";
  }
  struct mg_mgr mgr_;
  pid_t pid_ = -1;
  int port_ = -1;
  std::string out_;
};

TEST_F(OurClientToNpmWsServer, EchoEverySize) {
  struct mg_connect_opts o;
  memset(&o, 0, sizeof(o));
  EchoEverySize(&mgr_, Url(""), o);
  EXPECT_TRUE(WaitFor(
      [&] { return ReadFile(out_).find("CLOSE 1000") != std::string::npos; }));
}

TEST_F(OurClientToNpmWsServer, BasicAuthPingsAndCloses) {
  Seen s;
  struct mg_connection *c =
      mg_connect_ws(&mgr_, ClientHandler, Url("alice:s3cret@").c_str(), nullptr,
                    "X-Test: 1\r\n");
  ASSERT_NE(c, nullptr);
  c->user_data = &s;
  ASSERT_TRUE(mgtest::PollUntil(&mgr_, [&] { return s.done_code != -1; }));
  EXPECT_EQ(s.done_code, 101);
  EXPECT_TRUE(WaitFor([&] {
    return ReadFile(out_).find("AUTH Basic YWxpY2U6czNjcmV0") !=
           std::string::npos;
  })) << ReadFile(out_);
  mg_printf_websocket_frame(c, WEBSOCKET_OP_TEXT, "%s", "ping-me");
  // The server's ping is answered by the plugin on its own.
  EXPECT_TRUE(WaitFor([&] {
    mg_mgr_poll(&mgr_, 1);
    return ReadFile(out_).find("PONG from-ws") != std::string::npos;
  }));
  // A close the server starts: we echo its status and close.
  mg_printf_websocket_frame(c, WEBSOCKET_OP_TEXT, "%s", "close-me");
  ASSERT_TRUE(mgtest::PollUntil(&mgr_, [&] { return s.closed > 0; }));
  ASSERT_EQ(s.close_codes.size(), 1u);
  EXPECT_EQ(s.close_codes[0], 4002);
  EXPECT_TRUE(WaitFor(
      [&] { return ReadFile(out_).find("CLOSE 4002") != std::string::npos; }));
}

TEST(ChromiumToOurServer, MessagesOfEverySizeAndACleanClose) {
  ASSERT_TRUE(HaveModule("playwright-core"))
      << "npm playwright-core missing under " << NodeModules();
  ASSERT_EQ(access("/usr/bin/chromium", X_OK), 0)
      << "chromium is not installed";
  ServerThread srv(ReadFile(Script("echo_page.html")));
  ASSERT_GT(srv.port(), 0);
  std::string out = TmpPath("browser.out");
  pid_t pid = Start({"node", Script("browser.js"), srv.url("http", "/")}, out);
  ASSERT_GT(pid, 0);
  EXPECT_EQ(Wait(pid, 120), 0) << ReadFile(out);
  std::string got = ReadFile(out);
  EXPECT_NE(got.find("\"sizes\":[0,125,126,65536,1048576]"), std::string::npos)
      << got;
  EXPECT_NE(got.find("\"close\":{\"code\":1000,\"clean\":true"),
            std::string::npos)
      << got;
  EXPECT_NE(got.find("\"ponged\":\"ponged\""), std::string::npos) << got;
  EXPECT_NE(got.find("\"serverClose\":{\"code\":4002,\"clean\":true,\"reason\":"
                     "\"server says bye\"}"),
            std::string::npos)
      << got;
  EXPECT_TRUE(WaitFor([&] { return srv.closes == 2; }));
  EXPECT_EQ(srv.last_close, 4002);  // Chromium echoed our status
  EXPECT_EQ(srv.messages, 13);
}

#if MG_ENABLE_SSL
TEST(Wss, OurClientAndOurServer) {
  std::string cert = tlstest::Cert("server.pem"),
              key = tlstest::Cert("server.key");
  std::string ca = tlstest::Cert("ca.pem");
  ServerThread srv("<p>wss</p>", cert.c_str(), key.c_str());
  ASSERT_GT(srv.port(), 0);
  struct mg_mgr mgr;
  mg_mgr_init(&mgr, nullptr);
  struct mg_connect_opts o;
  memset(&o, 0, sizeof(o));
  o.ssl_ca_cert = ca.c_str();
  std::string url = "wss://localhost:" + std::to_string(srv.port()) + "/echo";
  EchoEverySize(&mgr, url, o);
  // Verification is on: a CA that did not sign the server is refused.
  Seen s;
  std::string other = tlstest::Cert("other_ca.pem");
  o.ssl_ca_cert = other.c_str();
  o.user_data = &s;
  ASSERT_NE(
      mg_connect_ws_opt(&mgr, ClientHandler, o, url.c_str(), nullptr, nullptr),
      nullptr);
  ASSERT_TRUE(mgtest::PollUntil(&mgr, [&] { return s.closed > 0; }));
  EXPECT_EQ(s.done_code, -1);
  mg_mgr_free(&mgr);
  EXPECT_EQ(srv.last_close, 1000);
}

TEST(Wss, NpmWsClientToOurServer) {
  ASSERT_TRUE(HaveModule("ws")) << "npm ws missing under " << NodeModules();
  std::string cert = tlstest::Cert("server.pem"),
              key = tlstest::Cert("server.key");
  ServerThread srv("<p>wss</p>", cert.c_str(), key.c_str());
  ASSERT_GT(srv.port(), 0);
  std::string out = TmpPath("npm_wss_client.out");
  pid_t pid = Start({"node", Script("npm_client.js"), srv.url("wss", "/echo")},
                    out, {"NODE_EXTRA_CA_CERTS=" + tlstest::Cert("ca.pem")});
  ASSERT_GT(pid, 0);
  EXPECT_EQ(Wait(pid, 60), 0) << ReadFile(out);
  EXPECT_NE(ReadFile(out).find("OK"), std::string::npos) << ReadFile(out);
  EXPECT_TRUE(WaitFor([&] { return srv.closes == 1; }));
  EXPECT_EQ(srv.last_close, 4001);
}
#endif

}  // namespace
