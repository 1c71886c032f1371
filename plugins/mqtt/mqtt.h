/*
 * MQTT 3.1.1 (and 3.1, protocol name "MQIsdp"): the packet decoder, the
 * packet builders and the connection layer. mg_set_protocol_mqtt(nc) puts
 * the layer on a connection: it turns received bytes into MG_EV_MQTT_*
 * events (ev_data: struct mg_mqtt_message *), closes the connection on a
 * malformed packet, and sends PINGREQ when the keep-alive given to
 * mg_send_mqtt_handshake_opt() runs out. The broker is in
 * plugins/mqtt_broker.
 */
#ifndef MG_PLUGINS_MQTT_MQTT_H
#define MG_PLUGINS_MQTT_MQTT_H

#include "mg/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Control packet types (the high nibble of the first byte). */
#define MG_MQTT_CMD_CONNECT 1
#define MG_MQTT_CMD_CONNACK 2
#define MG_MQTT_CMD_PUBLISH 3
#define MG_MQTT_CMD_PUBACK 4
#define MG_MQTT_CMD_PUBREC 5
#define MG_MQTT_CMD_PUBREL 6
#define MG_MQTT_CMD_PUBCOMP 7
#define MG_MQTT_CMD_SUBSCRIBE 8
#define MG_MQTT_CMD_SUBACK 9
#define MG_MQTT_CMD_UNSUBSCRIBE 10
#define MG_MQTT_CMD_UNSUBACK 11
#define MG_MQTT_CMD_PINGREQ 12
#define MG_MQTT_CMD_PINGRESP 13
#define MG_MQTT_CMD_DISCONNECT 14

/* Events: the mqtt plugin owns MG_EV_MQTT_FIRST to MG_EV_MQTT_LAST. */
#define MG_EV_MQTT_FIRST 200
#define MG_EV_MQTT_LAST 249

/* One event per control packet received, MG_MQTT_EVENT_BASE + the packet
 * type. ev_data: struct mg_mqtt_message *. */
#define MG_MQTT_EVENT_BASE 200
#define MG_EV_MQTT_CONNECT (MG_MQTT_EVENT_BASE + MG_MQTT_CMD_CONNECT)
#define MG_EV_MQTT_CONNACK (MG_MQTT_EVENT_BASE + MG_MQTT_CMD_CONNACK)
#define MG_EV_MQTT_PUBLISH (MG_MQTT_EVENT_BASE + MG_MQTT_CMD_PUBLISH)
#define MG_EV_MQTT_PUBACK (MG_MQTT_EVENT_BASE + MG_MQTT_CMD_PUBACK)
#define MG_EV_MQTT_PUBREC (MG_MQTT_EVENT_BASE + MG_MQTT_CMD_PUBREC)
#define MG_EV_MQTT_PUBREL (MG_MQTT_EVENT_BASE + MG_MQTT_CMD_PUBREL)
#define MG_EV_MQTT_PUBCOMP (MG_MQTT_EVENT_BASE + MG_MQTT_CMD_PUBCOMP)
#define MG_EV_MQTT_SUBSCRIBE (MG_MQTT_EVENT_BASE + MG_MQTT_CMD_SUBSCRIBE)
#define MG_EV_MQTT_SUBACK (MG_MQTT_EVENT_BASE + MG_MQTT_CMD_SUBACK)
#define MG_EV_MQTT_UNSUBSCRIBE (MG_MQTT_EVENT_BASE + MG_MQTT_CMD_UNSUBSCRIBE)
#define MG_EV_MQTT_UNSUBACK (MG_MQTT_EVENT_BASE + MG_MQTT_CMD_UNSUBACK)
#define MG_EV_MQTT_PINGREQ (MG_MQTT_EVENT_BASE + MG_MQTT_CMD_PINGREQ)
#define MG_EV_MQTT_PINGRESP (MG_MQTT_EVENT_BASE + MG_MQTT_CMD_PINGRESP)
#define MG_EV_MQTT_DISCONNECT (MG_MQTT_EVENT_BASE + MG_MQTT_CMD_DISCONNECT)

/* CONNACK return codes (struct mg_mqtt_message::connack_ret_code). */
#define MG_EV_MQTT_CONNACK_ACCEPTED 0
#define MG_EV_MQTT_CONNACK_UNACCEPTABLE_VERSION 1
#define MG_EV_MQTT_CONNACK_IDENTIFIER_REJECTED 2
#define MG_EV_MQTT_CONNACK_SERVER_UNAVAILABLE 3
#define MG_EV_MQTT_CONNACK_BAD_AUTH 4
#define MG_EV_MQTT_CONNACK_NOT_AUTHORIZED 5

/* PUBLISH flags (mg_mqtt_publish()'s `flags`, the fixed header's low
 * nibble): MG_MQTT_QOS(1) | MG_MQTT_RETAIN. */
