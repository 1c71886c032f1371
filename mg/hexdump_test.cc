// Tests for mg/hexdump.c.
#include <stdio.h>
#include <string.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mg/util.h"

namespace {

std::string Dump(const std::string &data) {
  int n = mg_hexdump(data.data(), (int) data.size(), nullptr, 0);
  std::vector<char> out((size_t) n + 1, '#');
  EXPECT_EQ(
      mg_hexdump(data.data(), (int) data.size(), out.data(), (int) out.size()),
      n);
  EXPECT_EQ(out[(size_t) n], '\0');
  return std::string(out.data());
}

TEST(Hexdump, OneShortLine) {
  EXPECT_EQ(Dump("Hello"),
            "0000  48 65 6c 6c 6f" + std::string(11 * 3, ' ') + "  Hello\n");
}

TEST(Hexdump, FullLineAndNonPrintables) {
  std::string data;
  for (int i = 0; i < 16; i++) data.push_back((char) (0x7a + i));
  EXPECT_EQ(Dump(data),
            "0000  7a 7b 7c 7d 7e 7f 80 81 82 83 84 85 86 87 88 89"
            "  z{|}~...........\n");
}

TEST(Hexdump, SeveralLinesHaveOffsets) {
  std::string data(33, 'A');
  data[16] = '\n';
  std::string dump = Dump(data);
  std::string full(16 * 3, ' ');
  for (int i = 0; i < 16; i++) full.replace((size_t) i * 3, 3, " 41");
  std::string second = full;
  second.replace(0, 3, " 0a");
  std::string expect = "0000 " + full + "  " + std::string(16, 'A') + "\n" +
                       "0010 " + second + "  ." + std::string(15, 'A') + "\n" +
                       "0020  41" + std::string(15 * 3, ' ') + "  A\n";
  EXPECT_EQ(dump, expect);
}

TEST(Hexdump, EmptyInput) {
  char out[8] = "xxxxxxx";
  EXPECT_EQ(mg_hexdump("", 0, out, sizeof(out)), 0);
  EXPECT_STREQ(out, "");
  EXPECT_EQ(mg_hexdump("abc", -5, out, sizeof(out)), 0);
}

TEST(Hexdump, TruncatesButReportsFullLength) {
  std::string data(40, 'z');
  std::string full = Dump(data);
  for (int cap : {1, 2, 10, 79, 80, 81, 150}) {
    std::vector<char> out((size_t) cap, '#');
    EXPECT_EQ(mg_hexdump(data.data(), (int) data.size(), out.data(), cap),
              (int) full.size());
    EXPECT_EQ(std::string(out.data()), full.substr(0, (size_t) cap - 1)) << cap;
  }
  // Nowhere to write: just the length.
  EXPECT_EQ(mg_hexdump(data.data(), (int) data.size(), nullptr, 0),
            (int) full.size());
}

TEST(Hexdump, LargeOffsets) {
  std::vector<char> data(0x12345, 'q');
  std::string dump = Dump(std::string(data.begin(), data.end()));
  EXPECT_NE(dump.find("\n12340  71"), std::string::npos);
}

TEST(Hexdump, FileOutputMatchesBufferOutput) {
  std::string data = "The quick brown fox jumps over the lazy dog\x01\x02";
  FILE *fp = tmpfile();
  ASSERT_NE(fp, nullptr);
  mg_hexdumpf(fp, data.data(), (int) data.size());
  long size = ftell(fp);
  rewind(fp);
  std::vector<char> buf((size_t) size);
  ASSERT_EQ(fread(buf.data(), 1, buf.size(), fp), buf.size());
  fclose(fp);
  EXPECT_EQ(std::string(buf.begin(), buf.end()), Dump(data));
}

}  // namespace
