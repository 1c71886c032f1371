// The pure parsers: message heads and framing (including the hostile
// inputs that enable request smuggling), chunked coding, header
// parameters, form variables, URL decoding, multipart, MD5.
#include <gtest/gtest.h>

#include <string>
#include <vector>

extern "C" {
#include "plugins/http/internal.h"
}

namespace {

int Parse(const std::string &s, struct http_message *hm, int is_req = 1) {
  return mg_parse_http(s.data(), static_cast<int>(s.size()), hm, is_req);
}

int ParseReq(const std::string &s) {
  struct http_message hm;
  return Parse(s, &hm);
}

std::string Str(struct mg_str s) { return std::string(s.p ? s.p : "", s.len); }

TEST(ParseHttp, SimpleRequest) {
  struct http_message hm;
  std::string r = "GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: h\r\nX-A:  v v \r\n\r\n";
  ASSERT_EQ(Parse(r, &hm), static_cast<int>(r.size()));
  EXPECT_EQ(Str(hm.method), "GET");
  EXPECT_EQ(Str(hm.uri), "/a/b");
  EXPECT_EQ(Str(hm.query_string), "x=1&y=2");
  EXPECT_EQ(Str(hm.proto), "HTTP/1.1");
  EXPECT_EQ(Str(*mg_get_http_header(&hm, "x-a")), "v v");
  EXPECT_EQ(mg_get_http_header(&hm, "X-B"), nullptr);
  EXPECT_EQ(hm.body.len, 0u);
}

TEST(ParseHttp, IncompleteIsZero) {
  EXPECT_EQ(ParseReq("GET / HTTP/1.1\r\nHost: h\r\n"), 0);
  EXPECT_EQ(ParseReq("GET / HTT"), 0);
  EXPECT_EQ(ParseReq(""), 0);
}

TEST(ParseHttp, BodyLength) {
  struct http_message hm;
  std::string r = "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
  int n = Parse(r, &hm);
  ASSERT_GT(n, 0);
  EXPECT_EQ(hm.body.len, 5u);
  EXPECT_EQ(Str(hm.body), "hello");
  EXPECT_EQ(hm.message.len, r.size());
}

TEST(ParseHttp, Reply) {
  struct http_message hm;
  std::string r = "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nabc";
  ASSERT_GT(Parse(r, &hm, 0), 0);
  EXPECT_EQ(hm.resp_code, 404);
  EXPECT_EQ(Str(hm.resp_status_msg), "Not Found");
  EXPECT_EQ(Str(hm.body), "abc");
  std::string u = "HTTP/1.0 200 OK\r\n\r\nuntil close";  // outlives hm use
  ASSERT_GT(Parse(u, &hm, 0), 0);
  EXPECT_EQ(Str(hm.body), "until close");
}

TEST(ParseHttp, ReplyStatusMustBeThreeDigits) {
  struct http_message hm;
  EXPECT_LT(Parse("HTTP/1.1 20 OK\r\n\r\n", &hm, 0), 0);
  EXPECT_LT(Parse("HTTP/1.1 2000 OK\r\n\r\n", &hm, 0), 0);
  EXPECT_LT(Parse("HTTP/1.1 2x0 OK\r\n\r\n", &hm, 0), 0);
  EXPECT_LT(Parse("HTTP/1.1 -20 OK\r\n\r\n", &hm, 0), 0);
  EXPECT_LT(Parse("HTTP/1.1 099 OK\r\n\r\n", &hm, 0), 0);
  EXPECT_GT(Parse("HTTP/1.1 204 \r\n\r\n", &hm, 0), 0);
}

// --- Content-Length ---

TEST(HostileContentLength, Negative) {
  EXPECT_LT(ParseReq("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"), 0);
}

TEST(HostileContentLength, NonDigits) {
  EXPECT_LT(ParseReq("POST / HTTP/1.1\r\nContent-Length: 1_0\r\n\r\n"), 0);
  EXPECT_LT(ParseReq("POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n"), 0);
  EXPECT_LT(ParseReq("POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n"), 0);
  EXPECT_LT(ParseReq("POST / HTTP/1.1\r\nContent-Length: 1 0\r\n\r\n"), 0);
  EXPECT_LT(ParseReq("POST / HTTP/1.1\r\nContent-Length:\r\n\r\n"), 0);
  EXPECT_LT(ParseReq("POST / HTTP/1.1\r\nContent-Length: 5,5\r\n\r\n"), 0);
}

TEST(HostileContentLength, Overflow) {
  EXPECT_LT(
      ParseReq(
          "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"),
      0);
  EXPECT_LT(
      ParseReq(
          "POST / HTTP/1.1\r\nContent-Length: 18446744073709551617\r\n\r\n"),
      0);
}

TEST(HostileContentLength, DifferentDuplicates) {
  EXPECT_LT(
      ParseReq(
          "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"),
      0);
  struct http_message hm;
  EXPECT_GT(Parse("POST / HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: "
                  "5\r\n\r\nabcde",
                  &hm),
            0);
  EXPECT_EQ(hm.body.len, 5u);
}

TEST(HostileContentLength, WithTransferEncoding) {
  EXPECT_LT(ParseReq("POST / HTTP/1.1\r\nContent-Length: "
                     "5\r\nTransfer-Encoding: chunked\r\n\r\n"),
            0);
  EXPECT_LT(ParseReq("POST / HTTP/1.1\r\nTransfer-Encoding: "
                     "chunked\r\nContent-Length: 0\r\n\r\n"),
            0);
}

TEST(HostileContentLength, NameOnlyStartsWithContentLength) {
  struct http_message hm;
  ASSERT_GT(Parse("POST / HTTP/1.1\r\nContent-Length-X: 5\r\n\r\n", &hm), 0);
  EXPECT_EQ(hm.body.len, 0u);
  EXPECT_LT(ParseReq("POST / HTTP/1.1\r\nContent-Length : 5\r\n\r\n"), 0);
}

// --- Transfer-Encoding ---

int Frame(const std::string &s, struct mg__http_frame *f) {
  struct http_message hm;
  return mg__http_parse(s.data(), s.size(), &hm, 1, f);
}

TEST(HostileTransferEncoding, OnlyPlainChunked) {
  struct mg__http_frame f;
  ASSERT_GT(Frame("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", &f),
            0);
  EXPECT_TRUE(f.chunked);
  EXPECT_GT(Frame("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked \r\n\r\n", &f),
            0);
  EXPECT_LT(Frame("POST / HTTP/1.1\r\nTransfer-Encoding: ,chunked\r\n\r\n", &f),
            0);
  EXPECT_LT(
      Frame("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", &f),
      0);
  EXPECT_LT(Frame("POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n", &f),
            0);
  EXPECT_LT(
      Frame("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
            &f),
      0);
  EXPECT_LT(Frame("POST / HTTP/1.1\r\nTransfer-Encoding: "
                  "chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                  &f),
            0);
  EXPECT_LT(Frame("POST / HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n", &f),
            0);
  EXPECT_LT(Frame("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", &f),
            0);
}

long Chunk(const std::string &s, size_t *off, size_t *len) {
  return mg__http_parse_chunk(s.data(), s.size(), off, len);
}

TEST(HostileTransferEncoding, ChunkSizes) {
  size_t off, len;
  EXPECT_EQ(Chunk("5\r\nhello\r\n", &off, &len), 10);
  EXPECT_EQ(off, 3u);
  EXPECT_EQ(len, 5u);
  EXPECT_EQ(Chunk("A\r\n0123456789\r\n", &off, &len), 15);
  EXPECT_EQ(Chunk("5\r\nhel", &off, &len), 0);
  EXPECT_EQ(Chunk("5", &off, &len), 0);
  // Too many hex digits (would overflow or smuggle).
  EXPECT_LT(Chunk("10000000000000005\r\nhello\r\n", &off, &len), 0);
  EXPECT_LT(Chunk("0000000000000000000005\r\nhello\r\n", &off, &len), 0);
  EXPECT_LT(Chunk("fffffffffffffff\r\n", &off, &len), 0);
  // Missing size line, junk sizes.
  EXPECT_LT(Chunk("\r\nhello\r\n", &off, &len), 0);
  EXPECT_LT(Chunk("-5\r\nhello\r\n", &off, &len), 0);
  EXPECT_LT(Chunk("0x5\r\nhello\r\n", &off, &len), 0);
  EXPECT_LT(Chunk("5\r\nhelloXX", &off, &len), 0);  // no CRLF after data
  EXPECT_LT(Chunk("5\rhello\r\n", &off, &len), 0);  // bare CR
}

TEST(HostileTransferEncoding, ExtensionsAndTrailersIgnored) {
  size_t off, len;
  EXPECT_EQ(Chunk("5;name=val\r\nhello\r\n", &off, &len), 19);
  EXPECT_EQ(len, 5u);
  EXPECT_EQ(Chunk("5 ;a\r\nhello\r\n", &off, &len), 13);
  EXPECT_LT(Chunk("5x\r\nhello\r\n", &off, &len), 0);
  EXPECT_EQ(Chunk("0\r\n\r\n", &off, &len), 5);
  EXPECT_EQ(len, 0u);
  std::string last = "0\r\nX-Trailer: 1\r\nY: 2\r\n\r\n";
  EXPECT_EQ(Chunk(last, &off, &len), static_cast<long>(last.size()));
  EXPECT_EQ(Chunk("0\r\nX-Trailer: 1\r\n", &off, &len), 0);
  EXPECT_LT(Chunk("0\r\nno colon\r\n\r\n", &off, &len), 0);
}

// --- Headers ---

TEST(HostileHeaders, NoColonEmptyNameBareCrNul) {
  EXPECT_LT(ParseReq("GET / HTTP/1.1\r\nNoColon\r\n\r\n"), 0);
  EXPECT_LT(ParseReq("GET / HTTP/1.1\r\n: value\r\n\r\n"), 0);
  EXPECT_LT(ParseReq("GET / HTTP/1.1\r\nA: b\rC: d\r\n\r\n"), 0);
  EXPECT_LT(ParseReq(std::string("GET / HTTP/1.1\r\nA: b\0c\r\n\r\n", 27)), 0);
  EXPECT_LT(ParseReq(std::string("GET /\0 HTTP/1.1\r\n\r\n", 20)), 0);
  EXPECT_LT(ParseReq("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n"), 0);
  EXPECT_LT(ParseReq("GET / HTTP/1.1\r\nBad Name: b\r\n\r\n"), 0);
}

TEST(HostileHeaders, TwoHostHeaders) {
  EXPECT_LT(ParseReq("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 0);
  EXPECT_GT(ParseReq("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), 0);
}

TEST(HostileHeaders, TabAfterColonAccepted) {
  struct http_message hm;
  std::string r = "GET / HTTP/1.1\r\nA:\tvalue\t\r\n\r\n";
  ASSERT_GT(Parse(r, &hm), 0);
  EXPECT_EQ(Str(*mg_get_http_header(&hm, "A")), "value");
}

TEST(HostileHeaders, TooMany) {
  std::string r = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < MG_MAX_HTTP_HEADERS; i++)
    r += "H" + std::to_string(i) + ": v\r\n";
  EXPECT_GT(ParseReq(r + "\r\n"), 0);
  EXPECT_LT(ParseReq(r + "One-More: v\r\n\r\n"), 0);
}

TEST(HostileHeaders, BadRequestLines) {
  EXPECT_LT(ParseReq("GET / HTTP/1.1 HTTP/1.1\r\n\r\n"), 0);
  EXPECT_LT(ParseReq("GET  / HTTP/1.1\r\n\r\n"), 0);
  EXPECT_LT(ParseReq("GET /\r\n\r\n"), 0);
  EXPECT_LT(ParseReq("GET / HTTP/11\r\n\r\n"), 0);
  EXPECT_LT(ParseReq("GET / FOO/1.1\r\n\r\n"), 0);
  EXPECT_LT(ParseReq("G(T / HTTP/1.1\r\n\r\n"), 0);
  EXPECT_LT(ParseReq(" GET / HTTP/1.1\r\n\r\n"), 0);
  EXPECT_GT(ParseReq("\r\nGET / HTTP/1.1\r\n\r\n"), 0);  // a stray CRLF first
  EXPECT_GT(ParseReq("GET / HTTP/1.1\n\n"), 0);          // bare LF lines
}

TEST(Framing, KeepAliveRules) {
  struct mg__http_frame f;
  ASSERT_GT(Frame("GET / HTTP/1.1\r\n\r\n", &f), 0);
  EXPECT_TRUE(f.keep_alive);
  ASSERT_GT(Frame("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", &f), 0);
  EXPECT_FALSE(f.keep_alive);
  ASSERT_GT(Frame("GET / HTTP/1.0\r\n\r\n", &f), 0);
  EXPECT_FALSE(f.keep_alive);
  ASSERT_GT(Frame("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &f), 0);
  EXPECT_TRUE(f.keep_alive);
  ASSERT_GT(
      Frame(
          "PUT / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n",
          &f),
      0);
  EXPECT_TRUE(f.expect_continue);
}

// --- header parameters, variables, decoding ---

TEST(ParseHeader2, QuotedUnquotedAndExactNames) {
  struct mg_str h = mg_mk_str(
      "Digest username=\"jo\\\"e\", realm=r1, filename=\"f\", name=\"n\"; a=b");
  char buf[8], *p = buf;
  EXPECT_EQ(mg_http_parse_header2(&h, "username", &p, sizeof(buf)), 4);
  EXPECT_STREQ(p, "jo\"e");
  EXPECT_EQ(mg_http_parse_header2(&h, "realm", &p, sizeof(buf)), 2);
  EXPECT_STREQ(p, "r1");
  EXPECT_EQ(mg_http_parse_header2(&h, "name", &p, sizeof(buf)), 1);
  EXPECT_STREQ(p, "n");
  EXPECT_EQ(mg_http_parse_header2(&h, "a", &p, sizeof(buf)), 1);
  EXPECT_EQ(mg_http_parse_header2(&h, "missing", &p, sizeof(buf)), 0);
  EXPECT_EQ(p, buf);
  struct mg_str big = mg_mk_str("x=\"0123456789abcdef\"");
  EXPECT_EQ(mg_http_parse_header2(&big, "x", &p, sizeof(buf)), 16);
  ASSERT_NE(p, buf);
  EXPECT_STREQ(p, "0123456789abcdef");
  free(p);
  char small[4];
  EXPECT_EQ(mg_http_parse_header(&big, "x", small, sizeof(small)), 0);
  EXPECT_EQ(mg_http_parse_header(&h, "realm", small, sizeof(small)), 2);
}

TEST(GetHttpVar, Basics) {
  struct mg_str b = mg_mk_str("a=1&bb=hello+world%21&c=&dd=x");
  char dst[32];
  EXPECT_EQ(mg_get_http_var(&b, "bb", dst, sizeof(dst)), 12);
  EXPECT_STREQ(dst, "hello world!");
  EXPECT_EQ(mg_get_http_var(&b, "c", dst, sizeof(dst)), 0);
  EXPECT_EQ(mg_get_http_var(&b, "d", dst, sizeof(dst)), 0);
  EXPECT_STREQ(dst, "");
  EXPECT_EQ(mg_get_http_var(&b, "dd", dst, sizeof(dst)), 1);
  char tiny[3];
  EXPECT_LT(mg_get_http_var(&b, "bb", tiny, sizeof(tiny)), 0);
  EXPECT_LT(mg_get_http_var(&b, "a", nullptr, 0), 0);
}

TEST(UrlDecode, Basics) {
  char dst[16];
  EXPECT_EQ(mg_url_decode("a%20b+c", 7, dst, sizeof(dst), 0), 5);
  EXPECT_STREQ(dst, "a b+c");
  EXPECT_EQ(mg_url_decode("a%20b+c", 7, dst, sizeof(dst), 1), 5);
  EXPECT_STREQ(dst, "a b c");
  EXPECT_EQ(mg_url_decode("%zz", 3, dst, sizeof(dst), 0), -1);
  EXPECT_EQ(mg_url_decode("%2", 2, dst, sizeof(dst), 0), -1);
  EXPECT_EQ(mg_url_decode("0123456789abcdefgh", 18, dst, sizeof(dst), 0), -1);
  EXPECT_EQ(dst[15], '\0');
}

// --- multipart ---

const char kBody[] =
    "preamble\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"field\"\r\n\r\n"
    "value\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
    "Content-Type: text/plain\r\n\r\n"
    "line1\r\n--XyZnot a boundary\r\nline2\r\n"
    "--XyZ--\r\n"
    "epilogue";

TEST(ParseMultipart, Buffered) {
  std::string body = kBody;
  char var[32], file[32];
  const char *chunk;
  size_t len, pos = 0, n;
  std::vector<std::string> seen;
  while ((n = mg_parse_multipart(body.data() + pos, body.size() - pos, var,
                                 sizeof(var), file, sizeof(file), &chunk,
                                 &len)) > 0) {
    seen.push_back(std::string(var) + "|" + file + "|" +
                   std::string(chunk, len));
    pos += n;
  }
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], "field||value");
  EXPECT_EQ(seen[1], "file|a.txt|line1\r\n--XyZnot a boundary\r\nline2");
}

struct MpLog {
  std::string log;
  size_t budget = SIZE_MAX;  // DATA bytes consumed per call
};

size_t LogCb(struct mg__mp *p, int ev, const char *data, size_t len,
             void *ctx) {
  MpLog *l = static_cast<MpLog *>(ctx);
  switch (ev) {
    case MG__MP_BEGIN:
      l->log += std::string("[") + p->var_name + "|" + p->file_name + "]";
      return 0;
    case MG__MP_DATA: {
      size_t n = len < l->budget ? len : l->budget;
      l->log.append(data, n);
      return n;
    }
    case MG__MP_END:
      l->log += "[end]";
      return 0;
    default:
      l->log += "[done]";
      return 0;
  }
}

std::string Stream(const std::string &body, size_t step, size_t budget) {
  struct mg__mp p;
  struct mg_str ct = mg_mk_str("multipart/form-data; boundary=XyZ");
  EXPECT_EQ(mg__mp_init(&p, ct), 0);
  MpLog l;
  l.budget = budget;
  std::string buf;
  size_t fed = 0;
  for (int i = 0; i < 100000 && !mg__mp_done(&p) && !p.error; i++) {
    size_t add = std::min(step, body.size() - fed);
    buf.append(body, fed, add);
    fed += add;
    size_t used = mg__mp_feed(&p, buf.data(), buf.size(), LogCb, &l);
    buf.erase(0, used);
    if (fed == body.size() && used == 0 && budget == SIZE_MAX) break;
  }
  EXPECT_FALSE(p.error);
  return l.log;
}

TEST(StreamingMultipart, AnySplitGivesTheSameEvents) {
  std::string want =
      "[field|]value[end][file|a.txt]line1\r\n--XyZnot a boundary\r\nline2"
      "[end][done]";
  for (size_t step : {1, 2, 3, 7, 64, 1000}) {
    EXPECT_EQ(Stream(kBody, step, SIZE_MAX), want) << step;
  }
  EXPECT_EQ(Stream(kBody, 1000, 1), want);  // back-pressure: 1 byte at a time
}

TEST(StreamingMultipart, Errors) {
  struct mg__mp p;
  EXPECT_NE(mg__mp_init(&p, mg_mk_str("multipart/form-data")), 0);
  EXPECT_NE(mg__mp_init(&p, mg_mk_str("multipart/form-data; boundary=")), 0);
  ASSERT_EQ(mg__mp_init(&p, mg_mk_str("multipart/form-data; boundary=b")), 0);
  MpLog l;
  std::string bad = "--b\r\n" + std::string(MG__MP_MAX_HEAD + 10, 'h');
  mg__mp_feed(&p, bad.data(), bad.size(), LogCb, &l);
  EXPECT_TRUE(p.error);
  ASSERT_EQ(mg__mp_init(&p, mg_mk_str("multipart/form-data; boundary=b")), 0);
  std::string junk = "--bjunk\r\n";
  mg__mp_feed(&p, junk.data(), junk.size(), LogCb, &l);
  EXPECT_TRUE(p.error);
}

// --- MD5 and auth helpers ---

std::string Md5(const std::string &s) {
  char out[33];
  struct mg_str part = mg_mk_str_n(s.data(), s.size());
  mg__md5_hex_join(out, &part, 1);
  return out;
}

TEST(Md5, Rfc1321Vectors) {
  EXPECT_EQ(Md5(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Md5("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(Md5("12345678901234567890123456789012345678901234567890123456789012"
                "345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
  EXPECT_EQ(Md5(std::string(1000000, 'a')), "7707d6ae4e027c70eea2a935c2296f21");
}

TEST(BasicAuth, Parse) {
  char user[16], pass[16];
  struct mg_str h = mg_mk_str("Basic dXNlcjpwYTpzcw==");
  EXPECT_EQ(
      mg_parse_http_basic_auth(&h, user, sizeof(user), pass, sizeof(pass)), 0);
  EXPECT_STREQ(user, "user");
  EXPECT_STREQ(pass, "pa:ss");
  struct mg_str bad = mg_mk_str("Basic !!!!");
  EXPECT_EQ(
      mg_parse_http_basic_auth(&bad, user, sizeof(user), pass, sizeof(pass)),
      -1);
  struct mg_str digest = mg_mk_str("Digest x=y");
  EXPECT_EQ(
      mg_parse_http_basic_auth(&digest, user, sizeof(user), pass, sizeof(pass)),
      -1);
  struct mg_str nocolon = mg_mk_str("Basic dXNlcg==");
  EXPECT_EQ(mg_parse_http_basic_auth(&nocolon, user, sizeof(user), pass,
                                     sizeof(pass)),
            -1);
  char tiny[2];
  EXPECT_EQ(
      mg_parse_http_basic_auth(&h, tiny, sizeof(tiny), pass, sizeof(pass)), -1);
}

TEST(DigestAuth, CreateHeaderMatchesCheck) {
  char hdr[512];
  int n = mg_http_create_digest_auth_header(hdr, sizeof(hdr), "GET", "/x",
                                            "realm", "joe", "secret", "abcdef");
  ASSERT_GT(n, 0);
  struct mg_str h =
      mg_mk_str_n(hdr + 15, strlen(hdr) - 17);  // after "Authorization: "
  char b[7][64];
  const char *names[] = {"username", "cnonce", "response", "qop",
                         "nc",       "nonce",  "uri"};
  struct mg_str f[7];
  for (int i = 0; i < 7; i++) {
    ASSERT_GT(mg_http_parse_header(&h, names[i], b[i], sizeof(b[i])), 0)
        << names[i];
    f[i] = mg_mk_str(b[i]);
  }
  // HA1 of joe:realm:secret, as htdigest writes it.
  std::string line = "joe:realm:" + Md5("joe:realm:secret") + "\n";
  FILE *fp = tmpfile();
  fputs(("bob:realm:" + Md5("bob:realm:x") + "\n").c_str(), fp);
  fputs(line.c_str(), fp);
  rewind(fp);
  EXPECT_EQ(mg_check_digest_auth(mg_mk_str("GET"), f[6], f[0], f[1], f[2], f[3],
                                 f[4], f[5], mg_mk_str("realm"), fp),
            1);
  rewind(fp);
  EXPECT_EQ(mg_check_digest_auth(mg_mk_str("POST"), f[6], f[0], f[1], f[2],
                                 f[3], f[4], f[5], mg_mk_str("realm"), fp),
            0);
  rewind(fp);
  EXPECT_EQ(mg_check_digest_auth(mg_mk_str("GET"), f[6], f[0], f[1], f[2], f[3],
                                 f[4], f[5], mg_mk_str("other"), fp),
            0);
  rewind(fp);
  EXPECT_EQ(
      mg_check_digest_auth(mg_mk_str("GET"), f[6], f[0], f[1], mg_mk_str(""),
                           f[3], f[4], f[5], mg_mk_str("realm"), fp),
      0);
  fclose(fp);
}

}  // namespace
