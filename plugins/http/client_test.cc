// The client side over the in-memory interface: mg_connect_http(), reply
// framing (length, chunked, until close), interim and redirect replies.
#include <string>
#include <vector>

#include "plugins/http/http_test_util.h"

using httptest::Server;

namespace {

// What a client handler saw.
struct Got {
  std::vector<int> codes;           // MG_EV_HTTP_REPLY codes
  std::vector<std::string> bodies;  // their bodies
  std::string location;             // Location of the last reply
  int chunks = 0;                   // MG_EV_HTTP_CHUNK events
  std::string chunk_data;           // bodies seen in CHUNK events (deleted)
  bool delete_chunks = false;       // set MG_F_DELETE_CHUNK
  int closed = 0;                   // MG_EV_CLOSE
  int connect_status = -1;          // MG_EV_CONNECT
};

void ClientCb(struct mg_connection *c, int ev, void *ev_data) {
  Got *g = static_cast<Got *>(c->user_data);
  struct http_message *hm = static_cast<struct http_message *>(ev_data);
  if (g == nullptr) return;
  if (ev == MG_EV_HTTP_REPLY) {
    g->codes.push_back(hm->resp_code);
    g->bodies.push_back(std::string(hm->body.p, hm->body.len));
    struct mg_str *loc = mg_get_http_header(hm, "Location");
    if (loc != nullptr) g->location.assign(loc->p, loc->len);
  } else if (ev == MG_EV_HTTP_CHUNK) {
    g->chunks++;
    if (g->delete_chunks) {
      g->chunk_data.append(hm->body.p, hm->body.len);
      c->flags |= MG_F_DELETE_CHUNK;
    }
  } else if (ev == MG_EV_CLOSE) {
    g->closed++;
  } else if (ev == MG_EV_CONNECT) {
    g->connect_status = *static_cast<int *>(ev_data);
  }
}

class ClientTest : public httptest::HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    ASSERT_NE(Listen("mem://srv", &srv_), nullptr);
    srv_.fn = [this](struct mg_connection *c, int ev, void *ev_data) {
      if (ev != MG_EV_HTTP_REQUEST) return;
      struct http_message *hm = static_cast<struct http_message *>(ev_data);
      last_.assign(hm->message.p, hm->message.len);
      if (reply_) reply_(c, hm);
    };
  }

  struct mg_connection *Get(const char *url, Got *g,
                            const char *extra = nullptr,
                            const char *post = nullptr) {
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = g;
    return mg_connect_http_opt(&mgr_, ClientCb, o, url, extra, post);
  }

  Server srv_;
  std::string last_;  // the last request the server got
  std::function<void(struct mg_connection *, struct http_message *)> reply_;
};

TEST_F(ClientTest, GetWithLength) {
  reply_ = [](struct mg_connection *c, struct http_message *) {
    mg_send_head(c, 200, 5, "Content-Type: text/plain");
    mg_printf(c, "hello");
  };
  Got g;
  ASSERT_NE(Get("mem://srv/a/b?x=1", &g, "X-Extra: 1\r\n"), nullptr);
  ASSERT_TRUE(Until([&] { return g.codes.size() == 1; }));
  EXPECT_EQ(g.codes[0], 200);
  EXPECT_EQ(g.bodies[0], "hello");
  EXPECT_EQ(g.connect_status, 0);
  struct http_message hm;
  ASSERT_GT(mg_parse_http(last_.data(), static_cast<int>(last_.size()), &hm, 1),
            0);
  EXPECT_EQ(std::string(hm.method.p, hm.method.len), "GET");
  EXPECT_EQ(std::string(hm.uri.p, hm.uri.len), "/a/b");
  EXPECT_EQ(std::string(hm.query_string.p, hm.query_string.len), "x=1");
  EXPECT_EQ(std::string(mg_get_http_header(&hm, "Host")->p, 3), "srv");
  EXPECT_NE(mg_get_http_header(&hm, "X-Extra"), nullptr);
  EXPECT_EQ(mg_get_http_header(&hm, "Content-Length"), nullptr);
}

