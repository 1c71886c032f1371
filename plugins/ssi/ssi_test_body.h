// The SSI tests, shared by ssi_test (exec built out, the default) and
// exec/exec_test (built with MG_ENABLE_HTTP_SSI_EXEC): pages served over
// mem:// from files the test writes into a scratch document root.
#ifndef MG_PLUGINS_SSI_SSI_TEST_BODY_H
#define MG_PLUGINS_SSI_SSI_TEST_BODY_H

#include <stdio.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "mongoose.h"
#include "plugins/http/http_test_util.h"

namespace ssitest {

using httptest::Raw;
using httptest::Server;

// Writes contents to path (directories must exist).
inline void WriteFile(const std::string &path, const std::string &contents) {
  FILE *fp = fopen(path.c_str(), "wb");
  ASSERT_NE(fp, nullptr) << path;
  fwrite(contents.data(), 1, contents.size(), fp);
  fclose(fp);
}

// Decodes a chunked body; "" (and *ok false) if malformed or cut.
inline std::string Dechunk(const std::string &s, bool *ok) {
  std::string out;
  size_t p = 0;
  *ok = false;
  for (int i = 0; i < 1000000; i++) {
    size_t eol = s.find("\r\n", p);
    if (eol == std::string::npos) return out;
    size_t n = strtoul(s.c_str() + p, nullptr, 16);
    if (n == 0) {
      *ok = s.compare(eol, 4, "\r\n\r\n") == 0;
      return out;
    }
    if (eol + 2 + n + 2 > s.size()) return out;
    out += s.substr(eol + 2, n);
    p = eol + 2 + n + 2;
  }
  return out;
}

// One SSI response: head and decoded body.
struct Page {
  std::string head, body;
  bool complete = false;  // the chunked body ended properly
};

class SsiTest : public httptest::HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    root_ = httptest::TmpDir() + "/ssi_root_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    outside_ = root_ + "_outside";
    mkdir(root_.c_str(), 0755);
    mkdir((root_ + "/inc").c_str(), 0755);
    mkdir(outside_.c_str(), 0755);
    opts_.document_root = root_.c_str();
    srv_.fn = [this](struct mg_connection *c, int ev, void *ev_data) {
      if (ev == MG_EV_HTTP_REQUEST) {
        mg_serve_http(c, static_cast<struct http_message *>(ev_data), opts_);
      } else if (ev == MG_EV_SSI_CALL) {
        const char *arg = static_cast<const char *>(ev_data);
        calls_.push_back(arg);
        if (strcmp(arg, "foo") == 0) mg_printf(c, "[foo from handler]");
        if (strcmp(arg, "big") == 0) {
          std::string big(100000, 'B');
          mg_send(c, big.data(), static_cast<int>(big.size()));
        }
      } else if (ev == MG_EV_SSI_CALL_CTX) {
        struct mg_ssi_call_ctx *ctx =
            static_cast<struct mg_ssi_call_ctx *>(ev_data);
        ctx_files_.push_back(std::string(ctx->file.p, ctx->file.len));
        ctx_uris_.push_back(std::string(ctx->req->uri.p, ctx->req->uri.len));
        ctx_args_.push_back(std::string(ctx->arg.p, ctx->arg.len));
      }
    };
    ASSERT_NE(Listen("mem://srv", &srv_), nullptr);
  }

  // GETs uri and returns the page.
  Page Get(const std::string &uri, const std::string &proto = "HTTP/1.1") {
    Raw r;
    Send("mem://srv", &r, "GET " + uri + " " + proto + "\r\n\r\n");
    Page p;
    Until([&] {
      size_t h = r.data.find("\r\n\r\n");
      if (h == std::string::npos) return r.closed > 0;
      bool ok = false;
      Dechunk(r.data.substr(h + 4), &ok);
      return ok || r.closed > 0;
    });
    size_t h = r.data.find("\r\n\r\n");
    if (h == std::string::npos) return p;
    p.head = r.data.substr(0, h + 4);
    if (p.head.find("chunked") != std::string::npos) {
      p.body = Dechunk(r.data.substr(h + 4), &p.complete);
    } else {
      p.body = r.data.substr(h + 4);
      p.complete = r.closed > 0;
    }
    return p;
  }

  std::string root_, outside_;
  struct mg_serve_http_opts opts_ = {};
  Server srv_;
  std::vector<std::string> calls_, ctx_files_, ctx_uris_, ctx_args_;
};

