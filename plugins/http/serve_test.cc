// mg_serve_http() and mg_http_serve_file() over the in-memory interface:
// files, validators, ranges, HEAD, index and listings, hidden files, path
// traversal, rewrites, MIME types and digest authentication.
#include <fcntl.h>
#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include "plugins/http/http_test_util.h"
#include "testing/util/test_clock.h"

using httptest::Replies;
using httptest::Reply;
using httptest::Server;

namespace {

std::string Tmp() {
  const char *t = getenv("TEST_TMPDIR");
  return t != nullptr ? t : "/tmp";
}

void Write(const std::string &path, const std::string &data) {
  std::ofstream f(path, std::ios::binary);
  f << data;
}

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; i++)
    s[i] = static_cast<char>('a' + (i * 7 + i / 97) % 26);
  return s;
}

class ServeTest : public httptest::HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    base_ = Tmp() + "/serve" + std::to_string(getpid()) + "_" +
            std::to_string(counter_++);
    root_ = base_ + "/www";
    mkdir(base_.c_str(), 0755);
    mkdir(root_.c_str(), 0755);
    mkdir((root_ + "/sub").c_str(), 0755);
    mkdir((root_ + "/priv").c_str(), 0755);
    mkdir((root_ + "/empty").c_str(), 0755);
    mkdir((base_ + "/other").c_str(), 0755);
    mkdir((base_ + "/vroot").c_str(), 0755);
    Write(root_ + "/index.html", "<h1>home</h1>");
    Write(root_ + "/a.txt", "0123456789");
    Write(root_ + "/big.bin", Pattern(300000));
    Write(root_ + "/sub/x y&<z>.txt", "odd name");
    Write(root_ + "/sub/secret.key", "hidden");
    Write(root_ + "/secret.key", "hidden");
    Write(root_ + "/priv/p.txt", "private");
    Write(base_ + "/secret.txt", "TOPSECRET");
    Write(base_ + "/other/o.txt", "aliased");
    Write(base_ + "/vroot/index.html", "virtual host");
    // htdigest lines: HA1 = MD5(user:realm:password).
    Write(root_ + "/priv/.htpasswd",
          "joe:test.realm:" + Ha1("joe", "test.realm", "secret") + "\n" +
              "bob:" + Ha1("bob", "test.realm", "pw") + "\n" +
              "ann:other.realm:" + Ha1("ann", "other.realm", "pw") + "\n");
    opts_.document_root = root_.c_str();
    opts_.hidden_file_pattern = "**.key$";
    opts_.per_directory_auth_file = ".htpasswd";
    opts_.auth_domain = "test.realm";
    srv_.fn = [this](struct mg_connection *c, int ev, void *ev_data) {
      if (ev == MG_EV_HTTP_REQUEST) {
        mg_serve_http(c, static_cast<struct http_message *>(ev_data), opts_);
      }
    };
    ASSERT_NE(Listen("mem://srv", &srv_), nullptr);
  }

  static std::string Ha1(const char *u, const char *r, const char *p) {
    // mg_http_create_digest_auth_header's response needs HA1 only
    // internally; rebuild it with the same MD5 the server uses.
    std::string s = std::string(u) + ":" + r + ":" + p;
    return Md5(s);
  }
  static std::string Md5(const std::string &s);

  Reply Get(const std::string &uri, const std::string &headers = "",
            const char *method = "GET") {
    std::vector<Reply> rs = Exchange(
        "mem://srv", std::string(method) + " " + uri +
                         " HTTP/1.1\r\nHost: h\r\n" + headers + "\r\n");
    return rs.empty() ? Reply() : rs[0];
  }

  static int counter_;
  std::string base_, root_;
  struct mg_serve_http_opts opts_ = {};
  Server srv_;
};
int ServeTest::counter_ = 0;

}  // namespace

extern "C" {
#include "plugins/http/internal.h"
}

