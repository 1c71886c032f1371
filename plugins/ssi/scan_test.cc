// The directive scanner: a page rendered from its tokens is the same
// however its bytes are split across reads.
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "plugins/ssi/internal.h"
}

namespace {

// Renders a page by scanning it as a reader would see it: the bytes come
// in pieces of at most `piece`, a token is taken only when decidable.
// Text is copied, a directive becomes "{name|args}".
std::string Render(const std::string &page, size_t piece) {
  std::string out, buf;
  size_t fed = 0;
  for (int guard = 0; guard < 1000000; guard++) {
    bool eof = fed == page.size();
    struct mg__ssi_token t;
    mg__ssi_scan(buf.data(), buf.size(), eof, &t);
    if (t.kind == MG__SSI_MORE || (buf.empty() && !eof)) {
      size_t n = std::min(piece, page.size() - fed);
      buf += page.substr(fed, n);
      fed += n;
      continue;
    }
    if (buf.empty()) break;
    if (t.kind == MG__SSI_TEXT) out += buf.substr(0, t.len);
    if (t.kind == MG__SSI_DIRECTIVE) {
      out += "{" + std::string(t.name.p, t.name.len) + "|" +
             std::string(t.args.p, t.args.len) + "}";
    }
    EXPECT_GT(t.len, 0u);
    if (t.len == 0) break;
    buf.erase(0, t.len);
  }
  return out;
}

const char *const kPage =
    "<html><!--#include virtual=\"/a\" -->x<!-- not one --><!--#call foo bar-->"
    "<<!--<!--#exec \"ls -l\"   -->tail<!--#include \"b\" --><!--#";

const char *const kRendered =
    "<html>{include|virtual=\"/a\"}x<!-- not one -->{call|foo bar}"
    "<<!--{exec|\"ls -l\"}tail{include|\"b\"}<!--#";

TEST(ScanTest, WholePage) { EXPECT_EQ(Render(kPage, 100000), kRendered); }

TEST(ScanTest, SplitAtEveryBoundary) {
  for (size_t piece = 1; piece <= strlen(kPage); piece++) {
    EXPECT_EQ(Render(kPage, piece), kRendered) << "pieces of " << piece;
  }
}

TEST(ScanTest, OversizedDirectiveIsText) {
  std::string page =
      "<!--#call " + std::string(MG__SSI_MAX_DIRECTIVE, 'a') + " -->";
  EXPECT_EQ(Render(page, 1000), page);
  std::string fits =
      "<!--#call " + std::string(MG__SSI_MAX_DIRECTIVE - 20, 'a') + " -->";
  EXPECT_EQ(Render(fits, 1000),
            "{call|" + std::string(MG__SSI_MAX_DIRECTIVE - 20, 'a') + "}");
}

TEST(ScanTest, IncludeArguments) {
  struct Case {
    const char *args;
    int rc, kind;
    const char *path;
  } cases[] = {
      {"virtual=\"/x/y.html\"", 0, 'v', "/x/y.html"},
      {"file='rel.txt'", 0, 'f', "rel.txt"},
      {"abspath = \"/etc/motd\"", 0, 'a', "/etc/motd"},
      {"\"bare.txt\"", 0, 'f', "bare.txt"},
      {"VIRTUAL=\"/up\"", 0, 'v', "/up"},
      {"virtual=/noquotes", -1, 0, ""},
      {"\"\"", -1, 0, ""},
      {"\"unterminated", -1, 0, ""},
      {"\"a\" trailing", -1, 0, ""},
      {"", -1, 0, ""},
  };
  for (const Case &c : cases) {
    int kind = 0;
    struct mg_str path = mg_mk_str("");
    EXPECT_EQ(mg__ssi_include_arg(mg_mk_str(c.args), &kind, &path), c.rc)
        << c.args;
    if (c.rc == 0) {
      EXPECT_EQ(kind, c.kind) << c.args;
      EXPECT_EQ(std::string(path.p, path.len), c.path) << c.args;
    }
  }
  struct mg_str cmd;
  EXPECT_EQ(mg__ssi_exec_arg(mg_mk_str("\"ls -l\""), &cmd), 0);
  EXPECT_EQ(std::string(cmd.p, cmd.len), "ls -l");
  EXPECT_EQ(mg__ssi_exec_arg(mg_mk_str("ls"), &cmd), -1);
}

}  // namespace
