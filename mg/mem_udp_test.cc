// Datagrams on the in-memory interface (mem-udp://NAME) and the test
// filter of mg/iface_mem.h. No sockets: these run in the browser build too.
// Every loop is bounded in polls; nothing sleeps.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "mg/core.h"
#include "mg/iface_mem.h"

namespace {

// What one side (a client, or a listener and its children) saw.
struct Side {
  std::vector<std::string> got;                // datagrams, in order
  std::vector<struct mg_connection *> got_on;  // the connection of each
  std::vector<int> events;                     // MG_EV_POLL excluded
  std::set<struct mg_connection *> accepted;   // children announced
  int connect_status = -1;                     // MG_EV_CONNECT status
  int closes = 0;                              // MG_EV_CLOSE count
  int sends = 0;                               // MG_EV_SEND count
  bool echo = false;                           // reply to each datagram
  std::string prefix;                          // put before each reply
};

Side *side(struct mg_connection *c) {
  return static_cast<Side *>(c->user_data);
}

// Records events; a datagram is taken out of recv_mbuf as it arrives.
void handler(struct mg_connection *c, int ev, void *ev_data) {
  Side *s = side(c);
  if (s == nullptr || ev == MG_EV_POLL) return;
  s->events.push_back(ev);
  if (ev == MG_EV_RECV) {
    int n = *static_cast<int *>(ev_data);
    EXPECT_EQ(static_cast<size_t>(n), c->recv_mbuf.len);
    std::string d(c->recv_mbuf.buf, c->recv_mbuf.len);
    mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
    s->got.push_back(d);
    s->got_on.push_back(c);
    if (s->echo) {
      std::string r = s->prefix + d;
      mg_send(c, r.data(), static_cast<int>(r.size()));
    }
  } else if (ev == MG_EV_CONNECT) {
    s->connect_status = *static_cast<int *>(ev_data);
  } else if (ev == MG_EV_ACCEPT) {
    s->accepted.insert(c);
  } else if (ev == MG_EV_CLOSE) {
    s->closes++;
  } else if (ev == MG_EV_SEND) {
    s->sends++;
  }
}

// A filter's plan: an action per sequence number (others are delivered),
// and what it was shown.
struct Plan {
  std::map<unsigned long, int> action;  // seq -> MG_MEM_UDP_*
  std::vector<unsigned long> seqs;      // seq of every datagram shown
  std::vector<std::string> bytes;       // and its bytes
  std::vector<std::string> names;       // and its name ("" for replies)
};

int plan_filter(const struct mg_mem_udp_datagram *d, void *arg) {
  Plan *p = static_cast<Plan *>(arg);
  p->seqs.push_back(d->seq);
  p->bytes.push_back(std::string(d->buf, d->len));
  p->names.push_back(d->name != nullptr ? d->name : "");
  auto it = p->action.find(d->seq);
  return it == p->action.end() ? MG_MEM_UDP_DELIVER : it->second;
}

// "IP:PORT" of a connection's local or remote address.
std::string Addr(struct mg_connection *c, int remote) {
  char buf[64];
  mg_conn_addr_to_str(c, buf, sizeof(buf),
                      MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT |
                          (remote ? MG_SOCK_STRINGIFY_REMOTE : 0));
  return buf;
}

// n bytes of a pattern that differs per tag.
std::string Bytes(size_t n, int tag) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; i++)
    s[i] = static_cast<char>((i * 13 + tag * 7) & 0xff);
  return s;
}

