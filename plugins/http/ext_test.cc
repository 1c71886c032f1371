// The HTTP extension ABI, used as ws, ssi, cgi and webdav will use it: a
// plugin that depends on http registers hooks from its per-manager init;
// http calls them without naming the plugin.
#include <string>
#include <vector>

#include "plugins/http/http_test_util.h"

extern "C" {
#include "mg/plugin.h"
#include "plugins/http/http_ext.h"
}

using httptest::Raw;
using httptest::Replies;
using httptest::Reply;
using httptest::Server;

namespace {

int g_reply_hook_calls = 0;

// The protocol a connection upgrades to: echoes bytes with a prefix.
void EchoEvent(struct mg_connection *nc, struct mg_layer *layer, int ev,
               void *ev_data) {
  if (ev == MG_EV_RECV && nc->recv_mbuf.len > 0) {
    mg_printf(nc, "echo:%.*s", static_cast<int>(nc->recv_mbuf.len),
              nc->recv_mbuf.buf);
    mbuf_remove(&nc->recv_mbuf, nc->recv_mbuf.len);
  }
  mg_layer_emit(nc, layer, ev, ev_data);
}

const struct mg_plugin kEcho = {MG_PLUGIN_ABI_VERSION,
                                "test_echo",
                                nullptr,
                                0,
                                0,
                                0,
                                0,
                                nullptr,
                                nullptr,
                                nullptr,
                                nullptr,
                                EchoEvent};

int Upgrade(struct mg_connection *nc, struct mg_layer *http_layer,
            struct http_message *hm) {
  struct mg_str *up = mg_get_http_header(hm, "Upgrade");
  if (up == nullptr || mg_vcmp(up, "echo") != 0) return 0;
  mg_printf(nc, "%s",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\n\r\n");
  mbuf_remove(&nc->recv_mbuf, hm->message.len);
  mg_layer_switch(nc, http_layer, &kEcho);
  return 1;
}

int OnReply(struct mg_connection *, struct mg_layer *, struct http_message *) {
  g_reply_hook_calls++;
  return 0;
}

int Access(struct mg_connection *nc, struct http_message *, const char *path,
           const struct mg_serve_http_opts *) {
  std::string p = path;
  if (p.size() < 11 || p.compare(p.size() - 11, 11, "/denied.txt") != 0)
    return 0;
  mg_http_send_error(nc, 403, "Denied by extension");
  return 403;
}

int Serve(struct mg_connection *nc, struct http_message *hm, const char *path,
          const cs_stat_t *st, const struct mg_serve_http_opts *) {
  std::string p = path;
  if (mg_vcmp(&hm->method, "PROPFIND") == 0) {
    mg_send_head(nc, 207, 0, nullptr);
    return 1;
  }
  if (p.size() < 5 || p.compare(p.size() - 5, 5, ".fake") != 0) return 0;
  std::string body =
      std::string("fake:") + (st != nullptr ? "exists" : "missing");
  mg_send_head(nc, 200, static_cast<int64_t>(body.size()), nullptr);
  mg_send(nc, body.data(), static_cast<int>(body.size()));
  return 1;
}

const struct mg_http_ext kExt = {MG_HTTP_EXT_VERSION,
                                 "test_ext",
                                 Upgrade,
                                 OnReply,
                                 Access,
                                 Serve,
                                 nullptr,
                                 nullptr,
                                 nullptr,
                                 nullptr};

int ExtInit(struct mg_mgr *mgr, void *) {
  return mg_http_ext_register(mgr, &kExt);
}

const struct mg_plugin *const kDeps[] = {&mg_plugin_http, nullptr};

const struct mg_plugin kExtPlugin = {MG_PLUGIN_ABI_VERSION,
                                     "test_http_ext",
                                     kDeps,
                                     0,
                                     0,
                                     0,
                                     0,
                                     ExtInit,
                                     nullptr,
                                     nullptr,
                                     nullptr,
                                     nullptr};

class ExtTest : public httptest::HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    const char *err = nullptr;
    ASSERT_EQ(mg_register_plugin(&mgr_, &kExtPlugin, &err), 0) << err;
    tmp_ = httptest::TmpDir();
    opts_.document_root = tmp_.c_str();
    srv_.fn = [this](struct mg_connection *c, int ev, void *ev_data) {
      if (ev == MG_EV_HTTP_REQUEST) {
        mg_serve_http(c, static_cast<struct http_message *>(ev_data), opts_);
      }
    };
    ASSERT_NE(Listen("mem://srv", &srv_), nullptr);
  }
  std::string tmp_;
  struct mg_serve_http_opts opts_ = {};
  Server srv_;
};

TEST_F(ExtTest, UpgradeHandsTheConnectionToAnotherLayer) {
  Raw r;
  struct mg_connection *c = Send(
      "mem://srv", &r,
      "GET /chat HTTP/1.1\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
  ASSERT_TRUE(
      Until([&] { return r.data.find("\r\n\r\n") != std::string::npos; }));
  EXPECT_EQ(Replies(r.data)[0].code, 101);
  std::string after = "GET / HTTP/1.1\r\n\r\n";  // no longer HTTP: echoed
  mg_send(c, after.data(), static_cast<int>(after.size()));
  ASSERT_TRUE(Until(
      [&] { return r.data.find("echo:GET / HTTP/1.1") != std::string::npos; }));
  EXPECT_EQ(srv_.requests, 0);
}

TEST_F(ExtTest, AccessAndServeHooks) {
  std::vector<Reply> rs =
      Exchange("mem://srv", "GET /x/denied.txt HTTP/1.1\r\n\r\n");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].code, 403);
  EXPECT_NE(rs[0].body.find("Denied by extension"), std::string::npos);
  rs = Exchange("mem://srv", "GET /page.fake HTTP/1.1\r\n\r\n");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].body, "fake:missing");
  rs = Exchange("mem://srv", "PROPFIND / HTTP/1.1\r\n\r\n");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].code, 207);
  rs = Exchange("mem://srv", "PUT /x HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].code, 405);  // nobody took it
}

