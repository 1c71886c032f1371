// The dns layer on a connection (conn.c) over loopback: UDP datagrams and
// TCP length-prefixed frames in, MG_DNS_MESSAGE out; FORMERR for malformed
// queries; partial frames. Cases that differ only in data are tables.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "mongoose.h"
#include "testing/util/test_util.h"

using mgtest::LocalPort;
using mgtest::PollFor;
using mgtest::PollUntil;

namespace {

// What a handler saw (user_data).
struct Seen {
  std::vector<std::string> names;  // first question's name per message
  std::vector<int> types;          // its type
  std::vector<uint16_t> ids;       // transaction ids
  std::vector<uint16_t> flags;     // header flags
  std::vector<int> answers;        // num_answers
  int recv_events = 0;             // MG_EV_RECV seen above the layer
  int closed = 0;                  // MG_EV_CLOSE
};

Seen *seen(struct mg_connection *c) {
  return static_cast<Seen *>(c->user_data);
}

void Record(struct mg_connection *c, int ev, void *ev_data) {
  Seen *s = seen(c);
  if (s == nullptr) return;
  if (ev == MG_EV_RECV) s->recv_events++;
  if (ev == MG_EV_CLOSE) s->closed++;
  if (ev != MG_DNS_REQUEST) return;  // the same event as MG_DNS_MESSAGE
  auto *msg = static_cast<struct mg_dns_message *>(ev_data);
  char name[256] = "";
  if (msg->num_questions > 0) {
    mg_dns_uncompress_name(msg, &msg->questions[0].name, name, sizeof(name));
  }
  s->names.push_back(name);
  s->types.push_back(msg->num_questions > 0 ? msg->questions[0].rtype : -1);
  s->ids.push_back(msg->transaction_id);
  s->flags.push_back(msg->flags);
  s->answers.push_back(msg->num_answers);
}

// A server that records each query and answers it with 10.0.0.N, using the
// codec directly (header, copied questions, one A answer) in send_mbuf.
void Answer(struct mg_connection *c, int ev, void *ev_data) {
  Record(c, ev, ev_data);
  if (ev != MG_DNS_MESSAGE) return;
  auto *msg = static_cast<struct mg_dns_message *>(ev_data);
  struct mbuf io;
  mbuf_init(&io, 0);
  msg->flags |= 0x8080;
  msg->num_answers = 1;
  mg_dns_insert_header(&io, 0, msg);
  mg_dns_copy_questions(&io, msg);
  struct mg_dns_resource_record rr = msg->questions[0];
  rr.kind = MG_DNS_ANSWER;
  rr.rtype = MG_DNS_A_RECORD;  // whatever was asked
  rr.ttl = 5;
  unsigned char addr[4] = {10, 0, 0,
                           static_cast<unsigned char>(seen(c)->names.size())};
  char name[256];
  mg_dns_uncompress_name(msg, &rr.name, name, sizeof(name));
  ASSERT_GT(mg_dns_encode_record(&io, &rr, name, strlen(name), addr, 4), 0);
  if (!(c->flags & MG_F_UDP)) {
    char len[2] = {static_cast<char>(io.len >> 8), static_cast<char>(io.len)};
    mg_send(c, len, 2);
  }
  mg_send(c, io.buf, static_cast<int>(io.len));
  mbuf_free(&io);
}

class DnsConnTest : public ::testing::Test {
 protected:
  void SetUp() override { mg_mgr_init(&mgr_, nullptr); }
  void TearDown() override {
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      c->handler = nullptr;
    }
    mg_mgr_free(&mgr_);
  }
  struct mg_connection *Listen(const char *addr, mg_event_handler_t h,
                               Seen *s) {
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = s;
    struct mg_connection *c = mg_bind_opt(&mgr_, addr, h, o);
    if (c != nullptr) mg_set_protocol_dns(c);
    return c;
  }
  struct mg_connection *Connect(const std::string &addr, Seen *s) {
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = s;
    struct mg_connection *c = mg_connect_opt(&mgr_, addr.c_str(), Record, o);
    if (c != nullptr) mg_set_protocol_dns(c);
    return c;
  }
  struct mg_mgr mgr_;
};

// One exchange: the queries a client sends over a transport, and whether it
// sends them all before any answer comes.
struct Exchange {
  const char *name;    // the case's name
  const char *scheme;  // "udp" or "tcp"
  bool all_at_once;    // else each query waits for the previous answer
  std::vector<std::pair<std::string, int>> queries;  // name and type
};

class DnsExchangeTest : public DnsConnTest,
                        public ::testing::WithParamInterface<Exchange> {};

