// CGI with real interpreters (/bin/sh, python3, php-cgi) through curl and
// raw loopback clients: the environment, statuses and headers, redirects,
// buffered and streamed bodies, and the hostile cases: no header block, a
// script that runs too long, a client that goes away, a thousand requests
// without a zombie, output faster than the client reads. CGI_BIG_POST
// builds the heavy target: a 1 GiB POST with the server's memory bounded.
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "mongoose.h"
#include "plugins/http/http_test_util.h"
#include "testing/util/peer_process.h"
#include "testing/util/test_clock.h"

namespace {

using httptest::Raw;

void WriteScript(const std::string &path, const std::string &text) {
  FILE *fp = fopen(path.c_str(), "wb");
  ASSERT_NE(fp, nullptr) << path;
  fwrite(text.data(), 1, text.size(), fp);
  fclose(fp);
  chmod(path.c_str(), 0755);
}

class CgiTest : public httptest::HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    root_ = mgtest::TmpPath("cgi_www");
    mkdir(root_.c_str(), 0755);
    mkdir((root_ + "/cgi-bin").c_str(), 0755);
    opts_.document_root = root_.c_str();
    srv_.fn = [this](struct mg_connection *c, int ev, void *ev_data) {
      if (ev == MG_EV_HTTP_REQUEST) {
        mg_serve_http(c, static_cast<struct http_message *>(ev_data), opts_);
      }
    };
    lc_ = Listen("tcp://127.0.0.1:0", &srv_);
    ASSERT_NE(lc_, nullptr);
    addr_ = "127.0.0.1:" + std::to_string(mgtest::LocalPort(lc_));
  }

  // Closes every connection while the script connections still have
  // their handler (the base class clears all handlers before freeing).
  void TearDown() override {
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      if (c->handler == httptest::RawCb) {  // its Raw lived in the test body
        c->handler = nullptr;
        c->user_data = nullptr;
      }
      c->flags |= MG_F_CLOSE_IMMEDIATELY;
    }
    for (int i = 0; i < 3; i++) mg_mgr_poll(&mgr_, 0);
    HttpTest::TearDown();
  }

  // curl args... Returns its exit status; *out gets headers and body
  // (-i), both as received.
  int Curl(const std::vector<std::string> &args, std::string *out,
           double secs = 60) {
    std::string body = mgtest::TmpPath("curl.out"),
                log = mgtest::TmpPath("curl.log");
    std::vector<std::string> all = {
        "/usr/bin/curl", "-sS", "-i", "--noproxy", "*", "-o", body};
    all.insert(all.end(), args.begin(), args.end());
    int rc = mgtest::RunPeerPolling(&mgr_, all, log, secs, [this] { Watch(); });
    if (out != nullptr) *out = mgtest::ReadFile(body);
    if (rc != 0) fprintf(stderr, "curl: %s\n", mgtest::ReadFile(log).c_str());
    return rc;
  }

  // Records the largest buffers of the server side.
  void Watch() {
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      if (c->send_mbuf.len > peak_send_) peak_send_ = c->send_mbuf.len;
      if (c->recv_mbuf.len > peak_recv_) peak_recv_ = c->recv_mbuf.len;
    }
  }

  std::string Url(const std::string &path) { return "http://" + addr_ + path; }

  std::string root_, addr_;
  struct mg_serve_http_opts opts_ = {};
  httptest::Server srv_;
  struct mg_connection *lc_ = nullptr;
  size_t peak_send_ = 0, peak_recv_ = 0;
};

#ifndef CGI_BIG_POST

// Children of this process that are zombies (exited, not reaped).
int Zombies() {
  int n = 0;
  DIR *d = opendir("/proc");
  struct dirent *de;
  if (d == nullptr) return -1;
  while ((de = readdir(d)) != nullptr) {
    char path[300], buf[512];
    snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
    FILE *fp = fopen(path, "r");
    if (fp == nullptr) continue;
    size_t len = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[len] = '\0';
    const char *rp = strrchr(buf, ')');
    char state = 0;
    int ppid = 0;
    if (rp != nullptr && sscanf(rp + 2, "%c %d", &state, &ppid) == 2 &&
        ppid == getpid() && state == 'Z') {
      n++;
    }
  }
  closedir(d);
  return n;
}

bool Alive(pid_t pid) { return pid > 0 && kill(pid, 0) == 0; }

