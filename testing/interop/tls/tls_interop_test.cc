// TLS against real peers: `openssl s_client` and `curl` against our server,
// our client against `openssl s_server`. Certificates are made at test time.
#include "mg/tls_test_util.h"

using mgtest::PollUntil;
using tlstest::Cert;
using tlstest::PollUntilExit;
using tlstest::ReadFile;
using tlstest::Seen;
using tlstest::SpawnShell;
using tlstest::TlsTest;

namespace {

const char kOpenssl[] = "/usr/bin/openssl";
const char kCurl[] = "/usr/bin/curl";

// Our server for peers: answers "ping" with "pong", and an HTTP request
// with a small page; closes after answering.
void PongOrPage(struct mg_connection *c, int ev, void *ev_data) {
  if (ev != MG_EV_RECV) {
    tlstest::EchoHandler(c, ev, ev_data);  // counts accepts, keeps the SNI
    return;
  }
  std::string got(c->recv_mbuf.buf, c->recv_mbuf.len);
  if (got.find("ping") != std::string::npos) {
    mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
    mg_printf(c, "pong from %s\n", mg_ssl_get_sni(c) ? mg_ssl_get_sni(c) : "-");
    c->flags |= MG_F_SEND_AND_CLOSE;
  } else if (got.find("\r\n\r\n") != std::string::npos) {
    mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
    mg_printf(c, "%s",
              "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
              "Content-Length: 13\r\nConnection: close\r\n\r\nhello, https\n");
    c->flags |= MG_F_SEND_AND_CLOSE;
  }
}

class Interop : public TlsTest {
 protected:
  std::string Out(const std::string &name) {
    const char *tmp = getenv("TEST_TMPDIR");
    return std::string(tmp ? tmp : "/tmp") + "/" + name;
  }

  // Runs a peer command line to completion while polling our manager.
  // Returns its exit code; its output is in output_.
  int RunPeer(const std::string &cmd) {
    std::string out = Out("peer.out");
    pid_t pid = SpawnShell(cmd, out);
    EXPECT_GT(pid, 0);
    int code = PollUntilExit(&mgr_, pid);
    output_ = ReadFile(out);
    return code;
  }

  // `openssl s_client` against port with extra arguments, sending "ping".
  int SClient(int port, const std::string &args) {
    return RunPeer("sh -c \"printf ping | " + std::string(kOpenssl) +
                   " s_client -quiet -connect 127.0.0.1:" +
                   std::to_string(port) + " " + args + "\"");
  }

