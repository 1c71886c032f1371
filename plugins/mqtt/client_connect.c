/* The client's CONNECT packet. */
#include "plugins/mqtt/internal.h"

#define DEFAULT_KEEP_ALIVE 60

/* The connect flags actually sent, from the options' flags and fields. */
static uint8_t connect_flags(const struct mg_send_mqtt_handshake_opts *o) {
  uint8_t f = o->flags & (MG_MQTT_CLEAN_SESSION | MG_MQTT_WILL_RETAIN | 0x18);
  if (o->will_topic != NULL && o->will_message != NULL) {
    f |= MG_MQTT_HAS_WILL;
  } else {
    f &= (uint8_t) ~(MG_MQTT_WILL_RETAIN | 0x18);
  }
  /* 3.1.1 has no password without a user name: send an empty one. */
  if (o->user_name != NULL || o->password != NULL) f |= MG_MQTT_HAS_USER_NAME;
  if (o->password != NULL) f |= MG_MQTT_HAS_PASSWORD;
  return f;
}

void mg_send_mqtt_handshake_opt(struct mg_connection *nc, const char *client_id,
                                struct mg_send_mqtt_handshake_opts opts) {
  static const char proto[] = "MQTT";
  uint8_t f = connect_flags(&opts), fixed[2];
  struct mg_str id = mg_mk_str(client_id), wt = mg_mk_str(opts.will_topic),
                wm = mg_mk_str(opts.will_message),
                user = mg_mk_str(opts.user_name),
                pass = mg_mk_str(opts.password);
  size_t rem = 2 + 4 + 1 + 1 + 2 + 2 + id.len;
  struct mg_mqtt_proto_data *pd;
  if (opts.keep_alive == 0) opts.keep_alive = DEFAULT_KEEP_ALIVE;
  if (f & MG_MQTT_HAS_WILL) rem += 4 + wt.len + wm.len;
  if (f & MG_MQTT_HAS_USER_NAME) rem += 2 + user.len;
  if (f & MG_MQTT_HAS_PASSWORD) rem += 2 + pass.len;
  mg__mqtt_send_header(nc, MG_MQTT_CMD_CONNECT << 4, rem);
  mg__mqtt_send_str(nc, mg_mk_str_n(proto, 4));
  fixed[0] = 4; /* protocol level: 3.1.1 */
  fixed[1] = f;
  mg_send(nc, fixed, 2);
  mg__mqtt_send_u16(nc, opts.keep_alive);
  mg__mqtt_send_str(nc, id);
  if (f & MG_MQTT_HAS_WILL) {
    mg__mqtt_send_str(nc, wt);
    mg__mqtt_send_str(nc, wm);
  }
  if (f & MG_MQTT_HAS_USER_NAME) mg__mqtt_send_str(nc, user);
  if (f & MG_MQTT_HAS_PASSWORD) mg__mqtt_send_str(nc, pass);
  mg__mqtt_sent(nc);
  pd = mg__mqtt_proto_data(nc);
  if (pd != NULL) pd->keep_alive = opts.keep_alive;
}

void mg_send_mqtt_handshake(struct mg_connection *nc, const char *client_id) {
  struct mg_send_mqtt_handshake_opts opts;
  memset(&opts, 0, sizeof(opts));
  mg_send_mqtt_handshake_opt(nc, client_id, opts);
}