TEST_F(SsiTest, PlainTextPassesThroughChunked) {
  WriteFile(root_ + "/a.shtml", "hello <b>world</b>\n");
  Page p = Get("/a.shtml");
  EXPECT_NE(p.head.find("200 OK"), std::string::npos);
  EXPECT_NE(p.head.find("Content-Type: text/html"), std::string::npos);
  EXPECT_TRUE(p.complete);
  EXPECT_EQ(p.body, "hello <b>world</b>\n");
}

TEST_F(SsiTest, AllFourIncludeForms) {
  WriteFile(root_ + "/inc/v.html", "V");
  WriteFile(root_ + "/inc/f.txt", "F");
  WriteFile(root_ + "/inc/bare.txt", "B");
  WriteFile(outside_ + "/abs.txt", "A");
  WriteFile(root_ + "/inc/page.shtml",
            "1<!--#include virtual=\"/inc/v.html\" -->2"
            "<!--#include file=\"f.txt\" -->3"
            "<!--#include \"bare.txt\" -->4"
            "<!--#include abspath=\"" +
                outside_ + "/abs.txt\" -->5");
  Page p = Get("/inc/page.shtml");
  EXPECT_TRUE(p.complete);
  EXPECT_EQ(p.body, "1V2F3B4A5");
}

TEST_F(SsiTest, IncludedShtmlIsProcessedRecursively) {
  WriteFile(root_ + "/inc/leaf.txt", "leaf");
  WriteFile(root_ + "/inc/mid.shtml", "(<!--#include file=\"leaf.txt\" -->)");
  WriteFile(root_ + "/top.shtml",
            "[<!--#include virtual=\"inc/mid.shtml\" -->]");
  WriteFile(root_ + "/inc/raw.txt", "<!--#include file=\"leaf.txt\" -->");
  WriteFile(root_ + "/top2.shtml", "<!--#include virtual=\"/inc/raw.txt\" -->");
  EXPECT_EQ(Get("/top.shtml").body, "[(leaf)]");
  // A file that does not match ssi_pattern is copied as it is.
  EXPECT_EQ(Get("/top2.shtml").body, "<!--#include file=\"leaf.txt\" -->");
}

TEST_F(SsiTest, CallRaisesBothEventsAndPrintsIntoThePage) {
  WriteFile(root_ + "/c.shtml",
            "<p><!--#call foo --></p><!--#call bar baz --><!--#call big -->.");
  Page p = Get("/c.shtml?q=1");
  EXPECT_TRUE(p.complete);
  EXPECT_EQ(p.body,
            "<p>[foo from handler]</p>" + std::string(100000, 'B') + ".");
  EXPECT_EQ(calls_, (std::vector<std::string>{"foo", "bar baz", "big"}));
  EXPECT_EQ(ctx_args_, calls_);
  ASSERT_EQ(ctx_files_.size(), 3u);
  EXPECT_EQ(ctx_files_[0], root_ + "/c.shtml");
  EXPECT_EQ(ctx_uris_[0], "/c.shtml");
}

TEST_F(SsiTest, SelfIncludeEndsWithAnErrorCommentNotAHang) {
  WriteFile(root_ + "/loop.shtml", "x<!--#include file=\"loop.shtml\" -->y");
  Page p = Get("/loop.shtml");
  EXPECT_TRUE(p.complete);
  std::string want;
  for (int i = 0; i < MG_SSI_MAX_DEPTH; i++) want += "x";
  EXPECT_EQ(p.body.compare(0, want.size(), want), 0) << p.body;
  EXPECT_NE(p.body.find("<!-- ssi: includes nested too deep"),
            std::string::npos);
  EXPECT_EQ(p.body.substr(p.body.size() - MG_SSI_MAX_DEPTH),
            std::string(MG_SSI_MAX_DEPTH, 'y'));
}