TEST_P(DnsExchangeTest, QueryAndAnswer) {
  const Exchange &x = GetParam();
  const std::string scheme = x.scheme;
  Seen srv, cli;
  struct mg_connection *l =
      Listen((scheme + "://127.0.0.1:0").c_str(), Answer, &srv);
  ASSERT_NE(nullptr, l);
  struct mg_connection *c =
      Connect(scheme + "://127.0.0.1:" + std::to_string(LocalPort(l)), &cli);
  ASSERT_NE(nullptr, c);
  std::vector<std::string> names;
  std::vector<int> types;
  for (const auto &q : x.queries) {
    mg_send_dns_query(c, q.first.c_str(), q.second);
    names.push_back(q.first);
    types.push_back(q.second);
    if (!x.all_at_once) {
      ASSERT_TRUE(
          PollUntil(&mgr_, [&] { return cli.names.size() == names.size(); }));
    }
  }
  ASSERT_TRUE(
      PollUntil(&mgr_, [&] { return cli.names.size() == names.size(); }));
  EXPECT_EQ(names, srv.names);
  EXPECT_EQ(types, srv.types);
  // Queries, recursion desired.
  EXPECT_EQ(std::vector<uint16_t>(names.size(), 0x0100), srv.flags);
  EXPECT_EQ(names, cli.names);
  EXPECT_EQ(types, cli.types);  // the answers repeat the questions
  EXPECT_EQ(srv.ids, cli.ids);
  EXPECT_EQ(std::vector<int>(names.size(), 1), cli.answers);
  // The core's events go through too: one MG_EV_RECV per datagram.
  if (scheme == "udp") {
    EXPECT_EQ(static_cast<int>(names.size()), cli.recv_events);
  } else {
    EXPECT_GE(cli.recv_events, 1);
  }
  EXPECT_NE(srv.ids[0], srv.ids[1]);  // random ids: equal once in 65536
}

INSTANTIATE_TEST_SUITE_P(
    Transports, DnsExchangeTest,
    ::testing::Values(Exchange{"udp_one_at_a_time",
                               "udp",
                               false,
                               {{"host.example", MG_DNS_A_RECORD},
                                {"second.example", MG_DNS_AAAA_RECORD}}},
                      // Three queries in one go: the frames arrive together.
                      Exchange{"tcp_three_at_once",
                               "tcp",
                               true,
                               {{"one.example", MG_DNS_A_RECORD},
                                {"two.example", MG_DNS_A_RECORD},
                                {"three.example", MG_DNS_MX_RECORD}}}),
    [](const ::testing::TestParamInfo<Exchange> &i) {
      return std::string(i.param.name);
    });

TEST_F(DnsConnTest, EachUdpPeerGetsItsOwnReply) {
  Seen srv, a, b;
  struct mg_connection *l = Listen("udp://127.0.0.1:0", Answer, &srv);
  ASSERT_NE(nullptr, l);
  std::string addr = "udp://127.0.0.1:" + std::to_string(LocalPort(l));
  struct mg_connection *ca = Connect(addr, &a), *cb = Connect(addr, &b);
  mg_send_dns_query(ca, "a.example", MG_DNS_A_RECORD);
  mg_send_dns_query(cb, "b.example", MG_DNS_A_RECORD);
  ASSERT_TRUE(PollUntil(
      &mgr_, [&] { return a.names.size() == 1 && b.names.size() == 1; }));
  EXPECT_EQ("a.example", a.names[0]);
  EXPECT_EQ("b.example", b.names[0]);
}

// A raw client socket to a listener (TCP or UDP).
int RawSocket(int type, int port) {
  int s = socket(AF_INET, type, 0);
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_port = htons(static_cast<uint16_t>(port));
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(s, reinterpret_cast<struct sockaddr *>(&sin), sizeof(sin)) != 0) {
    close(s);
    return -1;
  }
  fcntl(s, F_SETFL, O_NONBLOCK);
  return s;
}

std::string Query(uint16_t id, const char *name) {
  struct mbuf io;
  mbuf_init(&io, 0);
  struct mg_dns_message msg;
  memset(&msg, 0, sizeof(msg));
  msg.transaction_id = id;
  msg.flags = 0x0100;
  msg.num_questions = 1;
  mg_dns_insert_header(&io, 0, &msg);
  struct mg_dns_resource_record rr;
  memset(&rr, 0, sizeof(rr));
  rr.kind = MG_DNS_QUESTION;
  rr.rtype = 1;
  rr.rclass = 1;
  mg_dns_encode_record(&io, &rr, name, strlen(name), nullptr, 0);
  std::string out(io.buf, io.len);
  mbuf_free(&io);
  return out;
}

std::string Framed(const std::string &m) {
  return std::string{static_cast<char>(m.size() >> 8),
                     static_cast<char>(m.size() & 0xff)} +
         m;
}

