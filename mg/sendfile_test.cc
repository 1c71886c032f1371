// mg__send_fd(): a file queued between buffered bytes leaves in order, by
// sendfile() on a socket and read into send_mbuf elsewhere (mem://, with a
// hexdump file); MG_F_SEND_AND_CLOSE waits for it; the fd is the core's.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "mg/core.h"
#include "mg/plugin.h"
#include "testing/util/test_util.h"

namespace {

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; i++)
    s[i] = static_cast<char>((i * 13 + i / 509) & 0xff);
  return s;
}

std::string TmpFile(const std::string &name, const std::string &data) {
  const char *d = getenv("TEST_TMPDIR");
  std::string path = std::string(d ? d : "/tmp") + "/" + name;
  FILE *f = fopen(path.c_str(), "wb");
  fwrite(data.data(), 1, data.size(), f);
  fclose(f);
  return path;
}

// What the server does on accept: "HEAD", the file region, "TAIL", close.
struct Plan {
  std::string path;
  int64_t offset = 0;
  int64_t len = 0;
  int fd = -1;                 // the queued fd
  bool try_second = true;      // queue a second file while one is queued
  int second_refused = 0;      // ... and it was refused (-1)
  int64_t sent_by_events = 0;  // MG_EV_SEND totals
};

void server(struct mg_connection *c, int ev, void *ev_data) {
  Plan *p = static_cast<Plan *>(c->user_data);
  if (ev == MG_EV_ACCEPT) {
    mg_send(c, "HEAD", 4);
    p->fd = open(p->path.c_str(), O_RDONLY);
    ASSERT_GE(p->fd, 0);
    ASSERT_EQ(0, mg__send_fd(c, p->fd, p->offset, p->len));
    if (p->try_second) {
      int other = open(p->path.c_str(), O_RDONLY);
      p->second_refused = mg__send_fd(c, other, 0, 1) == -1;
      if (p->second_refused) close(other);  // else it is the core's
    }
    mg_send(c, "TAIL", 4);
    c->flags |= MG_F_SEND_AND_CLOSE;
  } else if (ev == MG_EV_SEND) {
    p->sent_by_events += *static_cast<int *>(ev_data);
  }
}

struct Client {
  std::string data;
  int closed = 0;
};

void client(struct mg_connection *c, int ev, void *) {
  Client *cl = static_cast<Client *>(c->user_data);
  if (cl == nullptr) return;
  if (ev == MG_EV_RECV) {
    cl->data.append(c->recv_mbuf.buf, c->recv_mbuf.len);
    mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
  } else if (ev == MG_EV_CLOSE) {
    cl->closed++;
  }
}

class SendFdTest : public ::testing::TestWithParam<const char *> {
 protected:
  void SetUp() override { mg_mgr_init(&mgr_, nullptr); }
  void TearDown() override {
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      c->handler = nullptr;
      c->user_data = nullptr;
    }
    mg_mgr_free(&mgr_);
  }

  // Runs the plan over the parameter's transport; returns what arrived.
  std::string Run(Plan *plan, const std::string &name) {
    std::string mode = GetParam();
    if (mode == "hexdump") mgr_.hexdump_file = "/dev/null";
    struct mg_bind_opts bo;
    memset(&bo, 0, sizeof(bo));
    bo.user_data = plan;
    std::string addr = mode == "mem" ? "mem://" + name : "tcp://127.0.0.1:0";
    struct mg_connection *lc = mg_bind_opt(&mgr_, addr.c_str(), server, bo);
    EXPECT_NE(lc, nullptr);
    if (lc == nullptr) return "";
    if (mode != "mem")
      addr = "127.0.0.1:" + std::to_string(mgtest::LocalPort(lc));
    Client cl;
    struct mg_connect_opts co;
    memset(&co, 0, sizeof(co));
    co.user_data = &cl;
    EXPECT_NE(mg_connect_opt(&mgr_, addr.c_str(), client, co), nullptr);
    EXPECT_TRUE(mgtest::PollUntil(
        &mgr_, [&] { return cl.closed > 0; }, 20));
    mgr_.hexdump_file = nullptr;
    return cl.data;
  }

  struct mg_mgr mgr_;
};

TEST_P(SendFdTest, FileLeavesInOrderBetweenBufferedBytes) {
  std::string content = Pattern(3 << 20);
  Plan plan;
  plan.path = TmpFile("big.bin", content);
  plan.offset = 10;
  plan.len = static_cast<int64_t>(content.size()) - 20;
  std::string got = Run(&plan, "order");
  std::string want = "HEAD" + content.substr(10, content.size() - 20) + "TAIL";
  ASSERT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);
  EXPECT_EQ(plan.second_refused, 1);
  EXPECT_EQ(plan.sent_by_events, static_cast<int64_t>(want.size()));
  EXPECT_EQ(fcntl(plan.fd, F_GETFD), -1);  // the core closed it
}

TEST_P(SendFdTest, ShorterFileClosesTheConnection) {
  std::string content = Pattern(100000);
  Plan plan;
  plan.path = TmpFile("short.bin", content);
  plan.len = 200000;  // more than there is
  std::string got = Run(&plan, "short");
  // Everything there was, then the close; never the bytes queued after.
  EXPECT_TRUE(got == "HEAD" + content) << got.size();
  EXPECT_EQ(fcntl(plan.fd, F_GETFD), -1);
}

TEST_P(SendFdTest, EmptyRegionIsNothing) {
  std::string content = Pattern(100);
  Plan plan;
  plan.path = TmpFile("empty.bin", content);
  plan.len = 0;
  plan.try_second = false;
  EXPECT_EQ(Run(&plan, "empty"), "HEADTAIL");
}

INSTANTIATE_TEST_SUITE_P(Transports, SendFdTest,
                         ::testing::Values("tcp", "mem", "hexdump"));

TEST(SendFd, RefusedForUdpAndListeners) {
  struct mg_mgr mgr;
  mg_mgr_init(&mgr, nullptr);
  struct mg_connection *u = mg_bind(&mgr, "udp://127.0.0.1:0", nullptr);
  struct mg_connection *t = mg_bind(&mgr, "tcp://127.0.0.1:0", nullptr);
  ASSERT_NE(u, nullptr);
  ASSERT_NE(t, nullptr);
  int fd = open("/dev/null", O_RDONLY);
  EXPECT_EQ(-1, mg__send_fd(u, fd, 0, 1));
  EXPECT_EQ(-1, mg__send_fd(t, fd, 0, 1));
  EXPECT_EQ(0, mg__send_fd_pending(t));
  EXPECT_EQ(0, fcntl(fd, F_GETFD));  // still the caller's
  close(fd);
  mg_mgr_free(&mgr);
}

}  // namespace
