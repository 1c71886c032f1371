// Interop over real loopback sockets with curl: HTTP/1.0 and 1.1,
// keep-alive, ranges, digest auth, a 100 MiB multipart upload with the
// server's receive buffer bounded, a chunked upload, plus pipelining,
// ACLs, port redirects, the reverse proxy and mg_connect_http() over TCP.
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "plugins/http/http_test_util.h"

extern "C" char **environ;

using httptest::Replies;
using httptest::Reply;
using httptest::Server;

namespace {

std::string Tmp() {
  const char *t = getenv("TEST_TMPDIR");
  return t != nullptr ? t : "/tmp";
}

std::string ReadFile(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void WriteFile(const std::string &path, const std::string &data) {
  std::ofstream f(path, std::ios::binary);
  f << data;
}

// Streams: upload targets, memory watch.
struct Upload {
  size_t peak_recv = 0;      // largest recv_mbuf seen on a server connection
  size_t chunked_bytes = 0;  // bytes seen by the chunked handler
  uint32_t chunked_sum = 0;  // their checksum
};
Upload *g_up;

struct mg_str UploadName(struct mg_connection *, struct mg_str fname) {
  (void) fname;
  std::string p = Tmp() + "/uploaded.bin";
  return mg_strdup(mg_mk_str(p.c_str()));
}

void UploadEndpoint(struct mg_connection *c, int ev, void *ev_data) {
  if (ev == MG_EV_HTTP_PART_BEGIN || ev == MG_EV_HTTP_PART_DATA ||
      ev == MG_EV_HTTP_PART_END) {
    mg_file_upload_handler(c, ev, ev_data, UploadName);
  }
  if (g_up != nullptr && c->recv_mbuf.len > g_up->peak_recv)
    g_up->peak_recv = c->recv_mbuf.len;
}

void ChunkedEndpoint(struct mg_connection *c, int ev, void *ev_data) {
  struct http_message *hm = static_cast<struct http_message *>(ev_data);
  if (ev == MG_EV_HTTP_CHUNK) {
    for (size_t i = 0; i < hm->body.len; i++) {
      g_up->chunked_sum =
          g_up->chunked_sum * 31 + static_cast<unsigned char>(hm->body.p[i]);
    }
    g_up->chunked_bytes += hm->body.len;
    c->flags |= MG_F_DELETE_CHUNK;
  } else if (ev == MG_EV_HTTP_REQUEST) {
    std::string body = std::to_string(g_up->chunked_bytes);
    mg_send_head(c, 200, static_cast<int64_t>(body.size()), nullptr);
    mg_send(c, body.data(), static_cast<int>(body.size()));
  }
}

class InteropTest : public httptest::HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    if (access("/usr/bin/curl", X_OK) != 0)
      GTEST_SKIP() << "no /usr/bin/curl (tools/bootstrap)";
    g_up = &up_;
    root_ = Tmp() + "/www";
    mkdir(root_.c_str(), 0755);
    mkdir((root_ + "/priv").c_str(), 0755);
    WriteFile(root_ + "/index.html", "<h1>home</h1>");
    WriteFile(root_ + "/a.txt", "0123456789");
    WriteFile(root_ + "/priv/p.txt", "private");
    WriteFile(root_ + "/priv/.htpasswd",
              "joe:test.realm:" + Md5("joe:test.realm:secret") + "\n");
    opts_.document_root = root_.c_str();
    opts_.per_directory_auth_file = ".htpasswd";
    opts_.auth_domain = "test.realm";
    srv_.fn = [this](struct mg_connection *c, int ev, void *ev_data) {
      if (c->recv_mbuf.len > up_.peak_recv) up_.peak_recv = c->recv_mbuf.len;
      if (ev == MG_EV_ACCEPT) accepted_++;
      if (ev == MG_EV_HTTP_REQUEST) {
        mg_serve_http(c, static_cast<struct http_message *>(ev_data), opts_);
      }
    };
    lc_ = Listen("tcp://127.0.0.1:0", &srv_);
    ASSERT_NE(lc_, nullptr);
    mg_register_http_endpoint(lc_, "/upload", UploadEndpoint);
    mg_register_http_endpoint(lc_, "/chunked", ChunkedEndpoint);
    base_ = "http://127.0.0.1:" + std::to_string(mgtest::LocalPort(lc_));
  }
  void TearDown() override {
    HttpTest::TearDown();
    g_up = nullptr;
  }

