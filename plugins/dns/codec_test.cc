// The DNS codec: names, compression, records, parsing, and hostile input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mongoose.h"

namespace {

std::string Str(const struct mbuf &m) { return std::string(m.buf, m.len); }

// A 12-byte header.
std::string Header(uint16_t id, uint16_t flags, uint16_t qd, uint16_t an,
                   uint16_t ns = 0, uint16_t ar = 0) {
  std::string h;
  for (uint16_t v : {id, flags, qd, an, ns, ar}) {
    h.push_back(static_cast<char>(v >> 8));
    h.push_back(static_cast<char>(v & 0xff));
  }
  return h;
}

std::string U16(unsigned v) {
  return std::string{static_cast<char>(v >> 8), static_cast<char>(v & 0xff)};
}

// Question tail: type, class IN.
std::string QTail(unsigned type) { return U16(type) + U16(1); }

// Answer tail: type, class IN, ttl 300, rdlength, rdata.
std::string ATail(unsigned type, const std::string &rdata) {
  return U16(type) + U16(1) + U16(0) + U16(300) + U16(rdata.size()) + rdata;
}

std::string Label(size_t n, char c = 'a') {
  return std::string(1, static_cast<char>(n)) + std::string(n, c);
}

// Parses bytes copied into a buffer of exactly their size (so ASan sees any
// read past the end).
int Parse(const std::string &pkt, struct mg_dns_message *msg,
          std::vector<char> *keep) {
  keep->assign(pkt.begin(), pkt.end());
  return mg_parse_dns(keep->empty() ? nullptr : keep->data(),
                      static_cast<int>(keep->size()), msg);
}

std::string Name(struct mg_dns_message *msg, struct mg_str *name) {
  char buf[300];
  size_t n = mg_dns_uncompress_name(msg, name, buf, sizeof(buf));
  return std::string(buf, n);
}

// A response for www.example.com: A, AAAA, CNAME (compressed), MX, TXT, SRV.
std::string SampleResponse() {
  std::string p = Header(0x1234, 0x8180, 1, 6) +
                  std::string("\3www\7example\3com", 16) +
                  std::string(1, '\0') + QTail(1);
  std::string ptr_q = "\xc0\x0c";   // www.example.com
  std::string ptr_ex = "\xc0\x10";  // example.com
  p += ptr_q + ATail(1, std::string("\x0a\x00\x00\x01", 4));
  p += ptr_q + ATail(28, std::string("\x20\x01\x0d\xb8", 4) +
                             std::string(11, '\0') + "\x01");
  p += ptr_q + ATail(5, "\3web" + ptr_ex);
  p += ptr_ex + ATail(15, U16(10) + "\4mail" + ptr_ex);
  p += ptr_q + ATail(16, std::string("\5hello\5world", 12));
  p += ptr_q + ATail(33, U16(1) + U16(2) + U16(5060) + "\3sip" + ptr_ex);
  return p;
}

TEST(DnsEncodeName, Labels) {
  struct mbuf io;
  mbuf_init(&io, 0);
  EXPECT_EQ(17, mg_dns_encode_name(&io, "www.example.com", 15));
  EXPECT_EQ(std::string("\3www\7example\3com\0", 17), Str(io));
  mbuf_clear(&io);
  EXPECT_EQ(17, mg_dns_encode_name(&io, "www.example.com.", 16));
  EXPECT_EQ(std::string("\3www\7example\3com\0", 17), Str(io));
  mbuf_clear(&io);
  EXPECT_EQ(1, mg_dns_encode_name(&io, "", 0));
  EXPECT_EQ(1, mg_dns_encode_name(&io, ".", 1));
  EXPECT_EQ(std::string("\0\0", 2), Str(io));
  mbuf_free(&io);
}

TEST(DnsEncodeName, RefusesBadNames) {
  struct mbuf io;
  mbuf_init(&io, 0);
  std::string l63(63, 'x'), l64(64, 'x');
  EXPECT_EQ(-1, mg_dns_encode_name(&io, "a..b", 4));
  EXPECT_EQ(-1, mg_dns_encode_name(&io, ".a", 2));
  EXPECT_EQ(-1, mg_dns_encode_name(&io, "a..", 3));
  EXPECT_EQ(-1, mg_dns_encode_name(&io, "..", 2));
  EXPECT_EQ(-1, mg_dns_encode_name(&io, l64.c_str(), l64.size()));
  EXPECT_EQ(65, mg_dns_encode_name(&io, l63.c_str(), l63.size()));
  mbuf_clear(&io);
  // 3 labels of 63 and one of 61: 255 octets encoded, the most allowed.
  std::string max = l63 + "." + l63 + "." + l63 + "." + std::string(61, 'y');
  EXPECT_EQ(255, mg_dns_encode_name(&io, max.c_str(), max.size()));
  std::string over = max + "y";
  EXPECT_EQ(-1, mg_dns_encode_name(&io, over.c_str(), over.size()));
  EXPECT_EQ(255u, io.len);
  mbuf_free(&io);
}

TEST(DnsHeader, InsertHeader) {
  struct mg_dns_message msg;
  struct mbuf io;
  memset(&msg, 0, sizeof(msg));
  mbuf_init(&io, 0);
  mbuf_append(&io, "xy", 2);
  msg.transaction_id = 0xbeef;
  msg.flags = 0x8180;
  msg.num_questions = 1;
  msg.num_answers = 2;
  EXPECT_EQ(12, mg_dns_insert_header(&io, 1, &msg));
  EXPECT_EQ("x" + Header(0xbeef, 0x8180, 1, 2) + "y", Str(io));
  mbuf_free(&io);
}

// Builds a message with the public encoder: header first, from offset 0.
TEST(DnsEncodeRecord, CompressesAgainstEarlierNames) {
  struct mg_dns_message msg;
  struct mg_dns_resource_record rr;
  struct mbuf io;
  memset(&msg, 0, sizeof(msg));
  memset(&rr, 0, sizeof(rr));
  mbuf_init(&io, 0);
  msg.transaction_id = 7;
  msg.flags = 0x8180;
  msg.num_questions = 1;
  msg.num_answers = 3;
  ASSERT_EQ(12, mg_dns_insert_header(&io, 0, &msg));
  rr.kind = MG_DNS_QUESTION;
  rr.rtype = MG_DNS_A_RECORD;
  rr.rclass = 1;
  ASSERT_EQ(21,
            mg_dns_encode_record(&io, &rr, "www.example.com", 15, nullptr, 0));
  rr.kind = MG_DNS_ANSWER;
  rr.ttl = 300;
  rr.rtype = MG_DNS_CNAME_RECORD;
  // Owner: the question's name: one pointer to offset 12.
  // Data: web + pointer to "example.com" at offset 16.
  ASSERT_EQ(2 + 10 + 6, mg_dns_encode_record(&io, &rr, "www.example.com", 15,
                                             "web.example.com", 15));
  rr.rtype = MG_DNS_A_RECORD;
  // Owner "web.example.com": the CNAME's data, which is at offset 45.
  ASSERT_EQ(2 + 10 + 4, mg_dns_encode_record(&io, &rr, "web.example.com", 15,
                                             "\x7f\0\0\1", 4));
  rr.rtype = MG_DNS_MX_RECORD;  // other types: rdata copied as is
  ASSERT_EQ(2 + 10 + 3,
            mg_dns_encode_record(&io, &rr, "example.com", 11, "abc", 3));
  std::string want =
      Header(7, 0x8180, 1, 3) + std::string("\3www\7example\3com\0", 17) +
      QTail(1) + "\xc0\x0c" + ATail(5, "\3web\xc0\x10") + "\xc0\x2d" +
      ATail(1, std::string("\x7f\0\0\1", 4)) + "\xc0\x10" + ATail(15, "abc");
  EXPECT_EQ(want, Str(io));

  struct mg_dns_message parsed;
  std::vector<char> keep;
  ASSERT_EQ(0, Parse(Str(io), &parsed, &keep));
  ASSERT_EQ(3, parsed.num_answers);
  EXPECT_EQ("www.example.com", Name(&parsed, &parsed.answers[0].name));
  EXPECT_EQ("web.example.com", Name(&parsed, &parsed.answers[1].name));
  char cname[256];
  ASSERT_EQ(0, mg_dns_parse_record_data(&parsed, &parsed.answers[0], cname,
                                        sizeof(cname)));
  EXPECT_STREQ("web.example.com", cname);
  mbuf_free(&io);
}

TEST(DnsEncodeRecord, CompressionKeepsCase) {
  struct mg_dns_message msg;
  struct mg_dns_resource_record rr;
  struct mbuf io;
  memset(&msg, 0, sizeof(msg));
  memset(&rr, 0, sizeof(rr));
  mbuf_init(&io, 0);
  msg.num_questions = 1;
  msg.num_answers = 1;
  mg_dns_insert_header(&io, 0, &msg);
  rr.kind = MG_DNS_QUESTION;
  rr.rtype = 1;
  rr.rclass = 1;
  mg_dns_encode_record(&io, &rr, "www.example.com", 15, nullptr, 0);
  rr.kind = MG_DNS_ANSWER;
  // Only the byte-identical tail ("com") is shared; the rest is written.
  ASSERT_EQ(14 + 10 + 4, mg_dns_encode_record(&io, &rr, "WWW.Example.com", 15,
                                              "\1\2\3\4", 4));
  EXPECT_EQ(std::string("\3WWW\7Example\xc0\x18", 14),
            Str(io).substr(12 + 21, 14));
  struct mg_dns_message parsed;
  std::vector<char> keep;
  ASSERT_EQ(0, Parse(Str(io), &parsed, &keep));
  ASSERT_EQ(1, parsed.num_answers);
  EXPECT_EQ("WWW.Example.com", Name(&parsed, &parsed.answers[0].name));
  mbuf_free(&io);
}

TEST(DnsEncodeRecord, NoCompressionWithoutMessageAtOffsetZero) {
  struct mg_dns_resource_record rr;
  struct mbuf io;
  memset(&rr, 0, sizeof(rr));
  mbuf_init(&io, 0);
  mbuf_append(&io, "\0\x20", 2);  // e.g. a TCP length prefix
  struct mg_dns_message msg;
  memset(&msg, 0, sizeof(msg));
  msg.num_questions = 1;
  mg_dns_insert_header(&io, 2, &msg);
  rr.kind = MG_DNS_QUESTION;
  rr.rtype = 1;
  rr.rclass = 1;
  ASSERT_EQ(9, mg_dns_encode_record(&io, &rr, "a.b", 3, nullptr, 0));
  rr.kind = MG_DNS_ANSWER;
  ASSERT_EQ(5 + 10 + 4, mg_dns_encode_record(&io, &rr, "a.b", 3, "1234", 4));
  EXPECT_EQ(std::string("\1a\1b\0", 5), Str(io).substr(2 + 12 + 9, 5));
  mbuf_free(&io);
}

TEST(DnsEncodeRecord, RefusesBadInput) {
  struct mg_dns_resource_record rr;
  struct mbuf io;
  memset(&rr, 0, sizeof(rr));
  mbuf_init(&io, 0);
  mbuf_append(&io, "keep", 4);
  rr.kind = MG_DNS_ANSWER;
  rr.rtype = MG_DNS_A_RECORD;
  EXPECT_EQ(-1, mg_dns_encode_record(&io, &rr, "a.b", 3, "123", 3));
  rr.rtype = MG_DNS_AAAA_RECORD;
  EXPECT_EQ(-1, mg_dns_encode_record(&io, &rr, "a.b", 3, "1234", 4));
  rr.rtype = MG_DNS_CNAME_RECORD;
  EXPECT_EQ(-1, mg_dns_encode_record(&io, &rr, "a.b", 3, "x..y", 4));
  EXPECT_EQ(-1, mg_dns_encode_record(&io, &rr, "a..b", 4, "x", 1));
  rr.kind = MG_DNS_INVALID_RECORD;
  EXPECT_EQ(-1, mg_dns_encode_record(&io, &rr, "a.b", 3, nullptr, 0));
  EXPECT_EQ("keep", Str(io));  // nothing half-written is left
  mbuf_free(&io);
}

TEST(DnsParse, Response) {
  struct mg_dns_message msg;
  std::vector<char> keep;
  ASSERT_EQ(0, Parse(SampleResponse(), &msg, &keep));
  EXPECT_EQ(0x1234, msg.transaction_id);
  EXPECT_EQ(0x8180, msg.flags);
  ASSERT_EQ(1, msg.num_questions);
  ASSERT_EQ(6, msg.num_answers);
  EXPECT_EQ(MG_DNS_QUESTION, msg.questions[0].kind);
  EXPECT_EQ(MG_DNS_A_RECORD, msg.questions[0].rtype);
  EXPECT_EQ(1, msg.questions[0].rclass);
  EXPECT_EQ(17u, msg.questions[0].name.len);
  EXPECT_EQ("www.example.com", Name(&msg, &msg.questions[0].name));
  EXPECT_EQ(MG_DNS_ANSWER, msg.answers[0].kind);
  EXPECT_EQ(300, msg.answers[0].ttl);
  EXPECT_EQ(2u, msg.answers[0].name.len);

  struct in_addr ina;
  ASSERT_EQ(0,
            mg_dns_parse_record_data(&msg, &msg.answers[0], &ina, sizeof(ina)));
  EXPECT_EQ(htonl(0x0a000001), ina.s_addr);
  struct in6_addr in6;
  ASSERT_EQ(0,
            mg_dns_parse_record_data(&msg, &msg.answers[1], &in6, sizeof(in6)));
  char text[64];
  inet_ntop(AF_INET6, &in6, text, sizeof(text));
  EXPECT_STREQ("2001:db8::1", text);
  char name[256];
  ASSERT_EQ(
      0, mg_dns_parse_record_data(&msg, &msg.answers[2], name, sizeof(name)));
  EXPECT_STREQ("web.example.com", name);
  ASSERT_EQ(
      0, mg_dns_parse_record_data(&msg, &msg.answers[3], name, sizeof(name)));
  EXPECT_STREQ("mail.example.com", name);
  EXPECT_EQ("example.com", Name(&msg, &msg.answers[3].name));
  ASSERT_EQ(
      0, mg_dns_parse_record_data(&msg, &msg.answers[4], name, sizeof(name)));
  EXPECT_STREQ("helloworld", name);
  ASSERT_EQ(
      0, mg_dns_parse_record_data(&msg, &msg.answers[5], name, sizeof(name)));
  EXPECT_STREQ("sip.example.com", name);
  // Buffers too small are refused, not overrun.
  EXPECT_EQ(-1, mg_dns_parse_record_data(&msg, &msg.answers[0], &ina, 3));
  EXPECT_EQ(-1, mg_dns_parse_record_data(&msg, &msg.answers[2], name, 15));
  EXPECT_EQ(0, mg_dns_parse_record_data(&msg, &msg.answers[2], name, 16));
  EXPECT_EQ(-1, mg_dns_parse_record_data(&msg, &msg.answers[4], name, 10));
}

TEST(DnsParse, NextRecord) {
  struct mg_dns_message msg;
  std::vector<char> keep;
  std::string p = Header(1, 0x8180, 0, 3) + std::string(1, '\0') +
                  ATail(1, "\1\2\3\4") + std::string(1, '\0') +
                  ATail(5, std::string("\1x\0", 3)) + std::string(1, '\0') +
                  ATail(1, "\5\6\7\10");
  ASSERT_EQ(0, Parse(p, &msg, &keep));
  struct mg_dns_resource_record *rr =
      mg_next_record(&msg, MG_DNS_A_RECORD, nullptr);
  ASSERT_EQ(&msg.answers[0], rr);
  rr = mg_dns_next_record(&msg, MG_DNS_A_RECORD, rr);
  ASSERT_EQ(&msg.answers[2], rr);
  EXPECT_EQ(nullptr, mg_next_record(&msg, MG_DNS_A_RECORD, rr));
  EXPECT_EQ(&msg.answers[1],
            mg_next_record(&msg, MG_DNS_CNAME_RECORD, nullptr));
  EXPECT_EQ(nullptr, mg_next_record(&msg, MG_DNS_AAAA_RECORD, nullptr));
}

TEST(DnsParse, KeepsAtMostTheLimits) {
  std::string p = Header(1, 0x8180, 0, MG_MAX_DNS_ANSWERS + 5);
  for (int i = 0; i < MG_MAX_DNS_ANSWERS + 5; i++)
    p += std::string(1, '\0') + ATail(1, "\1\2\3\4");
  struct mg_dns_message msg;
  std::vector<char> keep;
  ASSERT_EQ(0, Parse(p, &msg, &keep));
  EXPECT_EQ(MG_MAX_DNS_ANSWERS, msg.num_answers);
}

TEST(DnsUncompress, DestinationSizes) {
  struct mg_dns_message msg;
  std::vector<char> keep;
  ASSERT_EQ(0, Parse(SampleResponse(), &msg, &keep));
  struct mg_str *name = &msg.answers[0].name;  // a pointer to www.example.com
  char buf[32];
  memset(buf, 'X', sizeof(buf));
  EXPECT_EQ(15u, mg_dns_uncompress_name(&msg, name, buf, 20));
  EXPECT_EQ(std::string("www.example.com\0\0\0\0\0", 20), std::string(buf, 20));
  EXPECT_EQ('X', buf[20]);
  memset(buf, 'X', sizeof(buf));
  EXPECT_EQ(15u, mg_dns_uncompress_name(&msg, name, buf, 16));
  EXPECT_EQ('\0', buf[15]);
  memset(buf, 'X', sizeof(buf));
  EXPECT_EQ(15u, mg_dns_uncompress_name(&msg, name, buf, 15));  // unterminated
  EXPECT_EQ('X', buf[15]);
  EXPECT_EQ(3u, mg_dns_uncompress_name(&msg, name, buf, 3));
  EXPECT_EQ("www", std::string(buf, 3));
  EXPECT_EQ(0u, mg_dns_uncompress_name(&msg, name, nullptr, 0));
  // A name that is not inside the message.
  struct mg_str outside = mg_mk_str("\3www\0");
  EXPECT_EQ(0u, mg_dns_uncompress_name(&msg, &outside, buf, sizeof(buf)));
}

TEST(DnsCopyQuestions, CopiesEncodedQuestions) {
  struct mg_dns_message msg;
  std::vector<char> keep;
  std::string q = std::string("\1a\1b", 4) + std::string(1, '\0') + QTail(1) +
                  "\1c\xc0\x0c" + QTail(28);
  ASSERT_EQ(0, Parse(Header(9, 0x0100, 2, 0) + q, &msg, &keep));
  ASSERT_EQ(2, msg.num_questions);
  EXPECT_EQ("c.a.b", Name(&msg, &msg.questions[1].name));
  struct mbuf io;
  mbuf_init(&io, 0);
  EXPECT_EQ(static_cast<int>(q.size()), mg_dns_copy_questions(&io, &msg));
  EXPECT_EQ(q, Str(io));
  msg.num_questions = 0;
  EXPECT_EQ(0, mg_dns_copy_questions(&io, &msg));
  mbuf_free(&io);
}

// ---- Hostile input: each malformed message is refused with -1. ----

void ExpectRefused(const std::string &p) {
  struct mg_dns_message msg;
  std::vector<char> keep;
  EXPECT_EQ(-1, Parse(p, &msg, &keep));
}

TEST(DnsHostile, ShortHeader) {
  ExpectRefused("");
  ExpectRefused(Header(1, 0, 0, 0).substr(0, 11));
  struct mg_dns_message msg;
  EXPECT_EQ(-1, mg_parse_dns(nullptr, 12, &msg));
  EXPECT_EQ(-1, mg_parse_dns("x", -5, &msg));
}

TEST(DnsHostile, PointerToItself) {
  ExpectRefused(Header(1, 0, 1, 0) + "\xc0\x0c" + QTail(1));
}

TEST(DnsHostile, PointerLoopThroughTwoNames) {
  // The question at 12 is "a" + pointer to the answer's name at 19, which
  // points back to 12: a cycle, refused at its forward pointer.
  ExpectRefused(Header(1, 0, 1, 1) + "\1a\xc0\x13" + QTail(1) + "\1b\xc0\x0c" +
                ATail(1, "\1\2\3\4"));
  // A label run pointing at its own start.
  ExpectRefused(Header(1, 0, 1, 1) + std::string("\1a\0", 3) + QTail(1) +
                "\1b\xc0\x13" + ATail(1, "\1\2\3\4"));
}

TEST(DnsHostile, ForwardPointer) {
  ExpectRefused(Header(1, 0, 1, 0) + "\xc0\x12" + QTail(1) +
                std::string("\1a\0", 3));
}

TEST(DnsHostile, PointerIntoHeader) {
  ExpectRefused(Header(1, 0, 1, 0) + "\xc0\x02" + QTail(1));
}

TEST(DnsHostile, LongPointerChain) {
  // 80 pointers each pointing two bytes back: every one points backwards,
  // but following them all is more than anyone needs.
  std::string p = Header(1, 0, 81, 0) + std::string("\1a\0", 3) + QTail(1);
  size_t prev = 12;
  for (int i = 0; i < 80; i++) {
    size_t at = p.size();
    p += U16(0xc000 | static_cast<unsigned>(prev)) + QTail(1);
    prev = at;
  }
  ExpectRefused(p);
}

TEST(DnsHostile, ReservedLabelTypes) {
  ExpectRefused(Header(1, 0, 1, 0) + "\x41" + std::string(65, 'a') +
                std::string(1, '\0') + QTail(1));
  ExpectRefused(Header(1, 0, 1, 0) + "\x80\x0c" + QTail(1));
}

TEST(DnsHostile, LabelOver63) {
  ExpectRefused(Header(1, 0, 1, 0) + Label(64) + std::string(1, '\0') +
                QTail(1));
  struct mg_dns_message msg;
  std::vector<char> keep;
  EXPECT_EQ(
      0, Parse(Header(1, 0, 1, 0) + Label(63) + std::string(1, '\0') + QTail(1),
               &msg, &keep));
}

TEST(DnsHostile, NameOver255) {
  std::string l = Label(63);
  ExpectRefused(Header(1, 0, 1, 0) + l + l + l + l + std::string(1, '\0') +
                QTail(1));
  // 255 octets exactly is fine.
  struct mg_dns_message msg;
  std::vector<char> keep;
  std::string max = l + l + l + Label(61) + std::string(1, '\0');
  ASSERT_EQ(255u, max.size());
  ASSERT_EQ(0, Parse(Header(1, 0, 1, 0) + max + QTail(1), &msg, &keep));
  EXPECT_EQ(253u, Name(&msg, &msg.questions[0].name).size());
  // Over 255 only through a pointer: 3 labels of 63 + 2 more via pointer.
  ExpectRefused(Header(1, 0, 2, 0) + l + l + l + std::string(1, '\0') +
                QTail(1) + l + l + "\xc0\x0c" + QTail(1));
}

TEST(DnsHostile, CountsLargerThanRecords) {
  std::string q = std::string("\1a\0", 3) + QTail(1);
  std::string a = std::string("\xc0\x0c", 2) + ATail(1, "\1\2\3\4");
  ExpectRefused(Header(1, 0, 2, 0) + q);
  ExpectRefused(Header(1, 0x8000, 1, 2) + q + a);
  ExpectRefused(Header(1, 0x8000, 1, 1, 1) + q + a);
  ExpectRefused(Header(1, 0x8000, 1, 1, 0, 1) + q + a);
  ExpectRefused(Header(1, 0x8000, 0xffff, 0xffff, 0xffff, 0xffff) + q + a);
  struct mg_dns_message msg;
  std::vector<char> keep;
  EXPECT_EQ(0, Parse(Header(1, 0x8000, 1, 1) + q + a, &msg, &keep));
}

TEST(DnsHostile, TruncatedAnywhere) {
  // Every proper prefix of a valid response ends inside some field.
  std::string full = SampleResponse();
  for (size_t n = 0; n < full.size(); n++) {
    SCOPED_TRACE(n);
    ExpectRefused(full.substr(0, n));
  }
  struct mg_dns_message msg;
  std::vector<char> keep;
  EXPECT_EQ(0, Parse(full, &msg, &keep));
}

TEST(DnsHostile, RdataLengthPastEnd) {
  ExpectRefused(Header(1, 0x8000, 0, 1) + std::string(1, '\0') + U16(1) +
                U16(1) + U16(0) + U16(0) + U16(5) + "\1\2\3\4");
}

TEST(DnsHostile, AddressRdataOfWrongLength) {
  struct mg_dns_message msg;
  std::vector<char> keep;
  std::string p = Header(1, 0x8000, 0, 2) + std::string(1, '\0') +
                  ATail(1, "\1\2\3\4\5") + std::string(1, '\0') +
                  ATail(28, "\1\2\3\4");
  ASSERT_EQ(0, Parse(p, &msg, &keep));  // well-formed, but...
  unsigned char buf[64];
  EXPECT_EQ(-1,
            mg_dns_parse_record_data(&msg, &msg.answers[0], buf, sizeof(buf)));
  EXPECT_EQ(-1,
            mg_dns_parse_record_data(&msg, &msg.answers[1], buf, sizeof(buf)));
}

TEST(DnsHostile, BadRecordData) {
  struct mg_dns_message msg;
  std::vector<char> keep;
  // CNAME data running past its rdlength; MX too short; TXT string past the
  // end; a type without a parser.
  std::string p = Header(1, 0x8000, 0, 4) + std::string(1, '\0') +
                  ATail(5, "\5ab") + std::string(1, '\0') +
                  ATail(15, std::string("\0\1", 2)) + std::string(1, '\0') +
                  ATail(16, "\3ab") + std::string(1, '\0') + ATail(99, "zz");
  ASSERT_EQ(0, Parse(p, &msg, &keep));
  char buf[256];
  for (int i = 0; i < 4; i++) {
    EXPECT_EQ(-1,
              mg_dns_parse_record_data(&msg, &msg.answers[i], buf, sizeof(buf)))
        << i;
  }
  EXPECT_EQ(
      -1, mg_dns_parse_record_data(nullptr, &msg.answers[0], buf, sizeof(buf)));
}

}  // namespace
