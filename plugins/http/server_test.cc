// The server side over the in-memory interface: requests, keep-alive,
// pipelining, bodies, hostile framing on the wire, limits, timeouts,
// endpoints and streamed multipart uploads.
#include <string>
#include <vector>

#include "plugins/http/http_test_util.h"

using httptest::Raw;
using httptest::Replies;
using httptest::Reply;
using httptest::Server;

namespace {

// Answers every request with its method, URI and body.
void Echo(struct mg_connection *c, int ev, void *ev_data) {
  if (ev != MG_EV_HTTP_REQUEST) return;
  struct http_message *hm = static_cast<struct http_message *>(ev_data);
  std::string body = std::string(hm->method.p, hm->method.len) + " " +
                     std::string(hm->uri.p, hm->uri.len) + " " +
                     std::string(hm->body.p, hm->body.len);
  mg_send_head(c, 200, static_cast<int64_t>(body.size()),
               "Content-Type: text/plain");
  mg_send(c, body.data(), static_cast<int>(body.size()));
}

class ServerTest : public httptest::HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    srv_.fn = Echo;
    ASSERT_NE(Listen("mem://srv", &srv_), nullptr);
  }
  Server srv_;
};

TEST_F(ServerTest, GetAndKeepAlive) {
  Raw r;
  struct mg_connection *c =
      Send("mem://srv", &r, "GET /x HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_TRUE(Until([&] { return Replies(r.data).size() == 1; }));
  std::vector<Reply> rs = Replies(r.data);
  EXPECT_EQ(rs[0].code, 200);
  EXPECT_EQ(rs[0].body, "GET /x ");
  mgtest::PollFor(&mgr_, 0.1);
  EXPECT_EQ(r.closed, 0);  // HTTP/1.1 keeps the connection
  std::string second = "POST /y HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
  mg_send(c, second.data(), static_cast<int>(second.size()));
  ASSERT_TRUE(Until([&] { return Replies(r.data).size() == 2; }));
  EXPECT_EQ(Replies(r.data)[1].body, "POST /y abc");
}

TEST_F(ServerTest, PipelinedRequestsAnsweredInOrder) {
  std::string reqs;
  for (int i = 0; i < 100; i++) {
    reqs += "GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: h\r\n\r\n";
  }
  std::vector<Reply> rs = Exchange("mem://srv", reqs, 100);
  ASSERT_EQ(rs.size(), 100u);
  for (int i = 0; i < 100; i++)
    EXPECT_EQ(rs[i].body, "GET /" + std::to_string(i) + " ");
}

TEST_F(ServerTest, Http10AndConnectionCloseClose) {
  Raw a, b;
  std::vector<Reply> rs = Exchange(
      "mem://srv", "GET /a HTTP/1.0\r\n\r\nGET /b HTTP/1.0\r\n\r\n", 5, &a);
  ASSERT_EQ(rs.size(), 1u);  // the second request is never answered
  EXPECT_EQ(a.closed, 1);
  rs = Exchange("mem://srv", "GET /c HTTP/1.1\r\nConnection: close\r\n\r\n", 5,
                &b);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(b.closed, 1);
  EXPECT_EQ(srv_.requests, 2);
}

TEST_F(ServerTest, BodyInPieces) {
  Raw r;
  struct mg_connection *c =
      Send("mem://srv", &r, "PUT /p HTTP/1.1\r\nContent-Length: 10\r\n\r\n01");
  mgtest::PollFor(&mgr_, 0.05);
  EXPECT_EQ(srv_.requests, 0);
  mg_send(c, "2345", 4);
  mgtest::PollFor(&mgr_, 0.05);
  EXPECT_EQ(srv_.requests, 0);
  mg_send(c, "6789", 4);
  ASSERT_TRUE(Until([&] { return Replies(r.data).size() == 1; }));
  EXPECT_EQ(Replies(r.data)[0].body, "PUT /p 0123456789");
}

TEST_F(ServerTest, Expect100Continue) {
  Raw r;
  struct mg_connection *c = Send(
      "mem://srv", &r,
      "PUT /e HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  ASSERT_TRUE(Until([&] { return Replies(r.data).size() == 1; }));
  EXPECT_EQ(Replies(r.data)[0].code, 100);
  mg_send(c, "abc", 3);
  ASSERT_TRUE(Until([&] { return Replies(r.data).size() == 2; }));
  EXPECT_EQ(Replies(r.data)[1].body, "PUT /e abc");
}

TEST_F(ServerTest, ChunkedRequestBody) {
  int chunks = 0;
  srv_.fn = [&](struct mg_connection *c, int ev, void *ev_data) {
    if (ev == MG_EV_HTTP_CHUNK) chunks++;
    Echo(c, ev, ev_data);
  };
  std::vector<Reply> rs =
      Exchange("mem://srv",
               "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
               "3;ext=1\r\nabc\r\n4\r\ndefg\r\n0\r\nTrailer: x\r\n\r\n"
               "GET /next HTTP/1.1\r\n\r\n",
               2);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].body, "POST /c abcdefg");
  EXPECT_EQ(rs[1].body, "GET /next ");
  EXPECT_EQ(chunks, 2);
}

