// Tests for mg/uri.c: parsing (including hostile input), path normalisation
// and assembly.
#include "mg/uri.h"

#include <stdlib.h>
#include <string.h>

#include <string>

#include "gtest/gtest.h"

namespace {

std::string S(const struct mg_str &s) {
  return std::string(s.p == nullptr ? "" : s.p, s.len);
}

struct Parsed {
  int rc;
  std::string scheme, user_info, host, path, query, fragment;
  unsigned int port;
};

Parsed Parse(const std::string &uri) {
  struct mg_str scheme, user_info, host, path, query, fragment;
  unsigned int port = 12345;
  Parsed p;
  p.rc = mg_parse_uri(mg_mk_str_n(uri.data(), uri.size()), &scheme, &user_info,
                      &host, &port, &path, &query, &fragment);
  p.port = port;
  if (p.rc == 0) {
    p.scheme = S(scheme);
    p.user_info = S(user_info);
    p.host = S(host);
    p.path = S(path);
    p.query = S(query);
    p.fragment = S(fragment);
  }
  return p;
}

TEST(ParseUri, HostAndPort) {
  Parsed p = Parse("foo.com:80");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.scheme, "");
  EXPECT_EQ(p.host, "foo.com");
  EXPECT_EQ(p.port, 80u);
  EXPECT_EQ(p.path, "");
}

TEST(ParseUri, SchemeHostPort) {
  Parsed p = Parse("tcp://foo.com:1234");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.scheme, "tcp");
  EXPECT_EQ(p.host, "foo.com");
  EXPECT_EQ(p.port, 1234u);
  EXPECT_EQ(p.path, "");
  EXPECT_EQ(p.user_info, "");
}

TEST(ParseUri, AllParts) {
  Parsed p = Parse("http://foo.com:80/bar?baz=1#frag");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.scheme, "http");
  EXPECT_EQ(p.host, "foo.com");
  EXPECT_EQ(p.port, 80u);
  EXPECT_EQ(p.path, "/bar");
  EXPECT_EQ(p.query, "baz=1");
  EXPECT_EQ(p.fragment, "frag");
}

TEST(ParseUri, UserInfo) {
  Parsed p = Parse("https://user:pw@foo.com:443/blah");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.scheme, "https");
  EXPECT_EQ(p.user_info, "user:pw");
  EXPECT_EQ(p.host, "foo.com");
  EXPECT_EQ(p.port, 443u);
  EXPECT_EQ(p.path, "/blah");
  // The last '@' ends the user info.
  p = Parse("http://a@b@host/");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.user_info, "a@b");
  EXPECT_EQ(p.host, "host");
  // An '@' after the authority is not user info.
  p = Parse("http://host/x@y");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.user_info, "");
  EXPECT_EQ(p.host, "host");
  EXPECT_EQ(p.path, "/x@y");
}

TEST(ParseUri, Ipv6Literals) {
  Parsed p = Parse("[::1]:8080");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.host, "::1");
  EXPECT_EQ(p.port, 8080u);
  p = Parse("http://[::1]/x");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.scheme, "http");
  EXPECT_EQ(p.host, "::1");
  EXPECT_EQ(p.port, 0u);
  EXPECT_EQ(p.path, "/x");
  p = Parse("ws://u@[2001:db8::1]:9/a?b#c");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.user_info, "u");
  EXPECT_EQ(p.host, "2001:db8::1");
  EXPECT_EQ(p.port, 9u);
  EXPECT_EQ(p.path, "/a");
  EXPECT_EQ(p.query, "b");
  EXPECT_EQ(p.fragment, "c");
}

TEST(ParseUri, PortDefaultsToZero) {
  Parsed p = Parse("foo.com");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.host, "foo.com");
  EXPECT_EQ(p.port, 0u);
  p = Parse("http://foo.com/");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.port, 0u);
  EXPECT_EQ(p.path, "/");
  EXPECT_EQ(Parse("h:0").port, 0u);
  EXPECT_EQ(Parse("h:65535").port, 65535u);
  EXPECT_EQ(Parse("h:00080").port, 80u);
}

