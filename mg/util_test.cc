// Tests for mg/util.c: URL encoding, mg_skip, endianness, files, threads and
// address printing.
#include "mg/util.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace {

std::string S(const struct mg_str &s) {
  return std::string(s.p == nullptr ? "" : s.p, s.len);
}

// URL-encodes with the given options and frees the result.
std::string Enc(const std::string &in, const char *safe, unsigned int flags) {
  struct mg_str r = mg_url_encode_opt(mg_mk_str_n(in.data(), in.size()),
                                      mg_mk_str(safe), flags);
  EXPECT_NE(r.p, nullptr);
  EXPECT_EQ(r.p[r.len], '\0');
  std::string out = S(r);
  free((void *) r.p);
  return out;
}

TEST(UrlEncode, Defaults) {
  struct mg_str r = mg_url_encode(mg_mk_str("/a b/c?d=é&x._-$,;~()"));
  ASSERT_NE(r.p, nullptr);
  EXPECT_EQ(S(r), "/a%20b/c%3fd%3d%c3%a9%26x._-$,;~()");
  EXPECT_EQ(strlen(r.p), r.len);
  free((void *) r.p);
}

TEST(UrlEncode, Options) {
  EXPECT_EQ(Enc("a b/c?", "", 0), "a%20b%2fc%3f");
  EXPECT_EQ(Enc("a b/c?", "", MG_URL_ENCODE_F_SPACE_AS_PLUS), "a+b%2fc%3f");
  EXPECT_EQ(Enc("a b/c?", "",
                MG_URL_ENCODE_F_SPACE_AS_PLUS | MG_URL_ENCODE_F_UPPERCASE_HEX),
            "a+b%2Fc%3F");
  EXPECT_EQ(Enc("a b", " ", MG_URL_ENCODE_F_SPACE_AS_PLUS), "a b");  // safe
  EXPECT_EQ(Enc("", "", 0), "");
  EXPECT_EQ(Enc(std::string("\0\xff", 2), "", 0), "%00%ff");
  EXPECT_EQ(Enc("AZaz09", "", 0), "AZaz09");
}

TEST(UrlEncode, Large) {
  std::string in(1 << 20, ' ');
  std::string out = Enc(in, "", 0);
  EXPECT_EQ(out.size(), 3 * in.size());
  EXPECT_EQ(out.substr(0, 6), "%20%20");
}

TEST(Skip, WalksTokens) {
  const char *line = "GET /index.html  HTTP/1.1\r\n";
  const char *end = line + strlen(line);
  struct mg_str method, uri, proto;
  const char *s = mg_skip(line, end, " ", &method);
  s = mg_skip(s, end, " ", &uri);
  s = mg_skip(s, end, "\r\n", &proto);
  EXPECT_EQ(S(method), "GET");
  EXPECT_EQ(S(uri), "/index.html");
  EXPECT_EQ(S(proto), "HTTP/1.1");
  EXPECT_EQ(s, end);
}

TEST(Skip, HeaderLines) {
  const char *hdrs = "Host: example.com\r\nX-Empty:\r\nA: b";
  const char *end = hdrs + strlen(hdrs);
  struct mg_str k, v;
  const char *s = mg_skip(hdrs, end, ": ", &k);
  s = mg_skip(s, end, "\r\n", &v);
  EXPECT_EQ(S(k), "Host");
  EXPECT_EQ(S(v), "example.com");
  s = mg_skip(s, end, ": ", &k);
  s = mg_skip(s, end, "\r\n", &v);
  EXPECT_EQ(S(k), "X-Empty");
  EXPECT_EQ(S(v), "");  // an empty value stays empty
  s = mg_skip(s, end, ": ", &k);
  s = mg_skip(s, end, "\r\n", &v);
  EXPECT_EQ(S(k), "A");
  EXPECT_EQ(S(v), "b");
  EXPECT_EQ(s, end);
}

TEST(Skip, StopsAtEnd) {
  const char *text = "abc def";
  struct mg_str v;
  const char *s = mg_skip(text, text + 2, " ", &v);
  EXPECT_EQ(S(v), "ab");
  EXPECT_EQ(s, text + 2);
  s = mg_skip(text, text, " ", &v);
  EXPECT_EQ(v.len, 0u);
  EXPECT_EQ(s, text);
  // NUL is not a delimiter.
  const char with_nul[] = {'a', '\0', 'b', ' ', 'c'};
  s = mg_skip(with_nul, with_nul + 5, " ", &v);
  EXPECT_EQ(v.len, 3u);
  EXPECT_EQ(s, with_nul + 4);
}

TEST(Util, Endianness) {
  uint32_t x = 1;
  unsigned char first;
  memcpy(&first, &x, 1);
  EXPECT_EQ(mg_is_big_endian() != 0, first == 0);
}

