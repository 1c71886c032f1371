// A program without //mg:tls: TLS options fail cleanly, nothing is left in
// the manager and no event is delivered.
#include <gtest/gtest.h>

#include "mg/core.h"

namespace {

int g_events = 0;

void Count(struct mg_connection *, int ev, void *) {
  if (ev != MG_EV_POLL) g_events++;
}

int CountConns(struct mg_mgr *mgr) {
  int n = 0;
  for (struct mg_connection *c = mg_next(mgr, nullptr); c; c = mg_next(mgr, c))
    n++;
  return n;
}

TEST(TlsAbsent, OptionsRefusedCleanly) {
  struct mg_mgr mgr;
  mg_mgr_init(&mgr, nullptr);
  EXPECT_EQ(mgr.tls, nullptr);
  const char *err = nullptr;
  struct mg_bind_opts b;
  memset(&b, 0, sizeof(b));
  b.error_string = &err;
  b.ssl_cert = "server.pem";
  EXPECT_EQ(mg_bind_opt(&mgr, "127.0.0.1:0", Count, b), nullptr);
  EXPECT_STREQ(err, "TLS is not available in this build");
  EXPECT_EQ(CountConns(&mgr), 0);

  struct mg_connect_opts c;
  memset(&c, 0, sizeof(c));
  c.error_string = &err;
  c.ssl_ca_cert = "*";
  err = nullptr;
  EXPECT_EQ(mg_connect_opt(&mgr, "127.0.0.1:1", Count, c), nullptr);
  EXPECT_STREQ(err, "TLS is not available in this build");
  memset(&c, 0, sizeof(c));
  c.error_string = &err;
  c.flags = MG_F_SSL;
  err = nullptr;
  EXPECT_EQ(mg_connect_opt(&mgr, "mem://x", Count, c), nullptr);
  EXPECT_STREQ(err, "TLS is not available in this build");
  EXPECT_EQ(CountConns(&mgr), 0);

  // The deprecated call refuses too, and leaves the listener as it was.
  struct mg_connection *l = mg_bind(&mgr, "127.0.0.1:0", Count);
  ASSERT_NE(l, nullptr);
  EXPECT_STREQ(mg_set_ssl(l, "server.pem", nullptr),
               "TLS is not available in this build");
  EXPECT_FALSE(l->flags & MG_F_SSL);
  EXPECT_EQ(mg_ssl_get_error(l), nullptr);
  EXPECT_EQ(mg_ssl_get_sni(l), nullptr);
  for (int i = 0; i < 5; i++) mg_mgr_poll(&mgr, 1);
  EXPECT_EQ(CountConns(&mgr), 1);
  EXPECT_EQ(g_events, 0);
  mg_mgr_free(&mgr);
}

}  // namespace
