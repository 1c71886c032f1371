// Starts the broker example on 127.0.0.1:1883 (exclusive) and runs the
// client example against it: the client subscribes to /stuff, publishes
// there, receives its own message and forwards it to /test, where a
// subscriber of ours sees it.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <string>

#include "mongoose.h"
#include "testing/util/test_util.h"

namespace {

struct Sub {
  int suback = 0;
  std::string got;  // payload received on /test
};

void SubHandler(struct mg_connection *c, int ev, void *ev_data) {
  Sub *s = static_cast<Sub *>(c->user_data);
  struct mg_mqtt_message *mm = static_cast<struct mg_mqtt_message *>(ev_data);
  if (s == nullptr) return;
  if (ev == MG_EV_CONNECT && *static_cast<int *>(ev_data) == 0) {
    mg_set_protocol_mqtt(c);
    mg_send_mqtt_handshake(c, "examples-test");
  } else if (ev == MG_EV_MQTT_CONNACK) {
    struct mg_mqtt_topic_expression te = {"/test", 0};
    mg_mqtt_subscribe(c, &te, 1, 1);
  } else if (ev == MG_EV_MQTT_SUBACK) {
    s->suback = 1;
  } else if (ev == MG_EV_MQTT_PUBLISH) {
    s->got.assign(mm->payload.p, mm->payload.len);
  }
}

TEST(MqttExamples, ClientThroughBroker) {
  pid_t broker = mgtest::Spawn({mgtest::Runfile("examples/mqtt_broker/mqtt_broker")});
  ASSERT_GT(broker, 0);
  int probe = mgtest::ConnectRetry("127.0.0.1", 1883);
  ASSERT_GE(probe, 0) << "the broker example did not listen on 1883";
  close(probe);

  struct mg_mgr mgr;
  mg_mgr_init(&mgr, nullptr);
  Sub sub;
  struct mg_connect_opts o;
  memset(&o, 0, sizeof(o));
  o.user_data = &sub;
  ASSERT_NE(mg_connect_opt(&mgr, "127.0.0.1:1883", SubHandler, o), nullptr);
  ASSERT_TRUE(mgtest::PollUntil(&mgr, [&] { return sub.suback == 1; }));

  pid_t client = mgtest::Spawn(
      {mgtest::Runfile("examples/mqtt_client/mqtt_client"), "127.0.0.1:1883", "1"});
  ASSERT_GT(client, 0);
  ASSERT_TRUE(mgtest::PollUntil(&mgr, [&] { return !sub.got.empty(); }));
  EXPECT_EQ(sub.got, "hello from mongoose");
  int status = -1;
  double deadline = mg_time() + 10;
  while (waitpid(client, &status, WNOHANG) == 0 && mg_time() < deadline) {
    mg_mgr_poll(&mgr, 20);
  }
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  for (struct mg_connection *c = mg_next(&mgr, nullptr); c; c = mg_next(&mgr, c)) {
    c->user_data = nullptr;
  }
  mg_mgr_free(&mgr);
  mgtest::Stop(client);
  int bstatus = mgtest::Stop(broker);
  EXPECT_TRUE(WIFEXITED(bstatus) && WEXITSTATUS(bstatus) == 0) << bstatus;
}

}  // namespace
