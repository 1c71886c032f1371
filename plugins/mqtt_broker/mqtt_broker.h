/*
 * An MQTT 3.1.1 broker (3.1 clients accepted too) on top of the mqtt
 * plugin: CONNECT validation and session takeover, QoS 0/1/2 in both
 * directions with in-flight tracking and DUP retry on reconnect, retained
 * messages, will messages, persistent sessions with a bounded queue, and
 * application hooks for authentication and per-topic access control.
 *
 * Two ways to run it on a listening connection `lc`:
 * - the reference's: mg_mqtt_broker_init(&brk, ud); lc->priv_2 = &brk;
 *   mg_set_protocol_mqtt(lc); and the listener's handler passes every event
 *   to mg_mqtt_broker(nc, ev, ev_data);
 * - mg_mqtt_broker_attach(&brk, lc): the same without the forwarding.
 * (MQTT over WebSocket: mg_mqtt_ws_attach() of plugins/mqtt_ws.)
 * Either way each accepted connection gets a broker layer (above the mqtt
 * layer) that acts on the MQTT events first; the handler then sees them.
 * An accepted connection's priv_2 points to the broker until its CONNECT
 * is accepted, then (as in the reference) to its struct mg_mqtt_session,
 * and back to the broker when the session leaves it.
 *
 * Hooks (events 250-299, delivered to the client connection's handler):
 * MG_EV_MQTT_BROKER_AUTH and MG_EV_MQTT_BROKER_ACL, see below.
 *
 * Free order: mg_mgr_free() first (closing connections may publish wills),
 * then mg_mqtt_broker_free().
 */
#ifndef MG_PLUGINS_MQTT_BROKER_MQTT_BROKER_H
#define MG_PLUGINS_MQTT_BROKER_MQTT_BROKER_H

#include "plugins/mqtt/mqtt.h"

/* The BSD list macros of the reference's structs: <sys/queue.h> where the
 * C library has it (glibc), else the few used here (musl, Emscripten). */
#if defined(__has_include)
#if __has_include(<sys/queue.h>)
#include <sys/queue.h>
#endif
#endif
#ifndef LIST_HEAD
#define LIST_HEAD(name, type) \
  struct name {               \
    struct type *lh_first;    \
  }
#define LIST_ENTRY(type)   \
  struct {                 \
    struct type *le_next;  \
    struct type **le_prev; \
  }
#define LIST_INIT(head) ((head)->lh_first = NULL)
#define LIST_FIRST(head) ((head)->lh_first)
#define LIST_NEXT(elm, field) ((elm)->field.le_next)
#define LIST_INSERT_HEAD(head, elm, field)                     \
  do {                                                         \
    if (((elm)->field.le_next = (head)->lh_first) != NULL)     \
      (head)->lh_first->field.le_prev = &(elm)->field.le_next; \
    (head)->lh_first = (elm);                                  \
    (elm)->field.le_prev = &(head)->lh_first;                  \
  } while (0)
#define LIST_REMOVE(elm, field)                                   \
  do {                                                            \
    if ((elm)->field.le_next != NULL)                             \
      (elm)->field.le_next->field.le_prev = (elm)->field.le_prev; \
    *(elm)->field.le_prev = (elm)->field.le_next;                 \
  } while (0)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Events: the mqtt_broker plugin owns MG_EV_MQTT_BROKER_FIRST to
 * MG_EV_MQTT_BROKER_LAST. */
#define MG_EV_MQTT_BROKER_FIRST 250
#define MG_EV_MQTT_BROKER_LAST 299

/* A CONNECT is being accepted: ev_data is struct mg_mqtt_broker_auth *.
 * Leave return_code 0 to accept, or set a CONNACK code to refuse (e.g.
 * MG_EV_MQTT_CONNACK_BAD_AUTH, MG_EV_MQTT_CONNACK_NOT_AUTHORIZED). */
#define MG_EV_MQTT_BROKER_AUTH 250
/* A client publishes to a topic (its will included, checked at CONNECT) or
 * subscribes to a filter: ev_data is struct mg_mqtt_broker_acl *. Set
 * allow to 0 to refuse: a refused publish is acknowledged and dropped, a
 * refused filter gets the SUBACK failure code 0x80, a refused will topic
 * refuses the CONNECT with NOT_AUTHORIZED. */
#define MG_EV_MQTT_BROKER_ACL 251

/* What an ACL decision is about. */
#define MG_MQTT_ACL_PUBLISH 1
#define MG_MQTT_ACL_SUBSCRIBE 2

