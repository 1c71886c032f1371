/* A client connection's broker state: finding it, closing the
 * connection, asking the application's ACL, the will, and the end of the
 * connection. Used by accept.c, packets.c and plugin.c. */
#include "plugins/mqtt_broker/internal.h"

struct mg__mqtt_bconn *mg__mqtt_bconn(struct mg_connection *nc) {
  struct mg_layer *l = mg_layer_find(nc, &mg_plugin_mqtt_broker);
  return l != NULL ? (struct mg__mqtt_bconn *) l->state : NULL;
}

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