namespace {

std::string ServeTest::Md5(const std::string &s) {
  char out[33];
  struct mg_str part = mg_mk_str_n(s.data(), s.size());
  mg__md5_hex_join(out, &part, 1);
  return out;
}

TEST_F(ServeTest, FileWithTypeAndValidators) {
  Reply r = Get("/a.txt");
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.body, "0123456789");
  EXPECT_EQ(r.Header("Content-Type"), "text/plain; charset=utf-8");
  std::string etag = r.Header("ETag"), lm = r.Header("Last-Modified");
  ASSERT_NE(etag, "<none>");
  ASSERT_NE(lm, "<none>");
  EXPECT_EQ(Get("/a.txt", "If-None-Match: " + etag + "\r\n").code, 304);
  EXPECT_EQ(Get("/a.txt", "If-None-Match: \"other\"\r\n").code, 200);
  EXPECT_EQ(Get("/a.txt", "If-Modified-Since: " + lm + "\r\n").code, 304);
  EXPECT_EQ(
      Get("/a.txt", "If-Modified-Since: Mon, 01 Jan 1990 00:00:00 GMT\r\n")
          .code,
      200);
  EXPECT_EQ(Get("/index.html").Header("Content-Type"),
            "text/html; charset=utf-8");
}

TEST_F(ServeTest, ChangedFilesAreNotServedStale) {
  EXPECT_EQ(Get("/a.txt").body, "0123456789");
  EXPECT_EQ(Get("/a.txt").body, "0123456789");  // now from the cache
  Write(root_ + "/a.txt", "abcdefghij");        // same size
  struct timespec ts[2] = {{0, UTIME_OMIT}, {1700000000, 123}};
  ASSERT_EQ(utimensat(AT_FDCWD, (root_ + "/a.txt").c_str(), ts, 0), 0);
  EXPECT_EQ(Get("/a.txt").body, "abcdefghij");
  Write(root_ + "/a.txt", "0123456789");
  EXPECT_EQ(Get("/a.txt").body, "0123456789");
  EXPECT_EQ(Get("/a.txt", "Range: bytes=3-4\r\n").body, "34");
}

TEST_F(ServeTest, Ranges) {
  Reply r = Get("/a.txt", "Range: bytes=2-4\r\n");
  EXPECT_EQ(r.code, 206);
  EXPECT_EQ(r.body, "234");
  EXPECT_EQ(r.Header("Content-Range"), "bytes 2-4/10");
  EXPECT_EQ(Get("/a.txt", "Range: bytes=-3\r\n").body, "789");
  EXPECT_EQ(Get("/a.txt", "Range: bytes=7-\r\n").body, "789");
  EXPECT_EQ(Get("/a.txt", "Range: bytes=8-100\r\n").body, "89");
  Reply bad = Get("/a.txt", "Range: bytes=10-20\r\n");
  EXPECT_EQ(bad.code, 416);
  EXPECT_EQ(bad.Header("Content-Range"), "bytes */10");
  EXPECT_EQ(Get("/a.txt", "Range: bytes=5-2\r\n").code, 200);
  EXPECT_EQ(Get("/a.txt", "Range: pages=1\r\n").code, 200);
  Reply big = Get("/big.bin", "Range: bytes=100000-100009\r\n");
  EXPECT_EQ(big.body, Pattern(300000).substr(100000, 10));
}

TEST_F(ServeTest, HeadAndBigFilesKeepAliveInOrder) {
  httptest::Raw head;
  struct mg_connection *c =
      Send("mem://srv", &head, "HEAD /big.bin HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(
      Until([&] { return head.data.find("\r\n\r\n") != std::string::npos; }));
  mgtest::PollFor(&mgr_, 0.1);
  EXPECT_NE(head.data.find("Content-Length: 300000\r\n"), std::string::npos);
  EXPECT_EQ(head.data.find("\r\n\r\n") + 4, head.data.size());  // no body
  std::string more = "GET /a.txt HTTP/1.1\r\n\r\n";
  mg_send(c, more.data(), static_cast<int>(more.size()));
  ASSERT_TRUE(
      Until([&] { return head.data.find("0123456789") != std::string::npos; }));
  std::vector<Reply> rs =
      Exchange("mem://srv",
               "GET /big.bin HTTP/1.1\r\n\r\nGET /a.txt HTTP/1.1\r\n\r\n"
               "GET /big.bin HTTP/1.1\r\n\r\n",
               3);
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_TRUE(rs[0].body == Pattern(300000));
  EXPECT_EQ(rs[1].body, "0123456789");
  EXPECT_TRUE(rs[2].body == Pattern(300000));
}

