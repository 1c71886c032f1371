// Tests for mg/str.c: slices, comparisons, formatting, glob matching, lists.
#include "mg/str.h"

#include <stdlib.h>
#include <string.h>

#include <string>

#include "gtest/gtest.h"

namespace {

std::string S(const struct mg_str &s) {
  return std::string(s.p == nullptr ? "" : s.p, s.len);
}

int Sign(int x) { return (x > 0) - (x < 0); }

TEST(Str, MkStr) {
  struct mg_str s = mg_mk_str("hello");
  EXPECT_EQ(s.len, 5u);
  EXPECT_EQ(S(s), "hello");
  s = mg_mk_str(nullptr);
  EXPECT_EQ(s.p, nullptr);
  EXPECT_EQ(s.len, 0u);
  s = mg_mk_str_n("hello", 3);
  EXPECT_EQ(S(s), "hel");
  struct mg_str lit = MG_MK_STR("abc");
  EXPECT_EQ(lit.len, 3u);
  struct mg_str null_str = MG_NULL_STR;
  EXPECT_EQ(null_str.len, 0u);
}

TEST(Str, Vcmp) {
  struct mg_str s = mg_mk_str("abc");
  EXPECT_EQ(mg_vcmp(&s, "abc"), 0);
  EXPECT_LT(mg_vcmp(&s, "abd"), 0);
  EXPECT_GT(mg_vcmp(&s, "abb"), 0);
  EXPECT_LT(mg_vcmp(&s, "abcd"), 0);  // prefix sorts first
  EXPECT_GT(mg_vcmp(&s, "ab"), 0);
  struct mg_str empty = mg_mk_str_n(nullptr, 0);
  EXPECT_EQ(mg_vcmp(&empty, ""), 0);
  EXPECT_LT(mg_vcmp(&empty, "a"), 0);
  // Bytes past len are not looked at.
  struct mg_str part = mg_mk_str_n("abcdef", 3);
  EXPECT_EQ(mg_vcmp(&part, "abc"), 0);
}

TEST(Str, Vcasecmp) {
  struct mg_str s = mg_mk_str("Content-Length");
  EXPECT_EQ(mg_vcasecmp(&s, "content-length"), 0);
  EXPECT_EQ(mg_vcasecmp(&s, "CONTENT-LENGTH"), 0);
  EXPECT_NE(mg_vcasecmp(&s, "content-lengths"), 0);
  EXPECT_NE(mg_vcasecmp(&s, "content-type"), 0);
}

TEST(Str, Strcmp) {
  EXPECT_EQ(mg_strcmp(mg_mk_str("abc"), mg_mk_str("abc")), 0);
  EXPECT_EQ(Sign(mg_strcmp(mg_mk_str("abc"), mg_mk_str("abd"))), -1);
  EXPECT_EQ(Sign(mg_strcmp(mg_mk_str("abd"), mg_mk_str("abc"))), 1);
  EXPECT_EQ(Sign(mg_strcmp(mg_mk_str("ab"), mg_mk_str("abc"))), -1);
  EXPECT_EQ(Sign(mg_strcmp(mg_mk_str("abc"), mg_mk_str("ab"))), 1);
  EXPECT_EQ(mg_strcmp(mg_mk_str(""), mg_mk_str(nullptr)), 0);
  // Bytes compare as unsigned.
  EXPECT_EQ(Sign(mg_strcmp(mg_mk_str("\x80"), mg_mk_str("a"))), 1);
  // Embedded NUL bytes are ordinary bytes.
  EXPECT_EQ(Sign(mg_strcmp(mg_mk_str_n("a\0b", 3), mg_mk_str_n("a\0c", 3))),
            -1);
}

TEST(Str, Strncmp) {
  EXPECT_EQ(mg_strncmp(mg_mk_str("abcx"), mg_mk_str("abcy"), 3), 0);
  EXPECT_NE(mg_strncmp(mg_mk_str("abcx"), mg_mk_str("abcy"), 4), 0);
  EXPECT_NE(mg_strncmp(mg_mk_str("ab"), mg_mk_str("abc"), 3), 0);
  EXPECT_EQ(mg_strncmp(mg_mk_str("ab"), mg_mk_str("abc"), 2), 0);
  EXPECT_EQ(mg_strncmp(mg_mk_str("x"), mg_mk_str("y"), 0), 0);
}

TEST(Str, Strcasecmp) {
  EXPECT_EQ(mg_strcasecmp(mg_mk_str("HeLLo"), mg_mk_str("hello")), 0);
  EXPECT_LT(mg_strcasecmp(mg_mk_str("a"), mg_mk_str("B")), 0);
  EXPECT_GT(mg_strcasecmp(mg_mk_str("hello!"), mg_mk_str("HELLO")), 0);
}

TEST(Str, Strdup) {
  struct mg_str d = mg_strdup(mg_mk_str_n("hello world", 5));
  ASSERT_NE(d.p, nullptr);
  EXPECT_EQ(d.len, 5u);
  EXPECT_STREQ(d.p, "hello");  // NUL-terminated
  free((void *) d.p);
  d = mg_strdup(mg_mk_str_n(nullptr, 0));
  ASSERT_NE(d.p, nullptr);
  EXPECT_EQ(d.len, 0u);
  EXPECT_STREQ(d.p, "");
  free((void *) d.p);
  d = mg_strdup_nul(mg_mk_str("x"));
  ASSERT_NE(d.p, nullptr);
  EXPECT_STREQ(d.p, "x");
  free((void *) d.p);
}

TEST(Str, Strstr) {
  struct mg_str h = mg_mk_str("hello world");
  EXPECT_EQ(mg_strstr(h, mg_mk_str("world")), h.p + 6);
  EXPECT_EQ(mg_strstr(h, mg_mk_str("hello")), h.p);
  EXPECT_EQ(mg_strstr(h, mg_mk_str("d")), h.p + 10);
  EXPECT_EQ(mg_strstr(h, mg_mk_str("worlds")), nullptr);
  EXPECT_EQ(mg_strstr(h, mg_mk_str("hello world!")), nullptr);
  EXPECT_EQ(mg_strstr(h, mg_mk_str("")), h.p);
  EXPECT_EQ(mg_strstr(mg_mk_str_n("abcabd", 5), mg_mk_str("abd")), nullptr);
  EXPECT_EQ(mg_strstr(mg_mk_str_n(nullptr, 0), mg_mk_str("a")), nullptr);
}

TEST(Str, Strchr) {
  struct mg_str s = mg_mk_str_n("a,b,c", 3);
  EXPECT_EQ(mg_strchr(s, ','), s.p + 1);
  EXPECT_EQ(mg_strchr(s, 'c'), nullptr);  // past len
  EXPECT_EQ(mg_strchr(mg_mk_str_n(nullptr, 0), 'a'), nullptr);
}

TEST(Str, Strstrip) {
  EXPECT_EQ(S(mg_strstrip(mg_mk_str("  \t hi there \r\n"))), "hi there");
  EXPECT_EQ(S(mg_strstrip(mg_mk_str("   "))), "");
  EXPECT_EQ(S(mg_strstrip(mg_mk_str("x"))), "x");
  EXPECT_EQ(mg_strstrip(mg_mk_str_n(nullptr, 0)).len, 0u);
}

TEST(Str, StartsWith) {
  EXPECT_TRUE(mg_str_starts_with(mg_mk_str("hello"), mg_mk_str("he")));
  EXPECT_TRUE(mg_str_starts_with(mg_mk_str("hello"), mg_mk_str("")));
  EXPECT_TRUE(mg_str_starts_with(mg_mk_str("hello"), mg_mk_str("hello")));
  EXPECT_FALSE(mg_str_starts_with(mg_mk_str("hello"), mg_mk_str("hello!")));
  EXPECT_FALSE(mg_str_starts_with(mg_mk_str("hello"), mg_mk_str("x")));
}

TEST(Str, CaseComparisons) {
  EXPECT_EQ(mg_ncasecmp("HELLO", "hello", 5), 0);
  EXPECT_EQ(mg_ncasecmp("HELLOx", "helloy", 5), 0);
  EXPECT_NE(mg_ncasecmp("HELLOx", "helloy", 6), 0);
  EXPECT_EQ(mg_ncasecmp("ab", "ab", 100), 0);  // stops where both end
  EXPECT_LT(mg_ncasecmp("ab", "abc", 3), 0);
  EXPECT_EQ(mg_casecmp("Keep-Alive", "keep-alive"), 0);
  EXPECT_NE(mg_casecmp("Keep-Alive", "keep-alive "), 0);
  EXPECT_GT(mg_casecmp("b", "A"), 0);
}

TEST(Str, Strnlen) {
  EXPECT_EQ(c_strnlen("hello", 10), 5u);
  EXPECT_EQ(c_strnlen("hello", 3), 3u);
  EXPECT_EQ(c_strnlen("", 3), 0u);
  char no_nul[4] = {'a', 'b', 'c', 'd'};
  EXPECT_EQ(c_strnlen(no_nul, sizeof(no_nul)), 4u);
}

TEST(Str, Snprintf) {
  char buf[8];
  EXPECT_EQ(c_snprintf(buf, sizeof(buf), "%d-%s", 42, "abc"), 6);
  EXPECT_STREQ(buf, "42-abc");
  EXPECT_EQ(c_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
  EXPECT_STREQ(buf, "0123456");  // truncated, NUL-terminated
  EXPECT_EQ(c_snprintf(nullptr, 0, "%s", "abc"), 3);
}

TEST(Str, AsprintfFits) {
  char mem[32], *buf = mem;
  EXPECT_EQ(mg_asprintf(&buf, sizeof(mem), "x=%d", 5), 3);
  EXPECT_EQ(buf, mem);
  EXPECT_STREQ(buf, "x=5");
}

TEST(Str, AsprintfGrows) {
  char mem[4], *buf = mem;
  std::string big(5000, 'z');
  EXPECT_EQ(mg_asprintf(&buf, sizeof(mem), "[%s]", big.c_str()), 5002);
  ASSERT_NE(buf, mem);
  EXPECT_EQ(std::string(buf), "[" + big + "]");
  free(buf);
  // Exactly size bytes of output does not fit (the NUL needs one more).
  buf = mem;
  EXPECT_EQ(mg_asprintf(&buf, sizeof(mem), "%s", "abcd"), 4);
  ASSERT_NE(buf, mem);
  EXPECT_STREQ(buf, "abcd");
  free(buf);
  // A NULL buffer of size 0 always allocates.
  buf = nullptr;
  EXPECT_EQ(mg_asprintf(&buf, 0, "%s", ""), 0);
  ASSERT_NE(buf, nullptr);
  EXPECT_STREQ(buf, "");
  free(buf);
}

int Match(const char *pattern, const char *str) {
  return mg_match_prefix(pattern, (int) strlen(pattern), str);
}

TEST(Str, MatchPrefixLiterals) {
  EXPECT_EQ(Match("abc", "abc"), 3);
  EXPECT_EQ(Match("abc", "abcdef"), 3);  // a prefix match
  EXPECT_EQ(Match("abc", "ab"), -1);
  EXPECT_EQ(Match("abc", "abd"), -1);
  EXPECT_EQ(Match("ABC", "abc"), 3);  // case-insensitive
  EXPECT_EQ(Match("", "abc"), 0);
  EXPECT_EQ(mg_match_prefix("abcdef", 3, "abc"), 3);  // pattern_len counts
  EXPECT_EQ(mg_match_prefix("abc", 3, nullptr), -1);
}

TEST(Str, MatchPrefixWildcards) {
  EXPECT_EQ(Match("a?c", "abc"), 3);
  EXPECT_EQ(Match("a?c", "a/c"), 3);
  EXPECT_EQ(Match("a?c", "ac"), -1);
  EXPECT_EQ(Match("/api/*", "/api/v1/x"), 7);
  EXPECT_EQ(Match("/api/**", "/api/v1/x"), 9);
  EXPECT_EQ(Match("*", ""), 0);
  EXPECT_EQ(Match("**", "abc"), 3);
  EXPECT_EQ(Match("*/b", "a/b"), 3);
  EXPECT_EQ(Match("*.cgi$", "foo/bar.cgi"), -1);  // * stops at '/'
  EXPECT_EQ(Match("**.cgi$", "foo/bar.cgi"), 11);
  EXPECT_EQ(Match("**.cgi$", "foo/bar.cgi.txt"), -1);
  EXPECT_EQ(Match("**/b$", "a/x/b"), 5);  // needs backtracking
  EXPECT_EQ(Match("*$", "a/b"), -1);
  EXPECT_EQ(Match("**$", "a/b"), 3);
  EXPECT_EQ(Match("a*c", "abbbc/d"), 5);
  EXPECT_EQ(Match("a*c", "ab/c"), -1);
}

TEST(Str, MatchPrefixAnchorAndAlternatives) {
  EXPECT_EQ(Match("$", ""), 0);
  EXPECT_EQ(Match("$", "a"), -1);
  EXPECT_EQ(Match("abc$", "abc"), 3);
  EXPECT_EQ(Match("abc$", "abcd"), -1);
  EXPECT_EQ(Match("x|abc", "abc"), 3);
  EXPECT_EQ(Match("abc|x", "abc"), 3);
  EXPECT_EQ(Match("x|y", "abc"), -1);
  EXPECT_EQ(Match("**.shtml$|**.shtm$", "/a/b.shtm"), 9);
  EXPECT_EQ(Match("**.shtml$|**.shtm$", "/a/b.shtml"), 10);
  EXPECT_EQ(Match("**.shtml$|**.shtm$", "/a/b.sht"), -1);
  EXPECT_EQ(Match("x|", "abc"), 0);   // the empty alternative matches 0 bytes
  EXPECT_EQ(Match("|ab", "abc"), 2);  // a longer match beats the empty one
}

TEST(Str, MatchPrefixN) {
  EXPECT_EQ(mg_match_prefix_n(mg_mk_str("**.js"), mg_mk_str_n("a.jsx", 4)), 4);
  EXPECT_EQ(mg_match_prefix_n(mg_mk_str("abc"), mg_mk_str_n(nullptr, 0)), -1);
  EXPECT_EQ(mg_match_prefix_n(mg_mk_str_n(nullptr, 0), mg_mk_str("a")), 0);
}

TEST(Str, MatchPrefixManyStarsTerminates) {
  std::string s(50, 'a');
  EXPECT_EQ(Match("*a*a*a*b", s.c_str()), -1);
  EXPECT_EQ(Match("**a**a**a$", s.c_str()), 50);
}

TEST(Str, NextCommaListEntry) {
  const char *list = "a=1,b,c=3,=4,";
  struct mg_str val, eq;
  list = mg_next_comma_list_entry(list, &val, &eq);
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(S(val), "a");
  EXPECT_EQ(S(eq), "1");
  list = mg_next_comma_list_entry(list, &val, &eq);
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(S(val), "b");
  EXPECT_EQ(eq.len, 0u);
  list = mg_next_comma_list_entry(list, &val, &eq);
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(S(val), "c");
  EXPECT_EQ(S(eq), "3");
  list = mg_next_comma_list_entry(list, &val, &eq);
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(S(val), "");
  EXPECT_EQ(S(eq), "4");
  // A trailing comma adds no empty entry.
  EXPECT_EQ(mg_next_comma_list_entry(list, &val, &eq), nullptr);
  EXPECT_EQ(mg_next_comma_list_entry(nullptr, &val, &eq), nullptr);
  EXPECT_EQ(mg_next_comma_list_entry("", &val, &eq), nullptr);
}

TEST(Str, NextCommaListEntryWithoutEqVal) {
  const char *list = "x=1,y";
  struct mg_str val;
  int n = 0;
  std::string seen;
  while ((list = mg_next_comma_list_entry(list, &val, nullptr)) != nullptr) {
    seen += S(val) + ";";
    n++;
  }
  EXPECT_EQ(n, 2);
  EXPECT_EQ(seen, "x=1;y;");
}

TEST(Str, NextCommaListEntryN) {
  struct mg_str list = mg_mk_str_n("p,q,r", 3), val, eq;
  list = mg_next_comma_list_entry_n(list, &val, &eq);
  EXPECT_EQ(S(val), "p");
  list = mg_next_comma_list_entry_n(list, &val, &eq);
  ASSERT_NE(list.p, nullptr);
  EXPECT_EQ(S(val), "q");  // "r" lies past the slice
  list = mg_next_comma_list_entry_n(list, &val, &eq);
  EXPECT_EQ(list.p, nullptr);
}

}  // namespace