TEST_F(ServerTest, DeleteChunkKeepsMemoryFlat) {
  std::string got;
  srv_.fn = [&](struct mg_connection *c, int ev, void *ev_data) {
    struct http_message *hm = static_cast<struct http_message *>(ev_data);
    if (ev == MG_EV_HTTP_CHUNK) {
      got.append(hm->body.p, hm->body.len);
      c->flags |= MG_F_DELETE_CHUNK;
    } else if (ev == MG_EV_HTTP_REQUEST) {
      EXPECT_EQ(hm->body.len, 0u);
      mg_send_head(c, 204, 0, nullptr);
    }
  };
  std::string req = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string want;
  for (int i = 0; i < 200; i++) {
    std::string piece(1000, static_cast<char>('a' + i % 26));
    want += piece;
    req += "3e8\r\n" + piece + "\r\n";
  }
  req += "0\r\n\r\n";
  std::vector<Reply> rs = Exchange("mem://srv", req);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].code, 204);
  EXPECT_TRUE(got == want);
}

TEST_F(ServerTest, ErrorFromChunkHandlerStopsDecoding) {
  srv_.fn = [&](struct mg_connection *c, int ev, void *) {
    if (ev == MG_EV_HTTP_CHUNK) mg_http_send_error(c, 403, "no chunks");
  };
  Raw r;
  std::vector<Reply> rs =
      Exchange("mem://srv",
               "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
               "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\nGET /x HTTP/1.1\r\n\r\n",
               2, &r);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].code, 403);
  EXPECT_EQ(r.closed, 1);
  EXPECT_EQ(srv_.requests, 0);
}

// The wire-level consequence of a framing error: 400, close, and nothing
// after it is ever parsed as a request.
void ExpectRejected(ServerTest *t, struct mg_mgr *mgr, const std::string &req,
                    int code) {
  Raw r;
  struct mg_connect_opts o;
  memset(&o, 0, sizeof(o));
  o.user_data = &r;
  struct mg_connection *c =
      mg_connect_opt(mgr, "mem://srv", httptest::RawCb, o);
  mg_send(c, req.data(), static_cast<int>(req.size()));
  ASSERT_TRUE(mgtest::PollUntil(mgr, [&] { return r.closed > 0; })) << req;
  std::vector<Reply> rs = Replies(r.data);
  ASSERT_EQ(rs.size(), 1u) << req;
  EXPECT_EQ(rs[0].code, code) << req;
  (void) t;
}

TEST_F(ServerTest, SmugglingAttemptsAreRefused) {
  const char *smuggle = "GET /smuggled HTTP/1.1\r\n\r\n";
  std::vector<std::string> bad = {
      "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: "
      "chunked\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 30\r\n\r\nhello",
      "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 1_0\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: ,chunked\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: "
      "chunked\r\n\r\n100000000000000000\r\nx\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: "
      "chunked\r\n\r\n\r\nabc\r\n0\r\n\r\n",
      "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
      "GET / HTTP/1.1\r\n: empty\r\n\r\n",
      "GET / HTTP/1.1\r\nA: b\rX: y\r\n\r\n",
      std::string("GET / HTTP/1.1\r\nA: \0\r\n\r\n", 24),
      "GET / HTTP/1.1 HTTP/1.1\r\n\r\n",
  };
  for (const std::string &b : bad)
    ExpectRejected(this, &mgr_, b + smuggle, 400);
  EXPECT_EQ(srv_.requests, 0);
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i <= MG_MAX_HTTP_HEADERS; i++)
    many += "H" + std::to_string(i) + ": v\r\n";
  ExpectRejected(this, &mgr_, many + "\r\n", 400);
  EXPECT_EQ(srv_.requests, 0);
}

TEST_F(ServerTest, TrailersAndTabAccepted) {
  std::vector<Reply> rs =
      Exchange("mem://srv",
               "POST /t HTTP/1.1\r\nX:\tv\r\nTransfer-Encoding: chunked\r\n\r\n"
               "0\r\nA: b\r\nC: d\r\n\r\n");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].code, 200);
}

