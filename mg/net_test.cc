// The event manager over real loopback sockets and the in-memory interface.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "mg/core.h"
#include "testing/util/test_util.h"

using mgtest::LocalPort;
using mgtest::PollFor;
using mgtest::PollUntil;

namespace {

// What a test handler saw on one connection (via user_data).
struct Seen {
  std::string data;           // bytes received
  std::vector<int> events;    // events, MG_EV_POLL excluded
  int connect_status = -1;    // MG_EV_CONNECT status
  int closed = 0;             // MG_EV_CLOSE count
  int accepted = 0;           // MG_EV_ACCEPT count
  union socket_address peer;  // MG_EV_ACCEPT address
};

Seen *seen(struct mg_connection *c) {
  return static_cast<Seen *>(c->user_data);
}

// Records events into the Seen in user_data; consumes received bytes.
void record(struct mg_connection *c, int ev, void *ev_data) {
  Seen *s = seen(c);
  if (s == nullptr || ev == MG_EV_POLL) return;
  s->events.push_back(ev);
  if (ev == MG_EV_RECV) {
    s->data.append(c->recv_mbuf.buf, c->recv_mbuf.len);
    mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
  } else if (ev == MG_EV_CONNECT) {
    s->connect_status = *static_cast<int *>(ev_data);
  } else if (ev == MG_EV_CLOSE) {
    s->closed++;
  } else if (ev == MG_EV_ACCEPT) {
    s->accepted++;
    s->peer = *static_cast<union socket_address *>(ev_data);
  }
}

// The server side: echoes everything back.
void echo(struct mg_connection *c, int ev, void *ev_data) {
  (void) ev_data;
  if (ev == MG_EV_RECV) {
    mg_send(c, c->recv_mbuf.buf, static_cast<int>(c->recv_mbuf.len));
    mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
  }
}

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; i++)
    s[i] = static_cast<char>((i * 7 + i / 251) & 0xff);
  return s;
}

class NetTest : public ::testing::Test {
 protected:
  void SetUp() override { mg_mgr_init(&mgr_, nullptr); }
  void TearDown() override {
    // Handlers' state lives on the test's stack, gone by now: detach them.
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      c->handler = nullptr;
    }
    mg_mgr_free(&mgr_);
  }

  struct mg_connection *Bind(const char *addr, mg_event_handler_t h,
                             void *ud = nullptr) {
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = ud;
    const char *err = nullptr;
    o.error_string = &err;
    struct mg_connection *c = mg_bind_opt(&mgr_, addr, h, o);
    EXPECT_NE(c, nullptr) << addr << ": " << (err ? err : "");
    return c;
  }

  struct mg_connection *Connect(const std::string &addr, Seen *s) {
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = s;
    return mg_connect_opt(&mgr_, addr.c_str(), record, o);
  }

  struct mg_mgr mgr_;
};

void EchoRoundTrip(NetTest *t, struct mg_mgr *mgr, const std::string &addr,
                   size_t size) {
  (void) t;
  Seen s;
  struct mg_connect_opts o;
  memset(&o, 0, sizeof(o));
  o.user_data = &s;
  struct mg_connection *c = mg_connect_opt(mgr, addr.c_str(), record, o);
  ASSERT_NE(c, nullptr);
  std::string payload = Pattern(size);
  mg_send(c, payload.data(), static_cast<int>(payload.size()));
  ASSERT_TRUE(PollUntil(mgr, [&] { return s.data.size() >= size; }))
      << "got " << s.data.size() << " of " << size;
  EXPECT_EQ(s.connect_status, 0);
  EXPECT_TRUE(s.data == payload);
  c->flags |= MG_F_CLOSE_IMMEDIATELY;
  ASSERT_TRUE(PollUntil(mgr, [&] { return s.closed == 1; }));
}

TEST_F(NetTest, TcpEchoIPv4) {
  struct mg_connection *lc = Bind("tcp://127.0.0.1:0", echo);
  ASSERT_NE(lc, nullptr);
  EXPECT_TRUE(lc->flags & MG_F_LISTENING);
  EchoRoundTrip(this, &mgr_, "127.0.0.1:" + std::to_string(LocalPort(lc)), 5);
  EchoRoundTrip(this, &mgr_, "tcp://localhost:" + std::to_string(LocalPort(lc)),
                3 << 20);
}

