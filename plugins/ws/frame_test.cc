// Pure parts of the plugin: SHA-1, the accept key, UTF-8 validation, frame
// headers and the decoder, with each hostile input of the issue.
#include <gtest/gtest.h>

#include <string>

#include "plugins/ws/ws_test_util.h"

using wstest::ClosePayload;
using wstest::Decoder;
using wstest::Frame;
using wstest::Item;
using wstest::Masked;

namespace {

std::string Sha1Hex(const std::string &s, int repeat = 1) {
  struct mg__sha1 c;
  unsigned char d[20];
  mg__sha1_init(&c);
  for (int i = 0; i < repeat; i++) mg__sha1_update(&c, s.data(), s.size());
  mg__sha1_final(&c, d);
  char hex[41];
  for (int i = 0; i < 20; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
  return hex;
}

TEST(Sha1, Fips180Vectors) {
  EXPECT_EQ(Sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Sha1Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(Sha1Hex("a", 1000000), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  // 55, 56 and 64 bytes: padding that does or does not spill into a block.
  EXPECT_EQ(Sha1Hex(std::string(55, 'x')), Sha1Hex("x", 55));
  EXPECT_EQ(Sha1Hex(std::string(64, 'a')),
            "0098ba824b5c16427bd7a1122a5a442a25ec644d");
}

TEST(Sha1, AcceptKeyOfRfc6455) {
  char out[29];
  mg__ws_accept_key(mg_mk_str("dGhlIHNhbXBsZSBub25jZQ=="), out);
  EXPECT_STREQ(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

bool Utf8Ok(const std::string &s, size_t split = 0) {
  uint32_t st = 0;
  const unsigned char *p = reinterpret_cast<const unsigned char *>(s.data());
  if (split > 0 && split < s.size()) {
    if (mg__utf8_feed(&st, p, split) != 0) return false;
    return mg__utf8_feed(&st, p + split, s.size() - split) == 0 && st == 0;
  }
  return mg__utf8_feed(&st, p, s.size()) == 0 && st == 0;
}

TEST(Utf8, ValidAndInvalid) {
  EXPECT_TRUE(Utf8Ok(""));
  EXPECT_TRUE(Utf8Ok("plain ascii, long enough for the 8-byte path"));
  EXPECT_TRUE(Utf8Ok("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"));  // κόσμε
  EXPECT_TRUE(Utf8Ok("\xf0\x9f\x98\x80"));   // U+1F600
  EXPECT_TRUE(Utf8Ok("\xf4\x8f\xbf\xbf"));   // U+10FFFF
  EXPECT_TRUE(Utf8Ok("\xed\x9f\xbf"));       // U+D7FF
  EXPECT_FALSE(Utf8Ok("\xc0\x80"));          // overlong NUL
  EXPECT_FALSE(Utf8Ok("\xe0\x80\xaf"));      // overlong '/'
  EXPECT_FALSE(Utf8Ok("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(Utf8Ok("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(Utf8Ok("\xf8\x88\x80\x80\x80"));
  EXPECT_FALSE(Utf8Ok("\x80"));      // lone continuation
  EXPECT_FALSE(Utf8Ok("\xe2\x82"));  // truncated
  EXPECT_FALSE(Utf8Ok("abc\xff"));
  // Split anywhere, a valid sequence stays valid and a bad one bad.
  std::string s = "a\xf0\x9f\x98\x80z";
  for (size_t i = 1; i < s.size(); i++) EXPECT_TRUE(Utf8Ok(s, i)) << i;
  EXPECT_FALSE(Utf8Ok("\xe2\x82\x28", 2));
}

TEST(Header, SevenSixteenSixtyFourBitLengths) {
  for (uint64_t n : {0ull, 125ull, 126ull, 65535ull, 65536ull, 1ull << 40}) {
    unsigned char h[14];
    size_t hl = mg__ws_header(h, WEBSOCKET_OP_BINARY, n, nullptr);
    EXPECT_EQ(hl, n < 126 ? 2u : n <= 65535 ? 4u : 10u);
    struct mg__ws_frame f;
    ASSERT_EQ(mg__ws_parse_header(h, hl, &f), static_cast<int>(hl));
    EXPECT_EQ(f.payload_len, n);
    EXPECT_EQ(f.fin, 1);
    EXPECT_EQ(f.opcode, WEBSOCKET_OP_BINARY);
    for (size_t k = 0; k < hl; k++) EXPECT_EQ(mg__ws_parse_header(h, k, &f), 0);
  }
  unsigned char h[14];
  const unsigned char key[4] = {1, 2, 3, 4};
  size_t hl =
      mg__ws_header(h, WEBSOCKET_OP_TEXT | WEBSOCKET_DONT_FIN, 300, key);
  EXPECT_EQ(hl, 8u);
  struct mg__ws_frame f;
  ASSERT_EQ(mg__ws_parse_header(h, hl, &f), 8);
  EXPECT_EQ(f.fin, 0);
  EXPECT_EQ(f.masked, 1);
  EXPECT_EQ(memcmp(f.mask, key, 4), 0);
}

TEST(Header, UnalignedParsingAndMasking) {
  // The same frame at every offset of a buffer parses and unmasks alike.
  std::string fr = Masked(WEBSOCKET_OP_BINARY, std::string(300, 'q'));
  for (size_t off = 0; off < 9; off++) {
    std::string buf(off, '\0');
    buf += fr;
    Decoder d;
    std::vector<Item> items = d.Feed(buf.substr(off));
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].payload, std::string(300, 'q'));
    std::vector<unsigned char> raw(buf.begin(), buf.end());
    struct mg__ws_frame f;
    ASSERT_EQ(mg__ws_parse_header(raw.data() + off, raw.size() - off, &f), 8);
    mg__ws_mask(raw.data() + off + 8, 300, f.mask);
    EXPECT_EQ(std::string(raw.begin() + off + 8, raw.end()),
              std::string(300, 'q'));
  }
}

TEST(Decoder, MessagesOfEverySize) {
  for (size_t n : {0u, 1u, 125u, 126u, 127u, 65535u, 65536u, 1u << 20}) {
    std::string p(n, 'a');
    for (size_t i = 0; i < n; i++) p[i] = static_cast<char>('a' + i % 26);
    Decoder d;
    std::vector<Item> items =
        d.Feed(Masked(WEBSOCKET_OP_TEXT, p) + Masked(WEBSOCKET_OP_BINARY, p),
               n > 1000 ? 16384 : 7);
    ASSERT_EQ(items.size(), 2u) << n;
    EXPECT_EQ(items[0].kind, MG__WS_DATA);
    EXPECT_EQ(items[0].flags, 0x80 | WEBSOCKET_OP_TEXT);
    EXPECT_EQ(items[0].payload, p);
    EXPECT_EQ(items[1].flags, 0x80 | WEBSOCKET_OP_BINARY);
    EXPECT_EQ(items[1].payload, p);
    EXPECT_EQ(d.buffered(), 0u);
  }
}

TEST(Decoder, ClientSideTakesUnmaskedFramesOnly) {
  Decoder client(false);
  std::vector<Item> items = client.Feed(Frame(WEBSOCKET_OP_TEXT, "hi"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].payload, "hi");
  Decoder client2(false);
  items = client2.Feed(
      Masked(WEBSOCKET_OP_TEXT, "hi"));  // server frames are never masked
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].kind, MG__WS_FAIL);
  EXPECT_EQ(items[0].status, 1002);
}

// Hostile: fragmented frames with pings between them while the receive
// buffer grows (fed a byte at a time, so every state is seen).
TEST(Hostile, FragmentsWithPingsInBetween) {
  std::string in =
      Masked(WEBSOCKET_OP_TEXT, "Hel", false) +
      Masked(WEBSOCKET_OP_PING, "p1") +
      Masked(WEBSOCKET_OP_CONTINUE, "lo, ", false) +
      Masked(WEBSOCKET_OP_PING, "p2") + Masked(WEBSOCKET_OP_PONG, "") +
      Masked(WEBSOCKET_OP_CONTINUE, std::string(70000, 'w'), false) +
      Masked(WEBSOCKET_OP_PING, "p3") + Masked(WEBSOCKET_OP_CONTINUE, "!");
  for (size_t step : {1u, 3u, 1000u, 1u << 20}) {
    Decoder d;
    std::vector<Item> items = d.Feed(in, step);
    ASSERT_EQ(items.size(), 5u) << step;
    EXPECT_EQ(items[0].kind, MG__WS_CONTROL);
    EXPECT_EQ(items[0].payload, "p1");
    EXPECT_EQ(items[1].payload, "p2");
    EXPECT_EQ(items[2].flags, 0x80 | WEBSOCKET_OP_PONG);
    EXPECT_EQ(items[3].payload, "p3");
    EXPECT_EQ(items[4].kind, MG__WS_DATA);
    EXPECT_EQ(items[4].flags, 0x80 | WEBSOCKET_OP_TEXT);
    EXPECT_EQ(items[4].payload, "Hello, " + std::string(70000, 'w') + "!");
    EXPECT_EQ(d.buffered(), 0u);
  }
}

TEST(Hostile, ManyPingsInsideAFragmentedMessageDoNotPileUp) {
  Decoder d;
  std::string ping = Masked(WEBSOCKET_OP_PING, std::string(100, 'p'));
  d.Feed(Masked(WEBSOCKET_OP_BINARY, "start", false));
  for (int i = 0; i < 2000; i++) {
    std::vector<Item> items = d.Feed(ping);
    ASSERT_EQ(items.size(), 1u);
  }
  EXPECT_LT(d.buffered(), 70000u);  // the consumed pings were dropped
  std::vector<Item> items = d.Feed(Masked(WEBSOCKET_OP_CONTINUE, "end"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].payload, "startend");
}

TEST(Hostile, SixtyFourBitLengthThatWrapsHeaderPlusPayload) {
  // 2^64 - 4 + a 14-byte header would wrap a size_t sum to a small number.
  std::string f = "\x82\xff";
  for (int i = 0; i < 7; i++) f += '\xff';
  f += '\xfc';
  Decoder d;
  std::vector<Item> items = d.Feed(f + "\x12\x34\x56\x78" + "abcdefgh");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].kind, MG__WS_FAIL);
  EXPECT_EQ(items[0].status, 1002);  // the most significant bit must be 0
  // Without the top bit: fails on the size limit, never waits or wraps.
  f = std::string("\x82\xff\x7f") + std::string(6, '\xff') + "\xfc";
  Decoder d2(true, ~0ull);
  items = d2.Feed(f + "\x12\x34\x56\x78" + "abcdefgh");
  EXPECT_TRUE(items.empty());  // waits for 2^63 bytes, consumed nothing
  Decoder d3;
  items = d3.Feed(f + "\x12\x34\x56\x78" + "abcdefgh");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].status, 1009);
}