// A client that stops reading a big file for longer than idle_timeout is
// still being served, not idle: it gets the whole file once it reads again.
struct Stalled {
  std::string data;
  bool stalled = true;
  int closed = 0;
};
void StalledCb(struct mg_connection *c, int ev, void *) {
  Stalled *s = static_cast<Stalled *>(c->user_data);
  if (s == nullptr) return;
  if ((ev == MG_EV_RECV || ev == MG_EV_POLL) && !s->stalled) {
    s->data.append(c->recv_mbuf.buf, c->recv_mbuf.len);
    mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
  } else if (ev == MG_EV_CLOSE) {
    s->closed++;
  }
}

TEST_F(ServeTest, StalledReaderOfBigFileIsNotIdle) {
  // Over a socket, where the body leaves by sendfile() and send_mbuf is
  // empty meanwhile; bigger than what the kernel buffers can hold.
  struct mg_connection *lc = Listen("tcp://127.0.0.1:0", &srv_);
  ASSERT_NE(lc, nullptr);
  std::string addr = "127.0.0.1:" + std::to_string(mgtest::LocalPort(lc));
  std::string big = Pattern(32 << 20);
  Write(root_ + "/huge.bin", big);
  struct mg_http_opts o = mg_http_get_options(&mgr_);
  o.idle_timeout = 1;
  ASSERT_EQ(mg_http_set_options(&mgr_, &o), 0);
  Stalled st;
  struct mg_connect_opts co;
  memset(&co, 0, sizeof(co));
  co.user_data = &st;
  struct mg_connection *c = mg_connect_opt(&mgr_, addr.c_str(), StalledCb, co);
  ASSERT_NE(c, nullptr);
  c->recv_mbuf_limit = 65536;
  std::string req = "GET /huge.bin HTTP/1.1\r\n\r\n";
  mg_send(c, req.data(), static_cast<int>(req.size()));
  mgtest::PollFor(&mgr_, 2.0);  // twice the idle timeout, reading nothing
  EXPECT_EQ(st.closed, 0);
  st.stalled = false;
  ASSERT_TRUE(Until(
      [&] {
        std::vector<Reply> rs = Replies(st.data);
        return st.closed > 0 ||
               (rs.size() == 1 && rs[0].body.size() == big.size());
      },
      20));
  std::vector<Reply> rs = Replies(st.data);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_TRUE(rs[0].body == big);
}

TEST_F(ServeTest, Http10GetsCloseAfterBigFile) {
  httptest::Raw raw;
  std::vector<Reply> rs =
      Exchange("mem://srv", "GET /big.bin HTTP/1.0\r\n\r\n", 2, &raw);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_TRUE(rs[0].body == Pattern(300000));
  EXPECT_EQ(raw.closed, 1);
}

TEST_F(ServeTest, Http10KeepAliveWhenAsked) {
  httptest::Raw raw;
  std::vector<Reply> rs =
      Exchange("mem://srv",
               "GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
               "GET /index.html HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
               2, &raw);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].Header("Connection"), "keep-alive");
  EXPECT_EQ(rs[1].body, "<h1>home</h1>");
  EXPECT_EQ(raw.closed, 0);
}

TEST_F(ServeTest, IndexRedirectAndListing) {
  EXPECT_EQ(Get("/").body, "<h1>home</h1>");
  Reply redir = Get("/sub?q=1");
  EXPECT_EQ(redir.code, 301);
  EXPECT_EQ(redir.Header("Location"), "/sub/?q=1");
  Reply list = Get("/sub/");
  EXPECT_EQ(list.code, 200);
  EXPECT_NE(list.body.find("x y&amp;&lt;z&gt;.txt</a>"), std::string::npos)
      << list.body;
  EXPECT_EQ(list.body.find("<z>"), std::string::npos);
  EXPECT_EQ(list.body.find("secret.key"), std::string::npos);
  EXPECT_NE(list.body.find(">8<"), std::string::npos);  // the size
  Reply top = Get("/empty/");
  EXPECT_EQ(top.code, 200);
  opts_.enable_directory_listing = "no";
  EXPECT_EQ(Get("/empty/").code, 403);
  Reply priv = Get("/priv/", "");
  EXPECT_EQ(priv.code, 401);
}

TEST_F(ServeTest, HiddenFilesNeverServed) {
  EXPECT_EQ(Get("/secret.key").code, 404);
  EXPECT_EQ(Get("/sub/secret.key").code, 404);
  EXPECT_EQ(Get("/priv/.htpasswd").code, 404);
  EXPECT_EQ(Get("/priv/%2ehtpasswd").code, 404);
  EXPECT_EQ(Get("/SUB/../secret.key").code, 404);
}

