/* Sessions: subscriptions, the in-flight window and the bounded queue of
 * QoS 1/2 deliveries, packet identifiers, QoS 2 ids awaiting PUBREL. */
#include "plugins/mqtt_broker/internal.h"

/* Where a QoS 1/2 delivery stands. */
enum delivery_state {
  QUEUED,      /* not sent yet */
  WAIT_PUBACK, /* QoS 1 sent */
  WAIT_PUBREC, /* QoS 2 sent */
  WAIT_PUBCOMP /* QoS 2: PUBREL sent */
};

/* One message on its way to one session. */
struct delivery {
  struct delivery *next;    /* list linkage */
  struct mg__mqtt_msg *msg; /* the message (one reference) */
  uint8_t qos;              /* QoS of this delivery (1 or 2) */
  uint8_t retain;           /* RETAIN flag to send */
  uint8_t state;            /* enum delivery_state */
  uint16_t id;              /* packet identifier once sent */
};

/* A FIFO of deliveries. */
struct fifo {
  struct delivery *head, *tail;
};

struct mg__mqtt_session_state {
  struct fifo inflight; /* sent, unacknowledged, in sending order */
  struct fifo queue;    /* waiting for room in the window */
  uint16_t last_id;     /* last packet identifier used */
  uint16_t *incoming;   /* QoS 2 ids received, PUBREL pending */
  size_t num_incoming;  /* used entries of incoming */
  size_t cap_incoming;  /* allocated entries of incoming */
};

static void fifo_push(struct fifo *f, struct delivery *d) {
  d->next = NULL;
  if (f->tail != NULL) {
    f->tail->next = d;
  } else {
    f->head = d;
  }
  f->tail = d;
}

static struct delivery *fifo_pop(struct fifo *f) {
  struct delivery *d = f->head;
  if (d != NULL) {
    f->head = d->next;
    if (f->head == NULL) f->tail = NULL;
  }
  return d;
}

/* Unlinks d from f. */
static void fifo_unlink(struct fifo *f, struct delivery *d) {
  struct delivery *prev = NULL, *p;
  for (p = f->head; p != NULL && p != d; p = p->next) prev = p;
  if (p == NULL) return;
  if (prev != NULL) {
    prev->next = d->next;
  } else {
    f->head = d->next;
  }
  if (f->tail == d) f->tail = prev;
}

static void delivery_free(struct delivery *d) {
  mg__mqtt_msg_unref(d->msg);
  MG_FREE(d);
}

static void fifo_free(struct fifo *f) {
  struct delivery *d;
  while ((d = fifo_pop(f)) != NULL) delivery_free(d);
}

struct mg_mqtt_session *mg__mqtt_session_new(struct mg_mqtt_broker *brk,
                                             struct mg_str client_id) {
  struct mg_mqtt_session *s =
      (struct mg_mqtt_session *) MG_CALLOC(1, sizeof(*s));
  if (s == NULL) return NULL;
  s->state = (struct mg__mqtt_session_state *) MG_CALLOC(1, sizeof(*s->state));
  s->client_id = (char *) mg_strdup(client_id).p;
  if (s->state == NULL || s->client_id == NULL) {
    MG_FREE(s->state);
    MG_FREE(s->client_id);
    MG_FREE(s);
    return NULL;
  }
  s->brk = brk;
  LIST_INSERT_HEAD(&brk->sessions, s, link);
  return s;
}

struct mg_mqtt_session *mg__mqtt_session_find(struct mg_mqtt_broker *brk,
                                              struct mg_str client_id) {
  struct mg_mqtt_session *s;
  for (s = LIST_FIRST(&brk->sessions); s != NULL; s = LIST_NEXT(s, link)) {
    if (mg_vcmp(&client_id, s->client_id) == 0) return s;
  }
  return NULL;
}

void mg__mqtt_session_free(struct mg_mqtt_session *s) {
  size_t i;
  LIST_REMOVE(s, link);
  for (i = 0; i < s->num_subscriptions; i++) {
    MG_FREE((void *) s->subscriptions[i].topic);
  }
  MG_FREE(s->subscriptions);
  fifo_free(&s->state->inflight);
  fifo_free(&s->state->queue);
  MG_FREE(s->state->incoming);
  MG_FREE(s->state);
  MG_FREE(s->client_id);
  MG_FREE(s);
}

