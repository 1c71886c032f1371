// Tests for mg/base64.c: RFC 4648 vectors, padding, invalid input, streaming.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mg/util.h"

namespace {

std::string Encode(const std::string &in) {
  std::vector<char> out(4 * ((in.size() + 2) / 3) + 1, '#');
  mg_base64_encode((const unsigned char *) in.data(), (int) in.size(),
                   out.data());
  EXPECT_EQ(out.back(), '\0');
  return std::string(out.data());
}

// Decodes in; *consumed gets the return value, the result the bytes.
std::string Decode(const std::string &in, int *consumed) {
  std::vector<char> out(3 * in.size() / 4 + 1, '#');
  int dec_len = -1;
  *consumed = cs_base64_decode((const unsigned char *) in.data(),
                               (int) in.size(), out.data(), &dec_len);
  EXPECT_GE(dec_len, 0);
  EXPECT_LT((size_t) dec_len, out.size());
  EXPECT_EQ(out[dec_len], '\0');
  return std::string(out.data(), (size_t) dec_len);
}

struct Vector {
  const char *plain, *encoded;
};

// RFC 4648 section 10.
const Vector kRfcVectors[] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

TEST(Base64, EncodeRfcVectors) {
  for (const Vector &v : kRfcVectors) {
    SCOPED_TRACE(v.plain);
    EXPECT_EQ(Encode(v.plain), v.encoded);
    char out[16];
    cs_base64_encode((const unsigned char *) v.plain, (int) strlen(v.plain),
                     out);
    EXPECT_STREQ(out, v.encoded);
  }
}

TEST(Base64, DecodeRfcVectors) {
  for (const Vector &v : kRfcVectors) {
    SCOPED_TRACE(v.encoded);
    int consumed = -1;
    EXPECT_EQ(Decode(v.encoded, &consumed), v.plain);
    EXPECT_EQ(consumed, (int) strlen(v.encoded));
    char out[16];
    EXPECT_EQ(mg_base64_decode((const unsigned char *) v.encoded,
                               (int) strlen(v.encoded), out),
              (int) strlen(v.encoded));
    EXPECT_STREQ(out, v.plain);
  }
}

TEST(Base64, EmptyInput) {
  char out[4] = "xyz";
  int dec_len = -1;
  EXPECT_EQ(cs_base64_decode((const unsigned char *) "", 0, out, &dec_len), 0);
  EXPECT_EQ(dec_len, 0);
  EXPECT_STREQ(out, "");
  EXPECT_EQ(mg_base64_decode(nullptr, 0, out), 0);
  char enc[4] = "xyz";
  mg_base64_encode(nullptr, 0, enc);
  EXPECT_STREQ(enc, "");
}

TEST(Base64, BinaryAndAllBytes) {
  std::string all;
  for (int i = 0; i < 256; i++) all.push_back((char) i);
  std::string enc = Encode(all);
  EXPECT_EQ(enc.size(), 4 * ((all.size() + 2) / 3));
  int consumed;
  EXPECT_EQ(Decode(enc, &consumed), all);
  EXPECT_EQ(consumed, (int) enc.size());
  EXPECT_EQ(Encode(std::string("\xff\xfe\xfd", 3)), "//79");
  EXPECT_EQ(Encode(std::string("\xfb\xef", 2)), "++8=");
}

// Input that is not whole padded base64: what cs_base64_decode() makes of
// it and how many input bytes it consumed.
struct PartialDecode {
  std::string in;
  const char *out;
  int consumed;
};

const PartialDecode kPartialDecodes[] = {
    // An unpadded final group.
    {"Zg", "f", 2},
    {"Zm8", "fo", 3},
    {"Zm9vYg", "foob", 6},
    // A lone character cannot carry a byte.
    {"Z", "", 0},
    {"Zm9vY", "foo", 4},
    // Padding too short, too early, or followed by data.
    {"Zg=", "", 0},
    {"Z===", "", 0},
    {"====", "", 0},
    {"Zg=a", "", 0},
    {"Zm9vZg=a", "foo", 4},
    // Decoding ends with the padding.
    {"Zg==Zg==", "f", 4},
    {"Zm8=Zm9v", "fo", 4},
    // It stops at an invalid character, white space included.
    {"Zm9v!mFy", "foo", 4},
    {"Zm9vYm!y", "foo", 4},
    {"!m9v", "", 0},
    {"Zm9v Zm9v", "foo", 4},
    {"Zm9v\nZm9v", "foo", 4},
    {std::string("Zm\0v", 4), "", 0},
    // Bytes >= 0x80 are invalid (not aliases of ASCII letters).
    {"\xc1\xc1\xc1\xc1", "", 0},
    {"Zm9v\xda\xed\xe6\xf9", "foo", 4},
    // URL-safe alphabet characters are not standard base64.
    {"-_-_", "", 0},
};

TEST(Base64, PartialInput) {
  for (const PartialDecode &c : kPartialDecodes) {
    SCOPED_TRACE(testing::PrintToString(c.in));
    int consumed = -1;
    EXPECT_EQ(Decode(c.in, &consumed), c.out);
    EXPECT_EQ(consumed, c.consumed);
  }
}

TEST(Base64, MgBase64DecodeStopsAtInvalidCharacter) {
  char out[8];
  EXPECT_LT(mg_base64_decode((const unsigned char *) "Zm9v!", 5, out), 5);
  EXPECT_STREQ(out, "foo");
}

TEST(Base64, NegativeLengthDecodesNothing) {
  char out[4] = "abc";
  EXPECT_EQ(mg_base64_decode((const unsigned char *) "Zm9v", -4, out), 0);
  EXPECT_STREQ(out, "");
}

TEST(Base64, RandomRoundTrips) {
  std::mt19937 rng(12345);
  for (int n = 0; n < 300; n++) {
    std::string data;
    for (int i = 0; i < n; i++) data.push_back((char) (rng() & 0xff));
    std::string enc = Encode(data);
    ASSERT_EQ(enc.size(), 4 * ((data.size() + 2) / 3));
    int consumed;
    ASSERT_EQ(Decode(enc, &consumed), data) << n;
    ASSERT_EQ(consumed, (int) enc.size());
  }
}

TEST(Base64, OneMiBRoundTrip) {
  std::mt19937 rng(7);
  std::string data(1 << 20, '\0');
  for (char &c : data) c = (char) (rng() & 0xff);
  std::string enc = Encode(data);
  int consumed;
  EXPECT_EQ(Decode(enc, &consumed), data);
  EXPECT_EQ(consumed, (int) enc.size());
}

// Collects streamed characters into a std::string.
void Collect(char ch, void *user_data) {
  static_cast<std::string *>(user_data)->push_back(ch);
}

TEST(Base64, StreamingInAnyChunks) {
  std::mt19937 rng(99);
  std::string data;
  for (int i = 0; i < 1000; i++) data.push_back((char) (rng() & 0xff));
  std::string expect = Encode(data);
  for (size_t chunk = 1; chunk <= 7; chunk++) {
    std::string out;
    struct cs_base64_ctx ctx;
    cs_base64_init(&ctx, Collect, &out);
    for (size_t i = 0; i < data.size(); i += chunk) {
      cs_base64_update(&ctx, data.data() + i, std::min(chunk, data.size() - i));
    }
    cs_base64_finish(&ctx);
    EXPECT_EQ(out, expect) << chunk;
  }
}

TEST(Base64, StreamingFinishWithNothingPending) {
  std::string out;
  struct cs_base64_ctx ctx;
  cs_base64_init(&ctx, Collect, &out);
  cs_base64_finish(&ctx);
  EXPECT_EQ(out, "");
  cs_base64_update(&ctx, "foo", 3);
  cs_base64_finish(&ctx);
  EXPECT_EQ(out, "Zm9v");
}

TEST(Base64, FprintBase64) {
  FILE *fp = tmpfile();
  ASSERT_NE(fp, nullptr);
  cs_fprint_base64(fp, (const unsigned char *) "fooba", 5);
  rewind(fp);
  char buf[32] = "";
  size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
  fclose(fp);
  EXPECT_EQ(std::string(buf, n), "Zm9vYmE=");
}

TEST(Base64, AppendToMbuf) {
  struct mbuf m;
  mbuf_init(&m, 0);
  mbuf_append(&m, "x:", 2);
  mg_mbuf_append_base64(&m, "foob", 4);
  EXPECT_EQ(std::string(m.buf, m.len), "x:Zm9vYg==");
  mbuf_clear(&m);
  struct cs_base64_ctx ctx;
  cs_base64_init(&ctx, mg_mbuf_append_base64_putc, &m);
  cs_base64_update(&ctx, "foo", 3);
  cs_base64_update(&ctx, "bar", 3);
  cs_base64_finish(&ctx);
  EXPECT_EQ(std::string(m.buf, m.len), "Zm9vYmFy");
  mbuf_free(&m);
}

TEST(Base64, BasicAuthHeader) {
  struct {
    const char *user, *pass, *want;
  } cases[] = {
      {"Aladdin", "open sesame",
       "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"},
      {"Aladdin:open sesame", nullptr,
       "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"},
      // An empty (non-NULL) password still gets its colon.
      {"u", "", "Authorization: Basic dTo=\r\n"},
  };
  for (const auto &c : cases) {
    SCOPED_TRACE(c.want);
    struct mbuf m;
    mbuf_init(&m, 0);
    mg_basic_auth_header(mg_mk_str(c.user), mg_mk_str(c.pass), &m);
    EXPECT_EQ(std::string(m.buf, m.len), c.want);
    mbuf_free(&m);
  }
}

}  // namespace
