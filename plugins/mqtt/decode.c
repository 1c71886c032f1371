/*
 * The MQTT packet decoder: a pure function of bytes (no connection, no
 * allocation). A packet is malformed (-1) when, per MQTT 3.1.1:
 * - the Remaining Length needs a fifth byte;
 * - the packet type is 0 or 15, or the fixed-header flags are not the
 *   required ones (0010 for PUBREL, SUBSCRIBE, UNSUBSCRIBE; 0000 for the
 *   others but PUBLISH), or a PUBLISH has QoS 3;
 * - a field runs past the end of the packet, or bytes follow the last one;
 * - CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK are not exactly 2
 *   bytes, PINGREQ, PINGRESP, DISCONNECT not empty, SUBACK shorter than 3;
 * - CONNECT flags are inconsistent (reserved bit, will QoS/retain without
 *   a will, will QoS 3, password without user name) or a field they
 *   announce is missing;
 * - a PUBLISH topic is empty, not UTF-8 or has a wildcard, or a QoS > 0
 *   PUBLISH has packet identifier 0;
 * - a SUBSCRIBE / UNSUBSCRIBE has no filter, more than
 *   MG_MQTT_MAX_TOPICS_PER_SUBSCRIBE, an invalid filter, or a requested QoS
 *   byte other than 0, 1, 2.
 */
#include "plugins/mqtt/internal.h"

/* A bounded reader over a packet's variable part. */
struct reader {
  const uint8_t *p;   /* next byte */
  const uint8_t *end; /* one past the last byte */
  int bad;            /* set when a read ran past end */
};

static uint8_t read_u8(struct reader *r) {
  if (r->bad || r->p >= r->end) {
    r->bad = 1;
    return 0;
  }
  return *r->p++;
}

static uint16_t read_u16(struct reader *r) {
  uint16_t hi = read_u8(r);
  uint16_t lo = read_u8(r);
  return (uint16_t) ((hi << 8) | lo);
}

/* A two-byte length followed by that many bytes. */
static struct mg_str read_str(struct reader *r) {
  struct mg_str s = {NULL, 0};
  size_t n = read_u16(r);
  if (r->bad || (size_t) (r->end - r->p) < n) {
    r->bad = 1;
    return s;
  }
  s.p = (const char *) r->p;
  s.len = n;
  r->p += n;
  return s;
}

static size_t left(const struct reader *r) { return (size_t) (r->end - r->p); }

int mg_mqtt_parse_header(const void *buf, size_t len, uint8_t *type_flags,
                         size_t *remaining) {
  const uint8_t *p = (const uint8_t *) buf;
  size_t value = 0, i;
  if (len < 2) return 0;
  for (i = 1; i <= 4; i++) {
    if (i >= len) return 0;
    value |= (size_t) (p[i] & 0x7f) << (7 * (i - 1));
    if ((p[i] & 0x80) == 0) {
      *type_flags = p[0];
      *remaining = value;
      return (int) i + 1;
    }
  }
  return -1; /* a fifth length byte */
}

/* The fixed-header flags a packet type requires, or -1 for "any". */
static int required_flags(int cmd) {
  switch (cmd) {
    case MG_MQTT_CMD_PUBLISH:
      return -1;
    case MG_MQTT_CMD_PUBREL:
    case MG_MQTT_CMD_SUBSCRIBE:
    case MG_MQTT_CMD_UNSUBSCRIBE:
      return 2;
    default:
      return 0;
  }
}

static int parse_connect(struct reader *r, struct mg_mqtt_message *mm) {
  uint8_t f;
  mm->protocol_name = read_str(r);
  mm->protocol_version = read_u8(r);
  f = mm->connect_flags = read_u8(r);
  mm->keep_alive_timer = read_u16(r);
  if (r->bad || (f & 0x01)) return -1;
  if (!(f & MG_MQTT_HAS_WILL) && (f & (0x18 | MG_MQTT_WILL_RETAIN))) return -1;
  if (MG_MQTT_GET_WILL_QOS(f) == 3) return -1;
  if ((f & MG_MQTT_HAS_PASSWORD) && !(f & MG_MQTT_HAS_USER_NAME)) return -1;
  mm->client_id = read_str(r);
  if (f & MG_MQTT_HAS_WILL) {
    mm->will_topic = read_str(r);
    mm->will_message = read_str(r);
    if (!r->bad && !mg_mqtt_valid_topic(mm->will_topic)) return -1;
  }
  if (f & MG_MQTT_HAS_USER_NAME) mm->user_name = read_str(r);
  if (f & MG_MQTT_HAS_PASSWORD) mm->password = read_str(r);
  if (r->bad || left(r) != 0) return -1;
  if (!mg_mqtt_valid_utf8(mm->protocol_name) ||
      !mg_mqtt_valid_utf8(mm->client_id) ||
      !mg_mqtt_valid_utf8(mm->user_name)) {
    return -1;
  }
  return 0;
}