TEST_F(NetTest, TcpEchoIPv6) {
  int probe = socket(AF_INET6, SOCK_STREAM, 0);
  if (probe < 0) GTEST_SKIP() << "no IPv6 here";
  close(probe);
  struct mg_connection *lc = Bind("tcp://[::1]:0", echo);
  ASSERT_NE(lc, nullptr);
  EXPECT_EQ(mgtest::LocalAddr(lc).rfind("[::1]:", 0), 0u)
      << mgtest::LocalAddr(lc);
  EchoRoundTrip(this, &mgr_, "[::1]:" + std::to_string(LocalPort(lc)), 1000);
}

TEST_F(NetTest, WildcardBindAcceptsIPv4AsPlainIPv4) {
  Seen srv;
  struct mg_connection *lc = Bind(":0", record, &srv);
  ASSERT_NE(lc, nullptr);
  Seen cli;
  Connect("127.0.0.1:" + std::to_string(LocalPort(lc)), &cli);
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return srv.accepted == 1; }));
  EXPECT_EQ(srv.peer.sa.sa_family, AF_INET);  // mapped IPv4 is shown as IPv4
  char buf[64];
  mg_sock_addr_to_str(&srv.peer, buf, sizeof(buf), MG_SOCK_STRINGIFY_IP);
  EXPECT_STREQ(buf, "127.0.0.1");
}

TEST_F(NetTest, UdpEchoRepliesToSender) {
  Seen srv;
  struct mg_connection *lc = Bind("udp://127.0.0.1:0", echo);
  ASSERT_NE(lc, nullptr);
  EXPECT_TRUE(lc->flags & MG_F_UDP);
  std::string addr = "udp://127.0.0.1:" + std::to_string(LocalPort(lc));
  Seen a, b;
  struct mg_connection *ca = Connect(addr, &a);
  struct mg_connection *cb = Connect(addr, &b);
  ASSERT_NE(ca, nullptr);
  ASSERT_NE(cb, nullptr);
  mg_send(ca, "from-a", 6);
  mg_send(cb, "from-b", 6);
  ASSERT_TRUE(PollUntil(
      &mgr_, [&] { return a.data.size() >= 6 && b.data.size() >= 6; }));
  EXPECT_EQ(a.data, "from-a");
  EXPECT_EQ(b.data, "from-b");
  EXPECT_EQ(a.connect_status, 0);
  // The listener made one child per peer; each has its peer's address.
  int children = 0;
  for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
       c = mg_next(&mgr_, c)) {
    if (c->listener == lc) {
      children++;
      EXPECT_TRUE(c->flags & MG_F_UDP);
    }
  }
  EXPECT_EQ(children, 2);
}

// A UDP peer of a dual-stack listener keeps one child, and each datagram
// gets its own reply datagram even when several arrive in one read loop.
TEST_F(NetTest, UdpDualStackChildPerPeerAndOneReplyPerDatagram) {
  Seen srv;
  struct mg_bind_opts o;
  memset(&o, 0, sizeof(o));
  struct mg_connection *lc = mg_bind_opt(&mgr_, "udp://:0", echo, o);
  ASSERT_NE(lc, nullptr);
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_port = htons(static_cast<uint16_t>(LocalPort(lc)));
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(s, reinterpret_cast<struct sockaddr *>(&sin), sizeof(sin)),
            0);
  // Three datagrams queued before the manager reads any of them.
  ASSERT_EQ(send(s, "one", 3, 0), 3);
  ASSERT_EQ(send(s, "two", 3, 0), 3);
  ASSERT_EQ(send(s, "three", 5, 0), 5);
  std::vector<std::string> replies;
  ASSERT_TRUE(PollUntil(&mgr_, [&] {
    char buf[64];
    ssize_t n;
    while ((n = recv(s, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
      replies.emplace_back(buf, static_cast<size_t>(n));
    }
    return replies.size() >= 3;
  }));
  close(s);
  std::vector<std::string> want = {"one", "two", "three"};
  EXPECT_EQ(replies, want);
  int children = 0;
  for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
       c = mg_next(&mgr_, c)) {
    if (c->listener == lc) {
      children++;
      EXPECT_EQ(c->sa.sa.sa_family, AF_INET);
    }
  }
  EXPECT_EQ(children, 1);
}

