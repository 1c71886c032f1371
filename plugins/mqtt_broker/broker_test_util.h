// A broker over the in-memory interface and test clients built on the mqtt
// layer, for the broker's tests. Every wait is bounded (mgtest::PollUntil).
#ifndef MG_PLUGINS_MQTT_BROKER_BROKER_TEST_UTIL_H
#define MG_PLUGINS_MQTT_BROKER_BROKER_TEST_UTIL_H

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "plugins/mqtt/mqtt_test_packets.h"
#include "plugins/mqtt_broker/mqtt_broker.h"
#include "testing/util/test_util.h"

namespace mqtttest {

// A PUBLISH received by a client.
struct Msg {
  std::string topic, payload;
  int qos = 0, retain = 0, dup = 0, id = 0;
};

// One test client; its handler records what arrives.
struct Client {
  struct mg_connection *nc = nullptr;
  std::vector<Msg> msgs;             // PUBLISHes received
  std::vector<int> events;           // MQTT events received
  std::vector<uint8_t> suback;       // granted QoS of the last SUBACK
  std::vector<int> acked;            // ids of PUBACK / PUBCOMP received
  int connack = -1;                  // CONNACK return code
  int session_present = -1;          // CONNACK session-present flag
  int closed = 0;                    // MG_EV_CLOSE seen
  int connected = -1;                // MG_EV_CONNECT status
  int unsubacks = 0, pingresps = 0;  // counts
  bool auto_ack = true;              // answer QoS 1/2 deliveries
  bool raw = false;                  // no mqtt layer: bytes only
};

inline void ClientHandler(struct mg_connection *c, int ev, void *ev_data) {
  Client *cl = static_cast<Client *>(c->user_data);
  if (cl == nullptr) return;
  struct mg_mqtt_message *mm = static_cast<struct mg_mqtt_message *>(ev_data);
  switch (ev) {
    case MG_EV_CONNECT:
      cl->connected = *static_cast<int *>(ev_data);
      break;
    case MG_EV_CLOSE:
      cl->closed++;
      cl->nc = nullptr;
      break;
    case MG_EV_RECV:
      if (cl->raw) mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
      break;
    case MG_EV_MQTT_CONNACK:
      cl->connack = mm->connack_ret_code;
      cl->session_present = mm->session_present;
      break;
    case MG_EV_MQTT_PUBLISH: {
      Msg m;
      m.topic = Str(mm->topic);
      m.payload = Str(mm->payload);
      m.qos = mm->qos;
      m.retain = (mm->flags & MG_MQTT_RETAIN) ? 1 : 0;
      m.dup = (mm->flags & MG_MQTT_DUP) ? 1 : 0;
      m.id = mm->message_id;
      cl->msgs.push_back(m);
      if (cl->auto_ack && mm->qos == 1) mg_mqtt_puback(c, mm->message_id);
      if (cl->auto_ack && mm->qos == 2) mg_mqtt_pubrec(c, mm->message_id);
      break;
    }
    case MG_EV_MQTT_PUBREC:
      mg_mqtt_pubrel(c, mm->message_id);
      break;
    case MG_EV_MQTT_PUBREL:
      if (cl->auto_ack) mg_mqtt_pubcomp(c, mm->message_id);
      break;
    case MG_EV_MQTT_PUBACK:
    case MG_EV_MQTT_PUBCOMP:
      cl->acked.push_back(mm->message_id);
      break;
    case MG_EV_MQTT_SUBACK:
      cl->suback.assign(mm->payload.p, mm->payload.p + mm->payload.len);
      break;
    case MG_EV_MQTT_UNSUBACK:
      cl->unsubacks++;
      break;
    case MG_EV_MQTT_PINGRESP:
      cl->pingresps++;
      break;
    default:
      break;
  }
  if (ev >= MG_EV_MQTT_CONNECT && ev <= MG_EV_MQTT_DISCONNECT) {
    cl->events.push_back(ev);
  }
}

// Application hooks the broker's handler applies.
struct Hooks {
  std::function<uint8_t(struct mg_mqtt_message *)> auth;  // CONNACK code
  std::function<bool(const std::string &, int)> acl;      // allow?
  std::vector<int> events;                                // seen by app
};

inline void BrokerHandler(struct mg_connection *c, int ev, void *ev_data) {
  Hooks *h = static_cast<Hooks *>(c->user_data);
  if (h != nullptr && ev != MG_EV_POLL) h->events.push_back(ev);
  if (h != nullptr && ev == MG_EV_MQTT_BROKER_AUTH && h->auth) {
    struct mg_mqtt_broker_auth *a =
        static_cast<struct mg_mqtt_broker_auth *>(ev_data);
    a->return_code = h->auth(a->msg);
  }
  if (h != nullptr && ev == MG_EV_MQTT_BROKER_ACL && h->acl) {
    struct mg_mqtt_broker_acl *a =
        static_cast<struct mg_mqtt_broker_acl *>(ev_data);
    a->allow = h->acl(Str(a->topic), a->action) ? 1 : 0;
  }
  mg_mqtt_broker(c, ev, ev_data);
}

class BrokerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mg_mgr_init(&mgr_, nullptr);
    mg_mqtt_broker_init(&brk_, nullptr);
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = &hooks_;
    lc_ = mg_bind_opt(&mgr_, "mem://broker", BrokerHandler, o);
    ASSERT_NE(lc_, nullptr);
    // The reference's way: priv_2 and the mqtt layer on the listener.
    lc_->priv_2 = &brk_;
    mg_set_protocol_mqtt(lc_);
  }
  void TearDown() override {
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      if (c->handler == ClientHandler) c->user_data = nullptr;
    }
    mg_mgr_free(&mgr_);
    mg_mqtt_broker_free(&brk_);
  }

  bool Until(const std::function<bool()> &pred, double secs = 5.0) {
    return mgtest::PollUntil(&mgr_, pred, secs);
  }

  // A connection to the broker, not yet sending anything.
  Client *Open(bool raw = false) {
    clients_.emplace_back(new Client);
    Client *cl = clients_.back().get();
    cl->raw = raw;
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = cl;
    cl->nc = mg_connect_opt(&mgr_, "mem://broker", ClientHandler, o);
    EXPECT_NE(cl->nc, nullptr);
    if (!raw) mg_set_protocol_mqtt(cl->nc);
    EXPECT_TRUE(Until([&] { return cl->connected == 0; }));
    return cl;
  }

  // A client that connected (CONNACK received).
  Client *Connect(const std::string &id, int flags = MG_MQTT_CLEAN_SESSION,
                  struct mg_send_mqtt_handshake_opts *extra = nullptr) {
    Client *cl = Open();
    struct mg_send_mqtt_handshake_opts o;
    memset(&o, 0, sizeof(o));
    if (extra != nullptr) o = *extra;
    o.flags |= static_cast<unsigned char>(flags);
    mg_send_mqtt_handshake_opt(cl->nc, id.c_str(), o);
    EXPECT_TRUE(Until([&] { return cl->connack >= 0 || cl->closed; }));
    return cl;
  }

  void Subscribe(Client *cl, const char *filter, int qos) {
    struct mg_mqtt_topic_expression te = {filter, static_cast<uint8_t>(qos)};
    cl->suback.clear();
    mg_mqtt_subscribe(cl->nc, &te, 1, 77);
    ASSERT_TRUE(Until([&] { return !cl->suback.empty(); }));
  }

  void Publish(Client *cl, const char *topic, const std::string &payload,
               int qos = 0, bool retain = false, uint16_t id = 1) {
    mg_mqtt_publish(cl->nc, topic, id,
                    MG_MQTT_QOS(qos) | (retain ? MG_MQTT_RETAIN : 0),
                    payload.data(), payload.size());
  }

  // A PINGREQ round trip: everything sent before it was processed.
  void Sync(Client *cl) {
    int n = cl->pingresps;
    mg_mqtt_ping(cl->nc);
    ASSERT_TRUE(Until([&] { return cl->pingresps > n || cl->closed; }));
  }

  struct mg_mqtt_session *Session(const std::string &id) {
    for (struct mg_mqtt_session *s = mg_mqtt_next(&brk_, nullptr); s;
         s = mg_mqtt_next(&brk_, s)) {
      if (id == s->client_id) return s;
    }
    return nullptr;
  }

  struct mg_mgr mgr_;
  struct mg_mqtt_broker brk_;
  struct mg_connection *lc_ = nullptr;
  Hooks hooks_;
  std::vector<std::unique_ptr<Client>> clients_;
};

}  // namespace mqtttest

#endif  // MG_PLUGINS_MQTT_BROKER_BROKER_TEST_UTIL_H