TEST(Hostile, LengthLargerThanTheLimitFailsAtOnce) {
  Decoder d(true, 1000);
  // Only the header arrives: the decoder fails without waiting for data.
  std::string f = Masked(WEBSOCKET_OP_BINARY, std::string(1001, 'x'));
  std::vector<Item> items = d.Feed(f.substr(0, 8));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].status, 1009);
  // The limit holds for the reassembled message too.
  Decoder d2(true, 1000);
  items = d2.Feed(Masked(WEBSOCKET_OP_BINARY, std::string(600, 'x'), false) +
                  Masked(WEBSOCKET_OP_CONTINUE, std::string(600, 'x')));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].status, 1009);
  // Exactly the limit is fine.
  Decoder d3(true, 1000);
  items = d3.Feed(Masked(WEBSOCKET_OP_BINARY, std::string(1000, 'x')));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].kind, MG__WS_DATA);
}

TEST(Hostile, ContinuationWithoutStart) {
  Decoder d;
  std::vector<Item> items = d.Feed(Masked(WEBSOCKET_OP_CONTINUE, "x"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].status, 1002);
}

TEST(Hostile, NewDataFrameInsideAFragmentedMessage) {
  Decoder d;
  std::vector<Item> items = d.Feed(Masked(WEBSOCKET_OP_TEXT, "a", false) +
                                   Masked(WEBSOCKET_OP_BINARY, "b"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].status, 1002);
}

