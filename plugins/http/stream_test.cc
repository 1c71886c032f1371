// HTTP extension ABI version 2 over mem:// (so it also runs in the
// browser): requests claimed at head time with their bodies streamed and
// pushed back, responses produced over many polls between pipelined
// requests, internal redirects, and the hold's end in every way it can end.
#include <string>
#include <vector>

#include "plugins/http/http_test_util.h"
#include "plugins/http/stream_test_ext.h"

STREAMTEST_DEFINE_EXT

using httptest::Raw;
using httptest::Server;
using streamtest::G;

namespace {

// One reply, with a Content-Length or chunked body.
struct Resp {
  int code = 0;
  std::string head, body;
};

// Splits bytes into replies, decoding chunked bodies.
std::vector<Resp> Split(const std::string &d) {
  std::vector<Resp> out;
  size_t pos = 0;
  for (int i = 0; i < 1000 && pos < d.size(); i++) {
    struct http_message hm;
    int n =
        mg_parse_http(d.data() + pos, static_cast<int>(d.size() - pos), &hm, 0);
    if (n <= 0) break;
    Resp r;
    r.code = hm.resp_code;
    r.head = d.substr(pos, static_cast<size_t>(n));
    size_t p = pos + static_cast<size_t>(n);
    if (mg_get_http_header(&hm, "Transfer-Encoding") != nullptr) {
      for (int k = 0; k < 100000; k++) {
        size_t eol = d.find("\r\n", p);
        if (eol == std::string::npos) return out;
        size_t len = strtoul(d.c_str() + p, nullptr, 16);
        if (eol + 2 + len + 2 > d.size()) return out;
        r.body += d.substr(eol + 2, len);
        p = eol + 2 + len + 2;
        if (len == 0) break;
      }
    } else {
      size_t len = mg_get_http_header(&hm, "Content-Length") != nullptr
                       ? hm.body.len
                       : 0;
      if (p + len > d.size()) return out;
      r.body = d.substr(p, len);
      p += len;
    }
    pos = p;
    out.push_back(r);
  }
  return out;
}

// A body of n bytes and its byte sum.
std::string Pattern(size_t n, uint64_t *sum) {
  std::string s(n, '\0');
  *sum = 0;
  for (size_t i = 0; i < n; i++) {
    s[i] = static_cast<char>((i * 7 + 3) & 0xff);
    *sum += static_cast<unsigned char>(s[i]);
  }
  return s;
}

std::string Post(const std::string &uri, const std::string &body,
                 const std::string &extra = "") {
  return "POST " + uri +
         " HTTP/1.1\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n" + extra + "\r\n" + body;
}

class StreamTest : public httptest::HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    G() = streamtest::Ctl();
    const char *err = nullptr;
    ASSERT_EQ(mg_register_plugin(&mgr_, &streamtest::Plugin(), &err), 0) << err;
    opts_.document_root = "/nonexistent-root";
    srv_.fn = [this](struct mg_connection *c, int ev, void *ev_data) {
      OnEvent(c, ev, ev_data);
    };
    lc_ = Listen("mem://srv", &srv_);
    ASSERT_NE(lc_, nullptr);
    mg_http_set_serve_opts(lc_, opts_);
  }

  void OnEvent(struct mg_connection *c, int ev, void *ev_data) {
    if (ev != MG_EV_HTTP_REQUEST) return;
    struct http_message *hm = static_cast<struct http_message *>(ev_data);
    std::string uri(hm->uri.p, hm->uri.len);
    if (uri == "/a" || uri == "/b" || uri == "/c") {
      streamtest::Answer(c, 200, uri.substr(1));
    } else if (uri == "/target") {
      struct mg_str *cookie = mg_get_http_header(hm, "Cookie");
      std::string s =
          std::string(hm->method.p, hm->method.len) +
          " q=" + std::string(hm->query_string.p, hm->query_string.len) +
          " cookie=" + (cookie ? std::string(cookie->p, cookie->len) : "") +
          " body=" + std::to_string(hm->body.len) +
          " cl=" + (mg_get_http_header(hm, "Content-Length") ? "yes" : "no");
      streamtest::Answer(c, 200, s);
    } else {
      mg_serve_http(c, hm, opts_);
    }
  }

  // Sends req on a new connection; waits for n replies or the close.
  std::vector<Resp> Talk(const std::string &req, size_t n, Raw *r) {
    Send("mem://srv", r, req);
    Until([&] { return r->closed > 0 || Split(r->data).size() >= n; });
    return Split(r->data);
  }

  struct mg_serve_http_opts opts_ = {};
  Server srv_;
  struct mg_connection *lc_ = nullptr;
};