/* Defaults of the tunables in struct mg_mqtt_broker. */
#ifndef MG_MQTT_BROKER_MAX_QUEUED
#define MG_MQTT_BROKER_MAX_QUEUED 1000 /* QoS 1/2 messages waiting */
#endif
#ifndef MG_MQTT_BROKER_MAX_INFLIGHT
#define MG_MQTT_BROKER_MAX_INFLIGHT 32 /* unacknowledged deliveries */
#endif
#ifndef MG_MQTT_BROKER_CONNECT_TIMEOUT
#define MG_MQTT_BROKER_CONNECT_TIMEOUT 10.0 /* seconds to send CONNECT */
#endif
/* A session may hold at most this many subscriptions (more: SUBACK 0x80). */
#ifndef MG_MQTT_BROKER_MAX_SUBSCRIPTIONS
#define MG_MQTT_BROKER_MAX_SUBSCRIPTIONS 1024
#endif
/* QoS 2 packet ids a client may leave unreleased (more: disconnected). */
#ifndef MG_MQTT_BROKER_MAX_INCOMING
#define MG_MQTT_BROKER_MAX_INCOMING 1024
#endif
/* QoS 0 messages are dropped for a client whose unsent output exceeds
 * this many bytes (a slow reader cannot exhaust the broker's memory). */
#ifndef MG_MQTT_BROKER_MAX_BACKLOG
#define MG_MQTT_BROKER_MAX_BACKLOG (16 * 1024 * 1024)
#endif

struct mg_mqtt_session;
struct mg__mqtt_retained;
struct mg__mqtt_session_state;

/* ev_data of MG_EV_MQTT_BROKER_AUTH. */
struct mg_mqtt_broker_auth {
  struct mg_mqtt_message *msg; /* the CONNECT: client_id, user_name ... */
  uint8_t return_code;         /* 0 accepts; else the CONNACK code */
};

/* ev_data of MG_EV_MQTT_BROKER_ACL. */
struct mg_mqtt_broker_acl {
  struct mg_mqtt_session *session; /* the client's session (NULL for a will
                                      checked during CONNECT) */
  struct mg_str client_id;         /* the client's id */
  struct mg_str topic;             /* topic (publish) or filter (subscribe) */
  int action;                      /* MG_MQTT_ACL_PUBLISH or _SUBSCRIBE */
  int allow;                       /* 1 on entry; set 0 to refuse */
};

/* MQTT broker. */
struct mg_mqtt_broker {
  LIST_HEAD(_mg_sesshead, mg_mqtt_session) sessions; /* Session list */
  void *user_data;                                   /* User data */
  /* Added by this implementation; init sets the defaults above. */
  size_t max_queued;          /* per session: QoS 1/2 messages kept beyond the
                                 in-flight window, online or away; more are
                                 dropped (counted in num_dropped) */
  size_t max_inflight;        /* per session: unacknowledged QoS 1/2 sends
                                 (taken as 1 if 0, at most 65000) */
  double connect_timeout;     /* seconds a new connection has to CONNECT */
  unsigned long num_auto_ids; /* client ids assigned so far */
  struct mg__mqtt_retained *retained; /* retained messages (private) */
};

/* MQTT session (Broker side). */
struct mg_mqtt_session {
  struct mg_mqtt_broker *brk;       /* Broker */
  LIST_ENTRY(mg_mqtt_session) link; /* mg_mqtt_broker::sessions linkage */
  struct mg_connection *nc;         /* Connection with the client; NULL
                                       while a persistent session is away */
  size_t num_subscriptions;         /* Size of `subscriptions` array */
  void *user_data;                  /* User data */
  struct mg_mqtt_topic_expression *subscriptions; /* filters (owned) */
  /* Added by this implementation. */
  char *client_id;           /* NUL-terminated */
  int clean_session;         /* 1: the session ends with its connection */
  size_t num_queued;         /* QoS 1/2 messages waiting to be sent */
  size_t num_inflight;       /* QoS 1/2 messages sent, not yet acknowledged */
  unsigned long num_dropped; /* messages dropped at the bounds */
  struct mg__mqtt_session_state *state; /* queues and packet ids (private) */
};

/* Initialises brk with no sessions and default tunables. */
void mg_mqtt_broker_init(struct mg_mqtt_broker *brk, void *user_data);

/* Frees every session and retained message. Live connections of its
 * sessions are detached from it and closed. */
void mg_mqtt_broker_free(struct mg_mqtt_broker *brk);

/* Runs brk on the listening connection lc: sets lc->priv_2, attaches the
 * mqtt layer and the broker layer, which accepted connections inherit.
 * Given one accepted connection instead, runs brk on it alone (mqtt_ws
 * does so after a WebSocket upgrade: layers below it carry the bytes). */
void mg_mqtt_broker_attach(struct mg_mqtt_broker *brk,
                           struct mg_connection *lc);

/* The reference's entry point: pass every event of the listener's
 * connections here (the broker is found through priv_2). The first call on
 * an accepted connection gives it the broker layer, which handles that
 * event and all later ones itself; later calls return at once. */
void mg_mqtt_broker(struct mg_connection *brk, int ev, void *data);

/* Iterates sessions: for (s = mg_mqtt_next(b, NULL); s; s = mg_mqtt_next(b,
 * s)). */
struct mg_mqtt_session *mg_mqtt_next(struct mg_mqtt_broker *brk,
                                     struct mg_mqtt_session *s);

/* Publishes a message from the application to the matching sessions (and
 * the retained store if retain). qos 0-2. */
void mg_mqtt_broker_publish(struct mg_mqtt_broker *brk, const char *topic,
                            const void *data, size_t len, int qos, int retain);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_MQTT_BROKER_MQTT_BROKER_H */
