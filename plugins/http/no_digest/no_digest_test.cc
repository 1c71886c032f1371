// The http plugin built with MG_DISABLE_HTTP_DIGEST_AUTH (the reference's
// flag): files a password file protects are refused with 403, even for
// requests whose credentials a digest build would accept; open files are
// served; the digest API answers "no" and the MD5 code is not linked.
#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include "plugins/http/http_test_util.h"

// Weak: null when the MD5 code was left out of the link, as it must be.
extern "C" void mg__md5_hex_join(char out[33], const struct mg_str *parts,
                                 int n) __attribute__((weak));

namespace {

using httptest::Reply;
using httptest::Server;

// HA1 = MD5("joe:test.realm:secret"), and the response a digest build
// accepts for GET /priv/p.txt with the nonce, nc and cnonce below
// (computed outside this program, since it has no MD5).
const char kHa1[] = "1a31c072ad5ba3aeb158d9f1e1c71528";
const char kNonce[] = "5f000000abcdefabcdefabcd";
const char kResponse[] = "8d118bac6c146574a504bdbb0f1b305d";

void Write(const std::string &path, const std::string &data) {
  std::ofstream f(path, std::ios::binary);
  f << data;
}

class NoDigestTest : public httptest::HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    root_ = httptest::TmpDir() + "/nodigest" + std::to_string(getpid());
    mkdir(root_.c_str(), 0755);
    mkdir((root_ + "/priv").c_str(), 0755);
    Write(root_ + "/a.txt", "open");
    Write(root_ + "/priv/p.txt", "private");
    Write(root_ + "/priv/.htpasswd",
          std::string("joe:test.realm:") + kHa1 + "\n");
    opts_.document_root = root_.c_str();
    opts_.per_directory_auth_file = ".htpasswd";
    opts_.auth_domain = "test.realm";
    srv_.fn = [this](struct mg_connection *c, int ev, void *ev_data) {
      if (ev == MG_EV_HTTP_REQUEST) {
        mg_serve_http(c, static_cast<struct http_message *>(ev_data), opts_);
      }
    };
    ASSERT_NE(Listen("mem://srv", &srv_), nullptr);
  }

  Reply Get(const std::string &uri, const std::string &headers = "") {
    std::vector<Reply> rs =
        Exchange("mem://srv",
                 "GET " + uri + " HTTP/1.1\r\nHost: h\r\n" + headers + "\r\n");
    return rs.empty() ? Reply() : rs[0];
  }

  static std::string GoodAuthorization() {
    return std::string(
               "Authorization: Digest username=\"joe\", realm=\"test.realm\", "
               "nonce=\"") +
           kNonce +
           "\", uri=\"/priv/p.txt\", qop=auth, nc=00000001, cnonce=\"c0ffee\", "
           "response=\"" +
           kResponse + "\"\r\n";
  }

  std::string root_;
  struct mg_serve_http_opts opts_ = {};
  Server srv_;
};

TEST_F(NoDigestTest, ProtectedFilesAreRefusedNotLetThrough) {
  Reply r = Get("/priv/p.txt");
  EXPECT_EQ(r.code, 403);
  EXPECT_EQ(r.Header("WWW-Authenticate"), "<none>");  // no challenge to answer
  EXPECT_EQ(r.body.find("private"), std::string::npos);
  r = Get("/priv/p.txt", GoodAuthorization());
  EXPECT_EQ(r.code, 403);
  EXPECT_EQ(r.body.find("private"), std::string::npos);
  EXPECT_EQ(Get("/priv/").code, 403);
}

TEST_F(NoDigestTest, OpenFilesAreServed) {
  Reply r = Get("/a.txt");
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.body, "open");
}

TEST_F(NoDigestTest, GlobalAuthFileRefusesEverything) {
  std::string pw = root_ + "/priv/.htpasswd";
  opts_.global_auth_file = pw.c_str();
  EXPECT_EQ(Get("/a.txt").code, 403);
}

TEST(NoDigestApi, AnswersNo) {
  FILE *fp = tmpfile();
  ASSERT_NE(fp, nullptr);
  fprintf(fp, "joe:test.realm:%s\n", kHa1);
  rewind(fp);
  EXPECT_EQ(0, mg_check_digest_auth(mg_mk_str("GET"), mg_mk_str("/priv/p.txt"),
                                    mg_mk_str("joe"), mg_mk_str("c0ffee"),
                                    mg_mk_str(kResponse), mg_mk_str("auth"),
                                    mg_mk_str("00000001"), mg_mk_str(kNonce),
                                    mg_mk_str("test.realm"), fp));
  fclose(fp);
  char buf[200] = "untouched";
  EXPECT_EQ(0, mg_http_create_digest_auth_header(buf, sizeof(buf), "GET", "/",
                                                 "test.realm", "joe", "secret",
                                                 kNonce));
  EXPECT_STREQ(buf, "");
}

TEST(NoDigestApi, Md5IsNotLinked) {
  void (*md5)(char *, const struct mg_str *, int) = &mg__md5_hex_join;
  EXPECT_EQ(md5, nullptr);
}

}  // namespace