#define MG_MQTT_RETAIN 0x1
#define MG_MQTT_DUP 0x8
#define MG_MQTT_QOS(qos) ((qos) << 1)
#define MG_MQTT_GET_QOS(flags) (((flags) &0x6) >> 1)
#define MG_MQTT_SET_QOS(flags, qos) (flags) = ((flags) & ~0x6) | ((qos) << 1)

/* CONNECT flags (struct mg_send_mqtt_handshake_opts::flags). */
#define MG_MQTT_CLEAN_SESSION 0x02
#define MG_MQTT_HAS_WILL 0x04
#define MG_MQTT_WILL_RETAIN 0x20
#define MG_MQTT_HAS_PASSWORD 0x40
#define MG_MQTT_HAS_USER_NAME 0x80
#define MG_MQTT_GET_WILL_QOS(flags) (((flags) &0x18) >> 3)
#define MG_MQTT_SET_WILL_QOS(flags, qos) \
  (flags) = ((flags) & ~0x18) | ((qos) << 3)

/* The largest packet the layer accepts (fixed header included); a peer
 * announcing a bigger one is disconnected. */
#ifndef MG_MQTT_MAX_PACKET_SIZE
#define MG_MQTT_MAX_PACKET_SIZE (8 * 1024 * 1024)
#endif

/* The most topic filters one SUBSCRIBE or UNSUBSCRIBE may carry; more is
 * treated as malformed. */
#ifndef MG_MQTT_MAX_TOPICS_PER_SUBSCRIBE
#define MG_MQTT_MAX_TOPICS_PER_SUBSCRIBE 256
#endif

/* A decoded control packet. The slices point into the received bytes and
 * are valid during the event only. */
struct mg_mqtt_message {
  int cmd;               /* MG_MQTT_CMD_* */
  int qos;               /* PUBLISH QoS (0-2) */
  int len;               /* length of the whole packet in the input */
  struct mg_str topic;   /* PUBLISH topic */
  struct mg_str payload; /* PUBLISH payload; SUBSCRIBE/UNSUBSCRIBE/SUBACK:
                            the bytes after the packet identifier */

  uint8_t connack_ret_code; /* CONNACK return code */
  uint16_t message_id;      /* packet identifier, 0 if none */

  /* CONNECT */
  uint8_t protocol_version;    /* protocol level: 4 (3.1.1) or 3 (3.1) */
  uint8_t connect_flags;       /* MG_MQTT_CLEAN_SESSION, MG_MQTT_HAS_* ... */
  uint16_t keep_alive_timer;   /* keep-alive in seconds, 0: none */
  struct mg_str protocol_name; /* "MQTT" or "MQIsdp" */
  struct mg_str client_id;     /* may be empty */
  struct mg_str will_topic;    /* if MG_MQTT_HAS_WILL */
  struct mg_str will_message;  /* if MG_MQTT_HAS_WILL */
  struct mg_str user_name;     /* if MG_MQTT_HAS_USER_NAME */
  struct mg_str password;      /* if MG_MQTT_HAS_PASSWORD */

  /* Added by this implementation. */
  uint8_t flags;           /* fixed header low nibble: DUP, QoS, RETAIN */
  uint8_t session_present; /* CONNACK session-present flag */
};

/* A topic filter and its QoS, as given to mg_mqtt_subscribe(). */
struct mg_mqtt_topic_expression {
  const char *topic; /* NUL-terminated filter */
  uint8_t qos;       /* requested QoS */
};

/* Optional parts of a CONNECT (mg_send_mqtt_handshake_opt()). A NULL
 * user_name, password or will leaves the field out; when given, the
 * matching MG_MQTT_HAS_* flag is set automatically. */
struct mg_send_mqtt_handshake_opts {
  unsigned char flags;      /* connect flags: MG_MQTT_CLEAN_SESSION, will
                               QoS (MG_MQTT_SET_WILL_QOS), MG_MQTT_WILL_RETAIN */
  uint16_t keep_alive;      /* seconds; 0 means the default, 60 */
  const char *will_topic;   /* will topic, or NULL */
  const char *will_message; /* will payload, or NULL */
  const char *user_name;    /* or NULL */
  const char *password;     /* or NULL */
};

/* Keep-alive bookkeeping of an MQTT connection, at nc->proto_data (owned
 * by the layer: no destructor is set). */
struct mg_mqtt_proto_data {
  uint16_t keep_alive;      /* seconds; 0: no PINGREQ is sent */
  double last_control_time; /* mg_mgr_time() of the last packet sent */
};

/* --- The connection layer --- */

/* Attaches the MQTT layer to nc (client, or a listener whose accepted
 * connections then speak MQTT). Events above: every core event, then
 * MG_EV_MQTT_<PACKET> for each packet received. */
void mg_set_protocol_mqtt(struct mg_connection *nc);

/* --- Sending (each appends one packet to nc's send buffer) --- */