/* --- Packet identifiers --- */

static int id_in_use(const struct mg_mqtt_session *s, uint16_t id) {
  const struct delivery *d;
  for (d = s->state->inflight.head; d != NULL; d = d->next) {
    if (d->id == id) return 1;
  }
  return 0;
}

/* A packet identifier not used by an in-flight delivery. */
static uint16_t next_id(struct mg_mqtt_session *s) {
  int i;
  for (i = 0; i < 65536; i++) {
    uint16_t id = ++s->state->last_id;
    if (id == 0) id = s->state->last_id = 1;
    if (!id_in_use(s, id)) return id;
  }
  return 1; /* unreachable: the window is far smaller than 65535 */
}

/* --- Sending --- */

static void send_publish(struct mg_mqtt_session *s, const struct delivery *d,
                         int dup) {
  int flags = MG_MQTT_QOS(d->qos) | (d->retain ? MG_MQTT_RETAIN : 0) |
              (dup ? MG_MQTT_DUP : 0);
  mg_mqtt_publish(s->nc, d->msg->topic, d->id, flags, d->msg->payload,
                  d->msg->payload_len);
}

/* The in-flight window: max_inflight, at least 1, below 65535 ids. */
static size_t window(const struct mg_mqtt_broker *brk) {
  if (brk->max_inflight < 1) return 1;
  return brk->max_inflight > 65000 ? 65000 : brk->max_inflight;
}

/* Moves queued deliveries into the window while there is room. */
static void pump(struct mg_mqtt_session *s) {
  struct mg__mqtt_session_state *st = s->state;
  size_t max = window(s->brk);
  while (s->nc != NULL && st->queue.head != NULL && s->num_inflight < max) {
    struct delivery *d = fifo_pop(&st->queue);
    s->num_queued--;
    d->id = next_id(s);
    d->state = d->qos == 1 ? WAIT_PUBACK : WAIT_PUBREC;
    fifo_push(&st->inflight, d);
    s->num_inflight++;
    send_publish(s, d, 0);
  }
}

static int backlogged(const struct mg_connection *nc) {
  return nc->send_mbuf.len > MG_MQTT_BROKER_MAX_BACKLOG;
}

void mg__mqtt_session_deliver(struct mg_mqtt_session *s, struct mg__mqtt_msg *m,
                              int qos, int retain) {
  struct delivery *d;
  if (m->qos < qos) qos = m->qos;
  if (qos == 0) {
    if (s->nc == NULL || backlogged(s->nc)) {
      if (s->nc != NULL) s->num_dropped++;
      return;
    }
    mg_mqtt_publish(s->nc, m->topic, 0, retain ? MG_MQTT_RETAIN : 0, m->payload,
                    m->payload_len);
    return;
  }
  if (s->num_queued >= s->brk->max_queued) {
    s->num_dropped++;
    return;
  }
  d = (struct delivery *) MG_CALLOC(1, sizeof(*d));
  if (d == NULL) {
    s->num_dropped++;
    return;
  }
  d->msg = mg__mqtt_msg_ref(m);
  d->qos = (uint8_t) qos;
  d->retain = retain ? 1 : 0;
  d->state = QUEUED;
  fifo_push(&s->state->queue, d);
  s->num_queued++;
  pump(s);
}

void mg__mqtt_session_resume(struct mg_mqtt_session *s) {
  struct delivery *d;
  for (d = s->state->inflight.head; d != NULL && s->nc != NULL; d = d->next) {
    if (d->state == WAIT_PUBCOMP) {
      mg_mqtt_pubrel(s->nc, d->id);
    } else {
      send_publish(s, d, 1);
    }
  }
  pump(s);
}

static struct delivery *find_inflight(struct mg_mqtt_session *s, uint16_t id) {
  struct delivery *d;
  for (d = s->state->inflight.head; d != NULL; d = d->next) {
    if (d->id == id) return d;
  }
  return NULL;
}

