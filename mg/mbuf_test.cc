// Tests for mg/mbuf.c: growth, insertion, removal, resizing, moves.
#include "mg/mbuf.h"

#include <stdlib.h>
#include <string.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace {

std::string Contents(const struct mbuf &m) {
  return std::string(m.buf == nullptr ? "" : m.buf, m.len);
}

TEST(Mbuf, InitWithCapacity) {
  struct mbuf m;
  mbuf_init(&m, 100);
  EXPECT_NE(m.buf, nullptr);
  EXPECT_EQ(m.len, 0u);
  EXPECT_EQ(m.size, 100u);
  mbuf_free(&m);
  EXPECT_EQ(m.buf, nullptr);
  EXPECT_EQ(m.len, 0u);
  EXPECT_EQ(m.size, 0u);
}

TEST(Mbuf, InitZeroAllocatesNothing) {
  struct mbuf m;
  mbuf_init(&m, 0);
  EXPECT_EQ(m.buf, nullptr);
  EXPECT_EQ(m.size, 0u);
  mbuf_free(&m);
  mbuf_free(&m);  // freeing twice is harmless
}

TEST(Mbuf, AppendGrowsByMultiplier) {
  struct mbuf m;
  mbuf_init(&m, 0);
  EXPECT_EQ(mbuf_append(&m, "0123456789", 10), 10u);
  EXPECT_EQ(Contents(m), "0123456789");
  EXPECT_EQ(m.size, (size_t) (10 * MBUF_SIZE_MULTIPLIER));
  // Fits in the headroom: no reallocation.
  char *before = m.buf;
  EXPECT_EQ(mbuf_append(&m, "ab", 2), 2u);
  EXPECT_EQ(m.buf, before);
  EXPECT_EQ(Contents(m), "0123456789ab");
  mbuf_free(&m);
}

TEST(Mbuf, HeadroomIsCapped) {
  struct mbuf m;
  mbuf_init(&m, 0);
  std::vector<char> big(100000, 'x');
  EXPECT_EQ(mbuf_append(&m, big.data(), big.size()), big.size());
  EXPECT_EQ(m.size, big.size() + MBUF_SIZE_MAX_HEADROOM);
  mbuf_free(&m);
}

TEST(Mbuf, AppendZeroBytes) {
  struct mbuf m;
  mbuf_init(&m, 0);
  EXPECT_EQ(mbuf_append(&m, "abc", 0), 0u);
  EXPECT_EQ(m.len, 0u);
  mbuf_free(&m);
}

TEST(Mbuf, AppendManySmallPieces) {
  struct mbuf m;
  mbuf_init(&m, 0);
  std::string expect;
  for (int i = 0; i < 100000; i++) {
    char c = (char) ('a' + i % 26);
    ASSERT_EQ(mbuf_append(&m, &c, 1), 1u);
    expect.push_back(c);
  }
  EXPECT_EQ(Contents(m), expect);
  EXPECT_GE(m.size, m.len);
  mbuf_free(&m);
}

TEST(Mbuf, AppendOneMiB) {
  struct mbuf m;
  mbuf_init(&m, 0);
  std::vector<char> data(1 << 20);
  for (size_t i = 0; i < data.size(); i++) data[i] = (char) (i * 7);
  EXPECT_EQ(mbuf_append(&m, data.data(), data.size()), data.size());
  EXPECT_EQ(mbuf_append(&m, data.data(), data.size()), data.size());
  ASSERT_EQ(m.len, 2 * data.size());
  EXPECT_EQ(memcmp(m.buf, data.data(), data.size()), 0);
  EXPECT_EQ(memcmp(m.buf + data.size(), data.data(), data.size()), 0);
  mbuf_free(&m);
}

TEST(Mbuf, InsertAtFrontMiddleEnd) {
  struct mbuf m;
  mbuf_init(&m, 0);
  mbuf_append(&m, "ace", 3);
  EXPECT_EQ(mbuf_insert(&m, 1, "b", 1), 1u);
  EXPECT_EQ(Contents(m), "abce");
  EXPECT_EQ(mbuf_insert(&m, 3, "d", 1), 1u);
  EXPECT_EQ(Contents(m), "abcde");
  EXPECT_EQ(mbuf_insert(&m, 0, "__", 2), 2u);
  EXPECT_EQ(Contents(m), "__abcde");
  EXPECT_EQ(mbuf_insert(&m, m.len, "!", 1), 1u);
  EXPECT_EQ(Contents(m), "__abcde!");
  mbuf_free(&m);
}

TEST(Mbuf, InsertWithoutRoomShiftsData) {
  struct mbuf m;
  mbuf_init(&m, 4);
  mbuf_append(&m, "1234", 4);
  EXPECT_EQ(m.size, 4u);
  EXPECT_EQ(mbuf_insert(&m, 2, "abcdefgh", 8), 8u);
  EXPECT_EQ(Contents(m), "12abcdefgh34");
  mbuf_free(&m);
}

