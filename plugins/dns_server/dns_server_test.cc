// DNS server helpers: replies built with mg_dns_create_reply() and
// mg_dns_reply_record(), sent with mg_dns_send_reply() over loopback UDP and
// TCP, read back by our own client layer, raw sockets, dig and kdig.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mongoose.h"
#include "testing/util/test_util.h"

using mgtest::LocalPort;
using mgtest::PollUntil;

namespace {

// Answers: *.test A 127.0.0.1; v6.test AAAA ::1; alias.test CNAME
// target.test + its A; big.test 32 A records; nothing for other types.
// With MG_F_USER_1 on the listener, replies are built in send_mbuf.
void Serve(struct mg_connection *c, int ev, void *ev_data) {
  if (ev != MG_DNS_MESSAGE) return;
  auto *msg = static_cast<struct mg_dns_message *>(ev_data);
  if (msg->flags & MG_DNS_FLAG_QR) return;  // only queries
  struct mbuf own;
  mbuf_init(&own, 512);
  struct mbuf *io = (c->flags & MG_F_USER_1) ? &c->send_mbuf : &own;
  struct mg_dns_reply reply = mg_dns_create_reply(io, msg);
  for (int i = 0; i < msg->num_questions; i++) {
    struct mg_dns_resource_record *q = &msg->questions[i];
    char name[256];
    mg_dns_uncompress_name(msg, &q->name, name, sizeof(name));
    std::string n(name);
    unsigned char a[4] = {127, 0, 0, 1};
    if (n == "big.test" && q->rtype == MG_DNS_A_RECORD) {
      for (int k = 0; k < MG_MAX_DNS_ANSWERS; k++) {
        a[3] = static_cast<unsigned char>(k + 1);
        EXPECT_EQ(0, mg_dns_reply_record(&reply, q, nullptr, MG_DNS_A_RECORD,
                                         60, a, 4));
      }
      a[3] = 99;
      EXPECT_EQ(-1, mg_dns_reply_record(&reply, q, nullptr, MG_DNS_A_RECORD, 60,
                                        a, 4));
    } else if (n == "alias.test" && q->rtype == MG_DNS_A_RECORD) {
      mg_dns_reply_record(&reply, q, nullptr, MG_DNS_CNAME_RECORD, 60,
                          "target.test", 11);
      mg_dns_reply_record(&reply, q, "target.test", MG_DNS_A_RECORD, 60, a, 4);
    } else if (n == "v6.test" && q->rtype == MG_DNS_AAAA_RECORD) {
      unsigned char six[16] = {0};
      six[15] = 1;
      mg_dns_reply_record(&reply, q, nullptr, MG_DNS_AAAA_RECORD, 60, six, 16);
    } else if (q->rtype == MG_DNS_A_RECORD) {
      mg_dns_reply_record(&reply, q, nullptr, MG_DNS_A_RECORD, 10, a, 4);
    }
  }
  mg_dns_send_reply(c, &reply);
  EXPECT_EQ(reply.start, own.len);  // a separate buffer is trimmed back
  mbuf_free(&own);
}

// What our client saw.
struct Got {
  int replies = 0;
  uint16_t flags = 0;
  std::vector<std::string> answers;   // "type:data"
  std::string first_answer_name_raw;  // the owner as encoded in the packet
};

void Client(struct mg_connection *c, int ev, void *ev_data) {
  if (ev != MG_DNS_MESSAGE) return;
  Got *g = static_cast<Got *>(c->user_data);
  auto *msg = static_cast<struct mg_dns_message *>(ev_data);
  g->replies++;
  g->flags = msg->flags;
  g->answers.clear();
  for (int i = 0; i < msg->num_answers; i++) {
    struct mg_dns_resource_record *rr = &msg->answers[i];
    char buf[256] = "";
    if (rr->rtype == MG_DNS_A_RECORD) {
      struct in_addr ina;
      if (mg_dns_parse_record_data(msg, rr, &ina, sizeof(ina)) == 0) {
        inet_ntop(AF_INET, &ina, buf, sizeof(buf));
      }
    } else if (rr->rtype == MG_DNS_AAAA_RECORD) {
      struct in6_addr in6;
      if (mg_dns_parse_record_data(msg, rr, &in6, sizeof(in6)) == 0) {
        inet_ntop(AF_INET6, &in6, buf, sizeof(buf));
      }
    } else {
      mg_dns_parse_record_data(msg, rr, buf, sizeof(buf));
    }
    char owner[256];
    mg_dns_uncompress_name(msg, &rr->name, owner, sizeof(owner));
    g->answers.push_back(std::to_string(rr->rtype) + ":" + owner + ":" + buf);
    if (i == 0) g->first_answer_name_raw.assign(rr->name.p, rr->name.len);
  }
}

class DnsServerTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override { mg_mgr_init(&mgr_, nullptr); }
  void TearDown() override {
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      c->handler = nullptr;
    }
    mg_mgr_free(&mgr_);
  }
  // A server on proto ("udp"/"tcp"); GetParam(): build in send_mbuf.
  int Listen(const char *proto) {
    std::string addr = std::string(proto) + "://127.0.0.1:0";
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    o.flags = GetParam() ? MG_F_USER_1 : 0;
    struct mg_connection *l = mg_bind_opt(&mgr_, addr.c_str(), Serve, o);
    if (l == nullptr) return -1;
    mg_set_protocol_dns(l);
    return LocalPort(l);
  }
  Got Ask(const char *proto, int port, const char *name, int type) {
    Got g;
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = &g;
    std::string addr =
        std::string(proto) + "://127.0.0.1:" + std::to_string(port);
    struct mg_connection *c = mg_connect_opt(&mgr_, addr.c_str(), Client, o);
    if (c == nullptr) return g;
    mg_set_protocol_dns(c);
    mg_send_dns_query(c, name, type);
    PollUntil(&mgr_, [&] { return g.replies > 0; });
    c->flags |= MG_F_CLOSE_IMMEDIATELY;
    c->user_data = nullptr;
    c->handler = nullptr;
    mg_mgr_poll(&mgr_, 0);
    return g;
  }
  struct mg_mgr mgr_;
};

