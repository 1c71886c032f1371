// The plugin ABI: registration, dependencies, refusals, layers (attach,
// detach, switch), event flow to the user's handler, over sockets and over
// the in-memory interface.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/plugin_abi/test_plugins.h"
#include "testing/util/test_util.h"

using mgtest::LocalPort;
using mgtest::PollUntil;

namespace {

// What the user's handler saw.
struct Log {
  std::vector<int> events;         // MG_EV_POLL excluded
  std::vector<std::string> items;  // lines, frames
  std::string data;                // plain received bytes
  int closed = 0;
};

void user_handler(struct mg_connection *c, int ev, void *ev_data) {
  Log *log = static_cast<Log *>(c->user_data);
  if (log == nullptr || ev == MG_EV_POLL) return;
  log->events.push_back(ev);
  if (ev == TEST_EV_LINE || ev == TEST_EV_FRAME) {
    const struct mg_str *s = static_cast<const struct mg_str *>(ev_data);
    log->items.emplace_back(s->p, s->len);
  } else if (ev == MG_EV_RECV) {
    log->data.append(c->recv_mbuf.buf, c->recv_mbuf.len);
    mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
  } else if (ev == MG_EV_CLOSE) {
    log->closed++;
  }
}

class PluginAbiTest : public ::testing::TestWithParam<const char *> {
 protected:
  void SetUp() override {
    test_counters_reset();
    mg_mgr_init(&mgr_, nullptr);
  }
  void TearDown() override { FreeMgr(); }
  void FreeMgr() {
    if (freed_) return;
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      c->user_data = nullptr;
    }
    mg_mgr_free(&mgr_);
    freed_ = true;
  }
  // A listener on the transport under test ("tcp" or "mem").
  struct mg_connection *Listen(Log *log) {
    std::string t = GetParam();
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = log;
    struct mg_connection *lc = mg_bind_opt(
        &mgr_, t == "mem" ? "mem://abi" : "tcp://127.0.0.1:0", user_handler, o);
    EXPECT_NE(lc, nullptr);
    addr_ = t == "mem" ? std::string("mem://abi")
                       : "127.0.0.1:" + std::to_string(LocalPort(lc));
    return lc;
  }
  struct mg_connection *Dial(Log *log) {
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = log;
    return mg_connect_opt(&mgr_, addr_.c_str(), user_handler, o);
  }
  struct mg_mgr mgr_;
  bool freed_ = false;
  std::string addr_;
};

TEST_P(PluginAbiTest, TableRegistersDependenciesFirst) {
  // The table lists frame before line; line (frame's dep) comes first.
  EXPECT_NE(mg_find_plugin(&mgr_, "line"), nullptr);
  EXPECT_NE(mg_find_plugin(&mgr_, "frame"), nullptr);
  EXPECT_NE(mg_find_plugin(&mgr_, "upgrader"), nullptr);
  EXPECT_NE(mg_find_plugin(&mgr_, "echo2"), nullptr);
  EXPECT_EQ(mg_find_plugin(&mgr_, "nope"), nullptr);
  std::string log = test_counters.log;
  EXPECT_LT(log.find("init:line"), log.find("init:frame")) << log;
  EXPECT_EQ(test_counters.inits, 4);
}

