// A 1 GiB request body claimed by an extension streams through the server
// over a real TCP socket while the process's peak resident memory stays
// bounded (VmHWM from /proc/self/status). x86_64 only (tagged heavy).
#include <stdio.h>

#include <string>

#include "plugins/http/http_test_util.h"
#include "plugins/http/stream_test_ext.h"

STREAMTEST_DEFINE_EXT

namespace {

// A client that sends a head and then `total` body bytes as fast as the
// socket takes them, never holding more than 256 KiB itself.
struct Uploader {
  uint64_t total = 0;  // body bytes to send
  uint64_t sent = 0;   // body bytes handed to mg_send
  uint64_t sum = 0;    // their byte sum
  std::string reply;   // what came back
  int closed = 0;      // MG_EV_CLOSE seen
};

void Fill(struct mg_connection *c, Uploader *u) {
  static char block[65536];
  for (int i = 0; i < 8 && u->sent < u->total && c->send_mbuf.len < 262144;
       i++) {
    size_t n = sizeof(block);
    if (n > u->total - u->sent) n = static_cast<size_t>(u->total - u->sent);
    for (size_t k = 0; k < n; k++) {
      block[k] = static_cast<char>((u->sent + k) * 13 & 0xff);
      u->sum += static_cast<unsigned char>(block[k]);
    }
    mg_send(c, block, static_cast<int>(n));
    u->sent += n;
  }
}

void UploaderCb(struct mg_connection *c, int ev, void *) {
  Uploader *u = static_cast<Uploader *>(c->user_data);
  if (u == nullptr) return;
  if (ev == MG_EV_CONNECT || ev == MG_EV_SEND || ev == MG_EV_POLL) Fill(c, u);
  if (ev == MG_EV_RECV) {
    u->reply.append(c->recv_mbuf.buf, c->recv_mbuf.len);
    mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
  }
  if (ev == MG_EV_CLOSE) u->closed++;
}

class StreamRssTest : public httptest::HttpTest {};

TEST_F(StreamRssTest, OneGibibyteBodyWithBoundedMemory) {
  const char *err = nullptr;
  ASSERT_EQ(mg_register_plugin(&mgr_, &streamtest::Plugin(), &err), 0) << err;
  httptest::Server srv;
  struct mg_connection *lc = Listen("tcp://127.0.0.1:0", &srv);
  ASSERT_NE(lc, nullptr);
  struct mg_serve_http_opts opts = {};
  opts.document_root = "/nonexistent-root";
  mg_http_set_serve_opts(lc, opts);

  long rss_before = mgtest::StatusKb("VmRSS");
  ASSERT_GT(rss_before, 0);
  Uploader u;
  u.total = 1ULL << 30;
  struct mg_connect_opts co = {};
  co.user_data = &u;
  std::string addr = "tcp://" + mgtest::LocalAddr(lc);
  struct mg_connection *c = mg_connect_opt(&mgr_, addr.c_str(), UploaderCb, co);
  ASSERT_NE(c, nullptr);
  mg_printf(c, "PUT /s/count HTTP/1.1\r\nContent-Length: %llu\r\n\r\n",
            static_cast<unsigned long long>(u.total));
  ASSERT_TRUE(Until(
      [&] { return u.reply.find("sum=") != std::string::npos || u.closed; },
      300));
  long hwm = mgtest::StatusKb("VmHWM");
  std::string want =
      "bytes=" + std::to_string(u.total) + " sum=" + std::to_string(u.sum);
  EXPECT_NE(u.reply.find(want), std::string::npos) << u.reply;
  EXPECT_EQ(srv.requests, 0);
  // The body never sits in memory: the peak grows by a few buffers only.
  printf("VmRSS before %ld kB, VmHWM after %ld kB\n", rss_before, hwm);
  EXPECT_LT(hwm - rss_before, 32 * 1024) << "kB";
}

}  // namespace