TEST_P(DnsServerTest, AnswersOverUdpAndTcp) {
  for (const char *proto : {"udp", "tcp"}) {
    SCOPED_TRACE(proto);
    int port = Listen(proto);
    ASSERT_GT(port, 0);
    Got g = Ask(proto, port, "www.test", MG_DNS_A_RECORD);
    ASSERT_EQ(1, g.replies);
    EXPECT_EQ(0x8180, g.flags);  // response, RD kept, RA
    EXPECT_EQ((std::vector<std::string>{"1:www.test:127.0.0.1"}), g.answers);
    EXPECT_EQ(std::string("\xc0\x0c", 2),
              g.first_answer_name_raw);  // compressed
    g = Ask(proto, port, "v6.test", MG_DNS_AAAA_RECORD);
    EXPECT_EQ((std::vector<std::string>{"28:v6.test:::1"}), g.answers);
    g = Ask(proto, port, "alias.test", MG_DNS_A_RECORD);
    EXPECT_EQ((std::vector<std::string>{"5:alias.test:target.test",
                                        "1:target.test:127.0.0.1"}),
              g.answers);
    g = Ask(proto, port, "www.test", MG_DNS_MX_RECORD);  // no data
    ASSERT_EQ(1, g.replies);
    EXPECT_EQ(0u, g.answers.size());
  }
}

TEST_P(DnsServerTest, LongReplyTruncatedOverUdpOnly) {
  int udp = Listen("udp"), tcp = Listen("tcp");
  Got g = Ask("udp", udp, "big.test", MG_DNS_A_RECORD);
  ASSERT_EQ(1, g.replies);
  EXPECT_TRUE(g.flags & MG_DNS_FLAG_TC);
  // 12 + 12 (question) + n * 16 <= 512: 30 whole answers fit.
  EXPECT_EQ(30u, g.answers.size());
  g = Ask("tcp", tcp, "big.test", MG_DNS_A_RECORD);
  ASSERT_EQ(1, g.replies);
  EXPECT_FALSE(g.flags & MG_DNS_FLAG_TC);
  ASSERT_EQ(static_cast<size_t>(MG_MAX_DNS_ANSWERS), g.answers.size());
  EXPECT_EQ("1:big.test:127.0.0.32", g.answers.back());
}

INSTANTIATE_TEST_SUITE_P(ReplyBuffer, DnsServerTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool> &i) {
                           return i.param ? "InSendMbuf" : "OwnMbuf";
                         });

