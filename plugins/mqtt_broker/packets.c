/* The broker's answers to a connected client's packets: PUBLISH with the
 * QoS 1/2 flows, acknowledgements of our deliveries, SUBSCRIBE,
 * UNSUBSCRIBE, PINGREQ, DISCONNECT. */
#include "plugins/mqtt_broker/internal.h"

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