TEST_F(ExtTest, ReplyHookSeesClientReplies) {
  g_reply_hook_calls = 0;
  struct mg_connection *c =
      mg_connect_http(&mgr_, nullptr, "mem://srv/none", nullptr, nullptr);
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(Until([&] { return g_reply_hook_calls == 1; }));
}

TEST_F(ExtTest, RegistrationRules) {
  struct mg_http_ext bad = kExt;
  bad.version = MG_HTTP_EXT_VERSION + 1;
  EXPECT_EQ(mg_http_ext_register(&mgr_, &bad), -1);
  EXPECT_EQ(mg_http_ext_register(&mgr_, &kExt), 0);  // again: harmless
}

}  // namespace

namespace {

// mg_http_ext_client_url(): the URL parser mg_connect_http() and
// mg_connect_ws() share.
const struct mg_http_ext_schemes kHttpSchemes = {"http", "https",
                                                 "no TLS (http)"};
const struct mg_http_ext_schemes kWsSchemes = {"ws,http", "wss,https",
                                               "no TLS (ws)"};

struct UrlCase {
  const char *url;
  const struct mg_http_ext_schemes *schemes;
  const char *address;      // nullptr: refused
  const char *host_header;  // or the error string when refused
  const char *path;
  const char *query;
  const char *user_info;
};

const UrlCase kUrlCases[] = {
    {"http://example.com/a?b=1", &kHttpSchemes, "tcp://example.com:80",
     "example.com", "/a", "b=1", ""},
    {"HTTP://example.com", &kHttpSchemes, "tcp://example.com:80", "example.com",
     "", "", ""},
    {"example.com/x", &kHttpSchemes, "tcp://example.com:80", "example.com",
     "/x", "", ""},
    {"http://h:8080/", &kHttpSchemes, "tcp://h:8080", "h:8080", "/", "", ""},
    {"http://[::1]/", &kHttpSchemes, "tcp://[::1]:80", "[::1]", "/", "", ""},
    {"http://[::1]:81/", &kHttpSchemes, "tcp://[::1]:81", "[::1]:81", "/", "",
     ""},
    {"http://u:p@h/", &kHttpSchemes, "tcp://h:80", "h", "/", "", "u:p"},
    {"mem://srv/x", &kHttpSchemes, "mem://srv", "srv", "/x", "", ""},
    {"mem://srv/x", &kWsSchemes, "mem://srv", "srv", "/x", "", ""},
    {"ws://h/chat", &kWsSchemes, "tcp://h:80", "h", "/chat", "", ""},
    {"http://h/chat", &kWsSchemes, "tcp://h:80", "h", "/chat", "", ""},
    {"ws://h/", &kHttpSchemes, nullptr, "unsupported URL scheme", "", "", ""},
    {"ftp://x/", &kWsSchemes, nullptr, "unsupported URL scheme", "", "", ""},
    {"MEM://x/", &kHttpSchemes, nullptr, "unsupported URL scheme", "", "", ""},
    {"http://", &kHttpSchemes, nullptr, "invalid URL", "", "", ""},
    {nullptr, &kWsSchemes, nullptr, "invalid URL", "", "", ""},
};

std::string Str(struct mg_str s) {
  return std::string(s.p != nullptr ? s.p : "", s.len);
}

TEST(ClientUrl, TakesUrlsApart) {
  for (const UrlCase &c : kUrlCases) {
    const std::string what = c.url != nullptr ? c.url : "(null)";
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    const char *err = nullptr;
    o.error_string = &err;
    struct mg_http_ext_url u;
    int r = mg_http_ext_client_url(c.url, c.schemes, &o, &u);
    if (c.address == nullptr) {
      EXPECT_EQ(r, -1) << what;
      EXPECT_STREQ(err, c.host_header) << what;
      continue;
    }
    ASSERT_EQ(r, 0) << what;
    EXPECT_EQ(err, nullptr) << what;
    EXPECT_STREQ(u.address, c.address) << what;
    EXPECT_STREQ(u.host_header, c.host_header) << what;
    EXPECT_EQ(Str(u.path), c.path) << what;
    EXPECT_EQ(Str(u.query), c.query) << what;
    EXPECT_EQ(Str(u.user_info), c.user_info) << what;
    EXPECT_EQ(o.flags & MG_F_SSL, 0u) << what;
  }
}

TEST(ClientUrl, TlsSchemes) {
  for (const char *url : {"https://h/", "wss://h:8443/", "HTTPS://h/"}) {
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    const char *err = nullptr;
    o.error_string = &err;
    struct mg_http_ext_url u;
    const bool ws = url[0] == 'w';
    int r =
        mg_http_ext_client_url(url, ws ? &kWsSchemes : &kHttpSchemes, &o, &u);
#if MG_ENABLE_SSL
    ASSERT_EQ(r, 0) << url;
    EXPECT_NE(o.flags & MG_F_SSL, 0u) << url;
    EXPECT_STREQ(o.ssl_ca_cert, MG_SSL_SYSTEM_CA_FILE) << url;
    EXPECT_STREQ(u.address, ws ? "tcp://h:8443" : "tcp://h:443") << url;
#else
    EXPECT_EQ(r, -1) << url;
    EXPECT_STREQ(err, ws ? "no TLS (ws)" : "no TLS (http)") << url;
#endif
  }
}

}  // namespace