TEST_F(StreamTest, ClaimedBodyStreamsToTheHolderNotTheHandler) {
  uint64_t sum;
  std::string body =
      Pattern(3 * 1024 * 1024 + 17, &sum);  // above the stream buffer
  Raw r;
  std::vector<Resp> rs = Talk(Post("/s/count", body), 1, &r);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].code, 200);
  EXPECT_EQ(rs[0].body, "bytes=" + std::to_string(body.size()) +
                            " sum=" + std::to_string(sum));
  EXPECT_EQ(srv_.requests, 0);  // the handler never saw it
  EXPECT_EQ(G().claims, 1);
  EXPECT_EQ(G().last_calls, 1);
  EXPECT_EQ(G().finishes, 1);
  EXPECT_EQ(G().aborted, 0);
  EXPECT_LE(G().max_recv_seen,
            static_cast<size_t>(MG_HTTP_STREAM_BUFFER) + 65536);
}

TEST_F(StreamTest, BodyLargerThanMaxBodySizeIsFineWhenClaimed) {
  struct mg_http_opts o = mg_http_get_options(&mgr_);
  o.max_body_size = 1000;
  ASSERT_EQ(mg_http_set_options(&mgr_, &o), 0);
  uint64_t sum;
  std::string body = Pattern(100000, &sum);
  Raw r;
  std::vector<Resp> rs =
      Talk(Post("/s/count", body) + "GET /a HTTP/1.1\r\n\r\n", 2, &r);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].code, 200);
  EXPECT_EQ(rs[0].body, "bytes=100000 sum=" + std::to_string(sum));
  EXPECT_EQ(rs[1].body, "a");
  // Unclaimed, the same body is still refused.
  Raw r2;
  rs = Talk(Post("/plain", body), 1, &r2);
  ASSERT_GE(rs.size(), 1u);
  EXPECT_EQ(rs[0].code, 413);
}

TEST_F(StreamTest, ChunkedBodyIsDecodedWithExtensionsAndTrailers) {
  std::string req =
      "POST /s/count HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;ext=1\r\nhello\r\n1\r\n \r\n0A\r\n0123456789\r\n0\r\nX-Trailer: "
      "1\r\n\r\n"
      "GET /b HTTP/1.1\r\n\r\n";
  uint64_t sum = 0;
  for (char ch : std::string("hello 0123456789"))
    sum += static_cast<unsigned char>(ch);
  Raw r;
  std::vector<Resp> rs = Talk(req, 2, &r);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].body, "bytes=16 sum=" + std::to_string(sum));
  EXPECT_EQ(rs[1].body, "b");
}

TEST_F(StreamTest, RequestSplitAtEveryByteStillStreams) {
  std::string req =
      "POST /s/count HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\nGET /c HTTP/1.1\r\n\r\n";
  Raw r;
  struct mg_connection *c = Send("mem://srv", &r, "");
  for (size_t i = 0; i < req.size(); i++) {
    mg_send(c, req.data() + i, 1);
    for (int k = 0; k < 3; k++) mg_mgr_poll(&mgr_, 0);
  }
  ASSERT_TRUE(Until([&] { return Split(r.data).size() >= 2; }));
  std::vector<Resp> rs = Split(r.data);
  EXPECT_EQ(rs[0].body,
            "bytes=5 sum=" + std::to_string('a' + 'b' + 'c' + 'd' + 'e'));
  EXPECT_EQ(rs[1].body, "c");
}

TEST_F(StreamTest, MalformedChunkAbortsTheHoldAndCloses) {
  Raw r;
  Talk(
      "POST /s/count HTTP/1.1\r\nTransfer-Encoding: "
      "chunked\r\n\r\n5\r\nhelloXX",
      1, &r);
  ASSERT_TRUE(Until([&] { return r.closed > 0; }));
  EXPECT_EQ(G().finishes, 1);
  EXPECT_EQ(G().aborted, 1);
  Raw r2;
  Talk("POST /s/count HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 1,
       &r2);
  ASSERT_TRUE(Until([&] { return r2.closed > 0; }));
  EXPECT_EQ(G().aborted, 2);
}

