// The plugin over loopback sockets, where a peer can stop reading.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <string>

#include "plugins/ws/ws_test_util.h"
#include "testing/util/test_util.h"

namespace {

struct Server {
  int closed = 0;
  int done = 0;
};

void Handler(struct mg_connection *c, int ev, void *) {
  Server *s = static_cast<Server *>(c->user_data);
  if (s == nullptr) return;
  if (ev == MG_EV_WEBSOCKET_HANDSHAKE_DONE) {
    s->done++;
    std::string big(20 << 20, 'z');  // more than the peer will ever read
    mg_send_websocket_frame(c, WEBSOCKET_OP_BINARY, big.data(), big.size());
  } else if (ev == MG_EV_CLOSE) {
    s->closed++;
  }
}

// A peer breaks the protocol, or starts the close handshake, and then
// reads nothing: the CLOSE we queue behind 20 MiB cannot be sent, and the
// connection is closed anyway after close_timeout instead of waiting
// forever.
void ThePeerReadsNothingAfter(const std::string &bad) {
  struct mg_mgr mgr;
  mg_mgr_init(&mgr, nullptr);
  struct mg_ws_opts o;
  memset(&o, 0, sizeof(o));
  o.close_timeout = 0.3;
  ASSERT_EQ(mg_ws_set_options(&mgr, &o), 0);
  Server srv;
  struct mg_bind_opts bo;
  memset(&bo, 0, sizeof(bo));
  bo.user_data = &srv;
  struct mg_connection *lc = mg_bind_opt(&mgr, "127.0.0.1:0", Handler, bo);
  ASSERT_NE(lc, nullptr);
  mg_set_protocol_http_websocket(lc);
  int port = mgtest::LocalPort(lc);
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int small = 4096;
  setsockopt(s, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_port = htons(static_cast<uint16_t>(port));
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(s, reinterpret_cast<struct sockaddr *>(&sin), sizeof(sin)),
            0);
  fcntl(s, F_SETFL, O_NONBLOCK);
  std::string req =
      "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: "
      "13\r\n\r\n";
  ASSERT_EQ(send(s, req.data(), req.size(), 0),
            static_cast<ssize_t>(req.size()));
  std::string got;
  ASSERT_TRUE(mgtest::PollUntil(&mgr, [&] {
    char c;
    while (got.find("\r\n\r\n") == std::string::npos && recv(s, &c, 1, 0) == 1)
      got += c;
    return got.find("\r\n\r\n") != std::string::npos;
  }));
  ASSERT_EQ(srv.done, 1);
  ASSERT_EQ(send(s, bad.data(), bad.size(), 0),
            static_cast<ssize_t>(bad.size()));
  EXPECT_TRUE(mgtest::PollUntil(
      &mgr, [&] { return srv.closed > 0; }, 10));
  close(s);
  mg_mgr_free(&mgr);
}

TEST(WsSocket, FailedConnectionClosesEvenIfThePeerReadsNothing) {
  ThePeerReadsNothingAfter(wstest::Frame(WEBSOCKET_OP_TEXT, "unmasked"));
}

TEST(WsSocket, EchoedCloseDoesNotWaitForeverForAPeerThatReadsNothing) {
  ThePeerReadsNothingAfter(
      wstest::Masked(WEBSOCKET_OP_CLOSE, wstest::ClosePayload(1000)));
}

}  // namespace