TEST_F(NetTest, ConnectRefusedReportsStatus) {
  // A bound socket that does not listen: connecting to it is refused.
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(s, reinterpret_cast<struct sockaddr *>(&sin), sizeof(sin)), 0);
  socklen_t len = sizeof(sin);
  getsockname(s, reinterpret_cast<struct sockaddr *>(&sin), &len);
  Seen cli;
  ASSERT_NE(Connect("127.0.0.1:" + std::to_string(ntohs(sin.sin_port)), &cli),
            nullptr);
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return cli.closed == 1; }));
  close(s);
  EXPECT_EQ(cli.connect_status, ECONNREFUSED);
  ASSERT_GE(cli.events.size(), 2u);
  EXPECT_EQ(cli.events.front(), MG_EV_CONNECT);
  EXPECT_EQ(cli.events.back(), MG_EV_CLOSE);
}

TEST_F(NetTest, UnresolvableNameWithoutResolverFails) {
  Seen cli;
  ASSERT_NE(Connect("no-such-host.invalid:80", &cli), nullptr);
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return cli.closed == 1; }));
  EXPECT_EQ(cli.connect_status, ENXIO);
  EXPECT_EQ(cli.events.front(), MG_EV_CONNECT);
}

TEST_F(NetTest, MalformedAddressesAreRefused) {
  const char *bad[] = {
      "tcp://127.0.0.1:99999", "udp://[::1:80", "1.2.3.4:", "http://x:80",
      "127.0.0.1:8a",          "[::1]80",       "::1:80"};
  for (const char *addr : bad) {
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    const char *err = nullptr;
    o.error_string = &err;
    EXPECT_EQ(mg_connect_opt(&mgr_, addr, record, o), nullptr) << addr;
    EXPECT_NE(err, nullptr) << addr;
    struct mg_bind_opts b;
    memset(&b, 0, sizeof(b));
    err = nullptr;
    b.error_string = &err;
    EXPECT_EQ(mg_bind_opt(&mgr_, addr, record, b), nullptr) << addr;
    EXPECT_NE(err, nullptr) << addr;
  }
}

TEST_F(NetTest, BindToBusyPortFails) {
  struct mg_connection *lc = Bind("tcp://127.0.0.1:0", echo);
  ASSERT_NE(lc, nullptr);
  std::string addr = "tcp://127.0.0.1:" + std::to_string(LocalPort(lc));
  struct mg_bind_opts b;
  memset(&b, 0, sizeof(b));
  const char *err = nullptr;
  b.error_string = &err;
  // SO_REUSEADDR does not allow two listeners on one port.
  EXPECT_EQ(mg_bind_opt(&mgr_, addr.c_str(), echo, b), nullptr);
  EXPECT_NE(err, nullptr);
}

// Timers: ordering, cancel, re-arm from the handler.
std::vector<int> g_fired;
void timer_handler(struct mg_connection *c, int ev, void *ev_data) {
  if (ev != MG_EV_TIMER) return;
  int id = static_cast<int>(reinterpret_cast<intptr_t>(c->user_data));
  g_fired.push_back(id);
  EXPECT_GT(*static_cast<double *>(ev_data), 0);
  if (id == 3 && std::count(g_fired.begin(), g_fired.end(), 3) < 3) {
    mg_set_timer(c, mg_time() + 0.01);  // re-arm: fires three times in all
  }
}

TEST_F(NetTest, TimersFireInOrderCancelAndRearm) {
  g_fired.clear();
  struct mg_connection *c[4];
  for (int i = 0; i < 4; i++) {
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = reinterpret_cast<void *>(static_cast<intptr_t>(i));
    c[i] = mg_bind_opt(&mgr_, "udp://127.0.0.1:0", timer_handler, o);
    ASSERT_NE(c[i], nullptr);
  }
  double now = mg_time();
  mg_set_timer(c[0], now + 0.09);
  mg_set_timer(c[1], now + 0.03);
  mg_set_timer(c[2], now + 0.06);
  EXPECT_EQ(mg_set_timer(c[3], now + 0.12), 0);
  EXPECT_EQ(mg_set_timer(c[2], now + 0.06), now + 0.06);
  double old = mg_set_timer(c[0], 0);  // cancel
  EXPECT_EQ(old, now + 0.09);
  ASSERT_TRUE(PollUntil(
      &mgr_, [&] { return g_fired.size() >= 4; }, 5));
  PollFor(&mgr_, 0.1);
  std::vector<int> want = {1, 2, 3, 3, 3};
  EXPECT_EQ(g_fired, want);
  EXPECT_EQ(c[0]->ev_timer_time, 0);
}