// Bytes a raw TCP client writes, in pieces, and what the server makes of
// them.
struct TcpFraming {
  const char *name;                // the case's name
  std::string bytes;               // everything the client writes
  std::vector<size_t> cuts;        // offsets where a write ends (0.1 s apart)
  std::vector<std::string> names;  // messages the server then parses
  std::vector<uint16_t> ids;       // ... and their ids
  bool server_closes;              // the server closes (else it waits)
};

class DnsTcpFramingTest : public DnsConnTest,
                          public ::testing::WithParamInterface<TcpFraming> {};

TEST_P(DnsTcpFramingTest, Frames) {
  const TcpFraming &f = GetParam();
  Seen srv;
  struct mg_connection *l = Listen("tcp://127.0.0.1:0", Record, &srv);
  ASSERT_NE(nullptr, l);
  int s = RawSocket(SOCK_STREAM, LocalPort(l));
  ASSERT_GE(s, 0);
  size_t from = 0;
  for (size_t cut : f.cuts) {
    ASSERT_EQ(static_cast<ssize_t>(cut - from),
              write(s, f.bytes.data() + from, cut - from));
    PollFor(&mgr_, 0.1);
    EXPECT_EQ(0u, srv.names.size());  // an incomplete frame parses nothing
    from = cut;
  }
  ASSERT_EQ(static_cast<ssize_t>(f.bytes.size() - from),
            write(s, f.bytes.data() + from, f.bytes.size() - from));
  if (f.server_closes) {
    ASSERT_TRUE(PollUntil(&mgr_, [&] { return srv.closed == 1; }));
    close(s);
    return;
  }
  if (f.names.empty()) {
    PollFor(&mgr_, 0.3);  // it waits for the rest, parses nothing
  } else {
    ASSERT_TRUE(
        PollUntil(&mgr_, [&] { return srv.names.size() == f.names.size(); }));
  }
  EXPECT_EQ(f.names, srv.names);
  EXPECT_EQ(f.ids, srv.ids);
  close(s);  // the peer goes: the connection just closes
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return srv.closed == 1; }));
  EXPECT_EQ(f.names.size(), srv.names.size());
}

INSTANTIATE_TEST_SUITE_P(
    Tcp, DnsTcpFramingTest,
    ::testing::Values(TcpFraming{"frame_split_across_writes",
                                 Framed(Query(0x4242, "split.example")),
                                 {1, 11},
                                 {"split.example"},
                                 {0x4242},
                                 false},
                      // The prefix announces 4096 bytes.
                      TcpFraming{"length_prefix_larger_than_data",
                                 std::string("\x10\x00", 2) +
                                     Query(7, "short.example"),
                                 {},
                                 {},
                                 {},
                                 false},
                      // Nothing to answer, no way to resynchronise.
                      TcpFraming{"zero_length_frame_closes",
                                 std::string("\0\0", 2),
                                 {},
                                 {},
                                 {},
                                 true}),
    [](const ::testing::TestParamInfo<TcpFraming> &i) {
      return std::string(i.param.name);
    });

// Reads one datagram from a non-blocking socket while polling mgr.
std::string ReadDatagram(struct mg_mgr *mgr, int s) {
  std::string out;
  PollUntil(
      mgr,
      [&] {
        char buf[2048];
        ssize_t n = recv(s, buf, sizeof(buf), 0);
        if (n > 0) out.assign(buf, static_cast<size_t>(n));
        return n > 0;
      },
      5);
  return out;
}

TEST_F(DnsConnTest, EachUdpQueryGetsItsOwnDatagram) {
  // Queries arriving together from one peer reach one child connection in
  // one read loop: the replies must still leave as separate datagrams.
  Seen srv;
  struct mg_connection *l = Listen("udp://127.0.0.1:0", Answer, &srv);
  ASSERT_NE(nullptr, l);
  int s = RawSocket(SOCK_DGRAM, LocalPort(l));
  ASSERT_GE(s, 0);
  for (int i = 0; i < 5; i++) {
    std::string q = Query(static_cast<uint16_t>(100 + i),
                          ("q" + std::to_string(i) + ".example").c_str());
    ASSERT_EQ(static_cast<ssize_t>(q.size()), send(s, q.data(), q.size(), 0));
  }
  std::vector<std::string> got;
  ASSERT_TRUE(PollUntil(&mgr_, [&] {
    char buf[2048];
    ssize_t n;
    while ((n = recv(s, buf, sizeof(buf), 0)) > 0)
      got.emplace_back(buf, static_cast<size_t>(n));
    return got.size() >= 5;
  }));
  PollFor(&mgr_, 0.1);
  char extra[64];
  EXPECT_EQ(-1, recv(s, extra, sizeof(extra), 0));
  ASSERT_EQ(5u, got.size());
  for (int i = 0; i < 5; i++) {
    struct mg_dns_message msg;
    ASSERT_EQ(
        0, mg_parse_dns(got[i].data(), static_cast<int>(got[i].size()), &msg));
    EXPECT_EQ(100 + i, msg.transaction_id);
    EXPECT_EQ(1, msg.num_answers);
    // Nothing after the message: it was not glued to the next one.
    EXPECT_EQ(12u + msg.questions[0].name.len + 4 + 2 + 10 + 4, got[i].size());
  }
  close(s);
}