TEST_F(ServerTest, HeadTooLargeIs431AndBodyTooLargeIs413) {
  struct mg_http_opts o = mg_http_get_options(&mgr_);
  o.max_request_head = 1024;
  o.max_body_size = 2048;
  ASSERT_EQ(mg_http_set_options(&mgr_, &o), 0);
  ExpectRejected(this, &mgr_,
                 "GET / HTTP/1.1\r\nX: " + std::string(2000, 'a') + "\r\n\r\n",
                 431);
  // An endless head without an end is cut off too.
  ExpectRejected(this, &mgr_, "GET / HTTP/1.1\r\nX: " + std::string(5000, 'a'),
                 431);
  ExpectRejected(this, &mgr_, "POST / HTTP/1.1\r\nContent-Length: 4096\r\n\r\n",
                 413);
  std::string chunked = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; i++)
    chunked += "3e8\r\n" + std::string(1000, 'x') + "\r\n";
  ExpectRejected(this, &mgr_, chunked, 413);
  EXPECT_EQ(srv_.requests, 0);
}

TEST_F(ServerTest, SlowClientTimesOutWhileOthersAreServed) {
  struct mg_http_opts o = mg_http_get_options(&mgr_);
  o.header_timeout = 1.0;
  ASSERT_EQ(mg_http_set_options(&mgr_, &o), 0);
  Raw slow;
  struct mg_connection *sc = Send("mem://srv", &slow, "");
  std::string req = "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n";
  size_t sent = 0;
  double next = 0, start = mg_time();
  int served = 0;
  for (long i = 0; i < 100000000L && slow.closed == 0 && mg_time() - start < 10;
       i++) {
    if (mg_time() >= next && sent < req.size()) {
      mg_send(sc, req.data() + sent++, 1);  // one byte every 0.25 s
      next = mg_time() + 0.25;
      Raw fast;
      if (Exchange("mem://srv", "GET /fast HTTP/1.1\r\n\r\n", 1, &fast)
              .size() == 1)
        served++;
    }
    mg_mgr_poll(&mgr_, 5);
  }
  EXPECT_EQ(slow.closed, 1);
  double took = mg_time() - start;
  EXPECT_GE(took, 0.9);
  EXPECT_LT(took, 5.0);
  EXPECT_LT(sent, req.size());
  EXPECT_GE(served, 3);
  std::vector<Reply> rs = Replies(slow.data);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].code, 408);
}

