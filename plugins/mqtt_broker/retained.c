/* The retained-message store: at most one message per topic. */
#include "plugins/mqtt_broker/internal.h"

/* One retained message. */
struct mg__mqtt_retained {
  struct mg__mqtt_retained *next; /* list linkage */
  struct mg__mqtt_msg *msg;       /* the message (one reference) */
};

static int same_topic(const struct mg__mqtt_msg *a,
                      const struct mg__mqtt_msg *b) {
  return a->topic_len == b->topic_len &&
         memcmp(a->topic, b->topic, a->topic_len) == 0;
}

void mg__mqtt_retained_set(struct mg_mqtt_broker *brk, struct mg__mqtt_msg *m) {
  struct mg__mqtt_retained **pr, *r;
  for (pr = &brk->retained; *pr != NULL; pr = &(*pr)->next) {
    if (same_topic((*pr)->msg, m)) break;
  }
  if (*pr != NULL && m->payload_len == 0) { /* delete */
    r = *pr;
    *pr = r->next;
    mg__mqtt_msg_unref(r->msg);
    MG_FREE(r);
  } else if (*pr != NULL) { /* replace */
    mg__mqtt_msg_unref((*pr)->msg);
    (*pr)->msg = mg__mqtt_msg_ref(m);
  } else if (m->payload_len > 0) { /* add */
    r = (struct mg__mqtt_retained *) MG_CALLOC(1, sizeof(*r));
    if (r == NULL) return;
    r->msg = mg__mqtt_msg_ref(m);
    r->next = brk->retained;
    brk->retained = r;
  }
}

void mg__mqtt_retained_deliver(struct mg_mqtt_session *s, struct mg_str filter,
                               int qos) {
  struct mg__mqtt_retained *r;
  for (r = s->brk->retained; r != NULL; r = r->next) {
    struct mg_str t = mg_mk_str_n(r->msg->topic, r->msg->topic_len);
    if (mg_mqtt_match_topic_expression(filter, t)) {
      mg__mqtt_session_deliver(s, r->msg, qos, 1);
    }
  }
}

void mg__mqtt_retained_free(struct mg_mqtt_broker *brk) {
  while (brk->retained != NULL) {
    struct mg__mqtt_retained *r = brk->retained;
    brk->retained = r->next;
    mg__mqtt_msg_unref(r->msg);
    MG_FREE(r);
  }
}