static int parse_publish(struct reader *r, struct mg_mqtt_message *mm) {
  mm->topic = read_str(r);
  if (mm->qos > 0) mm->message_id = read_u16(r);
  if (r->bad || !mg_mqtt_valid_topic(mm->topic)) return -1;
  if (mm->qos > 0 && mm->message_id == 0) return -1;
  mm->payload.p = (const char *) r->p;
  mm->payload.len = left(r);
  return 0;
}

/* SUBSCRIBE (with_qos) or UNSUBSCRIBE: the filter list after the id. */
static int parse_filters(struct reader *r, struct mg_mqtt_message *mm,
                         int with_qos) {
  int n = 0;
  mm->message_id = read_u16(r);
  if (r->bad || mm->message_id == 0) return -1;
  mm->payload.p = (const char *) r->p;
  mm->payload.len = left(r);
  while (left(r) > 0) {
    struct mg_str f = read_str(r);
    if (with_qos && read_u8(r) > 2) return -1;
    if (r->bad || !mg_mqtt_valid_filter(f)) return -1;
    if (++n > MG_MQTT_MAX_TOPICS_PER_SUBSCRIBE) return -1;
  }
  return n == 0 ? -1 : 0;
}

static int parse_body(struct reader *r, struct mg_mqtt_message *mm) {
  size_t n = left(r);
  switch (mm->cmd) {
    case MG_MQTT_CMD_CONNECT:
      return parse_connect(r, mm);
    case MG_MQTT_CMD_CONNACK:
      if (n != 2) return -1;
      mm->session_present = read_u8(r) & 1;
      mm->connack_ret_code = read_u8(r);
      return 0;
    case MG_MQTT_CMD_PUBLISH:
      return parse_publish(r, mm);
    case MG_MQTT_CMD_PUBACK:
    case MG_MQTT_CMD_PUBREC:
    case MG_MQTT_CMD_PUBREL:
    case MG_MQTT_CMD_PUBCOMP:
    case MG_MQTT_CMD_UNSUBACK:
      if (n != 2) return -1;
      mm->message_id = read_u16(r);
      return 0;
    case MG_MQTT_CMD_SUBACK:
      if (n < 3) return -1;
      mm->message_id = read_u16(r);
      mm->payload.p = (const char *) r->p;
      mm->payload.len = left(r);
      return 0;
    case MG_MQTT_CMD_SUBSCRIBE:
      return parse_filters(r, mm, 1);
    case MG_MQTT_CMD_UNSUBSCRIBE:
      return parse_filters(r, mm, 0);
    case MG_MQTT_CMD_PINGREQ:
    case MG_MQTT_CMD_PINGRESP:
    case MG_MQTT_CMD_DISCONNECT:
      return n == 0 ? 0 : -1;
    default:
      return -1;
  }
}

int mg_mqtt_parse(const void *buf, size_t len, struct mg_mqtt_message *mm) {
  uint8_t first = 0;
  size_t remaining = 0;
  int hlen = mg_mqtt_parse_header(buf, len, &first, &remaining);
  int req;
  struct reader r;
  memset(mm, 0, sizeof(*mm));
  if (hlen <= 0) return hlen;
  mm->cmd = first >> 4;
  mm->flags = first & 0x0f;
  req = required_flags(mm->cmd);
  if (req >= 0 && mm->flags != req) return -1;
  mm->qos = MG_MQTT_GET_QOS(mm->flags);
  if (mm->qos == 3) return -1;
  if (remaining > len - (size_t) hlen) {
    memset(mm, 0, sizeof(*mm));
    return 0;
  }
  mm->len = hlen + (int) remaining;
  r.p = (const uint8_t *) buf + hlen;
  r.end = r.p + remaining;
  r.bad = 0;
  return parse_body(&r, mm) == 0 ? mm->len : -1;
}

/* Reads the filter at pos of msg's filter list. */
static int next_filter(const struct mg_mqtt_message *msg, struct mg_str *topic,
                       uint8_t *qos, int pos) {
  struct reader r;
  if (pos < 0 || (size_t) pos >= msg->payload.len) return -1;
  r.p = (const uint8_t *) msg->payload.p + pos;
  r.end = (const uint8_t *) msg->payload.p + msg->payload.len;
  r.bad = 0;
  *topic = read_str(&r);
  if (qos != NULL) *qos = read_u8(&r);
  if (r.bad) return -1;
  return (int) (r.p - (const uint8_t *) msg->payload.p);
}

int mg_mqtt_next_subscribe_topic(struct mg_mqtt_message *msg,
                                 struct mg_str *topic, uint8_t *qos, int pos) {
  uint8_t q = 0;
  int next = next_filter(msg, topic, &q, pos);
  if (next > 0 && qos != NULL) *qos = q;
  return next;
}

int mg_mqtt_next_unsubscribe_topic(struct mg_mqtt_message *msg,
                                   struct mg_str *topic, int pos) {
  return next_filter(msg, topic, NULL, pos);
}