// Broadcast from several threads at once.
std::atomic<int> g_bcast{0};
void bcast_cb(struct mg_connection *c, int ev, void *ev_data) {
  (void) c;
  EXPECT_EQ(ev, MG_EV_POLL);
  EXPECT_EQ(memcmp(ev_data, "ping", 4), 0);
  g_bcast++;
}

TEST_F(NetTest, BroadcastFromSeveralThreads) {
  g_bcast = 0;
  ASSERT_NE(Bind("tcp://127.0.0.1:0", echo), nullptr);
  ASSERT_NE(Bind("udp://127.0.0.1:0", echo), nullptr);
  const int kThreads = 4, kMessages = 250;
  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&] {
      for (int i = 0; i < kMessages; i++)
        mg_broadcast(&mgr_, bcast_cb, (void *) "ping", 5);
    });
  }
  std::thread joiner([&] {
    for (auto &t : threads) t.join();
    done = true;
  });
  bool ok = PollUntil(
      &mgr_, [&] { return done && g_bcast == 2 * kThreads * kMessages; }, 20);
  joiner.join();
  EXPECT_TRUE(ok) << g_bcast << " callbacks";
}

// SEND_AND_CLOSE: everything queued arrives before the close.
void send_and_close(struct mg_connection *c, int ev, void *) {
  if (ev == MG_EV_ACCEPT) {
    std::string big = Pattern(4 << 20);
    mg_send(c, big.data(), static_cast<int>(big.size()));
    c->flags |= MG_F_SEND_AND_CLOSE;
  }
}

TEST_F(NetTest, SendAndCloseDeliversEverything) {
  struct mg_connection *lc = Bind("tcp://127.0.0.1:0", send_and_close);
  ASSERT_NE(lc, nullptr);
  Seen cli;
  Connect("127.0.0.1:" + std::to_string(LocalPort(lc)), &cli);
  ASSERT_TRUE(PollUntil(
      &mgr_, [&] { return cli.closed == 1; }, 20));
  EXPECT_EQ(cli.data.size(), static_cast<size_t>(4 << 20));
  EXPECT_TRUE(cli.data == Pattern(4 << 20));
}

// recv_mbuf_limit: reading pauses, nothing is dropped.
struct Hoard {
  struct mg_connection *conn = nullptr;
  size_t max_seen = 0;
};
void hoard(struct mg_connection *c, int ev, void *) {
  Hoard *h = static_cast<Hoard *>(c->user_data);
  if (ev == MG_EV_ACCEPT) {
    h->conn = c;
    c->recv_mbuf_limit = 4096;
  }
  if (ev == MG_EV_RECV && c->recv_mbuf.len > h->max_seen)
    h->max_seen = c->recv_mbuf.len;
}

TEST_F(NetTest, RecvMbufLimitPausesReading) {
  Hoard h;
  struct mg_connection *lc = Bind("tcp://127.0.0.1:0", hoard, &h);
  ASSERT_NE(lc, nullptr);
  Seen cli;
  struct mg_connection *c =
      Connect("127.0.0.1:" + std::to_string(LocalPort(lc)), &cli);
  std::string payload = Pattern(16 << 20);  // more than kernel buffers hold
  mg_send(c, payload.data(), static_cast<int>(payload.size()));
  ASSERT_TRUE(PollUntil(
      &mgr_, [&] { return h.conn && h.conn->recv_mbuf.len == 4096; }));
  PollFor(&mgr_, 0.1);
  EXPECT_EQ(h.conn->recv_mbuf.len, 4096u);  // paused at the limit
  EXPECT_LE(h.max_seen, 4096u);
  EXPECT_GT(c->send_mbuf.len, 0u);  // the sender is held back
  // Now drain it: every byte arrives, in order.
  std::string got;
  ASSERT_TRUE(PollUntil(
      &mgr_,
      [&] {
        got.append(h.conn->recv_mbuf.buf, h.conn->recv_mbuf.len);
        mbuf_remove(&h.conn->recv_mbuf, h.conn->recv_mbuf.len);
        return got.size() >= payload.size();
      },
      20));
  EXPECT_TRUE(got == payload);
  EXPECT_LE(h.max_seen, 4096u);
}