TEST_F(ServeTest, PathTraversalNeverLeavesTheRoot) {
  std::vector<std::string> bad = {
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/%2E%2E/secret.txt",
      "/..%2fsecret.txt",
      "/.%2f..%2fsecret.txt",
      "/sub/../../secret.txt",
      "/sub/%2e%2e/%2e%2e/secret.txt",
      "/..\\secret.txt",
      "/..%5csecret.txt",
      "/%5c..%5csecret.txt",
      "/secret.txt%00.html",
      "/a.txt%00",
      "/%252e%252e/secret.txt",
      "/%25%32%65%25%32%65/secret.txt",
      "/./../secret.txt",
      "//../secret.txt",
      "/%2f%2e%2e%2fsecret.txt",
      "/" + std::string(5000, 'a'),
      "/" + std::string(5000, '/') + "../secret.txt",
      "/%",
      "/%zz",
  };
  for (const std::string &u : bad) {
    Reply r = Get(u);
    EXPECT_NE(r.code, 200) << u;
    EXPECT_EQ(r.body.find("TOPSECRET"), std::string::npos) << u;
  }
  EXPECT_EQ(Get("/../secret.txt").code, 400);
  EXPECT_EQ(Get("/" + std::string(5000, 'a')).code, 414);
  // Harmless dots still work.
  EXPECT_EQ(Get("/sub/../a.txt").body, "0123456789");
  EXPECT_EQ(Get("/./a.txt").body, "0123456789");
}

TEST_F(ServeTest, MethodsOtherThanGetAndHead) {
  EXPECT_EQ(Get("/a.txt", "Content-Length: 0\r\n", "POST").code, 405);
  EXPECT_EQ(Get("/a.txt", "", "DELETE").code, 405);
  EXPECT_EQ(Get("/nope.txt").code, 404);
}

TEST_F(ServeTest, MimeTypesAndExtraHeaders) {
  opts_.custom_mime_types = ".txt=text/x-custom,.bin=application/x-b";
  opts_.extra_headers = "X-Served-By: test";
  Reply r = Get("/a.txt");
  EXPECT_EQ(r.Header("Content-Type"), "text/x-custom");
  EXPECT_EQ(r.Header("X-Served-By"), "test");
}

TEST_F(ServeTest, RewritesAndVirtualHosts) {
  std::string rw = "/alias=" + base_ + "/other,@vhost.test=" + base_ + "/vroot";
  opts_.url_rewrites = rw.c_str();
  EXPECT_EQ(Get("/alias/o.txt").body, "aliased");
  EXPECT_NE(Get("/alias/../secret.txt").code, 200);
  std::vector<Reply> rs =
      Exchange("mem://srv", "GET / HTTP/1.1\r\nHost: vhost.test:80\r\n\r\n");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].body, "virtual host");
  EXPECT_EQ(Get("/").body, "<h1>home</h1>");
}

// Digest authentication through the per-directory password file.
class DigestTest : public ServeTest {
 protected:
  std::string Nonce() {
    Reply r = Get("/priv/p.txt");
    EXPECT_EQ(r.code, 401);
    std::string wa = r.Header("WWW-Authenticate");
    struct mg_str h = mg_mk_str(wa.c_str());
    char nonce[64];
    EXPECT_GT(mg_http_parse_header(&h, "nonce", nonce, sizeof(nonce)), 0);
    return nonce;
  }
  std::string Auth(const char *user, const char *pass, const std::string &nonce,
                   const char *realm = "test.realm",
                   const char *uri = "/priv/p.txt") {
    char buf[600];
    mg_http_create_digest_auth_header(buf, sizeof(buf), "GET", uri, realm, user,
                                      pass, nonce.c_str());
    return buf;
  }
  // Replaces one parameter of an Authorization line.
  static std::string With(std::string a, const std::string &from,
                          const std::string &to) {
    size_t p = a.find(from);
    EXPECT_NE(p, std::string::npos);
    return a.replace(p, from.size(), to);
  }
};

TEST_F(DigestTest, RightCredentialsPass) {
  std::string n = Nonce();
  Reply r = Get("/priv/p.txt", Auth("joe", "secret", n));
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.body, "private");
}