  static std::string Md5(const std::string &s);

  // Runs curl with args while polling the manager. Returns its exit status;
  // *out gets its stdout.
  int Curl(std::vector<std::string> args, std::string *out, double secs = 60) {
    std::string out_path = Tmp() + "/curl.out", err_path = Tmp() + "/curl.err";
    std::vector<std::string> all = {
        "/usr/bin/curl", "-sS",
        "--noproxy",     "*",
        "--max-time",    std::to_string(static_cast<int>(secs))};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char *> argv;
    for (std::string &a : all) argv.push_back(&a[0]);
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return -1;
    int status = 0;
    bool done = false;
    double deadline = mg_time() + secs + 5;
    for (int i = 0; i < 10000000 && !done && mg_time() < deadline; i++) {
      mg_mgr_poll(&mgr_, 2);
      done = waitpid(pid, &status, WNOHANG) == pid;
    }
    if (!done) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -2;
    }
    if (out != nullptr) *out = ReadFile(out_path);
    std::string err = ReadFile(err_path);
    if (!err.empty()) fprintf(stderr, "curl stderr: %s\n", err.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -3;
  }

  Upload up_;
  Server srv_;
  struct mg_connection *lc_ = nullptr;
  std::string root_, base_;
  struct mg_serve_http_opts opts_ = {};
  int accepted_ = 0;
};

}  // namespace

extern "C" {
#include "plugins/http/internal.h"
}

namespace {

std::string InteropTest::Md5(const std::string &s) {
  char out[33];
  struct mg_str part = mg_mk_str_n(s.data(), s.size());
  mg__md5_hex_join(out, &part, 1);
  return out;
}

TEST_F(InteropTest, CurlHttp10And11) {
  std::string out;
  ASSERT_EQ(Curl({"--http1.0", "-w", " %{http_code} %{http_version}",
                  base_ + "/a.txt"},
                 &out),
            0);
  EXPECT_EQ(out,
            "0123456789 200 1.1");  // the server's own version (RFC 9110 2.5)
  ASSERT_EQ(Curl({"--http1.1", "-w", " %{http_code} %{http_version}",
                  base_ + "/a.txt"},
                 &out),
            0);
  EXPECT_EQ(out, "0123456789 200 1.1");
  ASSERT_EQ(Curl({"-I", base_ + "/a.txt"}, &out), 0);
  EXPECT_NE(out.find("Content-Length: 10"), std::string::npos);
}

TEST_F(InteropTest, CurlKeepAliveReusesTheConnection) {
  std::string out;
  ASSERT_EQ(Curl({"-w", "[%{num_connects}]", base_ + "/a.txt",
                  base_ + "/index.html", base_ + "/a.txt"},
                 &out),
            0);
  EXPECT_EQ(out, "0123456789[1]<h1>home</h1>[0]0123456789[0]");
  EXPECT_EQ(accepted_, 1);
}

TEST_F(InteropTest, CurlRange) {
  std::string out;
  ASSERT_EQ(
      Curl({"--range", "2-4", "-w", " %{http_code}", base_ + "/a.txt"}, &out),
      0);
  EXPECT_EQ(out, "234 206");
  ASSERT_EQ(
      Curl({"--range", "50-60", "-w", "%{http_code}", base_ + "/a.txt"}, &out),
      0);
  EXPECT_EQ(out, "416");
}

TEST_F(InteropTest, CurlDigest) {
  std::string out;
  ASSERT_EQ(Curl({"--digest", "-u", "joe:secret", "-w", " %{http_code}",
                  base_ + "/priv/p.txt"},
                 &out),
            0);
  EXPECT_EQ(out, "private 200");
  ASSERT_EQ(Curl({"--digest", "-u", "joe:wrong", "-o", "/dev/null", "-w",
                  "%{http_code}", base_ + "/priv/p.txt"},
                 &out),
            0);
  EXPECT_EQ(out, "401");
  ASSERT_EQ(
      Curl({"-o", "/dev/null", "-w", "%{http_code}", base_ + "/priv/p.txt"},
           &out),
      0);
  EXPECT_EQ(out, "401");
}

// Adler-like checksum of a file, read in pieces.
uint32_t FileSum(const std::string &path, size_t *size) {
  FILE *fp = fopen(path.c_str(), "rb");
  uint32_t sum = 0;
  *size = 0;
  if (fp == nullptr) return 0;
  std::vector<unsigned char> buf(1 << 16);
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), fp)) > 0) {
    for (size_t i = 0; i < n; i++) sum = sum * 31 + buf[i];
    *size += n;
  }
  fclose(fp);
  return sum;
}

