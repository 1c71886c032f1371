// Starts examples/websocket_chat on a free port; two Chromium tabs, then
// two of our own clients, each see the other's messages.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/interop/ws/peers.h"

namespace {

std::string g_program;  // path of the example (argv[1])

class ChatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = mgtest::FreePort();
    ASSERT_GT(port_, 0);
    pid_ = mgtest::Spawn({g_program, std::to_string(port_)});
    ASSERT_GT(pid_, 0);
    int s = mgtest::ConnectRetry("127.0.0.1", port_);
    ASSERT_GE(s, 0) << "the chat does not listen";
    close(s);
  }
  void TearDown() override { mgtest::Stop(pid_); }
  int port_ = -1;
  pid_t pid_ = -1;
};

TEST_F(ChatTest, TwoBrowserTabsSeeEachOther) {
  ASSERT_EQ(access("/usr/bin/chromium", X_OK), 0) << "chromium is not installed";
  std::string out = wspeers::TmpPath("chat_browser.out");
  std::string script = mgtest::Runfile("testing/interop/ws/browser.js");
  pid_t node = wspeers::Start(
      {"node", script, "http://127.0.0.1:" + std::to_string(port_) + "/", "2"}, out);
  ASSERT_GT(node, 0);
  EXPECT_EQ(wspeers::Wait(node, 120), 0) << wspeers::ReadFile(out);
  std::string got = wspeers::ReadFile(out);
  EXPECT_NE(got.find("{\"tab\":0,\"heard\":[\"hello from tab 0\",\"hello from tab 1\"]}"),
            std::string::npos)
      << got;
  EXPECT_NE(got.find("{\"tab\":1,\"heard\":[\"hello from tab 0\",\"hello from tab 1\"]}"),
            std::string::npos)
      << got;
}

struct Seen {
  int open = 0;
  std::vector<std::string> lines;
};

void Handler(struct mg_connection *c, int ev, void *ev_data) {
  Seen *s = static_cast<Seen *>(c->user_data);
  if (s == nullptr) return;
  if (ev == MG_EV_WEBSOCKET_HANDSHAKE_DONE) {
    s->open = static_cast<struct http_message *>(ev_data)->resp_code == 101 ? 1 : -1;
  } else if (ev == MG_EV_WEBSOCKET_FRAME) {
    struct websocket_message *wm = static_cast<struct websocket_message *>(ev_data);
    s->lines.emplace_back(reinterpret_cast<char *>(wm->data), wm->size);
  }
}

bool Heard(const Seen &s, const std::string &suffix) {
  for (const auto &l : s.lines) {
    if (l.size() >= suffix.size() && l.compare(l.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return true;
    }
  }
  return false;
}

TEST_F(ChatTest, TwoOfOurClientsSeeEachOther) {
  struct mg_mgr mgr;
  mg_mgr_init(&mgr, nullptr);
  std::string url = "ws://127.0.0.1:" + std::to_string(port_) + "/chat";
  Seen a, b;
  struct mg_connection *ca = mg_connect_ws(&mgr, Handler, url.c_str(), nullptr, nullptr);
  struct mg_connection *cb = mg_connect_ws(&mgr, Handler, url.c_str(), nullptr, nullptr);
  ASSERT_NE(ca, nullptr);
  ASSERT_NE(cb, nullptr);
  ca->user_data = &a;
  cb->user_data = &b;
  ASSERT_TRUE(mgtest::PollUntil(&mgr, [&] { return a.open == 1 && b.open == 1; }));
  ASSERT_TRUE(mgtest::PollUntil(&mgr, [&] { return Heard(a, " joined") && Heard(b, " joined"); }));
  mg_printf_websocket_frame(ca, WEBSOCKET_OP_TEXT, "%s", "hi from A");
  mg_printf_websocket_frame(cb, WEBSOCKET_OP_TEXT, "%s", "hi from B");
  EXPECT_TRUE(mgtest::PollUntil(&mgr, [&] {
    return Heard(a, ": hi from B") && Heard(b, ": hi from A") && Heard(a, ": hi from A");
  }));
  ca->flags |= MG_F_CLOSE_IMMEDIATELY;
  EXPECT_TRUE(mgtest::PollUntil(&mgr, [&] { return Heard(b, " left"); }));
  mg_mgr_free(&mgr);
}

}  // namespace

int main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc > 1) g_program = argv[1];
  return RUN_ALL_TESTS();
}
