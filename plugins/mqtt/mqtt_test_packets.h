// MQTT packets built byte by byte, for tests that feed the decoder, the
// broker or a WebSocket peer raw bytes: one copy for mqtt, mqtt_broker and
// mqtt_ws (target //plugins/mqtt:mqtt_test_packets, testonly).
#ifndef MG_PLUGINS_MQTT_MQTT_TEST_PACKETS_H
#define MG_PLUGINS_MQTT_MQTT_TEST_PACKETS_H

#include <initializer_list>
#include <string>

#include "plugins/mqtt/mqtt.h"

namespace mqtttest {

// The bytes of s (empty for a NULL slice).
inline std::string Str(struct mg_str s) {
  return std::string(s.p ? s.p : "", s.len);
}

// Bytes from a list of ints.
inline std::string B(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

// A length-prefixed string.
inline std::string S(const std::string &s) {
  return B({static_cast<int>(s.size() >> 8),
            static_cast<int>(s.size() & 0xff)}) +
         s;
}

// A packet: first byte, Remaining Length, body.
inline std::string P(int first, const std::string &body) {
  std::string s(1, static_cast<char>(first));
  size_t n = body.size();
  do {
    int b = n & 0x7f;
    n >>= 7;
    if (n) b |= 0x80;
    s.push_back(static_cast<char>(b));
  } while (n);
  return s + body;
}

// A CONNECT: flags, keep-alive, client id, then the rest of the payload.
inline std::string ConnectPacket(int flags, int keep_alive,
                                 const std::string &id,
                                 const std::string &rest = "",
                                 const std::string &proto = "MQTT",
                                 int level = 4) {
  return P(0x10, S(proto) +
                     B({level, flags, keep_alive >> 8, keep_alive & 0xff}) +
                     S(id) + rest);
}

// A SUBSCRIBE of one filter.
inline std::string SubscribePacket(int id, const std::string &filter, int qos) {
  return P(0x82, B({id >> 8, id & 0xff}) + S(filter) + B({qos}));
}

// A PUBLISH (the packet id only when qos > 0).
inline std::string PublishPacket(const std::string &topic,
                                 const std::string &payload, int qos = 0,
                                 int id = 0) {
  std::string idb = qos > 0 ? B({id >> 8, id & 0xff}) : "";
  return P(0x30 | (qos << 1), S(topic) + idb + payload);
}

}  // namespace mqtttest

#endif  // MG_PLUGINS_MQTT_MQTT_TEST_PACKETS_H