class MemUdpTest : public ::testing::Test {
 protected:
  void SetUp() override { mg_mgr_init(&mgr_, nullptr); }
  void TearDown() override {
    // The Sides were the test's locals: closing events go nowhere.
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c != nullptr;
         c = mg_next(&mgr_, c)) {
      c->user_data = nullptr;
    }
    mg_mgr_free(&mgr_);
  }

  // Polls until pred() holds, at most max_polls times. Returns pred().
  bool PollUntil(const std::function<bool()> &pred, int max_polls = 100) {
    for (int i = 0; i < max_polls && !pred(); i++) mg_mgr_poll(&mgr_, 0);
    return pred();
  }

  // Polls n times (to show that something does NOT happen).
  void Polls(int n) {
    for (int i = 0; i < n; i++) mg_mgr_poll(&mgr_, 0);
  }

  struct mg_connection *Bind(const char *addr, Side *s) {
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = s;
    return mg_bind_opt(&mgr_, addr, handler, o);
  }

  // A connected client (MG_EV_CONNECT seen), or nullptr.
  struct mg_connection *Connect(const char *addr, Side *s) {
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = s;
    struct mg_connection *c = mg_connect_opt(&mgr_, addr, handler, o);
    if (c == nullptr || !PollUntil([&] { return s->connect_status != -1; }))
      return nullptr;
    return c;
  }

  // Sends d as one datagram now: one mg_send() and one flush.
  void SendNow(struct mg_connection *c, const std::string &d) {
    mg_send(c, d.data(), static_cast<int>(d.size()));
    mg_if_can_send_cb(c);
  }

  // Shows every datagram to plan_ from now on.
  void UseFilter() {
    ASSERT_EQ(mg_mem_udp_set_filter(&mgr_, plan_filter, &plan_), 0);
  }

  struct mg_mgr mgr_;
  Plan plan_;  // outlives the manager, which TearDown frees
};

TEST_F(MemUdpTest, ClientConnectsAsUdpDoes) {
  Side srv, cli;
  struct mg_connection *lc = Bind("mem-udp://srv", &srv);
  ASSERT_NE(lc, nullptr);
  EXPECT_TRUE(lc->flags & MG_F_UDP);
  EXPECT_TRUE(lc->flags & MG_F_LISTENING);
  struct mg_connect_opts o;
  memset(&o, 0, sizeof(o));
  o.user_data = &cli;
  struct mg_connection *c = mg_connect_opt(&mgr_, "mem-udp://srv", handler, o);
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->flags & MG_F_UDP);
  EXPECT_TRUE(cli.events.empty());  // MG_EV_CONNECT comes from a poll
  mg_mgr_poll(&mgr_, 0);
  ASSERT_EQ(cli.events.size(), 1u);
  EXPECT_EQ(cli.events[0], MG_EV_CONNECT);
  EXPECT_EQ(cli.connect_status, 0);
  // The client's peer is the listener; its own address is loopback.
  EXPECT_EQ(Addr(c, 1), Addr(lc, 0));
  EXPECT_EQ(Addr(c, 0).rfind("127.0.0.1:", 0), 0u);
  EXPECT_NE(Addr(c, 0), Addr(lc, 0));
  // Nothing is accepted before the first datagram, as with UDP.
  EXPECT_TRUE(srv.accepted.empty());
}

TEST_F(MemUdpTest, NamesAreCheckedAndApartFromStreams) {
  Side s;
  ASSERT_NE(Bind("mem-udp://x", &s), nullptr);
  EXPECT_EQ(Bind("mem-udp://x", &s), nullptr);  // in use
  EXPECT_EQ(Bind("mem-udp://", &s), nullptr);
  EXPECT_EQ(mg_connect(&mgr_, "mem-udp://", handler), nullptr);
  struct mg_connection *tcp = Bind("mem://x", &s);  // another namespace
  ASSERT_NE(tcp, nullptr);
  EXPECT_FALSE(tcp->flags & MG_F_UDP);
}

// Many datagrams of varying sizes, up to MG_UDP_RECV_BUFFER_SIZE, both
// ways: each is one MG_EV_RECV with exactly its bytes, in order.
TEST_F(MemUdpTest, BoundariesAndOrder) {
  Side srv, cli;
  srv.echo = true;
  ASSERT_NE(Bind("mem-udp://b", &srv), nullptr);
  struct mg_connection *c = Connect("mem-udp://b", &cli);
  ASSERT_NE(c, nullptr);
  std::vector<std::string> sent;
  const size_t sizes[] = {1,   2,   3,    17,   100,
                          511, 512, 1000, 1499, MG_UDP_RECV_BUFFER_SIZE};
  for (int round = 0; round < 5; round++) {
    for (size_t n : sizes) {
      sent.push_back(Bytes(n, static_cast<int>(sent.size())));
      SendNow(c, sent.back());
    }
  }
  // Two mg_send() calls before one flush make one datagram.
  mg_send(c, "ab", 2);
  mg_send(c, "cd", 2);
  mg_if_can_send_cb(c);
  sent.push_back("abcd");
  ASSERT_LT(sent.size(), static_cast<size_t>(MG_MEM_UDP_QUEUE_LEN));
  ASSERT_TRUE(PollUntil([&] { return cli.got.size() == sent.size(); }));
  EXPECT_EQ(srv.got, sent);
  EXPECT_EQ(cli.got, sent);
  EXPECT_EQ(cli.sends, static_cast<int>(sent.size()));  // one MG_EV_SEND each
  EXPECT_EQ(srv.accepted.size(), 1u);
  Polls(5);
  EXPECT_EQ(cli.got.size(), sent.size());  // nothing more, nothing twice
}

