/* Accepting a client: its CONNECT on the broker (validation,
 * authentication, session takeover or resumption, the will, CONNACK). */
#include "plugins/mqtt_broker/internal.h"

#define MQTT31_MAX_CLIENT_ID 23

/* CONNACK with code, then close once it is sent. */
static void refuse_connect(struct mg_connection *nc, uint8_t code) {
  mg_mqtt_connack(nc, code);
  nc->flags |= MG_F_SEND_AND_CLOSE;
}

/* Protocol name and level: 0 fine, 1 wrong level, -1 not MQTT at all. */
static int check_protocol(const struct mg_mqtt_message *mm) {
  if (mg_vcmp(&mm->protocol_name, "MQTT") == 0) {
    return mm->protocol_version == 4 ? 0 : 1;
  }
  if (mg_vcmp(&mm->protocol_name, "MQIsdp") == 0) {
    return mm->protocol_version == 3 ? 0 : 1;
  }
  return -1;
}

/* Client id rules: 0 fine, else the CONNACK code. */
static uint8_t check_client_id(const struct mg_mqtt_message *mm) {
  int clean = (mm->connect_flags & MG_MQTT_CLEAN_SESSION) != 0;
  if (mm->protocol_version == 3 &&
      (mm->client_id.len == 0 || mm->client_id.len > MQTT31_MAX_CLIENT_ID)) {
    return MG_EV_MQTT_CONNACK_IDENTIFIER_REJECTED;
  }
  if (mm->client_id.len == 0 && !clean) {
    return MG_EV_MQTT_CONNACK_IDENTIFIER_REJECTED;
  }
  return 0;
}

/* Makes a fresh client id for a client that sent none. */
static void auto_client_id(struct mg_mqtt_broker *brk, char *buf, size_t len) {
  int i;
  for (i = 0; i < 1000; i++) {
    c_snprintf(buf, len, "mg-auto-%lu", ++brk->num_auto_ids);
    if (mg__mqtt_session_find(brk, mg_mk_str(buf)) == NULL) return;
  }
}

/* Asks the application whether to accept; returns the CONNACK code. */
static uint8_t authenticate(struct mg_connection *nc,
                            struct mg_mqtt_message *mm) {
  struct mg_mqtt_broker_auth a;
  a.msg = mm;
  a.return_code = 0;
  mg_call_user(nc, MG_EV_MQTT_BROKER_AUTH, &a);
  if (a.return_code == 0 && (mm->connect_flags & MG_MQTT_HAS_WILL) &&
      !mg__mqtt_acl(nc, NULL, mm->client_id, mm->will_topic,
                    MG_MQTT_ACL_PUBLISH)) {
    return MG_EV_MQTT_CONNACK_NOT_AUTHORIZED;
  }
  return a.return_code;
}

/* Closes the connection currently holding s (session takeover). */
static void take_over(struct mg_mqtt_session *s) {
  struct mg_connection *old = s->nc;
  struct mg__mqtt_bconn *obc = mg__mqtt_bconn(old);
  if (obc != NULL) {
    /* The old connection ends without DISCONNECT: its will goes out. */
    mg__mqtt_send_will(old, obc);
    obc->session = NULL;
  }
  old->priv_2 = s->brk;
  s->nc = NULL;
  mg__mqtt_drop(old);
}

void mg__mqtt_on_connect(struct mg_connection *nc, struct mg__mqtt_bconn *bc,
                         struct mg_mqtt_message *mm) {
  struct mg_mqtt_broker *brk = bc->brk;
  struct mg_mqtt_session *s;
  struct mg_str id = mm->client_id;
  char auto_id[40];
  int proto = check_protocol(mm), clean, present = 0;
  uint8_t code;
  if (proto < 0) {
    mg__mqtt_drop(nc);
    return;
  }
  code =
      proto > 0 ? MG_EV_MQTT_CONNACK_UNACCEPTABLE_VERSION : check_client_id(mm);
  if (code == 0) code = authenticate(nc, mm);
  if (code != 0) {
    refuse_connect(nc, code);
    return;
  }
  clean = (mm->connect_flags & MG_MQTT_CLEAN_SESSION) != 0;
  if (id.len == 0) {
    auto_client_id(brk, auto_id, sizeof(auto_id));
    id = mg_mk_str(auto_id);
  }
  s = mg__mqtt_session_find(brk, id);
  if (s != NULL && s->nc != NULL) take_over(s);
  if (s != NULL && (clean || s->clean_session)) {
    mg__mqtt_session_free(s);
    s = NULL;
  }
  present = s != NULL;
  if (s == NULL && (s = mg__mqtt_session_new(brk, id)) == NULL) {
    refuse_connect(nc, MG_EV_MQTT_CONNACK_SERVER_UNAVAILABLE);
    return;
  }
  s->nc = nc;
  s->clean_session = clean;
  bc->session = s;
  nc->priv_2 = s; /* as in the reference: the handler finds its session */
  bc->connected = 1;
  bc->keep_alive = mm->keep_alive_timer;
  if (mm->connect_flags & MG_MQTT_HAS_WILL) {
    bc->will = mg__mqtt_msg_new(mm->will_topic, mm->will_message,
                                MG_MQTT_GET_WILL_QOS(mm->connect_flags),
                                (mm->connect_flags & MG_MQTT_WILL_RETAIN) != 0);
  }
  mg_mqtt_connack_opt(nc, MG_EV_MQTT_CONNACK_ACCEPTED, present);
  if (present) mg__mqtt_session_resume(s);
}
