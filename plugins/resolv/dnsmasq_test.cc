// The resolver against dnsmasq (Debian's dnsmasq-base) run by the test on
// a free loopback port: A, AAAA, CNAME, a truncated reply retried over TCP,
// search domains, many queries at once, and mg_connect() to a name.
#include <gtest/gtest.h>

#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <string>
#include <vector>

#include "mongoose.h"
#include "testing/util/test_util.h"

using mgtest::LocalPort;
using mgtest::PollUntil;

namespace {

struct Result {
  int calls = 0;
  enum mg_resolve_err err = MG_RESOLVE_OK;
  std::vector<std::string> addrs;
  std::vector<std::string> cnames;
};

void OnResolved(struct mg_dns_message *msg, void *data,
                enum mg_resolve_err err) {
  Result *r = static_cast<Result *>(data);
  r->calls++;
  r->err = err;
  for (int i = 0; msg != nullptr && i < msg->num_answers; i++) {
    struct mg_dns_resource_record *rr = &msg->answers[i];
    char buf[256] = "";
    unsigned char addr[16];
    if (rr->rtype == MG_DNS_A_RECORD &&
        mg_dns_parse_record_data(msg, rr, addr, 4) == 0) {
      r->addrs.push_back(inet_ntop(AF_INET, addr, buf, sizeof(buf)));
    } else if (rr->rtype == MG_DNS_AAAA_RECORD &&
               mg_dns_parse_record_data(msg, rr, addr, 16) == 0) {
      r->addrs.push_back(inet_ntop(AF_INET6, addr, buf, sizeof(buf)));
    } else if (rr->rtype == MG_DNS_CNAME_RECORD &&
               mg_dns_parse_record_data(msg, rr, buf, sizeof(buf)) == 0) {
      r->cnames.push_back(buf);
    }
  }
}

// A port free for both UDP and TCP on 127.0.0.1 (for dnsmasq to take).
int FreePort() {
  for (int i = 0; i < 50; i++) {
    int u = socket(AF_INET, SOCK_DGRAM, 0), t = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(sin);
    int port = 0;
    if (bind(u, reinterpret_cast<struct sockaddr *>(&sin), sizeof(sin)) == 0 &&
        getsockname(u, reinterpret_cast<struct sockaddr *>(&sin), &len) == 0 &&
        bind(t, reinterpret_cast<struct sockaddr *>(&sin), sizeof(sin)) == 0) {
      port = ntohs(sin.sin_port);
    }
    close(u);
    close(t);
    if (port > 0) return port;
  }
  return -1;
}

std::string TmpFile(const std::string &name, const std::string &content) {
  const char *dir = getenv("TEST_TMPDIR");
  std::string path = std::string(dir ? dir : "/tmp") + "/" + name;
  std::ofstream(path) << content;
  return path;
}

class DnsmasqTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("MG_TEST_NO_EXTERNAL", "1", 1);
    const char *bin =
        access("/usr/sbin/dnsmasq", X_OK) == 0 ? "/usr/sbin/dnsmasq" : nullptr;
    if (bin == nullptr)
      GTEST_SKIP() << "dnsmasq is not installed (apt-get install dnsmasq-base)";
    port_ = FreePort();
    ASSERT_GT(port_, 0);
    std::vector<std::string> args = {bin,
                                     "--no-daemon",
                                     "--port=" + std::to_string(port_),
                                     "--listen-address=127.0.0.1",
                                     "--bind-interfaces",
                                     "--no-resolv",
                                     "--no-hosts",
                                     "--conf-file=/dev/null",
                                     "--pid-file=",
                                     "--address=/#/127.0.0.1",
                                     "--host-record=v6.mq,::1",
                                     "--cname=alias.mq,target.mq",
                                     "--host-record=target.mq,10.1.2.3"};
    for (int i = 1; i <= 40; i++)
      args.push_back("--host-record=big.mq,10.9.0." + std::to_string(i));
    std::vector<char *> argv;
    for (auto &a : args) argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    ASSERT_EQ(0,
              posix_spawn(&pid_, bin, nullptr, nullptr, argv.data(), environ));
    ns_ = "127.0.0.1:" + std::to_string(port_);
    WriteConf("nameserver " + ns_ + "\n");
    setenv("MG_HOSTS_FILE", TmpFile("hosts", "").c_str(), 1);
    mg_mgr_init(&mgr_, nullptr);
    // Ready when it answers (it is starting: a refused try ends at once).
    bool ready = false;
    for (int i = 0; i < 50 && !ready; i++) {
      Result r = Resolve("ready.example", MG_DNS_A_RECORD, 1, -1);
      ready = r.err == MG_RESOLVE_OK;
      if (!ready) mgtest::PollFor(&mgr_, 0.1);
    }
    ASSERT_TRUE(ready) << "dnsmasq did not answer on " << ns_;
  }
  void TearDown() override {
    if (pid_ > 0) mg_mgr_free(&mgr_);
    if (pid_ > 0) mgtest::Stop(pid_);
    unsetenv("MG_RESOLV_CONF");
    unsetenv("MG_HOSTS_FILE");
  }
  void WriteConf(const std::string &content) {
    setenv("MG_RESOLV_CONF", TmpFile("resolv.conf", content).c_str(), 1);
  }
  Result Resolve(const char *name, int type, int timeout = 5, int retries = 0) {
    Result r;
    struct mg_resolve_async_opts opts;
    memset(&opts, 0, sizeof(opts));
    opts.timeout = timeout;
    opts.max_retries = retries;
    EXPECT_EQ(0, mg_resolve_async_opt(&mgr_, name, type, OnResolved, &r, opts));
    EXPECT_TRUE(PollUntil(
        &mgr_, [&] { return r.calls > 0; }, 15));
    return r;
  }
  int port_ = 0;
  pid_t pid_ = -1;
  std::string ns_;
  struct mg_mgr mgr_;
};