TEST_F(CgiTest, ShellScriptSeesTheRfc3875Environment) {
  setenv("MG_CGI_TEST_SECRET", "leak", 1);
  WriteScript(
      root_ + "/cgi-bin/env.cgi",
      "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nenv | sort\n");
  std::string out;
  ASSERT_EQ(Curl({"-H", "Proxy: http://evil:8080", "-H", "X-Good-One: yes",
                  "-H", "X.Bad: no", "-H", "Cookie: a=b",
                  Url("/cgi-bin/env.cgi/extra/path?x=1&y=2")},
                 &out),
            0);
  unsetenv("MG_CGI_TEST_SECRET");
  EXPECT_EQ(out.compare(0, 15, "HTTP/1.1 200 OK"), 0) << out;
  std::string want[] = {
      "GATEWAY_INTERFACE=CGI/1.1\n",
      "REQUEST_METHOD=GET\n",
      "QUERY_STRING=x=1&y=2\n",
      "REQUEST_URI=/cgi-bin/env.cgi/extra/path?x=1&y=2\n",
      "SCRIPT_NAME=/cgi-bin/env.cgi\n",
      "SCRIPT_FILENAME=" + root_ + "/cgi-bin/env.cgi\n",
      "PATH_INFO=/extra/path\n",
      "PATH_TRANSLATED=" + root_ + "/extra/path\n",
      "DOCUMENT_ROOT=" + root_ + "\n",
      "SERVER_PROTOCOL=HTTP/1.1\n",
      "SERVER_NAME=127.0.0.1\n",
      "SERVER_PORT=" + std::to_string(mgtest::LocalPort(lc_)) + "\n",
      "REMOTE_ADDR=127.0.0.1\n",
      "REMOTE_PORT=",
      "REDIRECT_STATUS=200\n",
      "HTTPS=off\n",
      "SERVER_SOFTWARE=mongoose/",
      "HTTP_X_GOOD_ONE=yes\n",
      "HTTP_COOKIE=a=b\n",
      "PATH=",
  };
  for (const std::string &w : want)
    EXPECT_NE(out.find(w), std::string::npos) << w << "\n" << out;
  EXPECT_EQ(out.find("HTTP_PROXY"), std::string::npos);  // httpoxy
  EXPECT_EQ(out.find("no\n"), std::string::npos);        // X.Bad dropped
  EXPECT_EQ(out.find("MG_CGI_TEST_SECRET"),
            std::string::npos);  // not inherited
  EXPECT_EQ(out.find("TEST_TMPDIR"), std::string::npos);
}