// A peer that vanishes while we are sending.
struct Pusher {
  int closed = 0;
  int err = 0;
};
void pusher(struct mg_connection *c, int ev, void *) {
  Pusher *p = static_cast<Pusher *>(c->user_data);
  if (ev == MG_EV_ACCEPT) {
    std::string big = Pattern(16 << 20);
    mg_send(c, big.data(), static_cast<int>(big.size()));
  } else if (ev == MG_EV_CLOSE) {
    p->closed++;
    p->err = c->err;
  }
}

void vanish(struct mg_connection *c, int ev, void *) {
  if (ev == MG_EV_RECV) c->flags |= MG_F_CLOSE_IMMEDIATELY;
}

TEST_F(NetTest, PeerVanishesMidSend) {
  Pusher p;
  struct mg_connection *lc = Bind("tcp://127.0.0.1:0", pusher, &p);
  ASSERT_NE(lc, nullptr);
  mg_connect(&mgr_, ("127.0.0.1:" + std::to_string(LocalPort(lc))).c_str(),
             vanish);
  ASSERT_TRUE(PollUntil(
      &mgr_, [&] { return p.closed == 1; }, 20));
  EXPECT_TRUE(p.err == ECONNRESET || p.err == EPIPE) << p.err;
}

TEST_F(NetTest, AddSockOnSocketpair) {
  sock_t sp[2];
  ASSERT_EQ(mg_socketpair(sp, SOCK_STREAM), 1);
  Seen s;
  struct mg_add_sock_opts o;
  memset(&o, 0, sizeof(o));
  o.user_data = &s;
  struct mg_connection *c = mg_add_sock_opt(&mgr_, sp[0], record, o);
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(write(sp[1], "hi there", 8), 8);
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return s.data.size() == 8; }));
  EXPECT_EQ(s.data, "hi there");
  mg_printf(c, "%s-%d", "reply", 42);
  char buf[32] = {0};
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return c->send_mbuf.len == 0; }));
  ASSERT_EQ(read(sp[1], buf, sizeof(buf)), 8);
  EXPECT_STREQ(buf, "reply-42");
  close(sp[1]);  // EOF closes the connection
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return s.closed == 1; }));

  sock_t dp[2];
  ASSERT_EQ(mg_socketpair(dp, SOCK_DGRAM), 1);
  Seen d;
  o.user_data = &d;
  struct mg_connection *u = mg_add_sock_opt(&mgr_, dp[0], record, o);
  ASSERT_NE(u, nullptr);
  EXPECT_TRUE(u->flags & MG_F_UDP);
  ASSERT_EQ(write(dp[1], "dgram", 5), 5);
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return d.data == "dgram"; }));
  close(dp[1]);
}

TEST_F(NetTest, PollReturnsNumberOfEvents) {
  EXPECT_EQ(mg_mgr_poll(&mgr_, 0), 0);  // nothing happened
  struct mg_connection *lc = Bind("tcp://127.0.0.1:0", echo);
  ASSERT_NE(lc, nullptr);
  EXPECT_EQ(mg_mgr_poll(&mgr_, 0), 0);  // POLL events do not count
  Seen cli;
  Connect("127.0.0.1:" + std::to_string(LocalPort(lc)), &cli);
  int total = 0;
  ASSERT_TRUE(PollUntil(&mgr_, [&] {
    total += mg_mgr_poll(&mgr_, 5);
    return cli.connect_status == 0 && total >= 2;
  }));
  EXPECT_GE(total, 2);  // at least ACCEPT and CONNECT
  int n = 0;
  for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
       c = mg_next(&mgr_, c))
    n++;
  EXPECT_EQ(n, 3);
}

TEST_F(NetTest, ConnAddrToStr) {
  struct mg_connection *lc = Bind("tcp://127.0.0.1:0", echo);
  ASSERT_NE(lc, nullptr);
  Seen cli;
  struct mg_connection *c =
      Connect("127.0.0.1:" + std::to_string(LocalPort(lc)), &cli);
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return cli.connect_status == 0; }));
  char buf[64];
  mg_conn_addr_to_str(
      c, buf, sizeof(buf),
      MG_SOCK_STRINGIFY_REMOTE | MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT);
  EXPECT_EQ(std::string(buf), "127.0.0.1:" + std::to_string(LocalPort(lc)));
  char sbuf[64];
  mg_sock_to_str(c->sock, sbuf, sizeof(sbuf), MG_SOCK_STRINGIFY_IP);
  EXPECT_STREQ(sbuf, "127.0.0.1");
}

