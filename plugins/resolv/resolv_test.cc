// The resolver against DNS servers run by the test on loopback: a scripted
// server (UDP and TCP on one port) that can drop, stall, truncate, fail and
// spoof. Every test points the resolver at its own resolv.conf and hosts
// file; MG_TEST_NO_EXTERNAL keeps it on loopback whatever happens.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "mongoose.h"
#include "testing/util/test_clock.h"
#include "testing/util/test_util.h"

using mgtest::LocalPort;

namespace {

// ---- A scripted DNS server on loopback ----

struct Rec {
  std::string owner;  // the record's name
  int type;           // MG_DNS_*_RECORD
  std::string data;   // address text, or a name for CNAME
};

// One reply: header, the question, answers (names compressed by the codec).
std::string BuildReply(uint16_t id, uint16_t flags, const std::string &qname,
                       int qtype, const std::vector<Rec> &answers) {
  struct mbuf io;
  mbuf_init(&io, 512);
  struct mg_dns_message msg;
  memset(&msg, 0, sizeof(msg));
  msg.transaction_id = id;
  msg.flags = flags;
  msg.num_questions = 1;
  msg.num_answers = static_cast<int>(answers.size());
  mg_dns_insert_header(&io, 0, &msg);
  struct mg_dns_resource_record rr;
  memset(&rr, 0, sizeof(rr));
  rr.kind = MG_DNS_QUESTION;
  rr.rtype = qtype;
  rr.rclass = 1;
  mg_dns_encode_record(&io, &rr, qname.c_str(), qname.size(), nullptr, 0);
  rr.kind = MG_DNS_ANSWER;
  rr.ttl = 30;
  for (const Rec &a : answers) {
    rr.rtype = a.type;
    unsigned char addr[16];
    if (a.data.rfind("raw:", 0) == 0) {  // rdata as given, whatever the type
      std::string raw = a.data.substr(4);
      unsigned char f[10] = {static_cast<unsigned char>(a.type >> 8),
                             static_cast<unsigned char>(a.type),
                             0,
                             1,
                             0,
                             0,
                             0,
                             30,
                             static_cast<unsigned char>(raw.size() >> 8),
                             static_cast<unsigned char>(raw.size())};
      mg_dns_encode_name(&io, a.owner.c_str(), a.owner.size());
      mbuf_append(&io, f, sizeof(f));
      mbuf_append(&io, raw.data(), raw.size());
    } else if (a.type == MG_DNS_A_RECORD &&
               inet_pton(AF_INET, a.data.c_str(), addr) == 1) {
      mg_dns_encode_record(&io, &rr, a.owner.c_str(), a.owner.size(), addr, 4);
    } else if (a.type == MG_DNS_AAAA_RECORD &&
               inet_pton(AF_INET6, a.data.c_str(), addr) == 1) {
      mg_dns_encode_record(&io, &rr, a.owner.c_str(), a.owner.size(), addr, 16);
    } else {
      mg_dns_encode_record(&io, &rr, a.owner.c_str(), a.owner.size(),
                           a.data.c_str(), a.data.size());
    }
  }
  std::string out(io.buf, io.len);
  mbuf_free(&io);
  return out;
}

class FakeDns {
 public:
  struct Query {
    std::string name;
    int type;
    bool tcp;
    uint16_t id;
  };
  std::map<std::string, std::vector<Rec>> zone;  // by question name
  std::map<std::string, int> rcode;              // forced response codes
  std::set<std::string> truncate_udp;            // TC (no answers) over UDP
  int drop = 0;                                  // drop the next N queries
  bool black_hole = false;                       // answer nothing at all
  int spoof = 0;                                 // forged replies first
  enum {
    kWrongId = 1,      // our question, another id
    kNotResponse = 2,  // QR clear
    kWrongName = 4,    // our id, another name
    kWrongType = 8,    // our id and name, another type
    kWrongPort = 16,   // all right, but from another source port
  };
  std::vector<Query> seen;  // every query received
  int forged_sent = 0;      // kWrongPort datagrams sent
  int udp_copies = 1;       // each UDP reply sent N times
  bool tcp_silent = false;  // TCP queries get nothing
  bool tcp_short = false;   // TCP replies announce more bytes than they have

  ~FakeDns() { Stop(); }

  // Closes every socket: the port is then unreachable.
  void Stop() {
    for (int *s : {&udp_, &tcp_, &spoof_}) {
      if (*s >= 0) close(*s);
      *s = -1;
    }
    for (auto &c : conns_) close(c.first);
    conns_.clear();
  }

  // Binds UDP and TCP on one free loopback port. False if it cannot.
  bool Start(int family = AF_INET) {
    family_ = family;
    for (int tries = 0; tries < 20; tries++) {
      udp_ = Bind(SOCK_DGRAM, 0);
      if (udp_ < 0) return false;
      port_ = PortOf(udp_);
      tcp_ = Bind(SOCK_STREAM, port_);
      if (tcp_ >= 0 && listen(tcp_, 16) == 0) break;
      close(udp_);
      if (tcp_ >= 0) close(tcp_);
      udp_ = tcp_ = -1;
    }
    spoof_ = Bind(SOCK_DGRAM, 0);
    return udp_ >= 0 && tcp_ >= 0 && spoof_ >= 0;
  }
  int port() const { return port_; }
  std::string Addr() const {
    return (family_ == AF_INET6 ? "[::1]:" : "127.0.0.1:") +
           std::to_string(port_);
  }