  std::string output_;
};

// s_client and curl against our server ------------------------------------

TEST_F(Interop, SClientVerifiesOurServer) {
  Seen srv;
  struct mg_connection *l =
      Server(&srv, "server.pem", "server.key", "", nullptr, PongOrPage);
  ASSERT_NE(l, nullptr) << bind_error_;
  int port = mgtest::LocalPort(l);
  EXPECT_EQ(SClient(port,
                    "-servername localhost -verify_return_error "
                    "-verify_hostname localhost -CAfile " +
                        Cert("ca.pem")),
            0)
      << output_;
  EXPECT_NE(output_.find("pong from localhost"), std::string::npos) << output_;
  EXPECT_EQ(srv.accepts, 1);
  EXPECT_EQ(srv.sni, "localhost");
  // TLS 1.2 with the default ciphers: an ECDHE AEAD suite is chosen.
  EXPECT_EQ(SClient(port, "-tls1_2 -CAfile " + Cert("ca.pem")), 0) << output_;
  EXPECT_NE(output_.find("pong"), std::string::npos) << output_;
}

TEST_F(Interop, OldProtocolsAndWeakCiphersRefused) {
  Seen srv;
  struct mg_connection *l =
      Server(&srv, "server.pem", "server.key", "", nullptr, PongOrPage);
  ASSERT_NE(l, nullptr) << bind_error_;
  int port = mgtest::LocalPort(l);
  // OpenSSL 3 itself refuses TLS 1.1 at its default security level: lower
  // it, so that the refusal is ours.
  EXPECT_NE(SClient(port, "-tls1_1 -cipher DEFAULT@SECLEVEL=0"), 0) << output_;
  EXPECT_NE(SClient(port, "-tls1 -cipher DEFAULT@SECLEVEL=0"), 0) << output_;
  EXPECT_EQ(srv.accepts, 0);
  // (This OpenSSL cannot offer 3DES, RC4 or export suites at all: those are
  // refused in tls_test's DefaultCipherPolicy with hand-made ClientHellos.)
  for (const char *weak :
       {"DHE-RSA-AES128-GCM-SHA256", "AES128-SHA", "ECDHE-RSA-AES128-SHA"}) {
    EXPECT_NE(
        SClient(port, std::string("-tls1_2 -cipher ") + weak + "@SECLEVEL=0"),
        0)
        << weak << ": " << output_;
  }
  EXPECT_EQ(srv.accepts, 0);
  // The control: the same peer with TLS 1.2 and a good suite gets in.
  EXPECT_EQ(SClient(port, "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256"), 0)
      << output_;
  EXPECT_EQ(srv.accepts, 1);
}

TEST_F(Interop, ServerCipherList) {
  Seen srv;
  struct mg_connection *l = Server(&srv, "server.pem", "server.key", "",
                                   "ECDHE-RSA-AES256-GCM-SHA384", PongOrPage);
  ASSERT_NE(l, nullptr) << bind_error_;
  int port = mgtest::LocalPort(l);
  EXPECT_NE(SClient(port, "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256"), 0)
      << output_;
  EXPECT_EQ(SClient(port, "-tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384"), 0)
      << output_;
  EXPECT_EQ(srv.accepts, 1);
}

TEST_F(Interop, CurlHttpsPage) {
  Seen srv;
  struct mg_connection *l =
      Server(&srv, "server_combined.pem", "", "", nullptr, PongOrPage);
  ASSERT_NE(l, nullptr) << bind_error_;
  std::string url =
      "https://localhost:" + std::to_string(mgtest::LocalPort(l)) + "/";
  EXPECT_EQ(RunPeer(std::string(kCurl) + " -sS --cacert " + Cert("ca.pem") +
                    " " + url),
            0)
      << output_;
  EXPECT_EQ(output_, "hello, https\n");
  // Without the CA, curl refuses our certificate (verification is real).
  EXPECT_NE(RunPeer(std::string(kCurl) + " -sS " + url), 0) << output_;
}

TEST_F(Interop, MutualTlsWithCurlAndSClient) {
  Seen srv;
  struct mg_connection *l =
      Server(&srv, "server.pem", "server.key", "ca.pem", nullptr, PongOrPage);
  ASSERT_NE(l, nullptr) << bind_error_;
  int port = mgtest::LocalPort(l);
  std::string url = "https://localhost:" + std::to_string(port) + "/";
  std::string curl = std::string(kCurl) + " -sS --cacert " + Cert("ca.pem");
  EXPECT_EQ(RunPeer(curl + " --cert " + Cert("client.pem") + " --key " +
                    Cert("client.key") + " " + url),
            0)
      << output_;
  EXPECT_EQ(output_, "hello, https\n");
  EXPECT_EQ(srv.accepts, 1);
  EXPECT_NE(RunPeer(curl + " " + url), 0) << output_;
  EXPECT_NE(RunPeer(curl + " --cert " + Cert("rogue_client.pem") + " --key " +
                    Cert("rogue_client.key") + " " + url),
            0)
      << output_;
  EXPECT_EQ(srv.accepts, 1);
  // s_client likewise.
  EXPECT_EQ(SClient(port, "-cert " + Cert("client.pem") + " -key " +
                              Cert("client.key")),
            0)
      << output_;
  EXPECT_NE(output_.find("pong"), std::string::npos) << output_;
  SClient(port, "");
  EXPECT_EQ(output_.find("pong"), std::string::npos) << output_;
  EXPECT_EQ(srv.accepts, 2);
}

// Our client against s_server --------------------------------------------

class AgainstSServer : public Interop {
 protected:
  void TearDown() override {
    if (pid_ > 0) mgtest::Stop(pid_);
    Interop::TearDown();
  }

  // Starts `openssl s_server -www` with args; waits until it listens.
  void Start(const std::string &args) {
    port_ = tlstest::FreePort();
    pid_ =
        SpawnShell(std::string(kOpenssl) + " s_server -www -accept 127.0.0.1:" +
                       std::to_string(port_) + " " + args,
                   Out("s_server.out"));
    ASSERT_GT(pid_, 0);
    int fd = mgtest::ConnectRetry("127.0.0.1", port_);
    ASSERT_GE(fd, 0) << ReadFile(Out("s_server.out"));
    close(fd);
  }

  void StartWith(const std::string &cert, const std::string &extra = "") {
    Start("-cert " + Cert(cert + ".pem") + " -key " + Cert(cert + ".key") +
          " " + extra);
  }