TEST_P(PluginAbiTest, StackedLayersDeliverEventsInOrder) {
  Log srv, cli;
  struct mg_connection *lc = Listen(&srv);
  ASSERT_EQ(test_set_protocol_frame(lc), 0);
  struct mg_connection *c = Dial(&cli);
  ASSERT_NE(c, nullptr);
  mg_printf(c, "5:hello\n3:abc\n0:\n");
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return srv.items.size() == 3; }));
  std::vector<std::string> want = {"hello", "abc", ""};
  EXPECT_EQ(srv.items, want);
  EXPECT_EQ(test_counters.inherited, 2);  // line and frame, from the listener
  // ACCEPT first, then frames; no raw LINE or RECV reaches the user.
  std::vector<int> server_events;
  for (int ev : srv.events) {
    if (ev != MG_EV_SEND) server_events.push_back(ev);
  }
  ASSERT_GE(server_events.size(), 4u);
  EXPECT_EQ(server_events[0], MG_EV_ACCEPT);
  EXPECT_EQ(server_events[1], TEST_EV_FRAME);
  EXPECT_EQ(std::count(srv.events.begin(), srv.events.end(), TEST_EV_LINE), 0);
  EXPECT_EQ(std::count(srv.events.begin(), srv.events.end(), MG_EV_RECV), 0);

  // A malformed frame: the protocol reports it and closes; layers go once.
  mg_printf(c, "9:short\n");
  ASSERT_TRUE(
      PollUntil(&mgr_, [&] { return srv.closed == 1 && cli.closed == 1; }));
  EXPECT_EQ(srv.events.back(), MG_EV_CLOSE);
  EXPECT_NE(
      std::find(srv.events.begin(), srv.events.end(), TEST_EV_FRAME_ERROR),
      srv.events.end());
  EXPECT_EQ(test_counters.detaches, 2);  // the accepted connection's two
  std::string log = test_counters.log;
  // Detached top first: frame before line.
  EXPECT_LT(log.find("detach:frame"), log.find("detach:line")) << log;
  FreeMgr();
  EXPECT_EQ(test_counters.attaches, test_counters.detaches);
}

TEST_P(PluginAbiTest, SwitchReplacesLayerAndFreesOldOnce) {
  Log srv, cli;
  struct mg_connection *lc = Listen(&srv);
  ASSERT_NE(mg_layer_push(lc, &mg_plugin_upgrader), nullptr);
  struct mg_connection *c = Dial(&cli);
  mg_printf(c, "UPGRADE\nfirst");
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return cli.data == "echo2:first"; }));
  mg_printf(c, "second");
  ASSERT_TRUE(
      PollUntil(&mgr_, [&] { return cli.data == "echo2:firstecho2:second"; }));
  // The user saw the upgrade, then the new protocol's events.
  auto up = std::find(srv.events.begin(), srv.events.end(), TEST_EV_UPGRADED);
  ASSERT_NE(up, srv.events.end());
  EXPECT_NE(std::find(up, srv.events.end(), TEST_EV_ECHOED), srv.events.end());
  std::string log = test_counters.log;
  EXPECT_NE(log.find("detach:upgrader"), std::string::npos) << log;
  EXPECT_LT(log.find("detach:upgrader"), log.find("attach:echo2")) << log;
  // The server connection now has exactly one layer: echo2.
  struct mg_connection *s = nullptr;
  for (struct mg_connection *x = mg_next(&mgr_, nullptr); x;
       x = mg_next(&mgr_, x)) {
    if (x->listener == lc) s = x;
  }
  ASSERT_NE(s, nullptr);
  EXPECT_NE(mg_layer_find(s, &mg_plugin_echo2), nullptr);
  EXPECT_EQ(mg_layer_find(s, &mg_plugin_upgrader), nullptr);
  FreeMgr();
  EXPECT_EQ(test_counters.attaches, test_counters.detaches);
}

TEST_P(PluginAbiTest, LegacyProtoHandlerStillWorks) {
  // A program that sets proto_handler itself, as the reference allows.
  static int proto_calls;
  proto_calls = 0;
  Log srv, cli;
  struct mg_connection *lc = Listen(&srv);
  lc->proto_handler = [](struct mg_connection *nc, int ev, void *ev_data) {
    if (ev != MG_EV_POLL) proto_calls++;
    if (ev == MG_EV_RECV) mbuf_append(&nc->recv_mbuf, "!", 1);
    nc->handler(nc, ev, ev_data);
  };
  struct mg_connection *c = Dial(&cli);
  mg_printf(c, "hi");
  ASSERT_TRUE(PollUntil(&mgr_, [&] { return srv.data == "hi!"; }));
  EXPECT_GE(proto_calls, 2);  // ACCEPT and RECV at least
}

TEST_P(PluginAbiTest, RemoveDetachesOnceAndPassesThrough) {
  Log cli;
  Log srv;
  Listen(&srv);
  struct mg_connection *c = Dial(&cli);
  struct mg_layer *l = mg_layer_push(c, &mg_plugin_line);
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(c->proto_handler != nullptr, true);
  mg_layer_remove(c, l);
  mg_layer_remove(c, l);  // harmless: already gone
  EXPECT_EQ(mg_layer_find(c, &mg_plugin_line), nullptr);
  EXPECT_EQ(test_counters.detaches, 1);
  mg_mgr_poll(&mgr_, 0);  // the dead layer is freed here
  EXPECT_EQ(test_counters.attaches, 1);
}

