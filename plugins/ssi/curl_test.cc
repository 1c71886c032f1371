// SSI pages fetched by curl over loopback: nested includes of every kind
// and a call answered by the handler, HTTP/1.1 (chunked) and HTTP/1.0
// (closed), a slow reader, and (SSI_BIG_INCLUDE, the heavy target) a
// 100 MiB include streamed with the server's memory bounded.
#include <stdio.h>
#include <sys/stat.h>

#include <string>

#include "mongoose.h"
#include "plugins/http/http_test_util.h"
#include "testing/util/peer_process.h"

namespace {

void WriteFile(const std::string &path, const std::string &contents) {
  FILE *fp = fopen(path.c_str(), "wb");
  ASSERT_NE(fp, nullptr) << path;
  fwrite(contents.data(), 1, contents.size(), fp);
  fclose(fp);
}

class SsiCurlTest : public httptest::HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    if (access("/usr/bin/curl", X_OK) != 0)
      GTEST_SKIP() << "no curl (tools/bootstrap)";
    root_ = mgtest::TmpPath("ssi_www");
    mkdir(root_.c_str(), 0755);
    mkdir((root_ + "/parts").c_str(), 0755);
    opts_.document_root = root_.c_str();
    srv_.fn = [this](struct mg_connection *c, int ev, void *ev_data) {
      if (ev == MG_EV_HTTP_REQUEST) {
        mg_serve_http(c, static_cast<struct http_message *>(ev_data), opts_);
      } else if (ev == MG_EV_SSI_CALL) {
        mg_printf(c, "<%s>", static_cast<const char *>(ev_data));
      }
    };
    struct mg_connection *lc = Listen("tcp://127.0.0.1:0", &srv_);
    ASSERT_NE(lc, nullptr);
    base_ = "http://127.0.0.1:" + std::to_string(mgtest::LocalPort(lc));
  }

  // curl args... -o out; returns curl's exit status and the body.
  int Curl(const std::vector<std::string> &args, std::string *body,
           double secs = 60) {
    std::string out = mgtest::TmpPath("curl.body"),
                log = mgtest::TmpPath("curl.log");
    std::vector<std::string> all = {
        "/usr/bin/curl", "-sS", "--noproxy", "*", "-o", out};
    all.insert(all.end(), args.begin(), args.end());
    int rc = mgtest::RunPeerPolling(&mgr_, all, log, secs, [this] {
      for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
           c = mg_next(&mgr_, c)) {
        if (c->send_mbuf.len > peak_send_) peak_send_ = c->send_mbuf.len;
      }
    });
    if (body != nullptr) *body = mgtest::ReadFile(out);
    if (rc != 0) fprintf(stderr, "curl: %s\n", mgtest::ReadFile(log).c_str());
    return rc;
  }

  std::string root_, base_;
  struct mg_serve_http_opts opts_ = {};
  httptest::Server srv_;
  size_t peak_send_ = 0;
};

#ifndef SSI_BIG_INCLUDE

TEST_F(SsiCurlTest, NestedIncludesAndCall) {
  std::string outside = mgtest::TmpPath("ssi_outside.txt");
  WriteFile(outside, "abs");
  WriteFile(root_ + "/parts/head.html", "<head>");
  WriteFile(root_ + "/parts/nav.shtml",
            "<nav><!--#include file=\"item.txt\" --></nav>");
  WriteFile(root_ + "/parts/item.txt", "item");
  WriteFile(root_ + "/index.shtml",
            "<!--#include virtual=\"/parts/head.html\" -->"
            "<!--#include \"parts/nav.shtml\" -->"
            "<!--#include abspath=\"" +
                outside +
                "\" -->"
                "<!--#call hello -->");
  std::string want = "<head><nav>item</nav>abs<hello>", body;
  ASSERT_EQ(Curl({base_ + "/index.shtml"}, &body), 0);
  EXPECT_EQ(body, want);
  ASSERT_EQ(Curl({"--http1.0", base_ + "/index.shtml"}, &body), 0);
  EXPECT_EQ(body, want);
  // Two pages on one keep-alive connection.
  ASSERT_EQ(Curl({base_ + "/index.shtml", "-o", mgtest::TmpPath("second"),
                  base_ + "/index.shtml"},
                 &body),
            0);
  EXPECT_EQ(body, want);
  EXPECT_EQ(mgtest::ReadFile(mgtest::TmpPath("second")), want);
}

TEST_F(SsiCurlTest, TraversalInIncludesIsRefused) {
  WriteFile(root_ + "/t.shtml",
            "<!--#include virtual=\"/../ssi_outside2.txt\" -->"
            "<!--#include file=\"../ssi_outside2.txt\" -->");
  WriteFile(mgtest::TmpPath("ssi_outside2.txt"), "LEAK");
  std::string body;
  ASSERT_EQ(Curl({base_ + "/t.shtml"}, &body), 0);
  EXPECT_EQ(body.find("LEAK"), std::string::npos) << body;
}

TEST_F(SsiCurlTest, SlowReaderPushesBack) {
  std::string big(4 * 1024 * 1024, 'z');
  WriteFile(root_ + "/parts/big.txt", big);
  WriteFile(root_ + "/slow.shtml",
            "[<!--#include virtual=\"/parts/big.txt\" -->]");
  std::string body;
  ASSERT_EQ(Curl({"--limit-rate", "8M", base_ + "/slow.shtml"}, &body), 0);
  EXPECT_EQ(body, "[" + big + "]");
  EXPECT_LT(peak_send_,
            static_cast<size_t>(256 * 1024));  // never the whole file
}

#else

TEST_F(SsiCurlTest, HundredMebibyteIncludeWithBoundedMemory) {
  const size_t kSize = 100u * 1024 * 1024;
  {
    FILE *fp = fopen((root_ + "/parts/huge.bin").c_str(), "wb");
    ASSERT_NE(fp, nullptr);
    std::string block(1024 * 1024, 'h');
    for (size_t i = 0; i < kSize / block.size(); i++)
      fwrite(block.data(), 1, block.size(), fp);
    fclose(fp);
  }
  WriteFile(root_ + "/huge.shtml",
            "<<!--#include virtual=\"/parts/huge.bin\" -->>");
  long rss_before = mgtest::StatusKb("VmRSS");
  ASSERT_EQ(Curl({base_ + "/huge.shtml"}, nullptr, 300), 0);
  long hwm = mgtest::StatusKb("VmHWM");
  std::string out = mgtest::TmpPath("curl.body");
  struct stat st;
  ASSERT_EQ(stat(out.c_str(), &st), 0);
  EXPECT_EQ(static_cast<size_t>(st.st_size), kSize + 2);
  FILE *fp = fopen(out.c_str(), "rb");
  ASSERT_NE(fp, nullptr);
  int first = fgetc(fp);
  fseek(fp, -1, SEEK_END);
  int last = fgetc(fp);
  fclose(fp);
  EXPECT_EQ(first, '<');
  EXPECT_EQ(last, '>');
  printf("VmRSS before %ld kB, VmHWM after %ld kB, peak send buffer %zu\n",
         rss_before, hwm, peak_send_);
  EXPECT_LT(peak_send_, static_cast<size_t>(256 * 1024));
  EXPECT_LT(hwm - rss_before, 32L * 1024)
      << "kB";  // a few buffers, not the file
}

#endif

}  // namespace
