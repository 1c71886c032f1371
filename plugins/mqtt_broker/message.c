/* Messages held by the broker: one allocation each (header, topic, payload),
 * shared by reference between deliveries, the retained store and wills. */
#include "plugins/mqtt_broker/internal.h"

struct mg__mqtt_msg *mg__mqtt_msg_new(struct mg_str topic,
                                      struct mg_str payload, int qos,
                                      int retain) {
  size_t size = sizeof(struct mg__mqtt_msg) + topic.len + 1 + payload.len;
  struct mg__mqtt_msg *m = (struct mg__mqtt_msg *) MG_MALLOC(size);
  if (m == NULL) return NULL;
  m->refs = 1;
  m->qos = (uint8_t) qos;
  m->retain = retain ? 1 : 0;
  m->topic = (char *) (m + 1);
  m->topic_len = topic.len;
  if (topic.len > 0) memcpy(m->topic, topic.p, topic.len);
  m->topic[topic.len] = '\0';
  m->payload = m->topic + topic.len + 1;
  m->payload_len = payload.len;
  if (payload.len > 0) memcpy(m->payload, payload.p, payload.len);
  return m;
}

struct mg__mqtt_msg *mg__mqtt_msg_ref(struct mg__mqtt_msg *m) {
  if (m != NULL) m->refs++;
  return m;
}

void mg__mqtt_msg_unref(struct mg__mqtt_msg *m) {
  if (m != NULL && --m->refs == 0) MG_FREE(m);
}
