/* Building control packets into a connection's send buffer. */
#include "plugins/mqtt/internal.h"

void mg__mqtt_send_header(struct mg_connection *nc, uint8_t first,
                          size_t remaining) {
  uint8_t buf[5];
  size_t rest = remaining;
  int n = 0;
  buf[n++] = first;
  do {
    uint8_t b = (uint8_t) (rest & 0x7f);
    rest >>= 7;
    if (rest > 0) b |= 0x80;
    buf[n++] = b;
  } while (rest > 0 && n < 5);
  mg__mqtt_frame(nc, (size_t) n + remaining);
  mg_send(nc, buf, n);
}

void mg__mqtt_send_u16(struct mg_connection *nc, uint16_t v) {
  uint8_t buf[2];
  buf[0] = (uint8_t) (v >> 8);
  buf[1] = (uint8_t) (v & 0xff);
  mg_send(nc, buf, 2);
}

void mg__mqtt_send_str(struct mg_connection *nc, struct mg_str s) {
  mg__mqtt_send_u16(nc, (uint16_t) s.len);
  mg_send(nc, s.p, (int) s.len);
}

/* A packet that is a header and a packet identifier. */
static void send_id_packet(struct mg_connection *nc, uint8_t first,
                           uint16_t id) {
  mg__mqtt_send_header(nc, first, 2);
  mg__mqtt_send_u16(nc, id);
  mg__mqtt_sent(nc);
}

/* A packet that is a header alone. */
static void send_empty_packet(struct mg_connection *nc, uint8_t first) {
  mg__mqtt_send_header(nc, first, 0);
  mg__mqtt_sent(nc);
}

void mg_mqtt_publish(struct mg_connection *nc, const char *topic,
                     uint16_t message_id, int flags, const void *data,
                     size_t len) {
  struct mg_str t = mg_mk_str(topic);
  int qos = MG_MQTT_GET_QOS(flags);
  size_t rem = 2 + t.len + (qos > 0 ? 2 : 0) + len;
  mg__mqtt_send_header(
      nc, (uint8_t) ((MG_MQTT_CMD_PUBLISH << 4) | (flags & 0x0f)), rem);
  mg__mqtt_send_str(nc, t);
  if (qos > 0) mg__mqtt_send_u16(nc, message_id);
  mg_send(nc, data, (int) len);
  mg__mqtt_sent(nc);
}

void mg_mqtt_subscribe(struct mg_connection *nc,
                       const struct mg_mqtt_topic_expression *topics,
                       size_t topics_len, uint16_t message_id) {
  size_t i, rem = 2;
  for (i = 0; i < topics_len; i++) rem += 3 + strlen(topics[i].topic);
  mg__mqtt_send_header(nc, (MG_MQTT_CMD_SUBSCRIBE << 4) | 2, rem);
  mg__mqtt_send_u16(nc, message_id);
  for (i = 0; i < topics_len; i++) {
    mg__mqtt_send_str(nc, mg_mk_str(topics[i].topic));
    mg_send(nc, &topics[i].qos, 1);
  }
  mg__mqtt_sent(nc);
}

void mg_mqtt_unsubscribe(struct mg_connection *nc, char **topics,
                         size_t topics_len, uint16_t message_id) {
  size_t i, rem = 2;
  for (i = 0; i < topics_len; i++) rem += 2 + strlen(topics[i]);
  mg__mqtt_send_header(nc, (MG_MQTT_CMD_UNSUBSCRIBE << 4) | 2, rem);
  mg__mqtt_send_u16(nc, message_id);
  for (i = 0; i < topics_len; i++) mg__mqtt_send_str(nc, mg_mk_str(topics[i]));
  mg__mqtt_sent(nc);
}

void mg_mqtt_connack_opt(struct mg_connection *nc, uint8_t return_code,
                         int session_present) {
  uint8_t body[2];
  body[0] = session_present ? 1 : 0;
  body[1] = return_code;
  mg__mqtt_send_header(nc, MG_MQTT_CMD_CONNACK << 4, 2);
  mg_send(nc, body, 2);
  mg__mqtt_sent(nc);
}

void mg_mqtt_connack(struct mg_connection *nc, uint8_t return_code) {
  mg_mqtt_connack_opt(nc, return_code, 0);
}

void mg_mqtt_puback(struct mg_connection *nc, uint16_t message_id) {
  send_id_packet(nc, MG_MQTT_CMD_PUBACK << 4, message_id);
}

void mg_mqtt_pubrec(struct mg_connection *nc, uint16_t message_id) {
  send_id_packet(nc, MG_MQTT_CMD_PUBREC << 4, message_id);
}

void mg_mqtt_pubrel(struct mg_connection *nc, uint16_t message_id) {
  send_id_packet(nc, (MG_MQTT_CMD_PUBREL << 4) | 2, message_id);
}

void mg_mqtt_pubcomp(struct mg_connection *nc, uint16_t message_id) {
  send_id_packet(nc, MG_MQTT_CMD_PUBCOMP << 4, message_id);
}

void mg_mqtt_unsuback(struct mg_connection *nc, uint16_t message_id) {
  send_id_packet(nc, MG_MQTT_CMD_UNSUBACK << 4, message_id);
}

void mg_mqtt_suback(struct mg_connection *nc, uint8_t *qoss, size_t qoss_len,
                    uint16_t message_id) {
  mg__mqtt_send_header(nc, MG_MQTT_CMD_SUBACK << 4, 2 + qoss_len);
  mg__mqtt_send_u16(nc, message_id);
  mg_send(nc, qoss, (int) qoss_len);
  mg__mqtt_sent(nc);
}

void mg_mqtt_ping(struct mg_connection *nc) {
  send_empty_packet(nc, MG_MQTT_CMD_PINGREQ << 4);
}

void mg_mqtt_pong(struct mg_connection *nc) {
  send_empty_packet(nc, MG_MQTT_CMD_PINGRESP << 4);
}

void mg_mqtt_disconnect(struct mg_connection *nc) {
  send_empty_packet(nc, MG_MQTT_CMD_DISCONNECT << 4);
}