// The core cannot send an empty datagram (mg_send() ignores 0 bytes and an
// empty send_mbuf is not flushed); a longer one than
// MG_UDP_RECV_BUFFER_SIZE arrives cut to that size, as recvfrom() cuts it.
TEST_F(MemUdpTest, EmptyAndOversized) {
  Side srv, cli;
  UseFilter();
  ASSERT_NE(Bind("mem-udp://e", &srv), nullptr);
  struct mg_connection *c = Connect("mem-udp://e", &cli);
  ASSERT_NE(c, nullptr);
  SendNow(c, "");
  std::string big = Bytes(MG_UDP_RECV_BUFFER_SIZE + 100, 1);
  SendNow(c, big);
  SendNow(c, "end");
  ASSERT_TRUE(PollUntil([&] { return srv.got.size() == 2; }));
  EXPECT_EQ(srv.got[0], big.substr(0, MG_UDP_RECV_BUFFER_SIZE));
  EXPECT_EQ(srv.got[1], "end");
  EXPECT_EQ(plan_.seqs, (std::vector<unsigned long>{0, 1}));  // no empty one
  EXPECT_EQ(plan_.bytes[0], big);  // the filter sees it whole
}

// Three clients, one listener: a child per client, keyed by the client's
// address, and each reply goes back to the client that asked.
TEST_F(MemUdpTest, RequestReplyThroughPerPeerChildren) {
  Side srv;
  srv.echo = true;
  srv.prefix = "re:";
  struct mg_connection *lc = Bind("mem-udp://rr", &srv);
  ASSERT_NE(lc, nullptr);
  const int kClients = 3, kRequests = 4;
  Side cli[kClients];
  struct mg_connection *c[kClients];
  for (int i = 0; i < kClients; i++) {
    c[i] = Connect("mem-udp://rr", &cli[i]);
    ASSERT_NE(c[i], nullptr);
  }
  for (int k = 0; k < kRequests; k++) {
    for (int i = 0; i < kClients; i++) {
      mg_printf(c[i], "client %d request %d", i, k);  // flushed by the poll
    }
    ASSERT_TRUE(PollUntil([&] {
      for (int i = 0; i < kClients; i++) {
        if (cli[i].got.size() != static_cast<size_t>(k + 1)) return false;
      }
      return true;
    }));
  }
  for (int i = 0; i < kClients; i++) {
    ASSERT_EQ(cli[i].got.size(), static_cast<size_t>(kRequests));
    for (int k = 0; k < kRequests; k++) {
      EXPECT_EQ(cli[i].got[k], "re:client " + std::to_string(i) + " request " +
                                   std::to_string(k));
    }
  }
  // One child per client; its peer is that client's address.
  ASSERT_EQ(srv.accepted.size(), static_cast<size_t>(kClients));
  std::set<std::string> peers;
  for (struct mg_connection *child : srv.accepted) {
    EXPECT_EQ(child->listener, lc);
    EXPECT_TRUE(child->flags & MG_F_UDP);
    EXPECT_EQ(Addr(child, 0), Addr(lc, 0));
    peers.insert(Addr(child, 1));
  }
  std::set<std::string> clients;
  for (int i = 0; i < kClients; i++) clients.insert(Addr(c[i], 0));
  EXPECT_EQ(peers, clients);
  EXPECT_EQ(clients.size(), static_cast<size_t>(kClients));
  // Every request of client i reached the same child.
  for (size_t j = 0; j < srv.got.size(); j++) {
    int i = srv.got[j][7] - '0';
    EXPECT_EQ(Addr(srv.got_on[j], 1), Addr(c[i], 0));
  }
}