std::string TempPath(const char *name) {
  const char *dir = getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

TEST(Files, WriteReadStat) {
  std::string path = TempPath("mg_util_test_file.txt");
  FILE *fp = mg_fopen(path.c_str(), "wb");
  ASSERT_NE(fp, nullptr);
  EXPECT_EQ(mg_fwrite("hello", 1, 5, fp), 5u);
  fclose(fp);
  cs_stat_t st;
  ASSERT_EQ(mg_stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 5);
  fp = mg_fopen(path.c_str(), "rb");
  ASSERT_NE(fp, nullptr);
  char buf[16] = "";
  EXPECT_EQ(mg_fread(buf, 1, sizeof(buf), fp), 5u);
  EXPECT_STREQ(buf, "hello");
  fclose(fp);
  int fd = mg_open(path.c_str(), O_RDONLY, 0);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(read(fd, buf, 2), 2);
  close(fd);
  EXPECT_EQ(unlink(path.c_str()), 0);
  EXPECT_NE(mg_stat(path.c_str(), &st), 0);
  EXPECT_EQ(mg_fopen(path.c_str(), "rb"), nullptr);
  EXPECT_LT(mg_open(path.c_str(), O_RDONLY, 0), 0);
}

#ifndef __EMSCRIPTEN__  // the browser build is single-threaded
std::atomic<int> g_thread_ran(0);

void *ThreadBody(void *param) {
  g_thread_ran.store(*static_cast<int *>(param));
  return nullptr;
}

TEST(Threads, StartDetached) {
  static int value = 42;
  EXPECT_NE(mg_start_thread(ThreadBody, &value), nullptr);
  for (int i = 0; i < 500 && g_thread_ran.load() == 0; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(g_thread_ran.load(), 42);
}
#endif

union socket_address V4(const char *ip, int port) {
  union socket_address sa;
  memset(&sa, 0, sizeof(sa));
  sa.sin.sin_family = AF_INET;
  sa.sin.sin_port = htons((uint16_t) port);
  EXPECT_EQ(inet_pton(AF_INET, ip, &sa.sin.sin_addr), 1);
  return sa;
}

std::string
AddrStr(const union socket_address &sa, int flags, size_t len = 100) {
  char buf[100];
  memset(buf, '#', sizeof(buf));
  int n = mg_sock_addr_to_str(&sa, buf, len, flags);
  EXPECT_EQ((size_t) n, strlen(buf));
  return buf;
}

TEST(SockAddr, Ipv4) {
  union socket_address sa = V4("1.2.3.4", 80);
  EXPECT_EQ(AddrStr(sa, MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT),
            "1.2.3.4:80");
  EXPECT_EQ(AddrStr(sa, MG_SOCK_STRINGIFY_IP), "1.2.3.4");
  EXPECT_EQ(AddrStr(sa, MG_SOCK_STRINGIFY_PORT), "80");
  EXPECT_EQ(AddrStr(V4("255.255.255.255", 65535),
                    MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT),
            "255.255.255.255:65535");
}

#if MG_ENABLE_IPV6
TEST(SockAddr, Ipv6) {
  union socket_address sa;
  memset(&sa, 0, sizeof(sa));
  sa.sin6.sin6_family = AF_INET6;
  sa.sin6.sin6_port = htons(8080);
  ASSERT_EQ(inet_pton(AF_INET6, "::1", &sa.sin6.sin6_addr), 1);
  EXPECT_EQ(AddrStr(sa, MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT),
            "[::1]:8080");
  EXPECT_EQ(AddrStr(sa, MG_SOCK_STRINGIFY_IP), "::1");
  EXPECT_EQ(AddrStr(sa, MG_SOCK_STRINGIFY_PORT), "8080");
  ASSERT_EQ(inet_pton(AF_INET6, "2001:db8::ff00:42:8329", &sa.sin6.sin6_addr),
            1);
  EXPECT_EQ(AddrStr(sa, MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT),
            "[2001:db8::ff00:42:8329]:8080");
}
#endif

TEST(SockAddr, TooSmallBufferGivesEmptyString) {
  union socket_address sa = V4("10.20.30.40", 1234);
  int both = MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT;
  EXPECT_EQ(AddrStr(sa, both, 17), "10.20.30.40:1234");  // exactly fits
  EXPECT_EQ(AddrStr(sa, both, 16), "");
  EXPECT_EQ(AddrStr(sa, both, 1), "");
  char c = 'x';
  EXPECT_EQ(mg_sock_addr_to_str(&sa, &c, 0, both), 0);
  EXPECT_EQ(c, 'x');  // len 0: nothing written
  EXPECT_EQ(mg_sock_addr_to_str(&sa, nullptr, 10, both), 0);
}

TEST(SockAddr, UnknownFamily) {
  union socket_address sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa.sa_family = AF_UNIX;
  EXPECT_EQ(AddrStr(sa, MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT), "");
}

#ifndef __EMSCRIPTEN__  // real sockets: not in the browser
TEST(SockToStr, LocalAndRemote) {
  int lsn = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(lsn, 0);
  union socket_address sa = V4("127.0.0.1", 0);
  ASSERT_EQ(bind(lsn, &sa.sa, sizeof(sa.sin)), 0);
  ASSERT_EQ(listen(lsn, 1), 0);
  socklen_t slen = sizeof(sa);
  ASSERT_EQ(getsockname(lsn, &sa.sa, &slen), 0);
  int port = ntohs(sa.sin.sin_port);
  int cli = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(cli, 0);
  ASSERT_EQ(connect(cli, &sa.sa, sizeof(sa.sin)), 0);
  char buf[64];
  mg_sock_to_str(lsn, buf, sizeof(buf),
                 MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT);
  EXPECT_EQ(std::string(buf), "127.0.0.1:" + std::to_string(port));
  mg_sock_to_str(cli, buf, sizeof(buf),
                 MG_SOCK_STRINGIFY_PORT | MG_SOCK_STRINGIFY_REMOTE);
  EXPECT_EQ(std::string(buf), std::to_string(port));
  mg_sock_to_str(cli, buf, sizeof(buf), MG_SOCK_STRINGIFY_IP);
  EXPECT_EQ(std::string(buf), "127.0.0.1");
  // The listener has no peer.
  strcpy(buf, "junk");
  mg_sock_to_str(lsn, buf, sizeof(buf),
                 MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_REMOTE);
  EXPECT_STREQ(buf, "");
  close(cli);
  close(lsn);
  strcpy(buf, "junk");
  mg_sock_to_str(INVALID_SOCKET, buf, sizeof(buf), MG_SOCK_STRINGIFY_IP);
  EXPECT_STREQ(buf, "");
}
#endif

}  // namespace
