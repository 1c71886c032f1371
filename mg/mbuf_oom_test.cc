// mbuf.c compiled with MG_REALLOC=failing_realloc: growth failures must
// leave the buffer intact.
#include <stdlib.h>
#include <string.h>

#include <string>

#include "gtest/gtest.h"
#include "mg/mbuf.h"
#include "mg/mbuf_oom_test.h"

namespace {

// How many more reallocations succeed; negative: all of them.
int g_allowed = -1;
int g_calls = 0;

std::string Contents(const struct mbuf &m) {
  return std::string(m.buf == nullptr ? "" : m.buf, m.len);
}

class MbufOom : public ::testing::Test {
 protected:
  void SetUp() override {
    g_allowed = -1;
    g_calls = 0;
  }
  void TearDown() override { g_allowed = -1; }
};

TEST_F(MbufOom, AllocatorIsHooked) {
  struct mbuf m;
  mbuf_init(&m, 16);
  EXPECT_EQ(g_calls, 1);
  mbuf_free(&m);
}

TEST_F(MbufOom, InitFailureLeavesEmptyBuffer) {
  g_allowed = 0;
  struct mbuf m;
  mbuf_init(&m, 100);
  EXPECT_EQ(m.buf, nullptr);
  EXPECT_EQ(m.size, 0u);
  EXPECT_EQ(m.len, 0u);
  EXPECT_EQ(mbuf_append(&m, "abc", 3), 0u);
  EXPECT_EQ(m.len, 0u);
  mbuf_free(&m);
}

TEST_F(MbufOom, AppendFailureKeepsData) {
  struct mbuf m;
  mbuf_init(&m, 0);
  ASSERT_EQ(mbuf_append(&m, "hello", 5), 5u);
  char *buf = m.buf;
  size_t size = m.size;
  g_allowed = 0;
  std::string big(1000, 'x');
  EXPECT_EQ(mbuf_append(&m, big.data(), big.size()), 0u);
  EXPECT_EQ(m.buf, buf);
  EXPECT_EQ(m.size, size);
  EXPECT_EQ(Contents(m), "hello");
  EXPECT_EQ(mbuf_insert(&m, 0, big.data(), big.size()), 0u);
  EXPECT_EQ(Contents(m), "hello");
  // Appending within the existing allocation (5 bytes plus 2 of headroom)
  // needs no realloc.
  ASSERT_EQ(m.size, 7u);
  EXPECT_EQ(mbuf_append(&m, "!", 1), 1u);
  EXPECT_EQ(Contents(m), "hello!");
  g_allowed = -1;
  EXPECT_EQ(mbuf_append(&m, big.data(), big.size()), big.size());
  EXPECT_EQ(Contents(m), "hello!" + big);
  mbuf_free(&m);
}

TEST_F(MbufOom, FallsBackToExactSize) {
  struct mbuf m;
  mbuf_init(&m, 0);
  ASSERT_EQ(mbuf_append(&m, "ab", 2), 2u);
  mbuf_trim(&m);
  g_calls = 0;
  // The first attempt (with headroom) fails, the exact-size retry succeeds.
  g_allowed = -2;
  EXPECT_EQ(mbuf_append(&m, "0123456789", 10), 10u);
  EXPECT_EQ(g_calls, 2);
  EXPECT_EQ(m.size, 12u);  // no headroom
  EXPECT_EQ(Contents(m), "ab0123456789");
  mbuf_free(&m);
}

TEST_F(MbufOom, ResizeFailureChangesNothing) {
  struct mbuf m;
  mbuf_init(&m, 0);
  mbuf_append(&m, "data", 4);
  size_t size = m.size;
  char *buf = m.buf;
  g_allowed = 0;
  mbuf_resize(&m, 4096);
  EXPECT_EQ(m.size, size);
  EXPECT_EQ(m.buf, buf);
  mbuf_trim(&m);
  EXPECT_EQ(Contents(m), "data");
  g_allowed = -1;
  mbuf_free(&m);
}

TEST_F(MbufOom, AppendAndFreeFreesEvenOnFailure) {
  struct mbuf m;
  mbuf_init(&m, 0);
  g_allowed = 0;
  char *p = (char *) malloc(4);
  memcpy(p, "abcd", 4);
  EXPECT_EQ(mbuf_append_and_free(&m, p, 4), 0u);  // LeakSanitizer checks
  EXPECT_EQ(m.len, 0u);
  mbuf_free(&m);
}

}  // namespace

// g_allowed: -1 means always succeed; -2 means fail once, then succeed; N >= 0
// means N more successes, then failures.
extern "C" void *failing_realloc(void *ptr, size_t size) {
  g_calls++;
  if (g_allowed == -2) {
    g_allowed = -1;
    return nullptr;
  }
  if (g_allowed == 0) return nullptr;
  if (g_allowed > 0) g_allowed--;
  return realloc(ptr, size);
}