TEST_F(StreamTest, SlowHolderPushesBackOnTheClient) {
  G().slow_take = 1000;
  uint64_t sum;
  std::string body = Pattern(4 * 1024 * 1024, &sum);
  Raw r;
  struct mg_connection *c = Send("mem://srv", &r, Post("/s/slow", body));
  ASSERT_TRUE(Until([&] { return G().server != nullptr; }));
  // Without resume nothing moves past the stream buffer: the client keeps
  // most of the body in its own send buffer.
  for (int i = 0; i < 200; i++) mg_mgr_poll(&mgr_, 0);
  EXPECT_LE(G().server->recv_mbuf.len,
            static_cast<size_t>(MG_HTTP_STREAM_BUFFER) + 65536);
  EXPECT_GT(c->send_mbuf.len, body.size() / 2);
  // Resuming drains it all, 1000 bytes a call.
  for (int i = 0; i < 20000 && Split(r.data).empty(); i++) {
    if (G().server != nullptr) mg_http_ext_resume(G().server);
    mg_mgr_poll(&mgr_, 0);
  }
  std::vector<Resp> rs = Split(r.data);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].body, "bytes=" + std::to_string(body.size()) +
                            " sum=" + std::to_string(sum));
}

TEST_F(StreamTest, EarlyAnswerDropsTheRestOfTheBodyAndKeepsTheConnection) {
  uint64_t sum;
  std::string body = Pattern(1024 * 1024, &sum);
  Raw r;
  std::vector<Resp> rs =
      Talk(Post("/s/early", body) + "GET /c HTTP/1.1\r\n\r\n", 2, &r);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].code, 413);
  EXPECT_EQ(rs[1].body, "c");
  EXPECT_EQ(r.closed, 0);
  EXPECT_EQ(G().finishes, 1);
  EXPECT_EQ(G().aborted, 0);
}

TEST_F(StreamTest, ExpectContinueIsAnsweredWhenClaimed) {
  Raw r;
  struct mg_connection *c = Send("mem://srv", &r,
                                 "POST /s/count HTTP/1.1\r\nContent-Length: "
                                 "4\r\nExpect: 100-continue\r\n\r\n");
  ASSERT_TRUE(
      Until([&] { return r.data.find("100 Continue") != std::string::npos; }));
  mg_send(c, "wxyz", 4);
  ASSERT_TRUE(Until([&] { return Split(r.data).size() >= 2; }));
  EXPECT_EQ(Split(r.data)[1].body,
            "bytes=4 sum=" + std::to_string('w' + 'x' + 'y' + 'z'));
}

TEST_F(StreamTest, ClientGoingAwayMidBodyAbortsOnce) {
  Raw r;
  struct mg_connection *c =
      Send("mem://srv", &r,
           "POST /s/count HTTP/1.1\r\nContent-Length: 100000\r\n\r\npartial");
  ASSERT_TRUE(Until([&] { return G().claims == 1; }));
  c->flags |= MG_F_CLOSE_IMMEDIATELY;
  ASSERT_TRUE(Until([&] { return G().finishes == 1; }));
  mgtest::PollFor(&mgr_, 0.05);
  EXPECT_EQ(G().finishes, 1);
  EXPECT_EQ(G().aborted, 1);
}

TEST_F(StreamTest, ResponseOverManyPollsBetweenPipelinedRequests) {
  std::string req =
      "GET /a HTTP/1.1\r\n\r\nGET /gen/40 HTTP/1.1\r\n\r\nGET /b "
      "HTTP/1.1\r\n\r\n"
      "GET /gen/3 HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n";
  Raw r;
  std::vector<Resp> rs = Talk(req, 5, &r);
  ASSERT_EQ(rs.size(), 5u);
  EXPECT_EQ(rs[0].body, "a");
  ASSERT_EQ(rs[1].body.size(), 40u * 16384);
  for (int i = 0; i < 40; i++) {
    EXPECT_EQ(rs[1].body[static_cast<size_t>(i) * 16384],
              static_cast<char>('a' + (40 - i) % 26));
  }
  EXPECT_EQ(rs[2].body, "b");
  EXPECT_EQ(rs[3].body.size(), 3u * 16384);
  EXPECT_EQ(rs[4].body, "c");
  EXPECT_EQ(r.closed, 0);
  EXPECT_EQ(G().finishes, 2);
  EXPECT_GE(G().produce_polls, 5);  // paced by the send buffer, not one burst
  EXPECT_EQ(srv_.requests, 5);
}