TEST(Mbuf, InsertPastEndIsRefused) {
  struct mbuf m;
  mbuf_init(&m, 0);
  mbuf_append(&m, "abc", 3);
  EXPECT_EQ(mbuf_insert(&m, 4, "x", 1), 0u);
  EXPECT_EQ(Contents(m), "abc");
  mbuf_free(&m);
}

TEST(Mbuf, InsertNullReservesSpace) {
  struct mbuf m;
  mbuf_init(&m, 0);
  mbuf_append(&m, "ab", 2);
  EXPECT_EQ(mbuf_insert(&m, 1, nullptr, 3), 3u);
  ASSERT_EQ(m.len, 5u);
  EXPECT_EQ(m.buf[0], 'a');
  EXPECT_EQ(m.buf[4], 'b');
  mbuf_free(&m);
}

TEST(Mbuf, InsertDetectsSizeOverflow) {
  // A fake, full mbuf whose length is near SIZE_MAX: the insertion must be
  // refused before any memory is touched.
  char storage[8] = "1234567";
  struct mbuf fake;
  fake.buf = storage;
  fake.len = ~(size_t) 0 - 3;
  fake.size = fake.len;
  EXPECT_EQ(mbuf_insert(&fake, fake.len, "0123456789", 10), 0u);
  EXPECT_EQ(mbuf_append(&fake, "0123456789", 10), 0u);
  EXPECT_EQ(fake.len, ~(size_t) 0 - 3);
  EXPECT_EQ(fake.buf, storage);
  EXPECT_STREQ(storage, "1234567");
}

TEST(Mbuf, Remove) {
  struct mbuf m;
  mbuf_init(&m, 0);
  mbuf_append(&m, "hello world", 11);
  mbuf_remove(&m, 0);
  EXPECT_EQ(Contents(m), "hello world");
  mbuf_remove(&m, 6);
  EXPECT_EQ(Contents(m), "world");
  mbuf_remove(&m, 5);
  EXPECT_EQ(m.len, 0u);
  mbuf_append(&m, "abc", 3);
  mbuf_remove(&m, 100);  // more than there is: empties it
  EXPECT_EQ(m.len, 0u);
  mbuf_free(&m);
}

TEST(Mbuf, RemoveFromEmpty) {
  struct mbuf m;
  mbuf_init(&m, 0);
  mbuf_remove(&m, 1);
  EXPECT_EQ(m.len, 0u);
  mbuf_free(&m);
}

TEST(Mbuf, ResizeAndTrim) {
  struct mbuf m;
  mbuf_init(&m, 0);
  mbuf_append(&m, "abcdef", 6);
  mbuf_resize(&m, 100);
  EXPECT_EQ(m.size, 100u);
  EXPECT_EQ(Contents(m), "abcdef");
  mbuf_resize(&m, 3);  // smaller than len: not applied
  EXPECT_EQ(m.size, 100u);
  EXPECT_EQ(Contents(m), "abcdef");
  mbuf_resize(&m, 10);
  EXPECT_EQ(m.size, 10u);
  mbuf_trim(&m);
  EXPECT_EQ(m.size, 6u);
  EXPECT_EQ(Contents(m), "abcdef");
  mbuf_clear(&m);
  mbuf_trim(&m);
  EXPECT_EQ(m.size, 0u);
  EXPECT_EQ(m.buf, nullptr);
  mbuf_free(&m);
}

TEST(Mbuf, ClearKeepsAllocation) {
  struct mbuf m;
  mbuf_init(&m, 0);
  mbuf_append(&m, "abc", 3);
  size_t size = m.size;
  mbuf_clear(&m);
  EXPECT_EQ(m.len, 0u);
  EXPECT_EQ(m.size, size);
  EXPECT_NE(m.buf, nullptr);
  mbuf_free(&m);
}

TEST(Mbuf, MoveFreesDestination) {
  struct mbuf a, b;
  mbuf_init(&a, 0);
  mbuf_init(&b, 0);
  mbuf_append(&a, "from", 4);
  mbuf_append(&b, "old contents", 12);  // freed by the move (ASan checks)
  mbuf_move(&a, &b);
  EXPECT_EQ(Contents(b), "from");
  EXPECT_EQ(a.buf, nullptr);
  EXPECT_EQ(a.len, 0u);
  EXPECT_EQ(a.size, 0u);
  mbuf_move(&b, &b);  // self-move is a no-op
  EXPECT_EQ(Contents(b), "from");
  mbuf_free(&a);
  mbuf_free(&b);
}

TEST(Mbuf, AppendAndFree) {
  struct mbuf m;
  mbuf_init(&m, 0);
  char *p = (char *) malloc(3);
  memcpy(p, "xyz", 3);
  EXPECT_EQ(mbuf_append_and_free(&m, p, 3), 3u);
  p = (char *) malloc(2);
  memcpy(p, "12", 2);
  EXPECT_EQ(mbuf_append_and_free(&m, p, 2), 2u);
  EXPECT_EQ(Contents(m), "xyz12");
  mbuf_free(&m);
}

}  // namespace
