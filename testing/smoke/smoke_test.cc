#include <gtest/gtest.h>
TEST(Smoke, Works) { EXPECT_EQ(2, 1 + 1); }