TEST_F(ClientTest, PostSendsLengthAndBody) {
  reply_ = [](struct mg_connection *c, struct http_message *hm) {
    mg_send_head(c, 201, static_cast<int64_t>(hm->body.len), nullptr);
    mg_send(c, hm->body.p, static_cast<int>(hm->body.len));
  };
  Got g;
  Get("mem://u:p@srv/form", &g,
      "Content-Type: application/x-www-form-urlencoded\r\n", "a=1&b=2");
  ASSERT_TRUE(Until([&] { return g.codes.size() == 1; }));
  EXPECT_EQ(g.codes[0], 201);
  EXPECT_EQ(g.bodies[0], "a=1&b=2");
  struct http_message hm;
  ASSERT_GT(mg_parse_http(last_.data(), static_cast<int>(last_.size()), &hm, 1),
            0);
  EXPECT_EQ(std::string(hm.method.p, hm.method.len), "POST");
  char user[8], pass[8];
  EXPECT_EQ(mg_get_http_basic_auth(&hm, user, sizeof(user), pass, sizeof(pass)),
            0);
  EXPECT_STREQ(user, "u");
  EXPECT_STREQ(pass, "p");
}

TEST_F(ClientTest, ChunkedReply) {
  reply_ = [](struct mg_connection *c, struct http_message *) {
    mg_send_head(c, 200, -1, nullptr);
    mg_printf_http_chunk(c, "%s", "abc");
    mg_printf_html_escape(c, "%s", "<b>");
    mg_send_http_chunk(c, "", 0);
  };
  Got g;
  Get("mem://srv/", &g);
  ASSERT_TRUE(Until([&] { return g.codes.size() == 1; }));
  EXPECT_EQ(g.bodies[0], "abc&lt;b&gt;");
  EXPECT_EQ(g.chunks, 2);
  Got d;
  d.delete_chunks = true;
  Get("mem://srv/", &d);
  ASSERT_TRUE(Until([&] { return d.codes.size() == 1; }));
  EXPECT_EQ(d.bodies[0], "");
  EXPECT_EQ(d.chunk_data, "abc&lt;b&gt;");
}

TEST_F(ClientTest, ReplyUntilCloseInterimAndRedirect) {
  reply_ = [](struct mg_connection *c, struct http_message *hm) {
    if (mg_vcmp(&hm->uri, "/old") == 0) {
      mg_http_send_redirect(c, 302, mg_mk_str("/new"), mg_mk_str("X-A: 1"));
    } else {
      mg_printf(
          c, "%s",
          "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\n\r\nto the end");
      c->flags |= MG_F_SEND_AND_CLOSE;
    }
  };
  Got g;
  Get("mem://srv/x", &g);
  ASSERT_TRUE(Until([&] { return g.closed == 1; }));
  ASSERT_EQ(g.codes.size(), 1u);
  EXPECT_EQ(g.codes[0], 200);
  EXPECT_EQ(g.bodies[0], "to the end");
  Got r;
  Get("mem://srv/old", &r);
  ASSERT_TRUE(Until([&] { return r.codes.size() == 1; }));
  EXPECT_EQ(r.codes[0], 302);
  EXPECT_EQ(r.location, "/new");
}

TEST_F(ClientTest, MalformedReplyCloses) {
  reply_ = [](struct mg_connection *c, struct http_message *) {
    mg_printf(c, "%s", "HTTP/1.1 20 OK\r\n\r\n");
  };
  Got g;
  Get("mem://srv/", &g);
  ASSERT_TRUE(Until([&] { return g.closed == 1; }));
  EXPECT_TRUE(g.codes.empty());
}

TEST_F(ClientTest, BadUrlsAndHttpsFailCleanly) {
  for (const char *url :
       {"https://example.com/", "ftp://x/", "http://", "http://h:99999/"}) {
    Got g;
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    const char *err = nullptr;
    o.error_string = &err;
    EXPECT_EQ(mg_connect_http_opt(&mgr_, ClientCb, o, url, nullptr, nullptr),
              nullptr)
        << url;
    EXPECT_NE(err, nullptr) << url;
  }
  EXPECT_EQ(
      mg_connect_http(&mgr_, ClientCb, "https://github.com", nullptr, nullptr),
      nullptr);
}

TEST_F(ClientTest, RefusedConnectionReportsConnectError) {
  Got g;
  ASSERT_NE(Get("mem://nobody/", &g), nullptr);
  ASSERT_TRUE(Until([&] { return g.closed == 1; }));
  EXPECT_NE(g.connect_status, 0);
  EXPECT_TRUE(g.codes.empty());
}

}  // namespace
