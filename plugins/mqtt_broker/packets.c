/* The broker's answers to a connected client's packets: PUBLISH with the
 * QoS 1/2 flows, acknowledgements of our deliveries, SUBSCRIBE,
 * UNSUBSCRIBE, PINGREQ, DISCONNECT; and the end of a connection. */
#include "plugins/mqtt_broker/internal.h"

void mg__mqtt_drop(struct mg_connection *nc) {
  nc->flags |= MG_F_CLOSE_IMMEDIATELY;
}

int mg__mqtt_acl(struct mg_connection *nc, struct mg_mqtt_session *s,
                 struct mg_str client_id, struct mg_str topic, int action) {
  struct mg_mqtt_broker_acl a;
  a.session = s;
  a.client_id = client_id;
  a.topic = topic;
  a.action = action;
  a.allow = 1;
  mg_call_user(nc, MG_EV_MQTT_BROKER_ACL, &a);
  return a.allow != 0;
}

static int allowed(struct mg_connection *nc, struct mg_mqtt_session *s,
                   struct mg_str topic, int action) {
  return mg__mqtt_acl(nc, s, mg_mk_str(s->client_id), topic, action);
}

static void on_publish(struct mg_connection *nc, struct mg__mqtt_bconn *bc,
                       struct mg_mqtt_message *mm) {
  struct mg_mqtt_session *s = bc->session;
  int retain = (mm->flags & MG_MQTT_RETAIN) != 0;
  if (mm->qos == 2 && mg__mqtt_session_incoming_has(s, mm->message_id)) {
    mg_mqtt_pubrec(nc, mm->message_id); /* a duplicate: not forwarded */
    return;
  }
  if (allowed(nc, s, mm->topic, MG_MQTT_ACL_PUBLISH)) {
    struct mg__mqtt_msg *m =
        mg__mqtt_msg_new(mm->topic, mm->payload, mm->qos, retain);
    if (m != NULL) {
      mg__mqtt_publish_msg(bc->brk, m);
      mg__mqtt_msg_unref(m);
    }
  }
  if (mm->qos == 1) {
    mg_mqtt_puback(nc, mm->message_id);
  } else if (mm->qos == 2) {
    if (mg__mqtt_session_incoming_add(s, mm->message_id) != 0) {
      mg__mqtt_drop(nc);
      return;
    }
    mg_mqtt_pubrec(nc, mm->message_id);
  }
}

static void on_subscribe(struct mg_connection *nc, struct mg__mqtt_bconn *bc,
                         struct mg_mqtt_message *mm) {
  struct mg_mqtt_session *s = bc->session;
  uint8_t granted[MG_MQTT_MAX_TOPICS_PER_SUBSCRIBE];
  struct mg_str filter;
  uint8_t qos;
  size_t n = 0, i;
  int pos = 0;
  while (n < sizeof(granted) &&
         (pos = mg_mqtt_next_subscribe_topic(mm, &filter, &qos, pos)) > 0) {
    granted[n++] = allowed(nc, s, filter, MG_MQTT_ACL_SUBSCRIBE)
                       ? (uint8_t) mg__mqtt_session_subscribe(s, filter, qos)
                       : 0x80;
  }
  mg_mqtt_suback(nc, granted, n, mm->message_id);
  /* Then the retained messages of each accepted filter. */
  for (i = 0, pos = 0; i < n; i++) {
    pos = mg_mqtt_next_subscribe_topic(mm, &filter, &qos, pos);
    if (pos < 0) break;
    if (granted[i] != 0x80) mg__mqtt_retained_deliver(s, filter, granted[i]);
  }
}

static void on_unsubscribe(struct mg_connection *nc, struct mg__mqtt_bconn *bc,
                           struct mg_mqtt_message *mm) {
  struct mg_str filter;
  int pos = 0, n = 0;
  while (n++ < MG_MQTT_MAX_TOPICS_PER_SUBSCRIBE &&
         (pos = mg_mqtt_next_unsubscribe_topic(mm, &filter, pos)) > 0) {
    mg__mqtt_session_unsubscribe(bc->session, filter);
  }
  mg_mqtt_unsuback(nc, mm->message_id);
}

void mg__mqtt_on_packet(struct mg_connection *nc, struct mg__mqtt_bconn *bc,
                        int ev, struct mg_mqtt_message *mm) {
  struct mg_mqtt_session *s = bc->session;
  switch (ev) {
    case MG_EV_MQTT_PUBLISH:
      on_publish(nc, bc, mm);
      break;
    case MG_EV_MQTT_PUBACK:
    case MG_EV_MQTT_PUBREC:
    case MG_EV_MQTT_PUBCOMP:
      mg__mqtt_session_ack(s, mm->cmd, mm->message_id);
      break;
    case MG_EV_MQTT_PUBREL:
      mg__mqtt_session_incoming_del(s, mm->message_id);
      mg_mqtt_pubcomp(nc, mm->message_id);
      break;
    case MG_EV_MQTT_SUBSCRIBE:
      on_subscribe(nc, bc, mm);
      break;
    case MG_EV_MQTT_UNSUBSCRIBE:
      on_unsubscribe(nc, bc, mm);
      break;
    case MG_EV_MQTT_PINGREQ:
      mg_mqtt_pong(nc);
      break;
    case MG_EV_MQTT_DISCONNECT:
      bc->graceful = 1;
      mg__mqtt_msg_unref(bc->will);
      bc->will = NULL;
      nc->flags |= MG_F_SEND_AND_CLOSE;
      break;
    default: /* CONNECT again, or a packet only a server sends */
      mg__mqtt_drop(nc);
      break;
  }
}

void mg__mqtt_send_will(struct mg_connection *nc, struct mg__mqtt_bconn *bc) {
  struct mg__mqtt_msg *will = bc->will;
  (void) nc;
  bc->will = NULL;
  if (will == NULL) return;
  if (!bc->graceful && bc->brk != NULL) mg__mqtt_publish_msg(bc->brk, will);
  mg__mqtt_msg_unref(will);
}

void mg__mqtt_on_gone(struct mg_connection *nc, struct mg__mqtt_bconn *bc) {
  struct mg_mqtt_session *s = bc->session;
  bc->session = NULL;
  if (s != NULL && nc->priv_2 == (void *) s) nc->priv_2 = s->brk;
  if (s != NULL && s->nc == nc) s->nc = NULL; /* away before the will */
  mg__mqtt_send_will(nc, bc);
  if (s != NULL && s->clean_session) mg__mqtt_session_free(s);
}
