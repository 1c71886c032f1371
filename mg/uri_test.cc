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

// What mg_parse_uri() gives for a URI it accepts (port 0: none given).
struct GoodUri {
  const char *uri;
  const char *scheme, *user_info, *host;
  unsigned int port;
  const char *path, *query, *fragment;
};

const GoodUri kGoodUris[] = {
    // uri, scheme, user_info, host, port, path, query, fragment
    {"foo.com:80", "", "", "foo.com", 80, "", "", ""},
    {"tcp://foo.com:1234", "tcp", "", "foo.com", 1234, "", "", ""},
    {"http://foo.com:80/bar?baz=1#frag", "http", "", "foo.com", 80, "/bar",
     "baz=1", "frag"},
    {"https://user:pw@foo.com:443/blah", "https", "user:pw", "foo.com", 443,
     "/blah", "", ""},
    // The last '@' ends the user info; an '@' after the authority is not
    // user info.
    {"http://a@b@host/", "http", "a@b", "host", 0, "/", "", ""},
    {"http://host/x@y", "http", "", "host", 0, "/x@y", "", ""},
    // IPv6 literals.
    {"[::1]:8080", "", "", "::1", 8080, "", "", ""},
    {"http://[::1]/x", "http", "", "::1", 0, "/x", "", ""},
    {"ws://u@[2001:db8::1]:9/a?b#c", "ws", "u", "2001:db8::1", 9, "/a", "b",
     "c"},
    // The port defaults to zero; leading zeros are fine.
    {"foo.com", "", "", "foo.com", 0, "", "", ""},
    {"http://foo.com/", "http", "", "foo.com", 0, "/", "", ""},
    {"h:0", "", "", "h", 0, "", "", ""},
    {"h:65535", "", "", "h", 65535, "", "", ""},
    {"h:00080", "", "", "h", 80, "", "", ""},
    // A scheme only before "://".
    {"localhost:8000", "", "", "localhost", 8000, "", "", ""},
    {"/path/with://inside", "", "", "", 0, "/path/with://inside", "", ""},
    {"host?q=a://b", "", "", "host", 0, "", "q=a://b", ""},
    // Path, query and fragment alone.
    {"/a/b?c=d#e?f#g", "", "", "", 0, "/a/b", "c=d", "e?f#g"},
    {"host#frag", "", "", "host", 0, "", "", "frag"},
    {"http://h?", "http", "", "h", 0, "", "", ""},
    {"", "", "", "", 0, "", "", ""},
};

TEST(ParseUri, Accepted) {
  for (const GoodUri &c : kGoodUris) {
    SCOPED_TRACE(c.uri);
    Parsed p = Parse(c.uri);
    ASSERT_EQ(p.rc, 0);
    EXPECT_EQ(p.scheme, c.scheme);
    EXPECT_EQ(p.user_info, c.user_info);
    EXPECT_EQ(p.host, c.host);
    EXPECT_EQ(p.port, c.port);
    EXPECT_EQ(p.path, c.path);
    EXPECT_EQ(p.query, c.query);
    EXPECT_EQ(p.fragment, c.fragment);
  }
}

TEST(ParseUri, Rejected) {
  const char *const bad[] = {
      // Bad ports.
      "foo.com:65536",
      "foo.com:99999",
      "foo.com:4294967376",
      "foo.com:99999999999999999999999999",
      "foo.com:",
      "foo.com:8a",
      "foo.com:-1",
      "foo.com:+80",
      "foo.com: 80",
      "foo.com:80:90",
      "http://foo.com:/x",
      "http://foo.com:x/",
      "[::1]:",
      "[::1]:99999",
      "http://u@h:65536/",
      "http://h:0x50/",
      ":80",
      "http://:80/",
      "[]:80",
      // "mailto:x" is a host with a bad port, not a scheme.
      "mailto:x",
      // Bad brackets.
      "[::1",
      "http://[::1",
      "http://[::1/x]",
      "[::1]x",
      "[::1]80",
      "http://[::1]x/",
      "[",
      "http://[",
      "http://u@[::1",
      // An empty scheme.
      "://foo",
  };
  for (const char *uri : bad) {
    SCOPED_TRACE(uri);
    EXPECT_EQ(Parse(uri).rc, -1);
  }
}

// (The empty URI is in kGoodUris.)
TEST(ParseUri, NullOutputs) {
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
      // Relative paths are refused.
      {"", "<fail>"},
      {"a/b", "<fail>"},
      {"../x", "<fail>"},
  };
  for (const auto &c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(Norm(c.in), c.out);
  }
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

TEST(AssembleUri, Table) {
  struct {
    const char *scheme, *user_info, *host;
    unsigned int port;
    const char *path, *query, *fragment;
    int normalize;
    const char *want;
  } cases[] = {
      // scheme, user_info, host, port, path, query, fragment, normalize
      {"http", "user:pw", "foo.com", 8080, "/a/b", "x=1", "top", 0,
       "http://user:pw@foo.com:8080/a/b?x=1#top"},
      {nullptr, nullptr, "foo.com", 80, nullptr, nullptr, nullptr, 0,
       "foo.com:80"},
      {"tcp", nullptr, "foo.com", 1234, nullptr, nullptr, nullptr, 0,
       "tcp://foo.com:1234"},
      {nullptr, nullptr, nullptr, 0, nullptr, nullptr, nullptr, 0, ""},
      {"", "", "", 0, "", "", "", 0, ""},
      {nullptr, nullptr, nullptr, 0, "/p", "q", nullptr, 0, "/p?q"},
      // An IPv6 host gets brackets (once).
      {"http", nullptr, "::1", 80, "/x", nullptr, nullptr, 0,
       "http://[::1]:80/x"},
      {"http", nullptr, "[::1]", 80, "/x", nullptr, nullptr, 0,
       "http://[::1]:80/x"},
      // Normalized paths; untouched without normalize; relative: refused.
      {"http", nullptr, "h", 0, "/a/../../etc/./passwd", nullptr, nullptr, 1,
       "http://h/etc/passwd"},
      {"http", nullptr, "h", 0, nullptr, "q", nullptr, 1, "http://h/?q"},
      {"http", nullptr, "h", 0, "/a/../../", nullptr, nullptr, 0,
       "http://h/a/../../"},
      {"http", nullptr, "h", 0, "relative/..", nullptr, nullptr, 1, "<fail>"},
  };
  for (const auto &c : cases) {
    SCOPED_TRACE(c.want);
    EXPECT_EQ(Assemble(c.scheme, c.user_info, c.host, c.port, c.path, c.query,
                       c.fragment, c.normalize),
              c.want);
  }
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