// A query announcing three questions with one present.
std::string QueryCountsPastRecords() {
  std::string q = Query(0x1357, "x.example");
  q[5] = 3;
  return q;
}

// A malformed query and the FORMERR it gets back.
struct Formerr {
  const char *name;    // the case's name
  int type;            // SOCK_DGRAM or SOCK_STREAM
  std::string query;   // what the client sends
  size_t reply_len;    // bytes of the reply (length prefix included)
  std::string prefix;  // its first bytes: [length,] id, QR
  size_t rcode_at;     // offset of the byte holding RCODE
};

class DnsFormerrTest : public DnsConnTest,
                       public ::testing::WithParamInterface<Formerr> {};

TEST_P(DnsFormerrTest, MalformedQueryGetsFormerr) {
  const Formerr &f = GetParam();
  Seen srv;
  const char *addr =
      f.type == SOCK_DGRAM ? "udp://127.0.0.1:0" : "tcp://127.0.0.1:0";
  struct mg_connection *l = Listen(addr, Record, &srv);
  ASSERT_NE(nullptr, l);
  int s = RawSocket(f.type, LocalPort(l));
  ASSERT_GE(s, 0);
  ASSERT_EQ(static_cast<ssize_t>(f.query.size()),
            send(s, f.query.data(), f.query.size(), 0));
  std::string got;
  ASSERT_TRUE(PollUntil(&mgr_, [&] {
    char buf[64];
    ssize_t n = recv(s, buf, sizeof(buf), 0);
    if (n > 0) got.append(buf, static_cast<size_t>(n));
    return got.size() >= f.reply_len;
  }));
  ASSERT_EQ(f.reply_len, got.size());
  EXPECT_EQ(f.prefix, got.substr(0, f.prefix.size()));
  EXPECT_EQ(1, got[f.rcode_at] & 0x0f);  // FORMERR
  EXPECT_EQ(0u, srv.names.size());
  close(s);
}

INSTANTIATE_TEST_SUITE_P(
    Transports, DnsFormerrTest,
    ::testing::Values(Formerr{"udp_counts_past_the_records", SOCK_DGRAM,
                              QueryCountsPastRecords(), 12,
                              std::string("\x13\x57\x81", 3), 3},
                      // The question's name is a pointer to itself.
                      Formerr{
                          "tcp_name_pointing_at_itself", SOCK_STREAM,
                          Framed(std::string(
                              "\x11\x22\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
                              "\xc0\x0c\0\1\0\1",
                              18)),
                          14, std::string("\x00\x0c\x11\x22\x81", 5), 5}),
    [](const ::testing::TestParamInfo<Formerr> &i) {
      return std::string(i.param.name);
    });

TEST_F(DnsConnTest, UdpPeerAfterFormerr) {
  Seen srv;
  struct mg_connection *l = Listen("udp://127.0.0.1:0", Record, &srv);
  ASSERT_NE(nullptr, l);
  int s = RawSocket(SOCK_DGRAM, LocalPort(l));
  ASSERT_GE(s, 0);
  std::string bad = QueryCountsPastRecords();
  ASSERT_EQ(static_cast<ssize_t>(bad.size()),
            send(s, bad.data(), bad.size(), 0));
  ASSERT_EQ(12u, ReadDatagram(&mgr_, s).size());  // the FORMERR
  // A malformed *response* is not answered (no error ping-pong).
  bad[2] = static_cast<char>(0x81);
  ASSERT_EQ(static_cast<ssize_t>(bad.size()),
            send(s, bad.data(), bad.size(), 0));
  PollFor(&mgr_, 0.2);
  char buf[64];
  EXPECT_EQ(-1, recv(s, buf, sizeof(buf), 0));
  // A good query still works on the same peer's connection.
  std::string good = Query(0x2468, "ok.example");
  ASSERT_EQ(static_cast<ssize_t>(good.size()),
            send(s, good.data(), good.size(), 0));
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return srv.names.size() == 1; }));
  EXPECT_EQ("ok.example", srv.names[0]);
  close(s);
}

}  // namespace