void MakeBigFile(const std::string &path, size_t size) {
  FILE *fp = fopen(path.c_str(), "wb");
  std::vector<unsigned char> buf(1 << 16);
  for (size_t done = 0; done < size; done += buf.size()) {
    for (size_t i = 0; i < buf.size(); i++)
      buf[i] = static_cast<unsigned char>((done + i) * 2654435761u >> 13);
    fwrite(buf.data(), 1, std::min(buf.size(), size - done), fp);
  }
  fclose(fp);
}

TEST_F(InteropTest, CurlMultipartUpload100MiBWithBoundedMemory) {
  std::string big = Tmp() + "/big.bin";
  const size_t kSize = 100u << 20;
  MakeBigFile(big, kSize);
  std::string out;
  ASSERT_EQ(Curl({"-F", "field=value", "-F", "file=@" + big, "-w",
                  " %{http_code}", base_ + "/upload"},
                 &out, 240),
            0);
  EXPECT_NE(out.find(" 200"), std::string::npos) << out;
  size_t got_size, want_size;
  uint32_t got = FileSum(Tmp() + "/uploaded.bin", &got_size);
  uint32_t want = FileSum(big, &want_size);
  EXPECT_EQ(got_size, kSize);
  EXPECT_EQ(got, want);
  EXPECT_LE(up_.peak_recv, 2u << 20)
      << "receive buffer grew to " << up_.peak_recv;
  remove(big.c_str());
  remove((Tmp() + "/uploaded.bin").c_str());
}

TEST_F(InteropTest, CurlChunkedUpload) {
  std::string file = Tmp() + "/chunked.bin";
  const size_t kSize = 5u << 20;
  MakeBigFile(file, kSize);
  std::string out;
  ASSERT_EQ(
      Curl({"-T", file, "-H", "Transfer-Encoding: chunked", base_ + "/chunked"},
           &out),
      0);
  EXPECT_EQ(out, std::to_string(kSize));
  size_t size;
  EXPECT_EQ(up_.chunked_sum, FileSum(file, &size));
  EXPECT_LE(up_.peak_recv, 2u << 20);
}

TEST_F(InteropTest, PipelinedOverTcp) {
  std::string reqs;
  for (int i = 0; i < 20; i++) reqs += "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n";
  std::vector<Reply> rs = Exchange(
      "tcp://127.0.0.1:" + std::to_string(mgtest::LocalPort(lc_)), reqs, 20);
  ASSERT_EQ(rs.size(), 20u);
  for (const Reply &r : rs) EXPECT_EQ(r.body, "0123456789");
}

TEST_F(InteropTest, IpAclAndPortRedirect) {
  std::string out;
  opts_.ip_acl = "-0.0.0.0/0,+127.0.0.1";
  ASSERT_EQ(
      Curl({"-o", "/dev/null", "-w", "%{http_code}", base_ + "/a.txt"}, &out),
      0);
  EXPECT_EQ(out, "200");
  opts_.ip_acl = "-127.0.0.1";
  ASSERT_EQ(
      Curl({"-o", "/dev/null", "-w", "%{http_code}", base_ + "/a.txt"}, &out),
      0);
  EXPECT_EQ(out, "403");
  opts_.ip_acl = nullptr;
  std::string rw =
      "%" + std::to_string(mgtest::LocalPort(lc_)) + "=https://example.test";
  opts_.url_rewrites = rw.c_str();
  ASSERT_EQ(Curl({"-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
                  base_ + "/x?y=1"},
                 &out),
            0);
  EXPECT_EQ(out, "301 https://example.test/x?y=1");
}