TEST_F(StreamTest, HeldResponseThenConnectionCloseHonoured) {
  Raw r;
  std::vector<Resp> rs = Talk(
      "GET /gen/2 HTTP/1.1\r\nConnection: close\r\n\r\nGET /a HTTP/1.1\r\n\r\n",
      2, &r);
  ASSERT_TRUE(Until([&] { return r.closed > 0; }));
  rs = Split(r.data);
  ASSERT_EQ(rs.size(),
            1u);  // the pipelined request after "close" is not served
  EXPECT_EQ(rs[0].body.size(), 2u * 16384);
}

TEST_F(StreamTest, InternalRedirectRestartsAsGetWithTheSameHeaders) {
  uint64_t sum;
  std::string body = Pattern(300000, &sum);
  Raw r;
  std::vector<Resp> rs =
      Talk(Post("/s/redirect", body,
                "Cookie: id=42\r\nContent-Type: text/plain\r\n") +
               "GET /c HTTP/1.1\r\n\r\n",
           2, &r);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].body, "GET q=x=1 cookie=id=42 body=0 cl=no");
  EXPECT_EQ(rs[1].body, "c");
  EXPECT_EQ(G().finishes, 1);
  EXPECT_EQ(G().aborted, 0);
  EXPECT_EQ(srv_.uris, (std::vector<std::string>{"/target", "/c"}));
}

TEST_F(StreamTest, RedirectLoopEndsAfterTheLimit) {
  Raw r;
  std::vector<Resp> rs =
      Talk(Post("/s/loop", "x") + "GET /a HTTP/1.1\r\n\r\n", 2, &r);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].code, 500);
  EXPECT_EQ(rs[1].body, "a");
  EXPECT_EQ(G().claims, 1 + MG_HTTP_MAX_REDIRECTS);
  EXPECT_EQ(G().finishes, 1 + MG_HTTP_MAX_REDIRECTS);
}

TEST_F(StreamTest, RedirectRefusesNonLocalTargets) {
  // Outside a hold, and for URIs that are not local paths.
  EXPECT_EQ(mg_http_ext_redirect(lc_, "/x"), -1);
  Raw r;
  Send("mem://srv", &r, "POST /s/count HTTP/1.1\r\nContent-Length: 5\r\n\r\n");
  ASSERT_TRUE(Until([&] { return G().server != nullptr; }));
  EXPECT_EQ(mg_http_ext_redirect(G().server, "http://evil/"), -1);
  EXPECT_EQ(mg_http_ext_redirect(G().server, "//evil/x"), -1);
  EXPECT_EQ(mg_http_ext_redirect(G().server, "/a b"), -1);
  EXPECT_EQ(mg_http_ext_redirect(G().server, "/a\r\nX: y"), -1);
}

TEST_F(StreamTest, NothingIsClaimedWithoutDeclaredOptionsOrForEndpoints) {
  struct mg_connection *lc2 = Listen("mem://plain", &srv_);
  ASSERT_NE(lc2, nullptr);
  Raw r;
  Send("mem://plain", &r, Post("/s/count", "abc"));
  ASSERT_TRUE(Until([&] { return srv_.requests == 1; }));
  EXPECT_EQ(G().claims, 0);
  // An endpoint's requests go to its handler.
  static int ep_hits;
  ep_hits = 0;
  mg_register_http_endpoint(lc_, "/s/ep",
                            [](struct mg_connection *c, int ev, void *) {
                              if (ev == MG_EV_HTTP_REQUEST) {
                                ep_hits++;
                                streamtest::Answer(c, 200, "ep");
                              }
                            });
  Raw r2;
  std::vector<Resp> rs = Talk(Post("/s/ep", "abc"), 1, &r2);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].body, "ep");
  EXPECT_EQ(ep_hits, 1);
  EXPECT_EQ(G().claims, 0);
}

TEST_F(StreamTest, IpAclRefusalIsNotClaimed) {
  struct mg_serve_http_opts o = opts_;
  o.ip_acl = "-0.0.0.0/0";
  mg_http_set_serve_opts(lc_, o);
  opts_ = o;
  Raw r;
  std::vector<Resp> rs = Talk(Post("/s/count", "abc"), 1, &r);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].code, 403);
  EXPECT_EQ(G().claims, 0);
}

TEST_F(StreamTest, HoldOutsideARequestIsRefused) {
  EXPECT_EQ(mg_http_ext_hold(lc_, &streamtest::Ext(), nullptr), -1);
  EXPECT_NE(mg_http_ext_serve_opts(lc_), nullptr);
  EXPECT_STREQ(mg_http_ext_serve_opts(lc_)->document_root, "/nonexistent-root");
}

}  // namespace