// The filter drops chosen datagrams: the program sees exactly the others.
TEST_F(MemUdpTest, Loss) {
  Side srv, cli;
  plan_.action[1] = plan_.action[4] = plan_.action[7] = MG_MEM_UDP_DROP;
  UseFilter();
  ASSERT_NE(Bind("mem-udp://loss", &srv), nullptr);
  struct mg_connection *c = Connect("mem-udp://loss", &cli);
  ASSERT_NE(c, nullptr);
  for (int i = 0; i < 10; i++) SendNow(c, "d" + std::to_string(i));
  ASSERT_TRUE(PollUntil([&] { return srv.got.size() == 7; }));
  Polls(5);
  EXPECT_EQ(srv.got, (std::vector<std::string>{"d0", "d2", "d3", "d5", "d6",
                                               "d8", "d9"}));
  EXPECT_EQ(cli.sends, 10);  // a lost datagram was still sent
  EXPECT_EQ(plan_.names[0], "loss");
}

// Lost replies: the filter sees them with no name, and drops one.
TEST_F(MemUdpTest, LossOfReplies) {
  Side srv, cli;
  srv.echo = true;
  UseFilter();
  ASSERT_NE(Bind("mem-udp://lr", &srv), nullptr);
  struct mg_connection *c = Connect("mem-udp://lr", &cli);
  ASSERT_NE(c, nullptr);
  // Requests are seq 0, 2, 4; replies 1, 3, 5. Drop the second reply.
  plan_.action[3] = MG_MEM_UDP_DROP;
  for (int i = 0; i < 3; i++) {
    mg_printf(c, "q%d", i);
    ASSERT_TRUE(PollUntil(
        [&] { return srv.got.size() == static_cast<size_t>(i + 1); }));
    Polls(2);
  }
  EXPECT_EQ(cli.got, (std::vector<std::string>{"q0", "q2"}));
  ASSERT_EQ(plan_.names.size(), 6u);
  EXPECT_EQ(plan_.names[0], "lr");
  EXPECT_EQ(plan_.names[1], "");
}

TEST_F(MemUdpTest, Duplication) {
  Side srv, cli;
  plan_.action[2] = MG_MEM_UDP_DUPLICATE;
  UseFilter();
  ASSERT_NE(Bind("mem-udp://dup", &srv), nullptr);
  struct mg_connection *c = Connect("mem-udp://dup", &cli);
  ASSERT_NE(c, nullptr);
  for (int i = 0; i < 5; i++) SendNow(c, "d" + std::to_string(i));
  ASSERT_TRUE(PollUntil([&] { return srv.got.size() == 6; }));
  Polls(5);
  EXPECT_EQ(srv.got,
            (std::vector<std::string>{"d0", "d1", "d2", "d2", "d3", "d4"}));
  EXPECT_EQ(srv.accepted.size(), 1u);  // the copy comes from the same peer
}

// A held datagram arrives as many polls late as asked.
TEST_F(MemUdpTest, Delay) {
  Side srv, cli;
  plan_.action[0] = MG_MEM_UDP_HOLD(5);
  UseFilter();
  ASSERT_NE(Bind("mem-udp://late", &srv), nullptr);
  struct mg_connection *c = Connect("mem-udp://late", &cli);
  ASSERT_NE(c, nullptr);
  mg_printf(c, "late");
  mg_mgr_poll(&mgr_, 0);  // leaves; undelayed it would be read now
  ASSERT_EQ(plan_.seqs.size(), 1u);
  int polls = 0;
  while (polls < 50 && srv.got.empty()) {
    mg_mgr_poll(&mgr_, 0);
    polls++;
  }
  EXPECT_EQ(polls, 5);
  EXPECT_EQ(srv.got, (std::vector<std::string>{"late"}));
}

