/* Routing a published message to the sessions that subscribed to it. */
#include "plugins/mqtt_broker/internal.h"

/* The highest QoS of s's subscriptions matching topic, or -1. */
static int best_match(const struct mg_mqtt_session *s, struct mg_str topic) {
  size_t i;
  int best = -1;
  for (i = 0; i < s->num_subscriptions; i++) {
    const struct mg_mqtt_topic_expression *e = &s->subscriptions[i];
    if (e->qos > best && mg_mqtt_vmatch_topic_expression(e->topic, topic)) {
      best = e->qos;
    }
  }
  return best;
}

void mg__mqtt_route(struct mg_mqtt_broker *brk, struct mg__mqtt_msg *m) {
  struct mg_mqtt_session *s, *next;
  struct mg_str topic = mg_mk_str_n(m->topic, m->topic_len);
  for (s = LIST_FIRST(&brk->sessions); s != NULL; s = next) {
    int qos = best_match(s, topic);
    next = LIST_NEXT(s, link);
    /* Forwarded because of a subscription: RETAIN is sent as 0. */
    if (qos >= 0) mg__mqtt_session_deliver(s, m, qos, 0);
  }
}

void mg__mqtt_publish_msg(struct mg_mqtt_broker *brk, struct mg__mqtt_msg *m) {
  if (m->retain) mg__mqtt_retained_set(brk, m);
  mg__mqtt_route(brk, m);
}

void mg_mqtt_broker_publish(struct mg_mqtt_broker *brk, const char *topic,
                            const void *data, size_t len, int qos, int retain) {
  struct mg__mqtt_msg *m;
  struct mg_str t = mg_mk_str(topic);
  if (!mg_mqtt_valid_topic(t) || qos < 0 || qos > 2) return;
  m = mg__mqtt_msg_new(t, mg_mk_str_n((const char *) data, len), qos, retain);
  if (m == NULL) return;
  mg__mqtt_publish_msg(brk, m);
  mg__mqtt_msg_unref(m);
}