TEST_F(NetTest, HexdumpFileRecordsTraffic) {
  char path[] = "/tmp/mg_hexdump_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  mgr_.hexdump_file = path;
  struct mg_connection *lc = Bind("tcp://127.0.0.1:0", echo);
  EchoRoundTrip(this, &mgr_, "127.0.0.1:" + std::to_string(LocalPort(lc)), 20);
  mgr_.hexdump_file = nullptr;
  FILE *fp = fopen(path, "r");
  ASSERT_NE(fp, nullptr);
  std::string text;
  char line[512];
  while (fgets(line, sizeof(line), fp)) text += line;
  fclose(fp);
  unlink(path);
  EXPECT_NE(text.find("->"), std::string::npos);
  EXPECT_NE(text.find("<-"), std::string::npos);
  EXPECT_NE(text.find(" 20\n"), std::string::npos);
}

// ---------------------------------------------------------------------------
// The in-memory interface.

TEST_F(NetTest, MemEcho) {
  ASSERT_NE(Bind("mem://echo", echo), nullptr);
  EchoRoundTrip(this, &mgr_, "mem://echo", 11);
  EchoRoundTrip(this, &mgr_, "mem://echo", 5 << 20);  // beyond the window
}

TEST_F(NetTest, MemConnectToUnknownNameIsRefused) {
  Seen cli;
  ASSERT_NE(Connect("mem://nobody", &cli), nullptr);
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return cli.closed == 1; }));
  EXPECT_EQ(cli.connect_status, ECONNREFUSED);
}

TEST_F(NetTest, MemNameInUse) {
  ASSERT_NE(Bind("mem://x", echo), nullptr);
  struct mg_bind_opts b;
  memset(&b, 0, sizeof(b));
  EXPECT_EQ(mg_bind_opt(&mgr_, "mem://x", echo, b), nullptr);
  EXPECT_EQ(mg_bind_opt(&mgr_, "mem://", echo, b), nullptr);
}

TEST_F(NetTest, MemSendAndCloseAndEvents) {
  Seen srv;
  ASSERT_NE(Bind("mem://sac", send_and_close), nullptr);
  Seen cli;
  Connect("mem://sac", &cli);
  ASSERT_TRUE(PollUntil(
      &mgr_, [&] { return cli.closed == 1; }, 20));
  EXPECT_TRUE(cli.data == Pattern(4 << 20));
  ASSERT_GE(cli.events.size(), 3u);
  EXPECT_EQ(cli.events.front(), MG_EV_CONNECT);
  EXPECT_EQ(cli.events.back(), MG_EV_CLOSE);
}

TEST_F(NetTest, MemRecvMbufLimit) {
  Hoard h;
  ASSERT_NE(Bind("mem://hoard", hoard, &h), nullptr);
  Seen cli;
  struct mg_connection *c = Connect("mem://hoard", &cli);
  std::string payload = Pattern(1 << 20);
  mg_send(c, payload.data(), static_cast<int>(payload.size()));
  ASSERT_TRUE(PollUntil(
      &mgr_, [&] { return h.conn && h.conn->recv_mbuf.len == 4096; }));
  PollFor(&mgr_, 0.05);
  EXPECT_EQ(h.conn->recv_mbuf.len, 4096u);
  std::string got;
  ASSERT_TRUE(PollUntil(&mgr_, [&] {
    got.append(h.conn->recv_mbuf.buf, h.conn->recv_mbuf.len);
    mbuf_remove(&h.conn->recv_mbuf, h.conn->recv_mbuf.len);
    return got.size() >= payload.size();
  }));
  EXPECT_TRUE(got == payload);
}

TEST_F(NetTest, MemPeerVanishes) {
  Pusher p;
  ASSERT_NE(Bind("mem://push", pusher, &p), nullptr);
  mg_connect(&mgr_, "mem://push", vanish);
  ASSERT_TRUE(PollUntil(
      &mgr_, [&] { return p.closed == 1; }, 20));
}

// ---------------------------------------------------------------------------
// Access control lists.

uint32_t Ip(const char *s) {
  struct in_addr a;
  EXPECT_EQ(inet_pton(AF_INET, s, &a), 1);
  return ntohl(a.s_addr);
}