TEST(Hostile, UnmaskedClientFrame) {
  Decoder d;
  std::vector<Item> items = d.Feed(Frame(WEBSOCKET_OP_TEXT, "hi"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].status, 1002);
}

TEST(Hostile, InvalidUtf8SplitAcrossFragments) {
  Decoder d;
  std::vector<Item> items =
      d.Feed(Masked(WEBSOCKET_OP_TEXT, "ok \xe2\x82", false) +
             Masked(WEBSOCKET_OP_CONTINUE, "\x28 bad"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].status, 1007);
  // A valid sequence split the same way is fine.
  Decoder d2;
  items = d2.Feed(Masked(WEBSOCKET_OP_TEXT, "ok \xe2\x82", false) +
                  Masked(WEBSOCKET_OP_CONTINUE, "\xac fine"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].payload, "ok \xe2\x82\xac fine");
  // A message that ends inside a sequence is invalid.
  Decoder d3;
  items = d3.Feed(Masked(WEBSOCKET_OP_TEXT, "ends \xe2\x82"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].status, 1007);
  // Binary messages are not checked.
  Decoder d4;
  items = d4.Feed(Masked(WEBSOCKET_OP_BINARY, "\xff\xfe"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].kind, MG__WS_DATA);
}

TEST(Hostile, CloseWithOneBytePayloadOrInvalidCode) {
  Decoder d;
  std::vector<Item> items = d.Feed(Masked(WEBSOCKET_OP_CLOSE, "\x03"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].status, 1002);
  for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535}) {
    Decoder dc;
    items = dc.Feed(Masked(WEBSOCKET_OP_CLOSE, ClosePayload(code)));
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].kind, MG__WS_FAIL) << code;
    EXPECT_EQ(items[0].status, 1002) << code;
  }
  for (int code :
       {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999}) {
    Decoder dc;
    items = dc.Feed(Masked(WEBSOCKET_OP_CLOSE, ClosePayload(code, "why")));
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].kind, MG__WS_CONTROL) << code;
  }
  Decoder du;
  items = du.Feed(Masked(WEBSOCKET_OP_CLOSE, ClosePayload(1000, "\xff")));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].status, 1007);
}