TEST_F(CgiTest, PythonScriptReadsTheBodyAndSetsStatusAndHeaders) {
  WriteScript(root_ + "/cgi-bin/py.cgi",
              "#!/usr/bin/python3\nimport sys, os\n"
              "data = sys.stdin.buffer.read()\n"
              "sys.stdout.write('Status: 201 Made\\r\\nX-Len: %d\\r\\n"
              "Content-Type: text/plain\\r\\n\\r\\n' % len(data))\n"
              "sys.stdout.write(os.environ.get('CONTENT_TYPE', '') + ':' + "
              "data.decode())\n");
  std::string out;
  ASSERT_EQ(
      Curl({"--data-binary", "hello=world", Url("/cgi-bin/py.cgi")}, &out), 0);
  EXPECT_EQ(out.compare(0, 19, "HTTP/1.1 201 Made\r\n"), 0) << out;
  EXPECT_NE(out.find("X-Len: 11\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("application/x-www-form-urlencoded:hello=world"),
            std::string::npos)
      << out;
}

TEST_F(CgiTest, PhpPageWithGetPostCookieAndHeader) {
  if (access("/usr/bin/php-cgi", X_OK) != 0)
    GTEST_SKIP() << "no php-cgi (tools/bootstrap)";
  WriteScript(root_ + "/page.php",
              "<?php\nsetcookie('flavour', 'oat');\nheader('X-Php: yes');\n"
              "echo 'get=' . $_GET['a'] . ' post=' . $_POST['b'];\n");
  opts_.cgi_interpreter = "/usr/bin/php-cgi";
  std::string out;
  ASSERT_EQ(Curl({"-d", "b=two", Url("/page.php?a=one")}, &out), 0);
  EXPECT_EQ(out.compare(0, 15, "HTTP/1.1 200 OK"), 0) << out;
  EXPECT_NE(out.find("Set-Cookie: flavour=oat"), std::string::npos) << out;
  EXPECT_NE(out.find("X-Php: yes"), std::string::npos) << out;
  EXPECT_NE(out.find("get=one post=two"), std::string::npos) << out;
  // The same through the script's "#!" line.
  opts_.cgi_interpreter = nullptr;
  WriteScript(root_ + "/bang.php",
              "#!/usr/bin/php-cgi\n<?php echo 'bang ' . $_GET['a'];\n");
  ASSERT_EQ(Curl({Url("/bang.php?a=ok")}, &out), 0);
  EXPECT_NE(out.find("bang ok"), std::string::npos) << out;
}

TEST_F(CgiTest, LocalAndClientRedirects) {
  FILE *fp = fopen((root_ + "/target.txt").c_str(), "wb");
  fputs("the target", fp);
  fclose(fp);
  WriteScript(root_ + "/cgi-bin/local.cgi",
              "#!/bin/sh\nprintf 'Location: /target.txt\\n\\n'\n");
  WriteScript(root_ + "/cgi-bin/away.cgi",
              "#!/bin/sh\nprintf 'Location: http://example.invalid/x\\n\\n'\n");
  WriteScript(root_ + "/cgi-bin/loop.cgi",
              "#!/bin/sh\nprintf 'Location: /cgi-bin/loop.cgi\\n\\n'\n");
  std::string out;
  ASSERT_EQ(Curl({Url("/cgi-bin/local.cgi"), Url("/cgi-bin/local.cgi")}, &out),
            0);
  EXPECT_EQ(out.compare(0, 15, "HTTP/1.1 200 OK"), 0) << out;
  EXPECT_NE(out.find("the target"), std::string::npos) << out;
  ASSERT_EQ(Curl({Url("/cgi-bin/away.cgi")}, &out), 0);
  EXPECT_EQ(out.compare(0, 12, "HTTP/1.1 302"), 0) << out;
  EXPECT_NE(out.find("Location: http://example.invalid/x"), std::string::npos)
      << out;
  ASSERT_EQ(Curl({Url("/cgi-bin/loop.cgi")}, &out), 0);
  EXPECT_EQ(out.compare(0, 12, "HTTP/1.1 500"), 0) << out;
  EXPECT_TRUE(Until([] { return Zombies() == 0; }, 30));
}

TEST_F(CgiTest, NoHeaderBlockIs500NotAHang) {
  WriteScript(root_ + "/cgi-bin/bare.cgi", "#!/bin/sh\necho hello\n");
  WriteScript(root_ + "/cgi-bin/silent.cgi", "#!/bin/sh\nexit 0\n");
  WriteScript(root_ + "/cgi-bin/half.cgi",
              "#!/bin/sh\nprintf 'Content-Type: text/plain\\n'\n");
  for (const char *s :
       {"/cgi-bin/bare.cgi", "/cgi-bin/silent.cgi", "/cgi-bin/half.cgi"}) {
    std::string out;
    ASSERT_EQ(Curl({Url(s)}, &out, 20), 0) << s;
    EXPECT_EQ(out.compare(0, 12, "HTTP/1.1 500"), 0) << s << ": " << out;
  }
  EXPECT_TRUE(Until([] { return Zombies() == 0; }, 30));
}

TEST_F(CgiTest, Http10ClientGetsACloseDelimitedBody) {
  WriteScript(root_ + "/cgi-bin/hi.cgi",
              "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nhi there'\n");
  std::string out;
  ASSERT_EQ(Curl({"--http1.0", Url("/cgi-bin/hi.cgi")}, &out), 0);
  EXPECT_EQ(out.find("chunked"), std::string::npos) << out;
  EXPECT_NE(out.find("\r\n\r\nhi there"), std::string::npos) << out;
}

TEST_F(CgiTest, ScriptRunningTooLongIsKilled) {
  mgtest::TestClock clock(&mgr_);
  struct mg_cgi_opts co = mg_cgi_get_options(&mgr_);
  EXPECT_EQ(co.timeout, 30);
  std::string pidfile = mgtest::TmpPath("slow.pid");
  remove(pidfile.c_str());
  WriteScript(root_ + "/cgi-bin/slow.cgi",
              "#!/bin/sh\necho $$ > " + pidfile + "\nexec sleep 1000\n");
  Raw r;
  Send("tcp://" + addr_, &r, "GET /cgi-bin/slow.cgi HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(mgtest::WaitFor([&] {
    mg_mgr_poll(&mgr_, 1);
    return mgtest::ReadFile(pidfile).size() > 1;
  }));
  pid_t pid = atoi(mgtest::ReadFile(pidfile).c_str());
  EXPECT_TRUE(Alive(pid));
  clock.Advance(29.5);
  mgtest::PollFor(&mgr_, 0.05);
  EXPECT_TRUE(Alive(pid));
  EXPECT_TRUE(r.data.empty());
  clock.Advance(1);
  ASSERT_TRUE(
      Until([&] { return r.data.find("\r\n\r\n") != std::string::npos; }));
  EXPECT_EQ(r.data.compare(0, 12, "HTTP/1.1 504"), 0) << r.data;
  EXPECT_FALSE(Alive(pid));
  EXPECT_TRUE(Until([] { return Zombies() == 0; }, 30));
}