TEST_F(DnsmasqTest, A) {
  Result r = Resolve("anything.example", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_EQ((std::vector<std::string>{"127.0.0.1"}), r.addrs);
}

TEST_F(DnsmasqTest, AAAA) {
  Result r = Resolve("v6.mq", MG_DNS_AAAA_RECORD);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_EQ((std::vector<std::string>{"::1"}), r.addrs);
}

TEST_F(DnsmasqTest, Cname) {
  Result r = Resolve("alias.mq", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_EQ((std::vector<std::string>{"target.mq"}), r.cnames);
  EXPECT_EQ((std::vector<std::string>{"10.1.2.3"}), r.addrs);
}

TEST_F(DnsmasqTest, TruncatedReplyRetriedOverTcp) {
  // 40 A records do not fit in 512 bytes: dnsmasq sets TC over UDP.
  Result r = Resolve("big.mq", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_EQ(static_cast<size_t>(MG_MAX_DNS_ANSWERS), r.addrs.size());
}

TEST_F(DnsmasqTest, SearchDomain) {
  mg_mgr_free(&mgr_);
  WriteConf("nameserver " + ns_ + "\nsearch mq\n");
  mg_mgr_init(&mgr_, nullptr);
  Result r = Resolve("target", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_EQ((std::vector<std::string>{"10.1.2.3"}), r.addrs);  // target.mq
}

TEST_F(DnsmasqTest, ManyAtOnce) {
  std::vector<Result> rs(30);
  for (size_t i = 0; i < rs.size(); i++) {
    std::string name = "q" + std::to_string(i) + ".example";
    ASSERT_EQ(0, mg_resolve_async(&mgr_, name.c_str(), MG_DNS_A_RECORD,
                                  OnResolved, &rs[i]));
  }
  ASSERT_TRUE(PollUntil(&mgr_, [&] {
    for (auto &r : rs) {
      if (r.calls == 0) return false;
    }
    return true;
  }));
  for (auto &r : rs) {
    EXPECT_EQ(MG_RESOLVE_OK, r.err);
    EXPECT_EQ((std::vector<std::string>{"127.0.0.1"}), r.addrs);
  }
}

int g_status = -1;

void OnConnect(struct mg_connection *c, int ev, void *ev_data) {
  if (ev != MG_EV_CONNECT) return;
  g_status = *static_cast<int *>(ev_data);
  c->flags |= MG_F_CLOSE_IMMEDIATELY;
}

void Ignore(struct mg_connection *, int, void *) {}

TEST_F(DnsmasqTest, ConnectToName) {
  struct mg_connection *l = mg_bind(&mgr_, "tcp://127.0.0.1:0", Ignore);
  ASSERT_NE(nullptr, l);
  g_status = -1;
  std::string addr = "some.service.example:" + std::to_string(LocalPort(l));
  ASSERT_NE(nullptr, mg_connect(&mgr_, addr.c_str(), OnConnect));
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return g_status >= 0; }));
  EXPECT_EQ(0, g_status);
}

}  // namespace