// Holding one datagram and delivering the next ones reorders them.
TEST_F(MemUdpTest, Reorder) {
  Side srv, cli;
  plan_.action[1] = MG_MEM_UDP_HOLD(3);
  UseFilter();
  ASSERT_NE(Bind("mem-udp://ro", &srv), nullptr);
  struct mg_connection *c = Connect("mem-udp://ro", &cli);
  ASSERT_NE(c, nullptr);
  for (int i = 0; i < 6; i++) {  // one datagram per poll
    mg_printf(c, "d%d", i);
    mg_mgr_poll(&mgr_, 0);
  }
  ASSERT_TRUE(PollUntil([&] { return srv.got.size() == 6; }));
  EXPECT_EQ(srv.got,
            (std::vector<std::string>{"d0", "d2", "d3", "d1", "d4", "d5"}));
  // Held in the same poll as later ones, a datagram goes after them.
  srv.got.clear();
  plan_.action[6] = MG_MEM_UDP_HOLD(1);
  for (int i = 6; i < 9; i++) SendNow(c, "d" + std::to_string(i));
  ASSERT_TRUE(PollUntil([&] { return srv.got.size() == 3; }));
  EXPECT_EQ(srv.got, (std::vector<std::string>{"d7", "d8", "d6"}));
}

// Datagrams to a name nobody is bound to are lost silently; once someone
// binds it, the next ones arrive.
TEST_F(MemUdpTest, UnboundNameLosesDatagrams) {
  Side srv, cli;
  UseFilter();
  struct mg_connection *c = Connect("mem-udp://later", &cli);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(cli.connect_status, 0);
  for (int i = 0; i < 3; i++) SendNow(c, "lost");
  Polls(5);
  EXPECT_EQ(cli.sends, 3);
  EXPECT_EQ(cli.closes, 0);
  EXPECT_EQ(c->err, 0);
  EXPECT_TRUE(plan_.seqs.empty());  // nobody to receive: not even filtered
  ASSERT_NE(Bind("mem-udp://later", &srv), nullptr);
  SendNow(c, "found");
  ASSERT_TRUE(PollUntil([&] { return srv.got.size() == 1; }));
  EXPECT_EQ(srv.got[0], "found");
  EXPECT_EQ(plan_.seqs, (std::vector<unsigned long>{3}));  // lost ones counted
}

// A listener closed with datagrams queued for it: they go with it, its
// children close, later datagrams are lost, and the name is free again.
TEST_F(MemUdpTest, ListenerClosesWithDatagramsQueued) {
  Side srv, cli;
  struct mg_connection *lc = Bind("mem-udp://lq", &srv);
  ASSERT_NE(lc, nullptr);
  struct mg_connection *c = Connect("mem-udp://lq", &cli);
  ASSERT_NE(c, nullptr);
  SendNow(c, "first");
  ASSERT_TRUE(PollUntil([&] { return srv.got.size() == 1; }));
  for (int i = 0; i < 10; i++) SendNow(c, "queued");
  lc->flags |= MG_F_CLOSE_IMMEDIATELY;
  ASSERT_TRUE(PollUntil([&] { return srv.closes == 2; }));  // listener, child
  EXPECT_EQ(srv.got.size(), 1u);
  for (int i = 0; i < 3; i++) SendNow(c, "after");
  Polls(3);
  EXPECT_EQ(cli.closes, 0);
  Side srv2;
  ASSERT_NE(Bind("mem-udp://lq", &srv2), nullptr);
  SendNow(c, "again");
  ASSERT_TRUE(PollUntil([&] { return srv2.got.size() == 1; }));
  EXPECT_EQ(srv2.got[0], "again");
}

// A client closed with replies queued (and held) for it: they go with it,
// and replies sent after it left are lost without harm.
TEST_F(MemUdpTest, ClientClosesWithDatagramsQueued) {
  Side srv, cli;
  srv.echo = true;
  UseFilter();
  ASSERT_NE(Bind("mem-udp://cq", &srv), nullptr);
  struct mg_connection *c = Connect("mem-udp://cq", &cli);
  ASSERT_NE(c, nullptr);
  c->recv_mbuf_limit = 0;  // the client stops reading: replies queue up
  for (int i = 0; i < 5; i++) SendNow(c, "q");  // seq 0-4; replies 5-9
  plan_.action[6] = MG_MEM_UDP_HOLD(20);
  ASSERT_TRUE(PollUntil([&] { return srv.got.size() == 5; }));
  ASSERT_EQ(srv.accepted.size(), 1u);
  struct mg_connection *child = *srv.accepted.begin();
  EXPECT_TRUE(cli.got.empty());
  // A request held for the listener, from a client about to leave.
  plan_.action[10] = MG_MEM_UDP_HOLD(2);
  SendNow(c, "from the past");
  c->flags |= MG_F_CLOSE_IMMEDIATELY;
  ASSERT_TRUE(PollUntil([&] { return cli.closes == 1; }));
  SendNow(child, "to nobody");  // the child outlives its peer, as in UDP
  ASSERT_TRUE(PollUntil([&] { return srv.got.size() == 6; }));
  Polls(30);  // past the hold of the reply that was queued
  EXPECT_TRUE(cli.got.empty());
  EXPECT_EQ(srv.accepted.size(), 1u);
}