static void complete(struct mg_mqtt_session *s, struct delivery *d) {
  fifo_unlink(&s->state->inflight, d);
  s->num_inflight--;
  delivery_free(d);
  pump(s);
}

void mg__mqtt_session_ack(struct mg_mqtt_session *s, int cmd, uint16_t id) {
  struct delivery *d = find_inflight(s, id);
  if (cmd == MG_MQTT_CMD_PUBREC) {
    /* Answer even an unknown id, so the client can finish its flow. */
    if (d != NULL && d->state == WAIT_PUBREC) d->state = WAIT_PUBCOMP;
    if (s->nc != NULL) mg_mqtt_pubrel(s->nc, id);
    return;
  }
  if (d == NULL) return;
  if ((cmd == MG_MQTT_CMD_PUBACK && d->state == WAIT_PUBACK) ||
      (cmd == MG_MQTT_CMD_PUBCOMP && d->state == WAIT_PUBCOMP)) {
    complete(s, d);
  }
}

/* --- QoS 2 ids received --- */

int mg__mqtt_session_incoming_has(struct mg_mqtt_session *s, uint16_t id) {
  size_t i;
  for (i = 0; i < s->state->num_incoming; i++) {
    if (s->state->incoming[i] == id) return 1;
  }
  return 0;
}

int mg__mqtt_session_incoming_add(struct mg_mqtt_session *s, uint16_t id) {
  struct mg__mqtt_session_state *st = s->state;
  if (st->num_incoming >= MG_MQTT_BROKER_MAX_INCOMING) return -1;
  if (st->num_incoming == st->cap_incoming) {
    size_t cap = st->cap_incoming ? st->cap_incoming * 2 : 8;
    uint16_t *p = (uint16_t *) MG_REALLOC(st->incoming, cap * sizeof(*p));
    if (p == NULL) return -1;
    st->incoming = p;
    st->cap_incoming = cap;
  }
  st->incoming[st->num_incoming++] = id;
  return 0;
}

void mg__mqtt_session_incoming_del(struct mg_mqtt_session *s, uint16_t id) {
  struct mg__mqtt_session_state *st = s->state;
  size_t i;
  for (i = 0; i < st->num_incoming; i++) {
    if (st->incoming[i] == id) {
      st->incoming[i] = st->incoming[--st->num_incoming];
      return;
    }
  }
}

/* --- Subscriptions --- */

/* The index of s's subscription to filter, or -1. */
static int subscription_index(const struct mg_mqtt_session *s,
                              struct mg_str filter) {
  size_t i;
  for (i = 0; i < s->num_subscriptions; i++) {
    if (mg_vcmp(&filter, s->subscriptions[i].topic) == 0) return (int) i;
  }
  return -1;
}

int mg__mqtt_session_subscribe(struct mg_mqtt_session *s, struct mg_str filter,
                               int qos) {
  struct mg_mqtt_topic_expression *subs;
  int i = subscription_index(s, filter);
  struct mg_str copy;
  if (i >= 0) {
    s->subscriptions[i].qos = (uint8_t) qos;
    return qos;
  }
  if (s->num_subscriptions >= MG_MQTT_BROKER_MAX_SUBSCRIPTIONS) return 0x80;
  subs = (struct mg_mqtt_topic_expression *) MG_REALLOC(
      s->subscriptions, (s->num_subscriptions + 1) * sizeof(*subs));
  if (subs == NULL) return 0x80;
  s->subscriptions = subs;
  copy = mg_strdup(filter);
  if (copy.p == NULL) return 0x80;
  subs[s->num_subscriptions].topic = copy.p;
  subs[s->num_subscriptions].qos = (uint8_t) qos;
  s->num_subscriptions++;
  return qos;
}

void mg__mqtt_session_unsubscribe(struct mg_mqtt_session *s,
                                  struct mg_str filter) {
  int i = subscription_index(s, filter);
  if (i < 0) return;
  MG_FREE((void *) s->subscriptions[i].topic);
  s->subscriptions[i] = s->subscriptions[--s->num_subscriptions];
}