TEST_F(InteropTest, ReverseProxyThroughRewrite) {
  Server backend;
  backend.fn = [](struct mg_connection *c, int ev, void *ev_data) {
    if (ev != MG_EV_HTTP_REQUEST) return;
    struct http_message *hm = static_cast<struct http_message *>(ev_data);
    std::string body = "backend saw " +
                       std::string(hm->method.p, hm->method.len) + " " +
                       std::string(hm->uri.p, hm->uri.len) + " " +
                       std::string(hm->body.p, hm->body.len);
    mg_send_head(c, 200, static_cast<int64_t>(body.size()), nullptr);
    mg_send(c, body.data(), static_cast<int>(body.size()));
  };
  struct mg_connection *blc = Listen("tcp://127.0.0.1:0", &backend);
  ASSERT_NE(blc, nullptr);
  std::string rw =
      "/api=http://127.0.0.1:" + std::to_string(mgtest::LocalPort(blc)) +
      "/base";
  opts_.url_rewrites = rw.c_str();
  std::string out;
  ASSERT_EQ(Curl({"-d", "payload", base_ + "/api/x"}, &out), 0);
  EXPECT_EQ(out, "backend saw POST /base/x payload");
}

int OpenFds() {
  int n = 0;
  for (int fd = 0; fd < 4096; fd++) {
    if (fcntl(fd, F_GETFD) != -1) n++;
  }
  return n;
}

TEST_F(InteropTest, AbortedDownloadsLeakNothing) {
  MakeBigFile(root_ + "/big.bin", 5u << 20);
  std::string addr =
      "tcp://127.0.0.1:" + std::to_string(mgtest::LocalPort(lc_));
  // Warm up once so lazily opened descriptors do not count.
  Exchange(addr, "GET /a.txt HTTP/1.1\r\nConnection: close\r\n\r\n");
  int fds = OpenFds();
  for (int i = 0; i < 20; i++) {
    httptest::Raw r;
    struct mg_connection *c = Send(addr, &r, "GET /big.bin HTTP/1.1\r\n\r\n");
    ASSERT_TRUE(Until([&] { return r.data.size() > 100000; }));
    c->flags |= MG_F_CLOSE_IMMEDIATELY;
    ASSERT_TRUE(Until([&] { return r.closed == 1; }));
  }
  ASSERT_TRUE(Until([&] {
    int conns = 0;
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c))
      conns++;
    return conns == 1;  // the listener alone
  }));
  EXPECT_EQ(OpenFds(), fds);
}

TEST_F(InteropTest, ReverseProxyToAClosedPortIs502) {
  int s = socket(AF_INET, SOCK_STREAM, 0);  // bound, never listening
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(s, reinterpret_cast<struct sockaddr *>(&sin), sizeof(sin)), 0);
  socklen_t len = sizeof(sin);
  getsockname(s, reinterpret_cast<struct sockaddr *>(&sin), &len);
  std::string rw =
      "/api=http://127.0.0.1:" + std::to_string(ntohs(sin.sin_port));
  opts_.url_rewrites = rw.c_str();
  std::string out;
  ASSERT_EQ(
      Curl({"-o", "/dev/null", "-w", "%{http_code}", base_ + "/api/x"}, &out),
      0);
  close(s);
  EXPECT_EQ(out, "502");
}

// mg_connect_http() against our own server over TCP.
struct ClientSeen {
  int code = 0;
  std::string body;
};

void ClientCb(struct mg_connection *c, int ev, void *ev_data) {
  ClientSeen *s = static_cast<ClientSeen *>(c->user_data);
  if (ev == MG_EV_HTTP_REPLY && s != nullptr) {
    struct http_message *hm = static_cast<struct http_message *>(ev_data);
    s->code = hm->resp_code;
    s->body.assign(hm->body.p, hm->body.len);
    c->flags |= MG_F_CLOSE_IMMEDIATELY;
  }
}

TEST_F(InteropTest, ConnectHttpOverTcp) {
  ClientSeen s;
  struct mg_connect_opts o;
  memset(&o, 0, sizeof(o));
  o.user_data = &s;
  ASSERT_NE(mg_connect_http_opt(&mgr_, ClientCb, o, (base_ + "/a.txt").c_str(),
                                nullptr, nullptr),
            nullptr);
  ASSERT_TRUE(Until([&] { return s.code != 0; }));
  EXPECT_EQ(s.code, 200);
  EXPECT_EQ(s.body, "0123456789");
}

}  // namespace
