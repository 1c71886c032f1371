// The platform's BoringSSL runtime (Debian's android-libboringssl for that
// architecture) links and works: a digest and a TLS context.
#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>

#include <cstdio>
#include <string>

TEST(BoringSsl, Sha256) {
  uint8_t md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const uint8_t *>("abc"), 3, md);
  std::string hex;
  char buf[3];
  for (uint8_t b : md) {
    snprintf(buf, sizeof(buf), "%02x", b);
    hex += buf;
  }
  EXPECT_EQ(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(BoringSsl, TlsContext) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_method());
  ASSERT_NE(ctx, nullptr);
  SSL *ssl = SSL_new(ctx);
  EXPECT_NE(ssl, nullptr);
  SSL_free(ssl);
  SSL_CTX_free(ctx);
}