TEST(DnsReply, BuiltInMemory) {
  // A query for a.example (parsed from bytes), answered in a plain mbuf.
  struct mbuf q;
  mbuf_init(&q, 0);
  struct mg_dns_message msg;
  memset(&msg, 0, sizeof(msg));
  msg.transaction_id = 0xabcd;
  msg.flags = 0x0100;
  msg.num_questions = 1;
  mg_dns_insert_header(&q, 0, &msg);
  struct mg_dns_resource_record rr;
  memset(&rr, 0, sizeof(rr));
  rr.kind = MG_DNS_QUESTION;
  rr.rtype = MG_DNS_A_RECORD;
  rr.rclass = 1;
  mg_dns_encode_record(&q, &rr, "a.example", 9, nullptr, 0);
  ASSERT_EQ(0, mg_parse_dns(q.buf, static_cast<int>(q.len), &msg));

  struct mbuf io;
  mbuf_init(&io, 0);
  mbuf_append(&io, "prefix", 6);  // the reply need not start at 0
  struct mg_dns_reply r = mg_dns_create_reply(&io, &msg);
  EXPECT_EQ(6u, r.start);
  EXPECT_EQ(0x8180, msg.flags);
  EXPECT_EQ(0, msg.num_answers);
  EXPECT_EQ(6u + q.len, io.len);  // header + the question, as asked
  struct in_addr ina;
  ina.s_addr = htonl(0x01020304);
  ASSERT_EQ(0, mg_dns_reply_record(&r, &msg.questions[0], nullptr,
                                   MG_DNS_A_RECORD, 7, &ina, 4));
  ASSERT_EQ(0, mg_dns_reply_record(&r, &msg.questions[0], "mail.a.example",
                                   MG_DNS_MX_RECORD, 7, "\0\1\0", 3));
  EXPECT_EQ(2, msg.num_answers);
  EXPECT_EQ(MG_DNS_ANSWER, msg.answers[0].kind);
  EXPECT_EQ(7, msg.answers[0].ttl);
  // Refused: wrong address size; nothing is appended.
  size_t before = io.len;
  EXPECT_EQ(-1, mg_dns_reply_record(&r, &msg.questions[0], nullptr,
                                    MG_DNS_A_RECORD, 7, &ina, 3));
  EXPECT_EQ(before, io.len);
  EXPECT_EQ(2, msg.num_answers);
  // The answer owner is a pointer to the question (offset 12 of the reply);
  // "mail.a.example" is "mail" + a pointer to it.
  std::string body(io.buf + 6 + q.len, io.len - 6 - q.len);
  EXPECT_EQ(std::string("\xc0\x0c", 2), body.substr(0, 2));
  EXPECT_EQ(std::string("\4mail\xc0\x0c", 7), body.substr(16, 7));
  mbuf_free(&io);
  mbuf_free(&q);
}

// ---- dig and kdig against our server ----

// Runs argv with stdout in a file while polling mgr; returns the output.
std::string RunTool(struct mg_mgr *mgr, const std::vector<std::string> &argv) {
  const char *tmp = getenv("TEST_TMPDIR");
  std::string out = std::string(tmp ? tmp : "/tmp") + "/tool_out.txt";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char *> args;
  for (auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return "cannot run " + argv[0];
  int status = 0;
  bool done = PollUntil(
      mgr, [&] { return waitpid(pid, &status, WNOHANG) == pid; }, 20);
  if (!done) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  std::ifstream in(out);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class DnsServerToolsTest : public DnsServerTest {};

TEST_P(DnsServerToolsTest, DigAndKdig) {
  int udp = Listen("udp"), tcp = Listen("tcp");
  ASSERT_GT(udp, 0);
  ASSERT_GT(tcp, 0);
  for (bool use_tcp : {false, true}) {
    std::string port = std::to_string(use_tcp ? tcp : udp);
    std::vector<std::string> dig = {"dig", "@127.0.0.1", "-p",
                                    port,  "+tries=1",   "+time=5"};
    std::vector<std::string> kdig = {"kdig", "@127.0.0.1", "-p",
                                     port,   "+retry=0",   "+time=5"};
    if (use_tcp) {
      dig.push_back("+tcp");
      kdig.push_back("+tcp");
    }
    for (auto *tool : {&dig, &kdig}) {
      SCOPED_TRACE((*tool)[0] + (use_tcp ? " tcp" : " udp"));
      std::vector<std::string> a = *tool, six = *tool, alias = *tool,
                               big = *tool;
      a.insert(a.end(), {"www.test", "A"});
      std::string out = RunTool(&mgr_, a);
      EXPECT_NE(std::string::npos, out.find("NOERROR")) << out;
      EXPECT_NE(std::string::npos, out.find("www.test.")) << out;
      EXPECT_NE(std::string::npos, out.find("127.0.0.1")) << out;
      six.insert(six.end(), {"v6.test", "AAAA"});
      out = RunTool(&mgr_, six);
      EXPECT_NE(std::string::npos, out.find("::1")) << out;
      alias.insert(alias.end(), {"alias.test", "A"});
      out = RunTool(&mgr_, alias);
      EXPECT_NE(std::string::npos, out.find("target.test.")) << out;
      EXPECT_NE(std::string::npos, out.find("CNAME")) << out;
      big.insert(big.end(), {"big.test", "A", "+ignore"});
      out = RunTool(&mgr_, big);
      EXPECT_NE(std::string::npos, out.find("127.0.0.30")) << out;
      // 32 answers over TCP; over UDP the 30 that fit, flagged truncated.
      EXPECT_EQ(use_tcp, out.find("127.0.0.32") != std::string::npos) << out;
      if (!use_tcp) {
        EXPECT_NE(std::string::npos, out.find(" tc")) << out;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(ReplyBuffer, DnsServerToolsTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool> &i) {
                           return i.param ? "InSendMbuf" : "OwnMbuf";
                         });

}  // namespace