// The manager goes with datagrams queued and held everywhere.
TEST_F(MemUdpTest, ManagerFreedWithDatagramsInFlight) {
  Side srv, cli;
  srv.echo = true;
  plan_.action[0] = MG_MEM_UDP_HOLD(100);
  UseFilter();
  ASSERT_NE(Bind("mem-udp://mf", &srv), nullptr);
  struct mg_connection *c = Connect("mem-udp://mf", &cli);
  ASSERT_NE(c, nullptr);
  for (int i = 0; i < 20; i++) SendNow(c, "x");
  mg_mgr_poll(&mgr_, 0);
  for (int i = 0; i < 20; i++) SendNow(c, "y");
  // TearDown frees the manager; ASan checks nothing leaks or is reused.
}

// Each receiver holds at most MG_MEM_UDP_QUEUE_LEN unread datagrams; the
// rest are dropped, as by a full socket buffer. Reading makes room again.
TEST_F(MemUdpTest, QueueLimit) {
  Side srv, cli;
  ASSERT_NE(Bind("mem-udp://q", &srv), nullptr);
  struct mg_connection *c = Connect("mem-udp://q", &cli);
  ASSERT_NE(c, nullptr);
  const int total = MG_MEM_UDP_QUEUE_LEN + 50;
  for (int i = 0; i < total; i++) SendNow(c, std::to_string(i));
  EXPECT_EQ(cli.sends, total);
  ASSERT_TRUE(PollUntil([&] {
    return srv.got.size() == static_cast<size_t>(MG_MEM_UDP_QUEUE_LEN);
  }));
  Polls(5);
  ASSERT_EQ(srv.got.size(), static_cast<size_t>(MG_MEM_UDP_QUEUE_LEN));
  for (int i = 0; i < MG_MEM_UDP_QUEUE_LEN; i++)
    EXPECT_EQ(srv.got[i], std::to_string(i));
  SendNow(c, "room again");
  ASSERT_TRUE(PollUntil([&] {
    return srv.got.size() == static_cast<size_t>(MG_MEM_UDP_QUEUE_LEN) + 1;
  }));
  EXPECT_EQ(srv.got.back(), "room again");
}

// A UDP listener has no peer of its own to send to.
TEST_F(MemUdpTest, ListenerCannotSend) {
  Side srv;
  struct mg_connection *lc = Bind("mem-udp://ls", &srv);
  ASSERT_NE(lc, nullptr);
  mg_send(lc, "x", 1);
  Polls(2);
  EXPECT_EQ(lc->err, EDESTADDRREQ);
  EXPECT_EQ(lc->send_mbuf.len, 0u);
  EXPECT_EQ(srv.closes, 0);
}

TEST(MemUdp, FilterNeedsTheMemInterface) {
  struct mg_mgr mgr;
  const struct mg_iface_vtable *only_sockets[] = {&mg_socket_iface_vtable};
  struct mg_mgr_init_opts o;
  memset(&o, 0, sizeof(o));
  o.num_ifaces = 1;
  o.ifaces = only_sockets;
  mg_mgr_init_opt(&mgr, nullptr, o);
  EXPECT_EQ(mg_mem_udp_set_filter(&mgr, plan_filter, nullptr), -1);
  EXPECT_EQ(mg_connect(&mgr, "mem-udp://x", handler), nullptr);
  mg_mgr_free(&mgr);
}

}  // namespace