TEST_F(DigestTest, WrongCredentialsAndForgeriesRefused) {
  std::string n = Nonce();
  std::string good = Auth("joe", "secret", n);
  EXPECT_EQ(Get("/priv/p.txt", Auth("joe", "wrong", n)).code, 401);
  EXPECT_EQ(Get("/priv/p.txt", Auth("nobody", "secret", n)).code,
            401);  // unknown user
  EXPECT_EQ(Get("/priv/p.txt", Auth("bob", "pw", n)).code,
            401);  // line without realm
  EXPECT_EQ(Get("/priv/p.txt", Auth("ann", "pw", n, "other.realm")).code, 401);
  // An empty response, a wrong or zero nonce count, a forged nonce.
  size_t rp = good.find("response=\"");
  std::string empty = good.substr(0, rp) + "response=\"\"\r\n";
  EXPECT_EQ(Get("/priv/p.txt", empty).code, 401);
  EXPECT_EQ(Get("/priv/p.txt", With(good, "nc=00000001", "nc=00000000")).code,
            401);
  EXPECT_EQ(Get("/priv/p.txt", With(good, "nc=00000001", "nc=1")).code, 401);
  EXPECT_EQ(Get("/priv/p.txt", With(good, "nc=00000001", "nc=0000000x")).code,
            401);
  std::string forged = "0000000100000000deadbeef";
  EXPECT_EQ(Get("/priv/p.txt", Auth("joe", "secret", forged)).code, 401);
  EXPECT_EQ(Get("/priv/p.txt", With(good, "qop=auth", "qop=auth-int")).code,
            401);
  // The response is bound to the URI.
  EXPECT_EQ(
      Get("/priv/p.txt", Auth("joe", "secret", n, "test.realm", "/other")).code,
      401);
  EXPECT_EQ(
      Get("/priv/p.txt", "Authorization: Basic am9lOnNlY3JldA==\r\n").code,
      401);
  EXPECT_EQ(Get("/priv/p.txt", good).code, 200);
}

TEST_F(DigestTest, GlobalAuthFile) {
  std::string pw = root_ + "/priv/.htpasswd";
  opts_.global_auth_file = pw.c_str();
  EXPECT_EQ(Get("/a.txt").code, 401);
  std::string n = Nonce();
  EXPECT_EQ(
      Get("/a.txt", Auth("joe", "secret", n, "test.realm", "/a.txt")).code,
      200);
  std::string missing = base_ + "/nope";
  opts_.global_auth_file = missing.c_str();
  EXPECT_EQ(Get("/a.txt").code, 401);
}

// A server nonce is good for an hour on the manager's clock (issued and
// judged by mg_serve_http() there), refused after; a fresh one works.
TEST_F(DigestTest, NonceExpiresAfterAnHourOnTheManagerClock) {
  mgtest::TestClock clock(&mgr_);
  std::string n = Nonce();
  EXPECT_EQ(n.substr(0, 8), "6553f100");  // kDefaultStart, in hex
  clock.Advance(3599);
  EXPECT_EQ(Get("/priv/p.txt", Auth("joe", "secret", n)).code, 200);
  clock.Advance(2);  // 3601 s
  EXPECT_EQ(Get("/priv/p.txt", Auth("joe", "secret", n)).code, 401);
  std::string fresh = Nonce();
  EXPECT_EQ(Get("/priv/p.txt", Auth("joe", "secret", fresh)).code, 200);
  // One from the future (a clock set back) is refused past 60 s of skew.
  clock.Advance(-61);
  EXPECT_EQ(Get("/priv/p.txt", Auth("joe", "secret", fresh)).code, 401);
}

TEST_F(ServeTest, ServeFileDirectly) {
  std::string path = root_ + "/a.txt";
  srv_.fn = [&](struct mg_connection *c, int ev, void *ev_data) {
    if (ev != MG_EV_HTTP_REQUEST) return;
    mg_http_serve_file(c, static_cast<struct http_message *>(ev_data),
                       path.c_str(), mg_mk_str("text/x-direct"),
                       mg_mk_str("X-D: 1"));
  };
  Reply r = Get("/whatever");
  EXPECT_EQ(r.body, "0123456789");
  EXPECT_EQ(r.Header("Content-Type"), "text/x-direct");
  EXPECT_EQ(r.Header("X-D"), "1");
}

}  // namespace