#ifdef __EMSCRIPTEN__
// The browser has no sockets: the in-memory interface only.
INSTANTIATE_TEST_SUITE_P(Transports, PluginAbiTest, ::testing::Values("mem"));
#else
INSTANTIATE_TEST_SUITE_P(Transports, PluginAbiTest,
                         ::testing::Values("tcp", "mem"));
#endif

// ---------------------------------------------------------------------------
// Registration refusals.

int refuse_init(struct mg_mgr *, void *) { return -1; }

const struct mg_plugin kAbiMismatch = {.abi_version = MG_PLUGIN_ABI_VERSION + 1,
                                       .name = "future",
                                       .deps = nullptr,
                                       .ev_first = 0,
                                       .ev_last = 0,
                                       .mgr_state_size = 0,
                                       .conn_state_size = 0,
                                       .init = nullptr,
                                       .free = nullptr,
                                       .attach = nullptr,
                                       .detach = nullptr,
                                       .event = nullptr};
const struct mg_plugin kNameClash = {.abi_version = MG_PLUGIN_ABI_VERSION,
                                     .name = "line",
                                     .deps = nullptr,
                                     .ev_first = 900,
                                     .ev_last = 901,
                                     .mgr_state_size = 0,
                                     .conn_state_size = 0,
                                     .init = nullptr,
                                     .free = nullptr,
                                     .attach = nullptr,
                                     .detach = nullptr,
                                     .event = nullptr};
const struct mg_plugin kRangeClash = {.abi_version = MG_PLUGIN_ABI_VERSION,
                                      .name = "overlap",
                                      .deps = nullptr,
                                      .ev_first = 805,
                                      .ev_last = 812,
                                      .mgr_state_size = 0,
                                      .conn_state_size = 0,
                                      .init = nullptr,
                                      .free = nullptr,
                                      .attach = nullptr,
                                      .detach = nullptr,
                                      .event = nullptr};
const struct mg_plugin kCoreRange = {.abi_version = MG_PLUGIN_ABI_VERSION,
                                     .name = "corey",
                                     .deps = nullptr,
                                     .ev_first = 50,
                                     .ev_last = 60,
                                     .mgr_state_size = 0,
                                     .conn_state_size = 0,
                                     .init = nullptr,
                                     .free = nullptr,
                                     .attach = nullptr,
                                     .detach = nullptr,
                                     .event = nullptr};
const struct mg_plugin kUserRange = {.abi_version = MG_PLUGIN_ABI_VERSION,
                                     .name = "usery",
                                     .deps = nullptr,
                                     .ev_first = 990,
                                     .ev_last = 1005,
                                     .mgr_state_size = 0,
                                     .conn_state_size = 0,
                                     .init = nullptr,
                                     .free = nullptr,
                                     .attach = nullptr,
                                     .detach = nullptr,
                                     .event = nullptr};
const struct mg_plugin kInitFails = {.abi_version = MG_PLUGIN_ABI_VERSION,
                                     .name = "sulky",
                                     .deps = nullptr,
                                     .ev_first = 0,
                                     .ev_last = 0,
                                     .mgr_state_size = 8,
                                     .conn_state_size = 0,
                                     .init = refuse_init,
                                     .free = nullptr,
                                     .attach = nullptr,
                                     .detach = nullptr,
                                     .event = nullptr};
extern const struct mg_plugin kCycleB;
const struct mg_plugin *const kCycleADeps[] = {&kCycleB, nullptr};
const struct mg_plugin kCycleA = {.abi_version = MG_PLUGIN_ABI_VERSION,
                                  .name = "cycle_a",
                                  .deps = kCycleADeps,
                                  .ev_first = 0,
                                  .ev_last = 0,
                                  .mgr_state_size = 0,
                                  .conn_state_size = 0,
                                  .init = nullptr,
                                  .free = nullptr,
                                  .attach = nullptr,
                                  .detach = nullptr,
                                  .event = nullptr};