  // Answers whatever has arrived.
  void Pump() {
    if (udp_ < 0) return;
    PumpUdp();
    int c;
    while ((c = accept(tcp_, nullptr, nullptr)) >= 0) {
      fcntl(c, F_SETFL, O_NONBLOCK);
      conns_[c] = "";
    }
    for (auto it = conns_.begin(); it != conns_.end();) {
      if (!PumpTcp(it->first, &it->second)) {
        close(it->first);
        it = conns_.erase(it);
      } else {
        ++it;
      }
    }
  }

  size_t CountFor(const std::string &name) const {
    size_t n = 0;
    for (auto &q : seen) n += q.name == name;
    return n;
  }

 private:
  int Bind(int type, int port) {
    int s = socket(family_, type, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    union socket_address sa;
    memset(&sa, 0, sizeof(sa));
    socklen_t len;
    if (family_ == AF_INET6) {
      sa.sin6.sin6_family = AF_INET6;
      sa.sin6.sin6_addr = in6addr_loopback;
      sa.sin6.sin6_port = htons(static_cast<uint16_t>(port));
      len = sizeof(sa.sin6);
    } else {
      sa.sin.sin_family = AF_INET;
      sa.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      sa.sin.sin_port = htons(static_cast<uint16_t>(port));
      len = sizeof(sa.sin);
    }
    if (s < 0 || bind(s, &sa.sa, len) != 0) {
      if (s >= 0) close(s);
      return -1;
    }
    fcntl(s, F_SETFL, O_NONBLOCK);
    return s;
  }
  static int PortOf(int s) {
    union socket_address sa;
    socklen_t len = sizeof(sa);
    getsockname(s, &sa.sa, &len);
    return ntohs(sa.sin.sin_port);  // same offset for sin6_port
  }

  // The reply to one query ("" for none). Forged replies go to *forged.
  std::string Handle(const std::string &pkt, bool tcp,
                     std::vector<std::string> *forged) {
    struct mg_dns_message msg;
    if (mg_parse_dns(pkt.data(), static_cast<int>(pkt.size()), &msg) != 0 ||
        msg.num_questions != 1) {
      return "";
    }
    char buf[256];
    mg_dns_uncompress_name(&msg, &msg.questions[0].name, buf, sizeof(buf));
    std::string name(buf);
    int type = msg.questions[0].rtype;
    seen.push_back({name, type, tcp, msg.transaction_id});
    if (black_hole || (tcp && tcp_silent)) return "";
    if (drop > 0) {
      drop--;
      return "";
    }
    uint16_t id = msg.transaction_id, flags = 0x8180;
    std::vector<Rec> answers;
    if (!tcp && truncate_udp.count(name)) {
      flags |= MG_DNS_FLAG_TC;
    } else if (rcode.count(name)) {
      flags |= static_cast<uint16_t>(rcode[name]);
    } else if (zone.count(name)) {
      for (const Rec &r : zone[name]) {
        if (r.type == type || r.type == MG_DNS_CNAME_RECORD)
          answers.push_back(r);
      }
    } else {
      flags |= MG_DNS_RCODE_NXDOMAIN;
    }
    if (forged != nullptr) {
      std::vector<Rec> evil = {{name, MG_DNS_A_RECORD, "6.6.6.6"}};
      if (spoof & kWrongId) {
        forged->push_back(BuildReply(static_cast<uint16_t>(id ^ 1), 0x8180,
                                     name, type, evil));
      }
      if (spoof & kNotResponse)
        forged->push_back(BuildReply(id, 0x0180, name, type, evil));
      if (spoof & kWrongName)
        forged->push_back(BuildReply(id, 0x8180, "evil.test", type, evil));
      if (spoof & kWrongType) {
        forged->push_back(BuildReply(id, 0x8180, name, MG_DNS_MX_RECORD, evil));
      }
    }
    return BuildReply(id, flags, name, type, answers);
  }

  void PumpUdp() {
    for (int i = 0; i < 100; i++) {
      char buf[2048];
      union socket_address from;
      socklen_t flen = sizeof(from);
      ssize_t n = recvfrom(udp_, buf, sizeof(buf), 0, &from.sa, &flen);
      if (n <= 0) return;
      std::vector<std::string> forged;
      std::string reply =
          Handle(std::string(buf, static_cast<size_t>(n)), false, &forged);
      for (auto &f : forged)
        sendto(udp_, f.data(), f.size(), 0, &from.sa, flen);
      if ((spoof & kWrongPort) && !reply.empty()) {
        // A right-looking reply from another port: it must be dropped (the
        // query's socket is connected to the nameserver's address).
        std::vector<Rec> e = {{seen.back().name, MG_DNS_A_RECORD, "6.6.6.6"}};
        std::string evil = BuildReply(seen.back().id, 0x8180, seen.back().name,
                                      seen.back().type, e);
        if (sendto(spoof_, evil.data(), evil.size(), 0, &from.sa, flen) ==
            static_cast<ssize_t>(evil.size())) {
          forged_sent++;
        }
      }
      for (int k = 0; k < udp_copies && !reply.empty(); k++) {
        sendto(udp_, reply.data(), reply.size(), 0, &from.sa, flen);
      }
    }
  }

  // Reads and answers frames on a TCP connection. False when it is done.
  bool PumpTcp(int c, std::string *in) {
    char buf[4096];
    ssize_t n;
    while ((n = read(c, buf, sizeof(buf))) > 0)
      in->append(buf, static_cast<size_t>(n));
    if (n == 0) return false;
    while (in->size() >= 2) {
      size_t len = (static_cast<unsigned char>((*in)[0]) << 8) |
                   static_cast<unsigned char>((*in)[1]);
      if (in->size() < 2 + len) break;
      std::string reply = Handle(in->substr(2, len), true, nullptr);
      in->erase(0, 2 + len);
      if (reply.empty()) continue;
      size_t announced = tcp_short ? reply.size() + 100 : reply.size();
      std::string framed = std::string{static_cast<char>(announced >> 8),
                                       static_cast<char>(announced & 0xff)} +
                           reply;
      if (write(c, framed.data(), framed.size()) !=
          static_cast<ssize_t>(framed.size()))
        return false;
    }
    return true;
  }

  int family_ = AF_INET, port_ = 0, udp_ = -1, tcp_ = -1, spoof_ = -1;
  std::map<int, std::string> conns_;
};

// ---- Results ----

struct Result {
  int calls = 0;
  enum mg_resolve_err err = MG_RESOLVE_OK;
  bool msg_null = true;
  std::vector<std::string> addrs;   // A/AAAA answers, in order
  std::vector<std::string> cnames;  // CNAME targets
  double at = 0;                    // when the callback came
};

void OnResolved(struct mg_dns_message *msg, void *data,
                enum mg_resolve_err err) {
  Result *r = static_cast<Result *>(data);
  r->calls++;
  r->err = err;
  r->msg_null = msg == nullptr;
  r->at = mg_time();
  if (msg == nullptr) return;
  for (int i = 0; i < msg->num_answers; i++) {
    struct mg_dns_resource_record *rr = &msg->answers[i];
    char buf[256] = "";
    if (rr->rtype == MG_DNS_A_RECORD) {
      struct in_addr ina;
      if (mg_dns_parse_record_data(msg, rr, &ina, sizeof(ina)) == 0)
        inet_ntop(AF_INET, &ina, buf, sizeof(buf));
      r->addrs.push_back(buf);
    } else if (rr->rtype == MG_DNS_AAAA_RECORD) {
      struct in6_addr in6;
      if (mg_dns_parse_record_data(msg, rr, &in6, sizeof(in6)) == 0)
        inet_ntop(AF_INET6, &in6, buf, sizeof(buf));
      r->addrs.push_back(buf);
    } else if (rr->rtype == MG_DNS_CNAME_RECORD) {
      mg_dns_parse_record_data(msg, rr, buf, sizeof(buf));
      r->cnames.push_back(buf);
    }
  }
}

std::string TmpFile(const std::string &name, const std::string &content) {
  const char *dir = getenv("TEST_TMPDIR");
  std::string path = std::string(dir ? dir : "/tmp") + "/" + name;
  std::ofstream(path) << content;
  return path;
}

class ResolvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("MG_TEST_NO_EXTERNAL", "1", 1);
    ASSERT_TRUE(dns_.Start());
    dns_.zone["host.test"] = {{"host.test", MG_DNS_A_RECORD, "1.2.3.4"},
                              {"host.test", MG_DNS_AAAA_RECORD, "2001:db8::1"}};
    dns_.zone["alias.test"] = {{"alias.test", MG_DNS_CNAME_RECORD, "mid.test"},
                               {"mid.test", MG_DNS_CNAME_RECORD, "host.test"},
                               {"host.test", MG_DNS_A_RECORD, "1.2.3.4"}};
    dns_.zone["short.test"] = {
        {"short.test", MG_DNS_CNAME_RECORD, "host.test"}};
    dns_.zone["loop1.test"] = {
        {"loop1.test", MG_DNS_CNAME_RECORD, "loop2.test"}};
    dns_.zone["loop2.test"] = {
        {"loop2.test", MG_DNS_CNAME_RECORD, "loop1.test"}};
    dns_.zone["www.corp.test"] = {
        {"www.corp.test", MG_DNS_A_RECORD, "5.6.7.8"}};
    dns_.zone["svc.test"] = {{"svc.test", MG_DNS_A_RECORD, "127.0.0.1"}};
    dns_.zone["v6only.test"] = {{"v6only.test", MG_DNS_AAAA_RECORD, "::1"}};
    for (int i = 1; i <= 40; i++) {
      dns_.zone["big.test"].push_back(
          {"big.test", MG_DNS_A_RECORD, "10.9.0." + std::to_string(i)});
    }
    dns_.truncate_udp.insert("big.test");
    WriteConf("nameserver " + dns_.Addr() + "\n");
    setenv("MG_HOSTS_FILE",
           TmpFile("hosts", "127.0.0.1 fromhosts.test\n").c_str(), 1);
    mg_mgr_init(&mgr_, nullptr);
  }
  void TearDown() override {
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      if (c->handler != nullptr && c->user_data == &conn_) c->handler = nullptr;
    }
    mg_mgr_free(&mgr_);
    unsetenv("MG_RESOLV_CONF");
    unsetenv("MG_HOSTS_FILE");
  }
  // Used when the manager first resolves.
  void WriteConf(const std::string &content) {
    setenv("MG_RESOLV_CONF", TmpFile("resolv.conf", content).c_str(), 1);
  }
  // Polls the manager and every fake server until pred() or seconds pass.
  bool Wait(const std::function<bool()> &pred, double seconds = 10,
            std::vector<FakeDns *> more = {}) {
    return mgtest::PollUntil(
        &mgr_,
        [&] {
          dns_.Pump();
          for (FakeDns *d : more) d->Pump();
          return pred();
        },
        seconds);
  }
  Result Resolve(const char *name, int type, struct mg_resolve_async_opts opts,
                 std::vector<FakeDns *> more = {}) {
    Result r;
    EXPECT_EQ(0, mg_resolve_async_opt(&mgr_, name, type, OnResolved, &r, opts));
    EXPECT_TRUE(Wait([&] { return r.calls > 0; }, 15, more)) << name;
    Drain(more);
    EXPECT_EQ(1, r.calls);
    return r;
  }
  Result Resolve(const char *name, int type) {
    struct mg_resolve_async_opts opts;
    memset(&opts, 0, sizeof(opts));
    return Resolve(name, type, opts);
  }
  // Lets the manager settle: query connections close after the callback.
  void Drain(std::vector<FakeDns *> more = {}) {
    Wait([] { return false; }, 0.05, more);
  }
  int Connections() {
    int n = 0;
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c))
      n++;
    return n;
  }
  static struct mg_resolve_async_opts Opts(int timeout, int max_retries) {
    struct mg_resolve_async_opts o;
    memset(&o, 0, sizeof(o));
    o.timeout = timeout;
    o.max_retries = max_retries;
    return o;
  }

  // mg_connect() state.
  struct Conn {
    int status = -1;
    std::string peer;
  } conn_;
  static void OnConnect(struct mg_connection *c, int ev, void *ev_data) {
    if (ev != MG_EV_CONNECT) return;
    Conn *s = static_cast<Conn *>(c->user_data);
    s->status = *static_cast<int *>(ev_data);
    char buf[100];
    mg_sock_addr_to_str(&c->sa, buf, sizeof(buf),
                        MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT);
    s->peer = buf;
    c->flags |= MG_F_CLOSE_IMMEDIATELY;
  }
  static void Ignore(struct mg_connection *, int, void *) {}
  struct mg_connection *ConnectByName(const std::string &addr,
                                      const char *nameserver = nullptr) {
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = &conn_;
    o.nameserver = nameserver;
    return mg_connect_opt(&mgr_, addr.c_str(), OnConnect, o);
  }

  FakeDns dns_;
  struct mg_mgr mgr_;
};