/* CONNECT with a client id (may be "") and default options. */
void mg_send_mqtt_handshake(struct mg_connection *nc, const char *client_id);

/* CONNECT with options; protocol "MQTT" level 4. Also arms the layer's
 * keep-alive (PINGREQ after opts.keep_alive seconds without sending). */
void mg_send_mqtt_handshake_opt(struct mg_connection *nc, const char *client_id,
                                struct mg_send_mqtt_handshake_opts opts);

/* PUBLISH. flags: MG_MQTT_QOS(n) | MG_MQTT_RETAIN | MG_MQTT_DUP; message_id
 * is sent only for QoS 1 and 2. */
void mg_mqtt_publish(struct mg_connection *nc, const char *topic,
                     uint16_t message_id, int flags, const void *data,
                     size_t len);

/* SUBSCRIBE to topics_len filters. */
void mg_mqtt_subscribe(struct mg_connection *nc,
                       const struct mg_mqtt_topic_expression *topics,
                       size_t topics_len, uint16_t message_id);

/* UNSUBSCRIBE from topics_len filters. */
void mg_mqtt_unsubscribe(struct mg_connection *nc, char **topics,
                         size_t topics_len, uint16_t message_id);

/* DISCONNECT. */
void mg_mqtt_disconnect(struct mg_connection *nc);

/* CONNACK with return_code (session present: 0). */
void mg_mqtt_connack(struct mg_connection *nc, uint8_t return_code);

/* CONNACK with return_code and the session-present flag (3.1.1). */
void mg_mqtt_connack_opt(struct mg_connection *nc, uint8_t return_code,
                         int session_present);

/* PUBACK, PUBREC, PUBREL, PUBCOMP for message_id. */
void mg_mqtt_puback(struct mg_connection *nc, uint16_t message_id);
void mg_mqtt_pubrec(struct mg_connection *nc, uint16_t message_id);
void mg_mqtt_pubrel(struct mg_connection *nc, uint16_t message_id);
void mg_mqtt_pubcomp(struct mg_connection *nc, uint16_t message_id);

/* SUBACK with qoss_len granted QoS values (0x80: failure). */
void mg_mqtt_suback(struct mg_connection *nc, uint8_t *qoss, size_t qoss_len,
                    uint16_t message_id);

/* UNSUBACK. */
void mg_mqtt_unsuback(struct mg_connection *nc, uint16_t message_id);

/* PINGREQ and PINGRESP. */
void mg_mqtt_ping(struct mg_connection *nc);
void mg_mqtt_pong(struct mg_connection *nc);

/* --- Decoding (pure functions of bytes) --- */

/* Decodes the packet at the start of buf[0..len). Returns its length
 * (>= 2) and fills *mm; 0 if more bytes are needed; -1 if malformed (see
 * docs in decode.c: bad Remaining Length, wrong fixed-header flags, fields
 * past the end or bytes after them, bad UTF-8, wildcards in a PUBLISH
 * topic, empty or over-long filter lists...). */
int mg_mqtt_parse(const void *buf, size_t len, struct mg_mqtt_message *mm);

/* Decodes only the fixed header. Returns its length (2-5) with *type_flags
 * (the first byte) and *remaining set; 0 if incomplete; -1 if the
 * Remaining Length is malformed. */
int mg_mqtt_parse_header(const void *buf, size_t len, uint8_t *type_flags,
                         size_t *remaining);

/* The next filter of a SUBSCRIBE message, from byte pos of its payload
 * (start with 0). Returns the position after it, or -1 when none is left. */
int mg_mqtt_next_subscribe_topic(struct mg_mqtt_message *msg,
                                 struct mg_str *topic, uint8_t *qos, int pos);

/* The next filter of an UNSUBSCRIBE message, likewise. */
int mg_mqtt_next_unsubscribe_topic(struct mg_mqtt_message *msg,
                                   struct mg_str *topic, int pos);

/* --- Topics --- */

/* 1 if topic matches the filter exp ('+' one level, '#' the rest; a
 * leading wildcard does not match a topic starting with '$'), else 0. */
int mg_mqtt_match_topic_expression(struct mg_str exp, struct mg_str topic);

/* mg_mqtt_match_topic_expression() with a NUL-terminated exp. */
int mg_mqtt_vmatch_topic_expression(const char *exp, struct mg_str topic);

/* 1 if s is well-formed UTF-8 without U+0000 or surrogates, else 0. */
int mg_mqtt_valid_utf8(struct mg_str s);

/* 1 if s is a valid PUBLISH topic (non-empty UTF-8 without wildcards). */
int mg_mqtt_valid_topic(struct mg_str s);

/* 1 if s is a valid topic filter ('+' and '#' only as whole levels, '#'
 * last), else 0. */
int mg_mqtt_valid_filter(struct mg_str s);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_MQTT_MQTT_H */