union socket_address Sa(const char *s) {
  union socket_address sa;
  memset(&sa, 0, sizeof(sa));
  if (strchr(s, ':') != nullptr) {
    sa.sin6.sin6_family = AF_INET6;
    EXPECT_EQ(inet_pton(AF_INET6, s, &sa.sin6.sin6_addr), 1);
  } else {
    sa.sin.sin_family = AF_INET;
    EXPECT_EQ(inet_pton(AF_INET, s, &sa.sin.sin_addr), 1);
  }
  return sa;
}

TEST(Acl, IPv4) {
  EXPECT_EQ(mg_check_ip_acl(nullptr, Ip("1.2.3.4")), 1);
  EXPECT_EQ(mg_check_ip_acl("", Ip("1.2.3.4")), 1);
  EXPECT_EQ(mg_check_ip_acl("-0.0.0.0/0,+192.168/16", Ip("192.168.7.1")), 1);
  EXPECT_EQ(mg_check_ip_acl("-0.0.0.0/0,+192.168/16", Ip("192.169.0.1")), 0);
  EXPECT_EQ(mg_check_ip_acl("+0.0.0.0/0,-10.0.0.0/8", Ip("10.1.2.3")), 0);
  EXPECT_EQ(mg_check_ip_acl("+0.0.0.0/0,-10.0.0.0/8", Ip("11.1.2.3")), 1);
  EXPECT_EQ(mg_check_ip_acl("+1.2.3.4", Ip("1.2.3.4")), 1);
  EXPECT_EQ(mg_check_ip_acl("+1.2.3.4", Ip("1.2.3.5")),
            0);  // any ACL denies by default
  EXPECT_EQ(mg_check_ip_acl("+10.0.0.0/8, -10.1.0.0/16", Ip("10.1.2.3")),
            0);  // last match wins
  EXPECT_EQ(mg_check_ip_acl("+1.2.3.0/25", Ip("1.2.3.127")), 1);
  EXPECT_EQ(mg_check_ip_acl("+1.2.3.0/25", Ip("1.2.3.128")), 0);
}

TEST(Acl, MalformedIsMinusOne) {
  const char *bad[] = {
      "1.2.3.4", "+1.2.3.4/33", "+1.2.3.256", "+1.2.3.4/",   "*1.2.3.4",
      "+1..2",   "+::1/129",    "+zz::1",     "+1.2.3.4/1a", "+"};
  for (const char *acl : bad)
    EXPECT_EQ(mg_check_ip_acl(acl, Ip("1.2.3.4")), -1) << acl;
}

TEST(Acl, MappedIPv4IsJudgedAsIPv4) {
  union socket_address m = Sa("::ffff:192.168.1.5");
  EXPECT_EQ(mg_check_ip_acl_sa("-0.0.0.0/0,+192.168/16", &m), 1);
  union socket_address o = Sa("::ffff:10.0.0.1");
  EXPECT_EQ(mg_check_ip_acl_sa("-0.0.0.0/0,+192.168/16", &o), 0);
}

TEST(Acl, IPv6PeersNeedIPv6Entries) {
  union socket_address v6 = Sa("::1");
  union socket_address other = Sa("2001:db8::1");
  // An ACL of IPv4 ranges alone must not admit IPv6 peers.
  EXPECT_EQ(mg_check_ip_acl_sa("+0.0.0.0/0", &v6), 0);
  EXPECT_EQ(mg_check_ip_acl_sa("+192.168/16", &v6), 0);
  EXPECT_EQ(mg_check_ip_acl_sa(nullptr, &v6), 1);
  EXPECT_EQ(mg_check_ip_acl_sa("+0.0.0.0/0,+::1/128", &v6), 1);
  EXPECT_EQ(mg_check_ip_acl_sa("+0.0.0.0/0,+::1/128", &other), 0);
  EXPECT_EQ(mg_check_ip_acl_sa("+2001:db8::/32", &other), 1);
  EXPECT_EQ(mg_check_ip_acl_sa("+::/0,-2001:db8::/32", &other), 0);
  union socket_address v4 = Sa("127.0.0.1");
  EXPECT_EQ(mg_check_ip_acl_sa("+::/0", &v4), 0);
  EXPECT_EQ(mg_check_ip_acl_sa("+127.0.0.1", &v4), 1);
}

}  // namespace