TEST_F(ResolvTest, ResolvesA) {
  Result r = Resolve("host.test", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_FALSE(r.msg_null);
  EXPECT_EQ((std::vector<std::string>{"1.2.3.4"}), r.addrs);
  ASSERT_EQ(1u, dns_.seen.size());
  EXPECT_FALSE(dns_.seen[0].tcp);
  EXPECT_EQ(0, Connections());  // the query's connections are gone
}

TEST_F(ResolvTest, ResolvesAAAA) {
  Result r = Resolve("host.test", MG_DNS_AAAA_RECORD);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_EQ((std::vector<std::string>{"2001:db8::1"}), r.addrs);
  EXPECT_EQ(MG_DNS_AAAA_RECORD, dns_.seen[0].type);
}

TEST_F(ResolvTest, NameIsCaseInsensitive) {
  Result r = Resolve("HOST.Test", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_NO_ANSWERS,
            r.err);  // the fake zone is case-sensitive...
  dns_.zone["HOST.Test"] = {{"host.test", MG_DNS_A_RECORD, "1.2.3.4"}};
  r = Resolve("HOST.Test", MG_DNS_A_RECORD);  // ...but the match is not
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
}

TEST_F(ResolvTest, IPv6Nameserver) {
  FakeDns six;
  if (!six.Start(AF_INET6)) GTEST_SKIP() << "no IPv6 loopback here";
  six.zone["host.test"] = {{"host.test", MG_DNS_A_RECORD, "9.9.9.9"}};
  struct mg_resolve_async_opts opts = Opts(0, 0);
  std::string ns = six.Addr();
  opts.nameserver = ns.c_str();
  Result r = Resolve("host.test", MG_DNS_A_RECORD, opts, {&six});
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_EQ((std::vector<std::string>{"9.9.9.9"}), r.addrs);
  EXPECT_EQ(1u, six.seen.size());
  EXPECT_EQ(0u, dns_.seen.size());
}

TEST_F(ResolvTest, TcpNameserver) {
  struct mg_resolve_async_opts opts = Opts(0, 0);
  std::string ns = "tcp://" + dns_.Addr();
  opts.nameserver = ns.c_str();
  Result r = Resolve("host.test", MG_DNS_A_RECORD, opts);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  ASSERT_EQ(1u, dns_.seen.size());
  EXPECT_TRUE(dns_.seen[0].tcp);
}

TEST_F(ResolvTest, SetNameserver) {
  FakeDns other;
  ASSERT_TRUE(other.Start());
  other.zone["host.test"] = {{"host.test", MG_DNS_A_RECORD, "8.7.6.5"}};
  mg_set_nameserver(&mgr_, other.Addr().c_str());
  Result r = Resolve("host.test", MG_DNS_A_RECORD, Opts(0, 0), {&other});
  EXPECT_EQ((std::vector<std::string>{"8.7.6.5"}), r.addrs);
  EXPECT_EQ(0u, dns_.seen.size());
  mg_set_nameserver(&mgr_, nullptr);  // back to resolv.conf
  r = Resolve("host.test", MG_DNS_A_RECORD, Opts(0, 0), {&other});
  EXPECT_EQ((std::vector<std::string>{"1.2.3.4"}), r.addrs);
}

TEST_F(ResolvTest, CnameChainInOneReply) {
  Result r = Resolve("alias.test", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_EQ((std::vector<std::string>{"mid.test", "host.test"}), r.cnames);
  EXPECT_EQ((std::vector<std::string>{"1.2.3.4"}), r.addrs);
  EXPECT_EQ(1u, dns_.seen.size());
}

TEST_F(ResolvTest, CnameTargetQueriedWhenReplyStopsShort) {
  Result r = Resolve("short.test", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_EQ((std::vector<std::string>{"1.2.3.4"}), r.addrs);
  ASSERT_EQ(2u, dns_.seen.size());
  EXPECT_EQ("short.test", dns_.seen[0].name);
  EXPECT_EQ("host.test", dns_.seen[1].name);
  EXPECT_NE(dns_.seen[0].id, dns_.seen[1].id);
}

TEST_F(ResolvTest, CnameLoopEnds) {
  Result r = Resolve("loop1.test", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_NO_ANSWERS, r.err);
  EXPECT_TRUE(r.msg_null);
  EXPECT_LE(dns_.seen.size(), 10u);
}

TEST_F(ResolvTest, TruncatedUdpReplyRetriedOverTcp) {
  Result r = Resolve("big.test", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_EQ(static_cast<size_t>(MG_MAX_DNS_ANSWERS),
            r.addrs.size());  // 40 sent, 32 kept
  EXPECT_EQ("10.9.0.1", r.addrs[0]);
  ASSERT_EQ(2u, dns_.seen.size());
  EXPECT_FALSE(dns_.seen[0].tcp);
  EXPECT_TRUE(dns_.seen[1].tcp);
  EXPECT_EQ(dns_.seen[0].id, dns_.seen[1].id);
}

TEST_F(ResolvTest, RepeatedTruncatedRepliesAskTcpOnce) {
  // A flood of TC replies must not re-ask over TCP each time nor push the
  // timeout back: one TCP query per try, then the end.
  dns_.udp_copies = 5;
  dns_.tcp_silent = true;
  double start = mg_time();
  Result r = Resolve("big.test", MG_DNS_A_RECORD, Opts(1, -1));
  EXPECT_EQ(MG_RESOLVE_EXCEEDED_RETRY_COUNT, r.err);
  EXPECT_LT(r.at - start, 3);
  ASSERT_EQ(2u, dns_.seen.size());
  EXPECT_FALSE(dns_.seen[0].tcp);
  EXPECT_TRUE(dns_.seen[1].tcp);
}

TEST_F(ResolvTest, TcpLengthPrefixLargerThanReply) {
  // The TCP reply never completes: no answer is taken from it and the try
  // ends by its timeout.
  dns_.tcp_short = true;
  double start = mg_time();
  Result r = Resolve("big.test", MG_DNS_A_RECORD, Opts(1, -1));
  EXPECT_EQ(MG_RESOLVE_EXCEEDED_RETRY_COUNT, r.err);
  EXPECT_TRUE(r.msg_null);
  EXPECT_GE(r.at - start, 0.9);
  EXPECT_TRUE(dns_.seen.back().tcp);
}

TEST_F(ResolvTest, NxdomainAndNoData) {
  Result r = Resolve("nothere.test", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_NO_ANSWERS, r.err);
  EXPECT_TRUE(r.msg_null);
  r = Resolve("host.test", MG_DNS_MX_RECORD);
  EXPECT_EQ(MG_RESOLVE_NO_ANSWERS, r.err);
  EXPECT_EQ(2u, dns_.seen.size());  // no retries for a definite answer
}

TEST_F(ResolvTest, TimeoutAfterRetries) {
  dns_.black_hole = true;
  double start = mg_time();
  Result r = Resolve("host.test", MG_DNS_A_RECORD, Opts(1, 1));
  EXPECT_EQ(MG_RESOLVE_EXCEEDED_RETRY_COUNT, r.err);
  EXPECT_TRUE(r.msg_null);
  EXPECT_EQ(2u, dns_.seen.size());  // the first try and one retry
  EXPECT_EQ(dns_.seen[0].id, dns_.seen[1].id);
  EXPECT_GE(r.at - start, 1.9);
}

// The defaults (5 s per try, 2 retries) on a test clock: each retry goes
// out when its try's 5 s have passed, not before, and the end comes after
// 15 simulated seconds, in far less real time.
TEST_F(ResolvTest, RetryTimeoutOnTestClock) {
  mgtest::TestClock clock(&mgr_);
  mgtest::RealTimer real;
  dns_.black_hole = true;
  Result r;
  struct mg_resolve_async_opts opts = Opts(0, 0);
  ASSERT_EQ(0, mg_resolve_async_opt(&mgr_, "host.test", MG_DNS_A_RECORD,
                                    OnResolved, &r, opts));
  ASSERT_TRUE(Wait([&] { return dns_.seen.size() == 1; }));
  auto settle = [&] {  // the clock standing still: only what is due
    for (int i = 0; i < 20; i++) {
      mg_mgr_poll(&mgr_, 0);
      dns_.Pump();
    }
  };
  for (size_t tries = 1; tries <= 3; tries++) {
    clock.Advance(4.75);
    settle();
    EXPECT_EQ(tries, dns_.seen.size()) << "a retry before its time";
    EXPECT_EQ(0, r.calls);
    clock.Advance(0.25);  // this try's 5 s
    if (tries < 3) {
      ASSERT_TRUE(Wait([&] { return dns_.seen.size() == tries + 1; }));
    }
  }
  ASSERT_TRUE(Wait([&] { return r.calls == 1; }));
  EXPECT_EQ(MG_RESOLVE_EXCEEDED_RETRY_COUNT, r.err);
  EXPECT_EQ(3u, dns_.seen.size());
  EXPECT_EQ(clock.Now() - mgtest::TestClock::kDefaultStart, 15.0);
  printf("15 simulated seconds in %.3f real seconds\n", real.Seconds());
  EXPECT_LT(real.Seconds(), 5.0);
}

TEST_F(ResolvTest, NoRetryWhenNegative) {
  dns_.black_hole = true;
  Result r = Resolve("host.test", MG_DNS_A_RECORD, Opts(1, -1));
  EXPECT_EQ(MG_RESOLVE_EXCEEDED_RETRY_COUNT, r.err);
  EXPECT_EQ(1u, dns_.seen.size());
}

TEST_F(ResolvTest, RetryGetsTheAnswer) {
  dns_.drop = 1;
  Result r = Resolve("host.test", MG_DNS_A_RECORD, Opts(1, 2));
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_EQ((std::vector<std::string>{"1.2.3.4"}), r.addrs);
  EXPECT_EQ(2u, dns_.seen.size());
}

TEST_F(ResolvTest, ResolvConfTimeoutAndAttempts) {
  WriteConf("nameserver " + dns_.Addr() + "\noptions timeout:1 attempts:3\n");
  dns_.black_hole = true;
  double start = mg_time();
  Result r = Resolve("host.test", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_EXCEEDED_RETRY_COUNT, r.err);
  EXPECT_EQ(3u, dns_.seen.size());
  EXPECT_GE(r.at - start, 2.9);
  EXPECT_LT(r.at - start, 6);
}

TEST_F(ResolvTest, NextNameserverAfterTimeout) {
  FakeDns dead, good;
  ASSERT_TRUE(dead.Start());
  ASSERT_TRUE(good.Start());
  dead.black_hole = true;
  good.zone["host.test"] = {{"host.test", MG_DNS_A_RECORD, "4.4.4.4"}};
  WriteConf("nameserver " + dead.Addr() + "\nnameserver " + good.Addr() + "\n");
  Result r = Resolve("host.test", MG_DNS_A_RECORD, Opts(1, 0), {&dead, &good});
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_EQ((std::vector<std::string>{"4.4.4.4"}), r.addrs);
  EXPECT_EQ(1u, dead.seen.size());
  EXPECT_EQ(1u, good.seen.size());
}

TEST_F(ResolvTest, NextNameserverAtOnceAfterServfail) {
  FakeDns failing;
  ASSERT_TRUE(failing.Start());
  failing.rcode["host.test"] = MG_DNS_RCODE_SERVFAIL;
  std::string list = failing.Addr() + "," + dns_.Addr();
  struct mg_resolve_async_opts opts = Opts(5, 0);
  opts.nameserver = list.c_str();
  double start = mg_time();
  Result r = Resolve("host.test", MG_DNS_A_RECORD, opts, {&failing});
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_LT(r.at - start, 2);  // no waiting for a timeout
  // All servers failing: a definite "no", not a timeout.
  dns_.rcode["host.test"] = MG_DNS_RCODE_REFUSED;
  r = Resolve("host.test", MG_DNS_A_RECORD, opts, {&failing});
  EXPECT_EQ(MG_RESOLVE_NO_ANSWERS, r.err);
}

TEST_F(ResolvTest, RefusedPortMovesOn) {
  // Nothing listens on the first server's port: ICMP port unreachable
  // closes that query's socket and the next server is asked at once.
  FakeDns closed;
  ASSERT_TRUE(closed.Start());
  std::string list = closed.Addr() + "," + dns_.Addr();
  closed.Stop();
  struct mg_resolve_async_opts opts = Opts(5, 0);
  opts.nameserver = list.c_str();
  double start = mg_time();
  Result r = Resolve("host.test", MG_DNS_A_RECORD, opts);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_LT(r.at - start, 2);
}

// Each forgery reaches the resolver before the real reply, which alone
// must be taken (the forgeries say 6.6.6.6).
class SpoofTest : public ResolvTest,
                  public ::testing::WithParamInterface<int> {};

TEST_P(SpoofTest, ForgedReplyIgnored) {
  dns_.spoof = GetParam();
  Result r = Resolve("host.test", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_EQ((std::vector<std::string>{"1.2.3.4"}), r.addrs);
  EXPECT_EQ(1u, dns_.seen.size());
  if (GetParam() & FakeDns::kWrongPort) {
    EXPECT_EQ(1, dns_.forged_sent);
  }
}

INSTANTIATE_TEST_SUITE_P(Forgeries, SpoofTest,
                         ::testing::Values(FakeDns::kWrongId,
                                           FakeDns::kNotResponse,
                                           FakeDns::kWrongName,
                                           FakeDns::kWrongType,
                                           FakeDns::kWrongPort, 31),
                         [](const ::testing::TestParamInfo<int> &i) {
                           switch (i.param) {
                             case FakeDns::kWrongId:
                               return std::string("WrongId");
                             case FakeDns::kNotResponse:
                               return std::string("NotAResponse");
                             case FakeDns::kWrongName:
                               return std::string("WrongQuestionName");
                             case FakeDns::kWrongType:
                               return std::string("WrongQuestionType");
                             case FakeDns::kWrongPort:
                               return std::string("WrongSourcePort");
                             default:
                               return std::string("AllAtOnce");
                           }
                         });

TEST_F(ResolvTest, AddressOfWrongLengthIsNoAnswer) {
  dns_.zone["bad4.test"] = {{"bad4.test", MG_DNS_A_RECORD, "raw:12345"}};
  dns_.zone["bad6.test"] = {{"bad6.test", MG_DNS_AAAA_RECORD, "raw:1234"}};
  dns_.zone["mixed.test"] = {{"mixed.test", MG_DNS_A_RECORD, "raw:123"},
                             {"mixed.test", MG_DNS_A_RECORD, "9.8.7.6"}};
  Result r = Resolve("bad4.test", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_NO_ANSWERS, r.err);
  r = Resolve("bad6.test", MG_DNS_AAAA_RECORD);
  EXPECT_EQ(MG_RESOLVE_NO_ANSWERS, r.err);
  r = Resolve("mixed.test", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_EQ((std::vector<std::string>{"", "9.8.7.6"}),
            r.addrs);  // the bad one unreadable
  // mg_connect() skips it too.
  struct mg_connection *l = mg_bind(&mgr_, "tcp://127.0.0.1:0", Ignore);
  dns_.zone["svc2.test"] = {{"svc2.test", MG_DNS_A_RECORD, "raw:\x7f"},
                            {"svc2.test", MG_DNS_A_RECORD, "127.0.0.1"}};
  ASSERT_NE(nullptr,
            ConnectByName("svc2.test:" + std::to_string(LocalPort(l))));
  ASSERT_TRUE(Wait([&] { return conn_.status >= 0; }));
  EXPECT_EQ(0, conn_.status);
}

TEST_F(ResolvTest, SeveralOutstandingQueries) {
  const int n = 25;
  std::vector<Result> results(n);
  for (int i = 0; i < n; i++) {
    std::string name = "n" + std::to_string(i) + ".multi.test";
    dns_.zone[name] = {{name, MG_DNS_A_RECORD, "10.0.0." + std::to_string(i)}};
  }
  dns_.drop = 3;  // a few of them need a retry
  for (int i = 0; i < n; i++) {
    std::string name = "n" + std::to_string(i) + ".multi.test";
    ASSERT_EQ(0, mg_resolve_async_opt(&mgr_, name.c_str(), MG_DNS_A_RECORD,
                                      OnResolved, &results[i], Opts(1, 2)));
  }
  ASSERT_TRUE(Wait([&] {
    for (auto &r : results) {
      if (r.calls == 0) return false;
    }
    return true;
  }));
  for (int i = 0; i < n; i++) {
    EXPECT_EQ(1, results[i].calls);
    EXPECT_EQ(MG_RESOLVE_OK, results[i].err);
    EXPECT_EQ((std::vector<std::string>{"10.0.0." + std::to_string(i)}),
              results[i].addrs);
  }
}

TEST_F(ResolvTest, SearchListAndNdots) {
  WriteConf("nameserver " + dns_.Addr() +
            "\nsearch corp.test other.test\noptions ndots:2\n");
  Result r = Resolve("www", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  EXPECT_EQ((std::vector<std::string>{"5.6.7.8"}), r.addrs);
  ASSERT_EQ(1u, dns_.seen.size());
  EXPECT_EQ("www.corp.test", dns_.seen[0].name);
  // Fewer dots than ndots: the search list first, the name as is last.
  dns_.seen.clear();
  r = Resolve("x.nothere", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_NO_ANSWERS, r.err);
  ASSERT_EQ(3u, dns_.seen.size());
  EXPECT_EQ("x.nothere.corp.test", dns_.seen[0].name);
  EXPECT_EQ("x.nothere.other.test", dns_.seen[1].name);
  EXPECT_EQ("x.nothere", dns_.seen[2].name);
  // Enough dots: as is first.
  dns_.seen.clear();
  r = Resolve("a.b.nothere", MG_DNS_A_RECORD);
  ASSERT_EQ(3u, dns_.seen.size());
  EXPECT_EQ("a.b.nothere", dns_.seen[0].name);
  // A trailing dot: absolute, no search.
  dns_.seen.clear();
  r = Resolve("www.", MG_DNS_A_RECORD);
  EXPECT_EQ(MG_RESOLVE_NO_ANSWERS, r.err);
  ASSERT_EQ(1u, dns_.seen.size());
  EXPECT_EQ("www", dns_.seen[0].name);
}

TEST_F(ResolvTest, DnsConnClosedCancels) {
  dns_.black_hole = true;
  Result r;
  struct mg_connection *dc = nullptr;
  struct mg_resolve_async_opts opts = Opts(5, 0);
  opts.dns_conn = &dc;
  ASSERT_EQ(0, mg_resolve_async_opt(&mgr_, "host.test", MG_DNS_A_RECORD,
                                    OnResolved, &r, opts));
  ASSERT_NE(nullptr, dc);
  Wait([&] { return !dns_.seen.empty(); });
  dc->flags |= MG_F_CLOSE_IMMEDIATELY;
  ASSERT_TRUE(Wait([&] { return r.calls > 0; }, 2));
  EXPECT_EQ(MG_RESOLVE_TIMEOUT, r.err);
  EXPECT_TRUE(r.msg_null);
  Drain();
  EXPECT_EQ(0, Connections());
}

TEST_F(ResolvTest, ManagerFreedWithQueriesOutstanding) {
  dns_.black_hole = true;
  Result a, b;
  ASSERT_EQ(
      0, mg_resolve_async(&mgr_, "host.test", MG_DNS_A_RECORD, OnResolved, &a));
  ASSERT_EQ(0, mg_resolve_async(&mgr_, "other.test", MG_DNS_AAAA_RECORD,
                                OnResolved, &b));
  Wait([&] { return dns_.seen.size() == 2; });
  mg_mgr_free(&mgr_);
  EXPECT_EQ(1, a.calls);
  EXPECT_EQ(MG_RESOLVE_TIMEOUT, a.err);
  EXPECT_EQ(1, b.calls);
  mg_mgr_init(&mgr_, nullptr);  // for TearDown
}

// Our own server (the dns_server plugin) in the same manager, on UDP and
// TCP: 32 A records do not fit in 512 bytes, so mg_dns_send_reply() sends
// TC over UDP and the resolver asks again over TCP.
void OwnServer(struct mg_connection *c, int ev, void *ev_data) {
  if (ev != MG_DNS_MESSAGE) return;
  auto *msg = static_cast<struct mg_dns_message *>(ev_data);
  if (msg->flags & MG_DNS_FLAG_QR) return;
  struct mg_dns_reply reply = mg_dns_create_reply(&c->send_mbuf, msg);
  for (int k = 0; k < MG_MAX_DNS_ANSWERS && msg->num_questions == 1; k++) {
    unsigned char a[4] = {10, 7, 0, static_cast<unsigned char>(k + 1)};
    mg_dns_reply_record(&reply, &msg->questions[0], nullptr, MG_DNS_A_RECORD,
                        60, a, 4);
  }
  mg_dns_send_reply(c, &reply);
}

TEST_F(ResolvTest, AgainstOwnServerWithTruncation) {
  std::string port;
  for (int i = 0; i < 20 && port.empty(); i++) {
    struct mg_connection *u = mg_bind(&mgr_, "udp://127.0.0.1:0", OwnServer);
    ASSERT_NE(nullptr, u);
    std::string p = std::to_string(LocalPort(u));
    struct mg_connection *t =
        mg_bind(&mgr_, ("tcp://127.0.0.1:" + p).c_str(), OwnServer);
    if (t == nullptr) {
      u->flags |= MG_F_CLOSE_IMMEDIATELY;
      continue;
    }
    mg_set_protocol_dns(u);
    mg_set_protocol_dns(t);
    port = p;
  }
  ASSERT_FALSE(port.empty());
  struct mg_resolve_async_opts opts = Opts(0, 0);
  std::string ns = "127.0.0.1:" + port;
  opts.nameserver = ns.c_str();
  Result r = Resolve("anything.own", MG_DNS_A_RECORD, opts);
  EXPECT_EQ(MG_RESOLVE_OK, r.err);
  ASSERT_EQ(static_cast<size_t>(MG_MAX_DNS_ANSWERS),
            r.addrs.size());  // all: over TCP
  EXPECT_EQ("10.7.0.32", r.addrs.back());
}

// ---- mg_connect() to a name ----

TEST_F(ResolvTest, ConnectResolvesName) {
  struct mg_connection *l = mg_bind(&mgr_, "tcp://127.0.0.1:0", Ignore);
  ASSERT_NE(nullptr, l);
  std::string port = std::to_string(LocalPort(l));
  ASSERT_NE(nullptr, ConnectByName("svc.test:" + port));
  ASSERT_TRUE(Wait([&] { return conn_.status >= 0; }));
  EXPECT_EQ(0, conn_.status);
  EXPECT_EQ("127.0.0.1:" + port, conn_.peer);
  ASSERT_EQ(1u, dns_.seen.size());
  EXPECT_EQ("svc.test", dns_.seen[0].name);
}

TEST_F(ResolvTest, ConnectUsesHostsFileFirst) {
  struct mg_connection *l = mg_bind(&mgr_, "tcp://127.0.0.1:0", Ignore);
  std::string port = std::to_string(LocalPort(l));
  ASSERT_NE(nullptr, ConnectByName("tcp://FromHosts.test:" + port));
  ASSERT_TRUE(Wait([&] { return conn_.status >= 0; }));
  EXPECT_EQ(0, conn_.status);
  EXPECT_EQ(0u, dns_.seen.size());  // no DNS query at all
}

TEST_F(ResolvTest, ConnectFallsBackToAAAA) {
  struct mg_connection *l = mg_bind(&mgr_, "tcp://[::1]:0", Ignore);
  if (l == nullptr) GTEST_SKIP() << "no IPv6 loopback here";
  std::string port = std::to_string(LocalPort(l));
  ASSERT_NE(nullptr, ConnectByName("v6only.test:" + port));
  ASSERT_TRUE(Wait([&] { return conn_.status >= 0; }));
  EXPECT_EQ(0, conn_.status);
  EXPECT_EQ("[::1]:" + port, conn_.peer);
  ASSERT_EQ(2u, dns_.seen.size());
  EXPECT_EQ(MG_DNS_A_RECORD, dns_.seen[0].type);
  EXPECT_EQ(MG_DNS_AAAA_RECORD, dns_.seen[1].type);
}

TEST_F(ResolvTest, ConnectToUnknownNameFails) {
  ASSERT_NE(nullptr, ConnectByName("nothere.test:80"));
  ASSERT_TRUE(Wait([&] { return conn_.status >= 0; }));
  EXPECT_EQ(ENXIO, conn_.status);
  Drain();
  EXPECT_EQ(0, Connections());
}

TEST_F(ResolvTest, ConnectTimesOut) {
  WriteConf("nameserver " + dns_.Addr() + "\noptions timeout:1 attempts:1\n");
  dns_.black_hole = true;
  ASSERT_NE(nullptr, ConnectByName("svc.test:80"));
  ASSERT_TRUE(Wait([&] { return conn_.status >= 0; }));
  EXPECT_EQ(ETIMEDOUT, conn_.status);
}

TEST_F(ResolvTest, ConnectOptsNameserver) {
  FakeDns other;
  ASSERT_TRUE(other.Start());
  other.zone["elsewhere.test"] = {
      {"elsewhere.test", MG_DNS_A_RECORD, "127.0.0.1"}};
  struct mg_connection *l = mg_bind(&mgr_, "tcp://127.0.0.1:0", Ignore);
  std::string port = std::to_string(LocalPort(l));
  std::string ns = "udp://" + other.Addr();
  ASSERT_NE(nullptr, ConnectByName("elsewhere.test:" + port, ns.c_str()));
  ASSERT_TRUE(Wait([&] { return conn_.status >= 0; }, 10, {&other}));
  EXPECT_EQ(0, conn_.status);
  EXPECT_EQ(1u, other.seen.size());
  EXPECT_EQ(0u, dns_.seen.size());
}

TEST_F(ResolvTest, ConnectionClosedWhileResolving) {
  dns_.black_hole = true;
  struct mg_connection *c = ConnectByName("svc.test:80");
  ASSERT_NE(nullptr, c);
  Wait([&] { return !dns_.seen.empty(); });
  EXPECT_TRUE(c->flags & MG_F_RESOLVING);
  c->flags |= MG_F_CLOSE_IMMEDIATELY;
  Drain();
  Drain();
  EXPECT_EQ(0, Connections());  // the query went with it
  EXPECT_EQ(-1, conn_.status);
}

}  // namespace
