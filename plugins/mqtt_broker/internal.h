/* Private to the mqtt_broker package. What the plugins standing on the
 * broker may use is in mqtt_broker_ext.h. */
#ifndef MG_PLUGINS_MQTT_BROKER_INTERNAL_H
#define MG_PLUGINS_MQTT_BROKER_INTERNAL_H

#include "plugins/mqtt/mqtt_ext.h"
#include "plugins/mqtt_broker/mqtt_broker_ext.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- Messages (message.c): shared by every delivery, reference counted --- */

struct mg__mqtt_msg {
  int refs;           /* owners: deliveries, retained store, will */
  uint8_t qos;        /* QoS it was published with */
  uint8_t retain;     /* RETAIN flag it was published with */
  char *topic;        /* NUL-terminated, in the same allocation */
  size_t topic_len;   /* strlen(topic) */
  char *payload;      /* payload_len bytes, in the same allocation */
  size_t payload_len; /* may be 0 */
};

struct mg__mqtt_msg *mg__mqtt_msg_new(struct mg_str topic,
                                      struct mg_str payload, int qos,
                                      int retain);
struct mg__mqtt_msg *mg__mqtt_msg_ref(struct mg__mqtt_msg *m);
void mg__mqtt_msg_unref(struct mg__mqtt_msg *m);

/* --- Retained store (retained.c) --- */

/* Stores m for its topic (an empty payload deletes the topic's message). */
void mg__mqtt_retained_set(struct mg_mqtt_broker *brk, struct mg__mqtt_msg *m);
/* Sends s every retained message matching filter, at most at qos. */
void mg__mqtt_retained_deliver(struct mg_mqtt_session *s, struct mg_str filter,
                               int qos);
void mg__mqtt_retained_free(struct mg_mqtt_broker *brk);

/* --- Sessions and their delivery queues (session.c) --- */

struct mg_mqtt_session *mg__mqtt_session_new(struct mg_mqtt_broker *brk,
                                             struct mg_str client_id);
struct mg_mqtt_session *mg__mqtt_session_find(struct mg_mqtt_broker *brk,
                                              struct mg_str client_id);
void mg__mqtt_session_free(struct mg_mqtt_session *s);
/* Queues or sends m to s at min(m->qos, qos); retain: the RETAIN flag. */
void mg__mqtt_session_deliver(struct mg_mqtt_session *s, struct mg__mqtt_msg *m,
                              int qos, int retain);
/* After a reconnect: resends in-flight messages (DUP) and PUBRELs. */
void mg__mqtt_session_resume(struct mg_mqtt_session *s);
/* A PUBACK, PUBREC or PUBCOMP (cmd) from the client. */
void mg__mqtt_session_ack(struct mg_mqtt_session *s, int cmd, uint16_t id);
/* QoS 2 ids received and not yet released: returns 1 if id is known. */
int mg__mqtt_session_incoming_has(struct mg_mqtt_session *s, uint16_t id);
/* Returns 0, or -1 when the bound is reached. */
int mg__mqtt_session_incoming_add(struct mg_mqtt_session *s, uint16_t id);
void mg__mqtt_session_incoming_del(struct mg_mqtt_session *s, uint16_t id);
/* Adds or updates a subscription; returns the granted QoS or 0x80. */
int mg__mqtt_session_subscribe(struct mg_mqtt_session *s, struct mg_str filter,
                               int qos);
void mg__mqtt_session_unsubscribe(struct mg_mqtt_session *s,
                                  struct mg_str filter);

/* --- Routing (route.c) --- */

/* Sends m to every session with a matching subscription. */
void mg__mqtt_route(struct mg_mqtt_broker *brk, struct mg__mqtt_msg *m);
/* A message published by a client or the application: retained store,
 * then routing. */
void mg__mqtt_publish_msg(struct mg_mqtt_broker *brk, struct mg__mqtt_msg *m);

/* --- A client connection's broker state (conn.c) --- */

struct mg__mqtt_bconn {
  struct mg_mqtt_broker *brk;      /* the broker */
  struct mg_mqtt_session *session; /* after an accepted CONNECT */
  struct mg__mqtt_msg *will;       /* will message, or NULL */
  double connect_deadline;         /* close if no CONNECT by then; 0: unset */
  double last_rx;                  /* mg_mgr_time() of the last packet */
  uint16_t keep_alive;             /* from CONNECT, seconds */
  int listener;                    /* the layer is on a listener */
  int connected;                   /* CONNECT accepted */
  int graceful;                    /* DISCONNECT received */
};

/* The broker layer state of nc, or NULL. */
struct mg__mqtt_bconn *mg__mqtt_bconn(struct mg_connection *nc);

/* Asks the application (MG_EV_MQTT_BROKER_ACL). Returns 1 if allowed. */
int mg__mqtt_acl(struct mg_connection *nc, struct mg_mqtt_session *s,
                 struct mg_str client_id, struct mg_str topic, int action);

/* Publishes and forgets bc's will, if any. */
void mg__mqtt_send_will(struct mg_connection *nc, struct mg__mqtt_bconn *bc);
/* The connection goes: will (unless graceful), session away or ended. */
void mg__mqtt_on_gone(struct mg_connection *nc, struct mg__mqtt_bconn *bc);

/* Closes nc at once. */
void mg__mqtt_drop(struct mg_connection *nc);

/* --- The packets of a client (accept.c, packets.c) --- */

/* Handles a CONNECT (accept.c). */
void mg__mqtt_on_connect(struct mg_connection *nc, struct mg__mqtt_bconn *bc,
                         struct mg_mqtt_message *mm);
/* Handles any other packet of a connected client (packets.c). */
void mg__mqtt_on_packet(struct mg_connection *nc, struct mg__mqtt_bconn *bc,
                        int ev, struct mg_mqtt_message *mm);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_MQTT_BROKER_INTERNAL_H */