TEST(ParseUri, SchemeOnlyBeforeColonSlashSlash) {
  Parsed p = Parse("localhost:8000");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.scheme, "");
  EXPECT_EQ(p.host, "localhost");
  p = Parse("/path/with://inside");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.scheme, "");
  EXPECT_EQ(p.host, "");
  EXPECT_EQ(p.path, "/path/with://inside");
  p = Parse("host?q=a://b");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.scheme, "");
  EXPECT_EQ(p.host, "host");
  EXPECT_EQ(p.query, "q=a://b");
  // "mailto:x" is a host with a bad port, not a scheme.
  EXPECT_EQ(Parse("mailto:x").rc, -1);
}

TEST(ParseUri, PathQueryFragmentOnly) {
  Parsed p = Parse("/a/b?c=d#e?f#g");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.host, "");
  EXPECT_EQ(p.path, "/a/b");
  EXPECT_EQ(p.query, "c=d");
  EXPECT_EQ(p.fragment, "e?f#g");
  p = Parse("host#frag");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.host, "host");
  EXPECT_EQ(p.query, "");
  EXPECT_EQ(p.fragment, "frag");
  p = Parse("http://h?");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.host, "h");
  EXPECT_EQ(p.path, "");
  EXPECT_EQ(p.query, "");
}

TEST(ParseUri, EmptyAndNullOutputs) {
  Parsed p = Parse("");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.host, "");
  EXPECT_EQ(p.port, 0u);
  EXPECT_EQ(mg_parse_uri(mg_mk_str("http://x:1/y?z#w"), nullptr, nullptr,
                         nullptr, nullptr, nullptr, nullptr, nullptr),
            0);
  EXPECT_EQ(mg_parse_uri(mg_mk_str_n(nullptr, 0), nullptr, nullptr, nullptr,
                         nullptr, nullptr, nullptr, nullptr),
            0);
  struct mg_str host;
  ASSERT_EQ(mg_parse_uri(mg_mk_str("a.b:1"), nullptr, nullptr, &host, nullptr,
                         nullptr, nullptr, nullptr),
            0);
  EXPECT_EQ(S(host), "a.b");
}

TEST(ParseUri, BadPorts) {
  for (const char *uri :
       {"foo.com:65536", "foo.com:99999", "foo.com:4294967376",
        "foo.com:99999999999999999999999999", "foo.com:", "foo.com:8a",
        "foo.com:-1", "foo.com:+80", "foo.com: 80", "foo.com:80:90",
        "http://foo.com:/x", "http://foo.com:x/", "[::1]:", "[::1]:99999",
        "http://u@h:65536/", "http://h:0x50/", ":80", "http://:80/",
        "[]:80"}) {
    EXPECT_EQ(Parse(uri).rc, -1) << uri;
  }
}

TEST(ParseUri, BadBrackets) {
  for (const char *uri :
       {"[::1", "http://[::1", "http://[::1/x]", "[::1]x", "[::1]80",
        "http://[::1]x/", "[", "http://[", "http://u@[::1"}) {
    EXPECT_EQ(Parse(uri).rc, -1) << uri;
  }
}

TEST(ParseUri, EmptyScheme) {
  EXPECT_EQ(Parse("://foo").rc, -1);
}

TEST(ParseUri, FailureLeavesOutputsAlone) {
  struct mg_str host = mg_mk_str("untouched");
  unsigned int port = 7;
  EXPECT_EQ(mg_parse_uri(mg_mk_str("h:99999"), nullptr, nullptr, &host, &port,
                         nullptr, nullptr, nullptr),
            -1);
  EXPECT_EQ(S(host), "untouched");
  EXPECT_EQ(port, 7u);
}

TEST(ParseUri, NotNulTerminated) {
  // The slice ends before ":80"; bytes past len are never read as part.
  std::string buf = "foo.com:80";
  Parsed p = Parse(buf.substr(0, 7));
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.host, "foo.com");
  EXPECT_EQ(p.port, 0u);
  EXPECT_EQ(Parse(std::string("foo.com:", 8)).rc, -1);
}