TEST_F(SsiTest, IncludesNeverLeaveTheDocumentRoot) {
  WriteFile(outside_ + "/secret.txt", "SECRET");
  std::string rel_out =
      "../" + outside_.substr(outside_.rfind('/') + 1) + "/secret.txt";
  const char *attempts[] = {
      "<!--#include virtual=\"/../secret.txt\" -->",
      "<!--#include virtual=\"/inc/../../secret.txt\" -->",
      "<!--#include virtual=\"/%2e%2e/secret.txt\" -->",
      "<!--#include file=\"../../secret.txt\" -->",
      "<!--#include file=\"/etc/passwd\" -->",
  };
  for (const char *a : attempts) {
    WriteFile(
        root_ + "/inc/t.shtml",
        std::string(a) + "|" + "<!--#include file=\"../" + rel_out + "\" -->");
    Page p = Get("/inc/t.shtml");
    EXPECT_TRUE(p.complete) << a;
    EXPECT_EQ(p.body.find("SECRET"), std::string::npos)
        << a << " -> " << p.body;
    EXPECT_EQ(p.body.find("root:"), std::string::npos) << a;
    EXPECT_NE(p.body.find("<!-- ssi: cannot include"), std::string::npos) << a;
  }
}

TEST_F(SsiTest, UnknownAndMalformedDirectives) {
  WriteFile(
      root_ + "/u.shtml",
      "a<!--#echo var=\"x\" -->b<!--#include nope -->c<!--#include \"\" -->d"
      "<!-- plain comment -->e<!--#unterminated");
  Page p = Get("/u.shtml");
  EXPECT_TRUE(p.complete);
  EXPECT_EQ(
      p.body,
      "ab<!-- ssi: bad include \"nope\" -->c<!-- ssi: bad include \"\"\"\" -->d"
      "<!-- plain comment -->e<!--#unterminated");
}

TEST_F(SsiTest, DirectiveAcrossTheReadBoundary) {
  // The page is read 16 KiB at a time: put a directive across that point
  // at every offset around it.
  WriteFile(root_ + "/inc/x.txt", "X");
  for (int off = -40; off <= 5; off++) {
    std::string pad(static_cast<size_t>(16384 + off), '.');
    WriteFile(root_ + "/inc/s.shtml", pad + "<!--#include file=\"x.txt\" -->!");
    Page p = Get("/inc/s.shtml");
    EXPECT_EQ(p.body, pad + "X!") << off;
  }
}

TEST_F(SsiTest, Http10IsClosedNotChunked) {
  WriteFile(root_ + "/old.shtml", "old <!--#call foo -->");
  Page p = Get("/old.shtml", "HTTP/1.0");
  EXPECT_EQ(p.head.find("chunked"), std::string::npos);
  EXPECT_NE(p.head.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(p.complete);
  EXPECT_EQ(p.body, "old [foo from handler]");
}

TEST_F(SsiTest, HeadSendsNoBodyAndKeepAliveGoesOn) {
  WriteFile(root_ + "/k.shtml", "page");
  Raw r;
  Send("mem://srv", &r,
       "HEAD /k.shtml HTTP/1.1\r\n\r\nGET /k.shtml HTTP/1.1\r\n\r\nGET "
       "/k.shtml HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(Until([&] {
    size_t n = 0, pos = 0;
    while ((pos = r.data.find("0\r\n\r\n", pos)) != std::string::npos)
      n++, pos++;
    return n >= 2;
  }));
  size_t first_end = r.data.find("\r\n\r\n");
  ASSERT_NE(first_end, std::string::npos);
  EXPECT_EQ(r.data.compare(first_end + 4, 8, "HTTP/1.1"),
            0);  // no body after HEAD
  EXPECT_EQ(r.closed, 0);
}

TEST_F(SsiTest, ExecFollowsTheBuildSetting) {
  WriteFile(root_ + "/e.shtml", "[<!--#exec \"echo hi; echo there\" -->]");
  Page p = Get("/e.shtml");
  EXPECT_TRUE(p.complete);
#if MG_ENABLE_HTTP_SSI_EXEC
  EXPECT_EQ(p.body, "[hi\nthere\n]");
#else
  EXPECT_EQ(p.body, "[]");
#endif
}

}  // namespace ssitest

#endif  // MG_PLUGINS_SSI_SSI_TEST_BODY_H
