// The TLS policy of MG_SSL_CRYPTO_MODERN (TLS 1.3 only) or
// MG_SSL_CRYPTO_OLD (CBC and RSA key exchange suites too, still TLS 1.2+),
// seen by openssl s_client. Built by mg/tls_modern and mg/tls_old.
#include "mg/tls_test_util.h"

using tlstest::Cert;
using tlstest::Seen;

namespace {

// Echoes what arrives, then closes (so that s_client ends).
void EchoOnce(struct mg_connection *c, int ev, void *ev_data) {
  tlstest::EchoHandler(c, ev, ev_data);
  if (ev == MG_EV_RECV) c->flags |= MG_F_SEND_AND_CLOSE;
}

class Crypto : public tlstest::TlsTest {
 protected:
  // s_client with args against port; returns its exit code.
  int SClient(int port, const std::string &args) {
    std::string out = std::string(getenv("TEST_TMPDIR")) + "/s_client.out";
    pid_t pid = tlstest::SpawnShell(
        "sh -c \"printf ping | /usr/bin/openssl s_client -quiet -connect "
        "127.0.0.1:" +
            std::to_string(port) + " " + args + "\"",
        out);
    EXPECT_GT(pid, 0);
    int code = tlstest::PollUntilExit(&mgr_, pid);
    output_ = tlstest::ReadFile(out);
    return code;
  }
  std::string output_;
};

TEST_F(Crypto, Policy) {
  Seen srv;
  struct mg_connection *l =
      Server(&srv, "server.pem", "server.key", "", nullptr, EchoOnce);
  ASSERT_NE(l, nullptr) << bind_error_;
  int port = mgtest::LocalPort(l);
  EXPECT_NE(SClient(port, "-tls1_1 -cipher DEFAULT@SECLEVEL=0"), 0) << output_;
  EXPECT_NE(SClient(port, "-tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256"), 0)
      << output_;
  EXPECT_NE(SClient(port, "-tls1_2 -cipher DES-CBC3-SHA@SECLEVEL=0"), 0)
      << output_;
  EXPECT_EQ(SClient(port, "-tls1_3"), 0) << output_;
  EXPECT_EQ(srv.accepts, 1);
#if defined(EXPECT_CRYPTO_MODERN)
  EXPECT_NE(SClient(port, "-tls1_2"), 0) << output_;
  EXPECT_EQ(srv.accepts, 1);
#elif defined(EXPECT_CRYPTO_OLD)
  EXPECT_EQ(SClient(port, "-tls1_2 -cipher AES128-SHA"), 0) << output_;
  EXPECT_EQ(SClient(port, "-tls1_2 -cipher ECDHE-RSA-AES256-SHA"), 0)
      << output_;
  EXPECT_EQ(srv.accepts, 3);
#else
#error "built by mg/tls_modern or mg/tls_old"
#endif
}

}  // namespace