TEST(ParseUri, HugeInputs) {
  const size_t kMiB = 1 << 20;
  Parsed p = Parse("http://h/" + std::string(kMiB, 'a') + "?q");
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.path.size(), kMiB + 1);
  EXPECT_EQ(p.query, "q");
  EXPECT_EQ(Parse(std::string(kMiB, '[')).rc, -1);
  EXPECT_EQ(Parse("h:" + std::string(kMiB, '9')).rc, -1);
  EXPECT_EQ(Parse("h:" + std::string(kMiB, '0') + "80").port, 80u);
  EXPECT_EQ(Parse(std::string(kMiB, ':')).rc, -1);
  p = Parse(std::string(kMiB, '@'));
  ASSERT_EQ(p.rc, 0);  // no scheme: all host
  EXPECT_EQ(p.host.size(), kMiB);
  p = Parse("s://" + std::string(kMiB, '@'));
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.user_info.size(), kMiB - 1);
  EXPECT_EQ(p.host, "");
  p = Parse(std::string(kMiB, '/'));
  ASSERT_EQ(p.rc, 0);
  EXPECT_EQ(p.path.size(), kMiB);
}

// Normalises in into a fresh buffer; returns "<fail>" when rejected.
std::string Norm(const std::string &in) {
  std::string buf(in.size() + 1, '#');
  struct mg_str src = mg_mk_str_n(in.data(), in.size());
  struct mg_str out = mg_mk_str_n(&buf[0], 0);
  if (!mg_normalize_uri_path(&src, &out)) return "<fail>";
  EXPECT_EQ(out.p, buf.data());
  EXPECT_LE(out.len, in.size());
  EXPECT_EQ(buf[in.size()], '#');  // wrote no more than in.len bytes
  return S(out);
}

TEST(NormalizePath, Table) {
  struct {
    const char *in, *out;
  } cases[] = {
      {"/", "/"},
      {"/a/b/c", "/a/b/c"},
      {"/a/./b", "/a/b"},
      {"/a/../b", "/b"},
      {"/a/b/../../c", "/c"},
      {"/a/b/..", "/a/"},
      {"/a/b/.", "/a/b/"},
      {"/a/", "/a/"},
      {"/.", "/"},
      {"/..", "/"},
      {"/./", "/"},
      {"/../", "/"},
      {"/../../../etc/passwd", "/etc/passwd"},
      {"/a/../../../b", "/b"},
      {"/a//b", "/a//b"},
      {"/a//../b", "/a/b"},
      {"/a/.b/..c/...", "/a/.b/..c/..."},
      {"/a/b/../c/./d/", "/a/c/d/"},
      {"/%2e%2e/x", "/%2e%2e/x"},
  };
  for (const auto &c : cases) EXPECT_EQ(Norm(c.in), c.out) << c.in;
}

TEST(NormalizePath, RejectsRelative) {
  EXPECT_EQ(Norm(""), "<fail>");
  EXPECT_EQ(Norm("a/b"), "<fail>");
  EXPECT_EQ(Norm("../x"), "<fail>");
}

TEST(NormalizePath, InPlace) {
  char buf[] = "/a/b/../../../c/./d";
  struct mg_str in = mg_mk_str(buf), out = mg_mk_str_n(buf, 0);
  ASSERT_EQ(mg_normalize_uri_path(&in, &out), 1);
  EXPECT_EQ(S(out), "/c/d");
}

TEST(NormalizePath, HugeClimb) {
  std::string in;
  for (int i = 0; i < 100000; i++) in += "/..";
  in += "/etc/passwd";
  EXPECT_EQ(Norm(in), "/etc/passwd");
  std::string deep;
  for (int i = 0; i < 100000; i++) deep += "/d";
  EXPECT_EQ(Norm(deep + in), "/etc/passwd");
}