TEST_F(ServerTest, IdleConnectionIsClosed) {
  struct mg_http_opts o = mg_http_get_options(&mgr_);
  o.idle_timeout = 1;
  ASSERT_EQ(mg_http_set_options(&mgr_, &o), 0);
  Raw r;
  Send("mem://srv", &r, "GET / HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(Until([&] { return r.closed > 0; }, 5));
  EXPECT_EQ(Replies(r.data).size(), 1u);
}

TEST_F(ServerTest, EndpointsLongestPrefix) {
  struct mg_connection *lc = Listen("mem://ep", &srv_);
  std::vector<std::string> hit;
  static std::vector<std::string> *s_hit;
  s_hit = &hit;
  auto mk = [](struct mg_connection *c, int ev, void *, const char *tag) {
    if (ev != MG_EV_HTTP_REQUEST) return;
    s_hit->push_back(tag);
    mg_send_head(c, 200, 0, nullptr);
  };
  static decltype(mk) *s_mk = &mk;
  mg_register_http_endpoint(
      lc, "/a",
      [](struct mg_connection *c, int ev, void *d) { (*s_mk)(c, ev, d, "a"); });
  mg_register_http_endpoint(lc, "/a/b",
                            [](struct mg_connection *c, int ev, void *d) {
                              (*s_mk)(c, ev, d, "ab");
                            });
  for (const char *u : {"/a", "/a/x", "/a/b", "/a/b/c", "/ab", "/"}) {
    Exchange("mem://ep", std::string("GET ") + u + " HTTP/1.1\r\n\r\n");
  }
  EXPECT_EQ(hit, (std::vector<std::string>{"a", "a", "ab", "ab"}));
  EXPECT_EQ(srv_.uris, (std::vector<std::string>{"/ab", "/"}));
}

// --- streamed multipart ---

struct MpSeen {
  std::string log;
  std::string data;
  int request_end_status = 1;
  size_t max_take = SIZE_MAX;
};

TEST_F(ServerTest, MultipartEventsWithBackPressure) {
  MpSeen s;
  s.max_take = 7;
  srv_.fn = [&](struct mg_connection *c, int ev, void *ev_data) {
    struct mg_http_multipart_part *p =
        static_cast<struct mg_http_multipart_part *>(ev_data);
    switch (ev) {
      case MG_EV_HTTP_MULTIPART_REQUEST:
        s.log += "R";
        break;
      case MG_EV_HTTP_PART_BEGIN:
        s.log += std::string("B(") + p->var_name + "," + p->file_name + ")";
        break;
      case MG_EV_HTTP_PART_DATA:
        // The first calls take a few bytes only: the rest comes again.
        if (s.max_take > 0 && s.data.size() < 100) {
          p->num_data_consumed = std::min(p->data.len, s.max_take);
        }
        s.data.append(p->data.p, p->num_data_consumed);
        break;
      case MG_EV_HTTP_PART_END:
        s.log += "E" + std::to_string(p->status);
        break;
      case MG_EV_HTTP_MULTIPART_REQUEST_END:
        s.log += "Z";
        s.request_end_status = p->status;
        EXPECT_EQ(p->var_name, nullptr);
        mg_send_head(c, 200, 2, nullptr);
        mg_send(c, "ok", 2);
        break;
      default:
        Echo(c, ev, ev_data);
    }
  };
  std::string big(100000, 'q');
  std::string body =
      "--bnd\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n"
      "--bnd\r\nContent-Disposition: form-data; name=\"f\"; "
      "filename=\"x.bin\"\r\n\r\n" +
      big + "\r\n--bnd--\r\n";
  std::string req =
      "POST /up HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=bnd\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body +
      "GET /after HTTP/1.1\r\n\r\n";
  Raw raw;
  std::vector<Reply> rs = Exchange("mem://srv", req, 2, &raw);
  ASSERT_EQ(rs.size(), 2u) << s.log << " " << s.data.size() << " " << raw.data;
  EXPECT_EQ(rs[0].body, "ok");
  EXPECT_EQ(rs[1].body, "GET /after ");
  EXPECT_EQ(s.log, "RB(a,)E0B(f,x.bin)E0Z");
  EXPECT_TRUE(s.data == "value" + big);
  EXPECT_EQ(s.request_end_status, 0);
}

TEST_F(ServerTest, MultipartCutOffReportsErrors) {
  MpSeen s;
  srv_.fn = [&](struct mg_connection *, int ev, void *ev_data) {
    struct mg_http_multipart_part *p =
        static_cast<struct mg_http_multipart_part *>(ev_data);
    if (ev == MG_EV_HTTP_PART_END) s.log += "E" + std::to_string(p->status);
    if (ev == MG_EV_HTTP_MULTIPART_REQUEST_END)
      s.log += "Z" + std::to_string(p->status);
  };
  Raw r;
  struct mg_connection *c = Send(
      "mem://srv", &r,
      "POST /up HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=bnd\r\n"
      "Content-Length: 1000\r\n\r\n--bnd\r\nContent-Disposition: form-data; "
      "name=\"a\"\r\n\r\npartial");
  mgtest::PollFor(&mgr_, 0.1);
  c->flags |= MG_F_CLOSE_IMMEDIATELY;
  ASSERT_TRUE(Until([&] { return s.log.size() >= 6; }));
  EXPECT_EQ(s.log, "E-1Z-1");
}

// mg_file_upload_handler(): stores file parts, answers once the request
// ends, and refuses what the name function refuses.
struct mg_str UploadTo(struct mg_connection *, struct mg_str fname) {
  std::string name(fname.p, fname.len);
  if (name == "refused.txt") return mg_mk_str_n(nullptr, 0);
  std::string path = httptest::TmpDir() + "/up_" + name;
  return mg_strdup(mg_mk_str(path.c_str()));
}

std::string Multipart(const std::string &file, const std::string &data) {
  std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n"
      "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"" +
      file + "\"\r\n\r\n" + data + "\r\n--b--\r\n";
  return "POST /upload HTTP/1.1\r\nContent-Type: multipart/form-data; "
         "boundary=b\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST_F(ServerTest, FileUploadHandler) {
  srv_.fn = [](struct mg_connection *c, int ev, void *ev_data) {
    if (ev == MG_EV_HTTP_PART_BEGIN || ev == MG_EV_HTTP_PART_DATA ||
        ev == MG_EV_HTTP_PART_END) {
      mg_file_upload_handler(c, ev, ev_data, UploadTo);
    }
  };
  std::string data(200000, 'u');
  std::vector<Reply> rs = Exchange("mem://srv", Multipart("ok.bin", data));
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].code, 200);
  EXPECT_NE(rs[0].body.find("200000"), std::string::npos) << rs[0].body;
  FILE *fp = fopen((httptest::TmpDir() + "/up_ok.bin").c_str(), "rb");
  ASSERT_NE(fp, nullptr);
  std::string got(300000, '\0');
  got.resize(fread(&got[0], 1, got.size(), fp));
  fclose(fp);
  EXPECT_TRUE(got == data);
  Raw r;
  rs = Exchange("mem://srv", Multipart("refused.txt", "x"), 2, &r);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].code, 403);
  EXPECT_EQ(r.closed, 1);
}

}  // namespace
