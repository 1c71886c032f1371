// The code was compiled for the platform the config selected: a check that
// toolchain resolution picked the matching compiler, and (by running at
// all) that the test runner runs that platform's binaries.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

TEST(Platform, CompiledForTheSelectedPlatform) {
#if defined(MG_EXPECT_ARMV7)
#if !defined(__arm__) || !defined(__thumb2__) || !defined(__ARM_PCS_VFP) || __ARM_ARCH != 7
  FAIL() << "expected ARMv7 Thumb-2 code with the hard-float ABI";
#endif
  EXPECT_EQ(sizeof(void *), 4u);
#elif defined(MG_EXPECT_AARCH64)
#if !defined(__aarch64__)
  FAIL() << "expected aarch64 code";
#endif
  EXPECT_EQ(sizeof(void *), 8u);
#elif defined(MG_EXPECT_WASM32)
#if !defined(__EMSCRIPTEN__) || !defined(__wasm32__)
  FAIL() << "expected Emscripten wasm32 code";
#endif
#if defined(__EMSCRIPTEN_PTHREADS__)
  FAIL() << "the wasm32 build is single-threaded";
#endif
  EXPECT_EQ(sizeof(void *), 4u);
#elif defined(MG_EXPECT_X86_64)
#if !defined(__x86_64__)
  FAIL() << "expected x86_64 code";
#endif
  EXPECT_EQ(sizeof(void *), 8u);
#else
  FAIL() << "no MG_EXPECT_* platform";
#endif
}

TEST(Platform, LittleEndian) {
  const uint32_t x = 0x01020304;
  unsigned char b[4];
  memcpy(b, &x, sizeof(b));
  EXPECT_EQ(b[0], 4);
}