  // Connects with o, asks for the status page; returns what was seen.
  Seen Get(struct mg_connect_opts o, const std::string &host = "localhost") {
    Seen s;
    s.greeting = "GET / HTTP/1.0\r\n\r\n";  // sent at MG_EV_CONNECT
    struct mg_connection *c = Client(host + ":" + std::to_string(port_), &s, o);
    EXPECT_NE(c, nullptr) << (connect_error_ ? connect_error_ : "");
    if (c == nullptr) return s;
    EXPECT_TRUE(PollUntil(&mgr_, [&] { return s.closes > 0; }));
    return s;
  }

  static bool GotPage(const Seen &s) {
    return s.data.compare(0, 15, "HTTP/1.0 200 ok") == 0;
  }

  std::string ca_;
  const char *Ca() {
    ca_ = Cert("ca.pem");
    return ca_.c_str();
  }

  pid_t pid_ = -1;
  int port_ = 0;
};

TEST_F(AgainstSServer, VerificationAccepted) {
  StartWith("server");
  struct mg_connect_opts o = Opts();
  o.ssl_ca_cert = Ca();
  Seen s = Get(o);
  EXPECT_EQ(s.connect_status, 0) << s.error;
  EXPECT_TRUE(GotPage(s)) << s.data;
  // The SNI we sent reached s_server (it prints the ClientHello's name).
  s = Get(o, "127.0.0.1");
  EXPECT_EQ(s.connect_status, 0) << s.error;
}

TEST_F(AgainstSServer, WrongNameRefused) {
  StartWith("wrongname");
  struct mg_connect_opts o = Opts();
  o.ssl_ca_cert = Ca();
  Seen s = Get(o);
  EXPECT_EQ(s.connect_status, EPROTO);
  EXPECT_NE(s.error.find("mismatch"), std::string::npos) << s.error;
  EXPECT_FALSE(GotPage(s));
  o.ssl_server_name = "wrong.example.com";
  EXPECT_TRUE(GotPage(Get(o)));
}

TEST_F(AgainstSServer, ExpiredRefused) {
  StartWith("expired");
  struct mg_connect_opts o = Opts();
  o.ssl_ca_cert = Ca();
  Seen s = Get(o);
  EXPECT_EQ(s.connect_status, EPROTO);
  EXPECT_NE(s.error.find("expired"), std::string::npos) << s.error;
}

TEST_F(AgainstSServer, SelfSignedRefusedUnlessStar) {
  StartWith("selfsigned");
  struct mg_connect_opts o = Opts();
  o.ssl_ca_cert = Ca();
  Seen s = Get(o);
  EXPECT_EQ(s.connect_status, EPROTO);
  EXPECT_NE(s.error.find("self"), std::string::npos) << s.error;
  o.ssl_ca_cert = "*";
  s = Get(o);
  EXPECT_EQ(s.connect_status, 0) << s.error;
  EXPECT_TRUE(GotPage(s));
}

TEST_F(AgainstSServer, ClientCertificate) {
  StartWith("server", "-Verify 1 -CAfile " + Cert("ca.pem"));
  std::string cert = Cert("client.pem"), key = Cert("client.key");
  struct mg_connect_opts o = Opts();
  o.ssl_ca_cert = Ca();
  o.ssl_cert = cert.c_str();
  o.ssl_key = key.c_str();
  EXPECT_TRUE(GotPage(Get(o)));
  o.ssl_cert = o.ssl_key = nullptr;
  Seen s = Get(o);
  EXPECT_FALSE(GotPage(s));
  EXPECT_NE(s.connect_status == 0 ? s.close_error : s.error, "");
}

TEST_F(AgainstSServer, PreSharedKey) {
  const char key[] = "00112233445566778899aabbccddeeff";
  Start(std::string("-nocert -tls1_2 -psk_identity mg-client -psk ") + key +
        " -cipher PSK");
  struct mg_connect_opts o = Opts();
  o.ssl_psk_identity = "mg-client";
  o.ssl_psk_key = key;
  Seen s = Get(o);
  EXPECT_EQ(s.connect_status, 0) << s.error;
  EXPECT_TRUE(GotPage(s)) << s.data;
  o.ssl_psk_key = "ffeeddccbbaa99887766554433221100";
  s = Get(o);
  EXPECT_FALSE(GotPage(s));
  EXPECT_NE(s.connect_status, 0);
}

}  // namespace