TEST(Hostile, RsvBitsAndUnknownOpcodes) {
  for (int rsv : {0x40, 0x20, 0x10}) {
    Decoder d;
    std::vector<Item> items =
        d.Feed(Frame(WEBSOCKET_OP_TEXT, "x", true, "abcd", rsv));
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].status, 1002);
  }
  for (int op : {3, 4, 5, 6, 7, 0xb, 0xc, 0xf}) {
    Decoder d;
    std::vector<Item> items = d.Feed(Masked(op, "x"));
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].status, 1002) << op;
  }
}

TEST(Hostile, ControlFramesOver125BytesOrFragmented) {
  Decoder d;
  std::vector<Item> items =
      d.Feed(Masked(WEBSOCKET_OP_PING, std::string(126, 'x')));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].status, 1002);
  Decoder d2;
  items = d2.Feed(Masked(WEBSOCKET_OP_PING, "x", false));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].status, 1002);
  Decoder d3;
  items = d3.Feed(Masked(WEBSOCKET_OP_PING, std::string(125, 'x')));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].kind, MG__WS_CONTROL);
}

TEST(Decoder, NoDefragDeliversRawFrames) {
  Decoder d(true, 1 << 20, true);
  std::vector<Item> items = d.Feed(Masked(WEBSOCKET_OP_BINARY, "ab", false) +
                                   Masked(WEBSOCKET_OP_PING, "p") +
                                   Masked(WEBSOCKET_OP_CONTINUE, "cd"));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].flags, WEBSOCKET_OP_BINARY);
  EXPECT_EQ(items[0].payload, "ab");
  EXPECT_EQ(items[1].kind, MG__WS_CONTROL);
  EXPECT_EQ(items[2].flags, 0x80 | WEBSOCKET_OP_CONTINUE);
  EXPECT_EQ(items[2].payload, "cd");
  // The rules still hold: a continuation after the end fails.
  items = d.Feed(Masked(WEBSOCKET_OP_CONTINUE, "x"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].status, 1002);
}

}  // namespace
