// Resolver configuration: nameserver strings, resolv.conf, the hosts file,
// literal addresses, mg_set_nameserver(); no sockets.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "mongoose.h"
#include "plugins/resolv/internal.h"

namespace {

std::string TmpFile(const std::string &name, const std::string &content) {
  const char *dir = getenv("TEST_TMPDIR");
  std::string path = std::string(dir ? dir : "/tmp") + "/" + name;
  std::ofstream(path) << content;
  return path;
}

std::string Addr(const union socket_address &sa) {
  char buf[100];
  mg_sock_addr_to_str(&sa, buf, sizeof(buf),
                      MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT);
  return buf;
}

std::string Ns(const char *s, int *tcp = nullptr) {
  struct mg__resolv_ns ns;
  if (mg__resolv_parse_ns(s, strlen(s), &ns) != 0) return "error";
  if (tcp != nullptr) *tcp = ns.tcp;
  return Addr(ns.sa);
}

TEST(ResolvNameserver, Forms) {
  int tcp = -1;
  EXPECT_EQ("1.2.3.4:53", Ns("1.2.3.4", &tcp));
  EXPECT_EQ(0, tcp);
  EXPECT_EQ("1.2.3.4:5353", Ns("1.2.3.4:5353"));
  EXPECT_EQ("1.2.3.4:5353", Ns("udp://1.2.3.4:5353", &tcp));
  EXPECT_EQ(0, tcp);
  EXPECT_EQ("127.0.0.1:53", Ns("tcp://127.0.0.1:53", &tcp));
  EXPECT_EQ(1, tcp);
  EXPECT_EQ("[::1]:53", Ns("[::1]:53"));
  EXPECT_EQ("[::1]:53", Ns("[::1]"));
  EXPECT_EQ("[::1]:53", Ns("::1"));
  EXPECT_EQ("[2001:db8::5]:8053", Ns("tcp://[2001:db8::5]:8053"));
}

TEST(ResolvNameserver, Malformed) {
  for (const char *bad :
       {"", "1.2.3", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:", "1.2.3.4:x",
        "host.name", "host.name:53", "[::1", "[::1]x", "[1.2.3.4]:53",
        "ftp://1.2.3.4", "udp://", "fe80::1%eth0"}) {
    EXPECT_EQ("error", Ns(bad)) << bad;
  }
  std::string huge(500, '1');
  EXPECT_EQ("error", Ns(huge.c_str()));
}

TEST(ResolvNameserver, Lists) {
  struct mg__resolv_ns ns[3];
  EXPECT_EQ(2, mg__resolv_parse_ns_list("127.0.0.1:5353, [::1]:53", ns, 3));
  EXPECT_EQ("127.0.0.1:5353", Addr(ns[0].sa));
  EXPECT_EQ("[::1]:53", Addr(ns[1].sa));
  EXPECT_EQ(3,
            mg__resolv_parse_ns_list("1.1.1.1,2.2.2.2 3.3.3.3,4.4.4.4", ns, 3));
  EXPECT_EQ(-1, mg__resolv_parse_ns_list("1.1.1.1,bad", ns, 3));
  EXPECT_EQ(0, mg__resolv_parse_ns_list(" , ", ns, 3));
}

TEST(ResolvConf, Parses) {
  std::string path =
      TmpFile("resolv.conf",
              "# a comment\n"
              "; another\n"
              "domain first.example\n"
              "nameserver 127.0.0.1\n"
              "nameserver not-an-address\n"
              "nameserver ::1   # trailing comment\n"
              "nameserver 127.0.0.2:5353\n"
              "search corp.example. other.example\n"
              "options rotate ndots:2 timeout:3 attempts:4 edns0\n"
              "sortlist 130.155.160.0/255.255.240.0\n");
  struct mg__resolv_conf c;
  mg__resolv_load_conf(path.c_str(), &c);
  ASSERT_EQ(3, c.num_ns);
  EXPECT_EQ("127.0.0.1:53", Addr(c.ns[0].sa));
  EXPECT_EQ("[::1]:53", Addr(c.ns[1].sa));
  EXPECT_EQ("127.0.0.2:5353", Addr(c.ns[2].sa));
  ASSERT_EQ(2, c.num_search);  // the last search/domain line wins
  EXPECT_STREQ("corp.example", c.search[0]);
  EXPECT_STREQ("other.example", c.search[1]);
  EXPECT_EQ(2, c.ndots);
  EXPECT_EQ(3, c.timeout);
  EXPECT_EQ(4, c.attempts);
}

TEST(ResolvConf, LimitsAndOddLines) {
  std::string longline = "search " + std::string(2000, 'x') + "\n";
  std::string path = TmpFile(
      "resolv2.conf",
      longline +
          "options ndots:99 timeout:0 attempts:100 ndots:x\n"
          "nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\n"
          "nameserver 10.0.0.4\nnameserver 10.0.0.5\nnameserver 10.0.0.6\n"
          "nameserver 10.0.0.7\nnameserver 10.0.0.8\nnameserver 10.0.0.9\n"
          "search a.example " +
          std::string(300, 'y') +
          " b..example c.example\n"
          "domain\n"
          "nameserver");  // no final newline
  struct mg__resolv_conf c;
  mg__resolv_load_conf(path.c_str(), &c);
  EXPECT_EQ(MG__RESOLV_MAX_NS, c.num_ns);
  EXPECT_EQ(15, c.ndots);
  EXPECT_EQ(1, c.timeout);
  EXPECT_EQ(5, c.attempts);
  EXPECT_EQ(0, c.num_search);  // "domain" with no value cleared the list
}

TEST(ResolvConf, FallsBackTo8888OnlyWithoutNameservers) {
  struct mg__resolv_conf c;
  mg__resolv_load_conf("/nonexistent/resolv.conf", &c);
  ASSERT_EQ(1, c.num_ns);
  EXPECT_EQ("8.8.8.8:53", Addr(c.ns[0].sa));
  EXPECT_EQ(1, c.ndots);
  EXPECT_EQ(0, c.timeout);
  EXPECT_EQ(0, c.attempts);
  std::string path = TmpFile("resolv3.conf", "search x.example\n");
  mg__resolv_load_conf(path.c_str(), &c);
  ASSERT_EQ(1, c.num_ns);
  EXPECT_EQ("8.8.8.8:53", Addr(c.ns[0].sa));
  path = TmpFile("resolv4.conf", "nameserver 127.0.0.9\n");
  mg__resolv_load_conf(path.c_str(), &c);
  ASSERT_EQ(1, c.num_ns);
  EXPECT_EQ("127.0.0.9:53", Addr(c.ns[0].sa));
}

TEST(ResolvConf, PathsFromEnvironment) {
  setenv("MG_RESOLV_CONF", "/x/resolv.conf", 1);
  setenv("MG_HOSTS_FILE", "/x/hosts", 1);
  EXPECT_STREQ("/x/resolv.conf", mg__resolv_conf_path());
  EXPECT_STREQ("/x/hosts", mg__resolv_hosts_path());
  unsetenv("MG_RESOLV_CONF");
  unsetenv("MG_HOSTS_FILE");
  EXPECT_STREQ("/etc/resolv.conf", mg__resolv_conf_path());
  EXPECT_STREQ("/etc/hosts", mg__resolv_hosts_path());
}

TEST(ResolvHosts, Lookup) {
  std::string path = TmpFile("hosts",
                             "# comment 1.2.3.4 commented.example\n"
                             "127.0.0.1\tlocalhost\n"
                             "10.1.1.1 web.example www.example # alias\n"
                             "2001:db8::7 web.example six.example\n"
                             "2001:db8::8 sixonly.example\n"
                             "bogus noaddr.example\n"
                             "10.2.2.2 Mixed.Case.example\n" +
                                 std::string(3000, 'z') +
                                 " 10.9.9.9 long.example\n"
                                 "10.3.3.3 last.example");
  union socket_address sa;
  ASSERT_EQ(0, mg__resolv_hosts_lookup(path.c_str(), "web.example", &sa));
  EXPECT_EQ("10.1.1.1:0", Addr(sa));  // IPv4 preferred
  ASSERT_EQ(0, mg__resolv_hosts_lookup(path.c_str(), "www.example.", &sa));
  EXPECT_EQ("10.1.1.1:0", Addr(sa));
  ASSERT_EQ(0, mg__resolv_hosts_lookup(path.c_str(), "sixonly.example", &sa));
  EXPECT_EQ("[2001:db8::8]:0", Addr(sa));
  ASSERT_EQ(0,
            mg__resolv_hosts_lookup(path.c_str(), "mixed.CASE.example", &sa));
  EXPECT_EQ("10.2.2.2:0", Addr(sa));
  ASSERT_EQ(0, mg__resolv_hosts_lookup(path.c_str(), "last.example", &sa));
  EXPECT_EQ("10.3.3.3:0", Addr(sa));
  EXPECT_EQ(-1,
            mg__resolv_hosts_lookup(path.c_str(), "commented.example", &sa));
  EXPECT_EQ(-1, mg__resolv_hosts_lookup(path.c_str(), "noaddr.example", &sa));
  EXPECT_EQ(-1, mg__resolv_hosts_lookup(path.c_str(), "long.example", &sa));
  EXPECT_EQ(-1, mg__resolv_hosts_lookup(path.c_str(), "", &sa));
  EXPECT_EQ(-1,
            mg__resolv_hosts_lookup("/nonexistent/hosts", "web.example", &sa));
  setenv("MG_HOSTS_FILE", path.c_str(), 1);
  ASSERT_EQ(0, mg_resolve_from_hosts_file("six.example", &sa));
  EXPECT_EQ("[2001:db8::7]:0", Addr(sa));
  unsetenv("MG_HOSTS_FILE");
}

struct Result {
  int calls = 0;
  enum mg_resolve_err err = MG_RESOLVE_TIMEOUT;
  std::string addr;
};

void OnResolved(struct mg_dns_message *msg, void *data,
                enum mg_resolve_err err) {
  Result *r = static_cast<Result *>(data);
  r->calls++;
  r->err = err;
  if (msg == nullptr) return;
  char buf[64] = "";
  struct mg_dns_resource_record *rr =
      mg_next_record(msg, MG_DNS_A_RECORD, nullptr);
  if (rr != nullptr) {
    struct in_addr ina;
    if (mg_dns_parse_record_data(msg, rr, &ina, sizeof(ina)) == 0)
      inet_ntop(AF_INET, &ina, buf, sizeof(buf));
  } else if ((rr = mg_next_record(msg, MG_DNS_AAAA_RECORD, nullptr)) !=
             nullptr) {
    struct in6_addr in6;
    if (mg_dns_parse_record_data(msg, rr, &in6, sizeof(in6)) == 0)
      inet_ntop(AF_INET6, &in6, buf, sizeof(buf));
  }
  r->addr = buf;
}

TEST(ResolvLiteral, AnsweredSynchronously) {
  struct mg_mgr mgr;
  mg_mgr_init(&mgr, nullptr);
  struct mg_resolve_async_opts opts;
  memset(&opts, 0, sizeof(opts));
  opts.accept_literal = 1;
  Result a, b, c, d;
  ASSERT_EQ(0, mg_resolve_async_opt(&mgr, "192.0.2.7", MG_DNS_A_RECORD,
                                    OnResolved, &a, opts));
  EXPECT_EQ(1, a.calls);
  EXPECT_EQ(MG_RESOLVE_OK, a.err);
  EXPECT_EQ("192.0.2.7", a.addr);
  ASSERT_EQ(0, mg_resolve_async_opt(&mgr, "2001:db8::1", MG_DNS_AAAA_RECORD,
                                    OnResolved, &b, opts));
  EXPECT_EQ(MG_RESOLVE_OK, b.err);
  EXPECT_EQ("2001:db8::1", b.addr);
  opts.accept_literal = 0;
  opts.only_literal = 1;
  ASSERT_EQ(0, mg_resolve_async_opt(&mgr, "2001:db8::1", MG_DNS_A_RECORD,
                                    OnResolved, &c, opts));
  EXPECT_EQ(1, c.calls);
  EXPECT_EQ(MG_RESOLVE_NO_ANSWERS, c.err);
  EXPECT_EQ(-1, mg_resolve_async_opt(&mgr, "name.example", MG_DNS_A_RECORD,
                                     OnResolved, &d, opts));
  EXPECT_EQ(0, d.calls);
  mg_mgr_free(&mgr);
}

TEST(ResolvNoExternal, NeverAsksBeyondLoopback) {
  // With no nameserver configured the fallback would be 8.8.8.8: under
  // MG_TEST_NO_EXTERNAL the query is refused before anything is sent.
  setenv("MG_TEST_NO_EXTERNAL", "1", 1);
  std::string path = TmpFile("empty_resolv.conf", "");
  setenv("MG_RESOLV_CONF", path.c_str(), 1);
  struct mg_mgr mgr;
  mg_mgr_init(&mgr, nullptr);
  Result r;
  EXPECT_EQ(-1, mg_resolve_async(&mgr, "example.com", MG_DNS_A_RECORD,
                                 OnResolved, &r));
  mg_set_nameserver(&mgr, "192.0.2.1");
  EXPECT_EQ(-1, mg_resolve_async(&mgr, "example.com", MG_DNS_A_RECORD,
                                 OnResolved, &r));
  EXPECT_EQ(0, r.calls);
  EXPECT_EQ(nullptr, mg_next(&mgr, nullptr));  // no connection was made
  mg_mgr_free(&mgr);
  unsetenv("MG_RESOLV_CONF");
}

TEST(ResolvSetNameserver, KeepsACopy) {
  struct mg_mgr mgr;
  mg_mgr_init(&mgr, nullptr);
  char ns[] = "127.0.0.1:5353";
  mg_set_nameserver(&mgr, ns);
  ns[0] = 'X';
  EXPECT_STREQ("127.0.0.1:5353", mgr.nameserver);
  mg_set_nameserver(&mgr, "[::1]:53");
  EXPECT_STREQ("[::1]:53", mgr.nameserver);
  mg_set_nameserver(&mgr, nullptr);
  EXPECT_EQ(nullptr, mgr.nameserver);
  mg_set_nameserver(&mgr, "127.0.0.1");
  mg_mgr_free(&mgr);  // frees the copy
}

TEST(ResolvRefuses, BadNames) {
  setenv("MG_TEST_NO_EXTERNAL", "1", 1);
  struct mg_mgr mgr;
  mg_mgr_init(&mgr, nullptr);
  mg_set_nameserver(&mgr, "127.0.0.1:1");
  Result r;
  std::string l64(64, 'a');
  EXPECT_EQ(
      -1, mg_resolve_async(&mgr, l64.c_str(), MG_DNS_A_RECORD, OnResolved, &r));
  EXPECT_EQ(-1,
            mg_resolve_async(&mgr, "a..b", MG_DNS_A_RECORD, OnResolved, &r));
  EXPECT_EQ(-1,
            mg_resolve_async(&mgr, nullptr, MG_DNS_A_RECORD, OnResolved, &r));
  struct mg_resolve_async_opts opts;
  memset(&opts, 0, sizeof(opts));
  opts.nameserver = "not an address";
  EXPECT_EQ(-1, mg_resolve_async_opt(&mgr, "ok.example", MG_DNS_A_RECORD,
                                     OnResolved, &r, opts));
  EXPECT_EQ(0, r.calls);
  mg_mgr_free(&mgr);
}

}  // namespace