// Assembles and frees; "<fail>" when it returns -1.
std::string Assemble(const char *scheme, const char *user_info,
                     const char *host, unsigned int port, const char *path,
                     const char *query, const char *fragment, int normalize) {
  struct mg_str s = mg_mk_str(scheme), u = mg_mk_str(user_info),
                h = mg_mk_str(host), p = mg_mk_str(path), q = mg_mk_str(query),
                f = mg_mk_str(fragment), out;
  int rc = mg_assemble_uri(scheme ? &s : nullptr, user_info ? &u : nullptr,
                           host ? &h : nullptr, port, path ? &p : nullptr,
                           query ? &q : nullptr, fragment ? &f : nullptr,
                           normalize, &out);
  if (rc != 0) {
    EXPECT_EQ(out.p, nullptr);
    return "<fail>";
  }
  EXPECT_NE(out.p, nullptr);
  EXPECT_EQ(strlen(out.p), out.len);  // NUL-terminated
  std::string r = S(out);
  free((void *) out.p);
  return r;
}

TEST(AssembleUri, AllParts) {
  EXPECT_EQ(Assemble("http", "user:pw", "foo.com", 8080, "/a/b", "x=1", "top",
                     0),
            "http://user:pw@foo.com:8080/a/b?x=1#top");
  EXPECT_EQ(Assemble(nullptr, nullptr, "foo.com", 80, nullptr, nullptr,
                     nullptr, 0),
            "foo.com:80");
  EXPECT_EQ(Assemble("tcp", nullptr, "foo.com", 1234, nullptr, nullptr,
                     nullptr, 0),
            "tcp://foo.com:1234");
  EXPECT_EQ(Assemble(nullptr, nullptr, nullptr, 0, nullptr, nullptr, nullptr,
                     0),
            "");
  EXPECT_EQ(Assemble("", "", "", 0, "", "", "", 0), "");
  EXPECT_EQ(Assemble(nullptr, nullptr, nullptr, 0, "/p", "q", nullptr, 0),
            "/p?q");
}

TEST(AssembleUri, Ipv6HostGetsBrackets) {
  EXPECT_EQ(Assemble("http", nullptr, "::1", 80, "/x", nullptr, nullptr, 0),
            "http://[::1]:80/x");
  EXPECT_EQ(Assemble("http", nullptr, "[::1]", 80, "/x", nullptr, nullptr, 0),
            "http://[::1]:80/x");
}

TEST(AssembleUri, Normalize) {
  EXPECT_EQ(Assemble("http", nullptr, "h", 0, "/a/../../etc/./passwd", nullptr,
                     nullptr, 1),
            "http://h/etc/passwd");
  EXPECT_EQ(Assemble("http", nullptr, "h", 0, nullptr, "q", nullptr, 1),
            "http://h/?q");
  EXPECT_EQ(Assemble("http", nullptr, "h", 0, "/a/../../", nullptr, nullptr,
                     0),
            "http://h/a/../../");  // untouched without normalize
  EXPECT_EQ(Assemble("http", nullptr, "h", 0, "relative/..", nullptr, nullptr,
                     1),
            "<fail>");
}

TEST(AssembleUri, RoundTrip) {
  const char *uris[] = {
      "http://foo.com:80/bar?baz=1#frag",
      "https://user:pw@foo.com:443/blah",
      "http://[::1]:8080/x?y#z",
      "ws://[fe80::1%25eth0]/",
  };
  for (const char *uri : uris) {
    struct mg_str scheme, user_info, host, path, query, fragment, out;
    unsigned int port;
    ASSERT_EQ(mg_parse_uri(mg_mk_str(uri), &scheme, &user_info, &host, &port,
                           &path, &query, &fragment),
              0)
        << uri;
    ASSERT_EQ(mg_assemble_uri(&scheme, &user_info, &host, port, &path, &query,
                              &fragment, 1, &out),
              0);
    EXPECT_EQ(S(out), uri);
    free((void *) out.p);
  }
}

TEST(AssembleUri, HugePath) {
  std::string path = "/" + std::string(1 << 20, 'p') + "/../q";
  std::string r =
      Assemble("http", nullptr, "h", 1, path.c_str(), nullptr, nullptr, 1);
  EXPECT_EQ(r, "http://h:1/q");
}

}  // namespace