TEST_F(CgiTest, ClientGoingAwayKillsTheScript) {
  std::string pidfile = mgtest::TmpPath("gone.pid");
  remove(pidfile.c_str());
  WriteScript(root_ + "/cgi-bin/gone.cgi",
              "#!/bin/sh\necho $$ > " + pidfile + "\nexec sleep 1000\n");
  Raw r;
  struct mg_connection *c =
      Send("tcp://" + addr_, &r, "GET /cgi-bin/gone.cgi HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(mgtest::WaitFor([&] {
    mg_mgr_poll(&mgr_, 1);
    return mgtest::ReadFile(pidfile).size() > 1;
  }));
  pid_t pid = atoi(mgtest::ReadFile(pidfile).c_str());
  EXPECT_TRUE(Alive(pid));
  c->flags |= MG_F_CLOSE_IMMEDIATELY;
  ASSERT_TRUE(Until([&] { return !Alive(pid); }));
  mgtest::PollFor(&mgr_, 0.05);  // nothing may touch the freed request now
  EXPECT_TRUE(Until([] { return Zombies() == 0; }, 30));
}

TEST_F(CgiTest, AThousandRequestsLeaveNoZombie) {
  WriteScript(root_ + "/cgi-bin/ok.cgi",
              "#!/bin/sh\nprintf 'Content-Length: 2\\n\\nok'\n");
  std::string req;
  int done = 0;
  for (int round = 0; round < 10; round++) {
    Raw r;
    std::string many;
    for (int i = 0; i < 100; i++)
      many += "GET /cgi-bin/ok.cgi HTTP/1.1\r\n\r\n";
    Send("tcp://" + addr_, &r, many);
    ASSERT_TRUE(
        Until([&] { return httptest::Replies(r.data).size() >= 100; }, 60))
        << round;
    for (const auto &rep : httptest::Replies(r.data))
      done += rep.code == 200 && rep.body == "ok";
  }
  EXPECT_EQ(done, 1000);
  EXPECT_TRUE(Until([] { return Zombies() == 0; }, 30));
}

TEST_F(CgiTest, FloodingScriptIsPausedForASlowClient) {
  WriteScript(root_ + "/cgi-bin/flood.cgi",
              "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nhead -c "
              "20000000 /dev/zero\n");
  // A client that reads nothing for a while: the server must not buffer
  // the script's output.
  Raw r;
  struct mg_connection *c =
      Send("tcp://" + addr_, &r, "GET /cgi-bin/flood.cgi HTTP/1.1\r\n\r\n");
  c->recv_mbuf_limit = 1;  // read (almost) nothing
  for (int i = 0; i < 300; i++) {
    mg_mgr_poll(&mgr_, 1);
    Watch();
  }
  EXPECT_LT(peak_send_, static_cast<size_t>(512 * 1024));
  EXPECT_LT(peak_recv_, static_cast<size_t>(128 * 1024));
  c->recv_mbuf_limit = ~static_cast<size_t>(0);
  size_t got = 0;
  c->handler = [](struct mg_connection *nc, int ev, void *) {
    if (ev == MG_EV_RECV) {
      *static_cast<size_t *>(nc->user_data) += nc->recv_mbuf.len;
      mbuf_remove(&nc->recv_mbuf, nc->recv_mbuf.len);
    }
  };
  c->user_data = &got;
  ASSERT_TRUE(Until([&] { return got >= 20000000; }, 60)) << got;
  c->handler = nullptr;
  c->user_data = nullptr;
  EXPECT_TRUE(Until([] { return Zombies() == 0; }, 30));
}

#else

TEST_F(CgiTest, OneGibibytePostStreamsThroughAScript) {
  mg_http_set_serve_opts(lc_, opts_);  // bodies stream to scripts
  WriteScript(root_ + "/cgi-bin/count.cgi",
              "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nwc -c\n");
  std::string big = mgtest::TmpPath("big.bin");
  FILE *fp = fopen(big.c_str(), "wb");
  ASSERT_NE(fp, nullptr);
  ASSERT_EQ(ftruncate(fileno(fp), 1L << 30), 0);  // 1 GiB of zeros
  fclose(fp);
  long rss_before = mgtest::StatusKb("VmRSS");
  std::string out;
  ASSERT_EQ(Curl({"-X", "POST", "-T", big, "-H",
                  "Expect:", Url("/cgi-bin/count.cgi")},
                 &out, 300),
            0);
  long hwm = mgtest::StatusKb("VmHWM");
  remove(big.c_str());
  EXPECT_NE(out.find("\r\n\r\n1073741824"), std::string::npos) << out;
  printf(
      "VmRSS before %ld kB, VmHWM after %ld kB, peak recv %zu, peak send %zu\n",
      rss_before, hwm, peak_recv_, peak_send_);
  EXPECT_LT(hwm - rss_before, 32L * 1024) << "kB";
}

#endif

}  // namespace