const struct mg_plugin *const kCycleBDeps[] = {&kCycleA, nullptr};
const struct mg_plugin kCycleB = {.abi_version = MG_PLUGIN_ABI_VERSION,
                                  .name = "cycle_b",
                                  .deps = kCycleBDeps,
                                  .ev_first = 0,
                                  .ev_last = 0,
                                  .mgr_state_size = 0,
                                  .conn_state_size = 0,
                                  .init = nullptr,
                                  .free = nullptr,
                                  .attach = nullptr,
                                  .detach = nullptr,
                                  .event = nullptr};
const struct mg_plugin kOwnPlugin = {.abi_version = MG_PLUGIN_ABI_VERSION,
                                     .name = "own",
                                     .deps = nullptr,
                                     .ev_first = 900,
                                     .ev_last = 909,
                                     .mgr_state_size = 16,
                                     .conn_state_size = 0,
                                     .init = nullptr,
                                     .free = nullptr,
                                     .attach = nullptr,
                                     .detach = nullptr,
                                     .event = nullptr};

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_counters_reset();
    mg_mgr_init(&mgr_, nullptr);
  }
  void TearDown() override { mg_mgr_free(&mgr_); }
  std::string Refusal(const struct mg_plugin *p) {
    const char *err = nullptr;
    EXPECT_EQ(mg_register_plugin(&mgr_, p, &err), -1) << p->name;
    EXPECT_EQ(mg_find_plugin(&mgr_, p->name) == p, false);
    return err ? err : "";
  }
  struct mg_mgr mgr_;
};

TEST_F(RegistryTest, RefusesWithClearErrors) {
  EXPECT_NE(Refusal(&kAbiMismatch).find("ABI"), std::string::npos);
  EXPECT_NE(Refusal(&kNameClash).find("name"), std::string::npos);
  EXPECT_NE(Refusal(&kRangeClash).find("overlaps another"), std::string::npos);
  EXPECT_NE(Refusal(&kCoreRange).find("core"), std::string::npos);
  EXPECT_NE(Refusal(&kUserRange).find("user"), std::string::npos);
  EXPECT_NE(Refusal(&kInitFails).find("init"), std::string::npos);
  EXPECT_NE(Refusal(&kCycleA).find("cycle"), std::string::npos);
}

TEST_F(RegistryTest, DuplicatesAreHarmlessAndOwnPluginsWork) {
  EXPECT_EQ(mg_register_plugin(&mgr_, &mg_plugin_line, nullptr), 0);
  EXPECT_EQ(mg_register_plugin(&mgr_, &mg_plugin_line, nullptr), 0);
  EXPECT_EQ(mg_register_plugin(&mgr_, &kOwnPlugin, nullptr), 0);
  EXPECT_EQ(mg_find_plugin(&mgr_, "own"), &kOwnPlugin);
  EXPECT_EQ(mg_plugin_for_event(&mgr_, 905), &kOwnPlugin);
  EXPECT_EQ(mg_plugin_for_event(&mgr_, TEST_EV_FRAME), &mg_plugin_frame);
  EXPECT_EQ(mg_plugin_for_event(&mgr_, MG_EV_RECV), nullptr);
  EXPECT_EQ(mg_plugin_for_event(&mgr_, 1234), nullptr);
  void *st = mg_plugin_mgr_state(&mgr_, &kOwnPlugin);
  ASSERT_NE(st, nullptr);
  EXPECT_EQ(static_cast<char *>(st)[15], 0);  // zeroed
  EXPECT_EQ(*static_cast<int *>(mg_plugin_mgr_state(&mgr_, &mg_plugin_line)),
            42);
}

TEST(RegistryLifetime, InitAndFreeOncePerManager) {
  test_counters_reset();
  struct mg_mgr a, b;
  mg_mgr_init(&a, nullptr);
  mg_mgr_init(&b, nullptr);
  EXPECT_EQ(test_counters.inits, 8);  // four plugins, two managers
  void *sa = mg_plugin_mgr_state(&a, &mg_plugin_line);
  void *sb = mg_plugin_mgr_state(&b, &mg_plugin_line);
  EXPECT_NE(sa, sb);
  mg_mgr_free(&a);
  EXPECT_EQ(test_counters.frees, 4);
  mg_mgr_free(&b);
  EXPECT_EQ(test_counters.frees, 8);
}

}  // namespace
