/*
 * The reference's MQTT client usage: connect to a broker, subscribe to
 * "/stuff", and forward every message received there to "/test". To show
 * both directions on its own, it also publishes one message to "/stuff"
 * once subscribed.
 *
 *   mqtt_client [ADDRESS [COUNT]]
 *
 * ADDRESS defaults to 127.0.0.1:1883. With COUNT, it disconnects and exits
 * (status 0) after forwarding COUNT messages, or fails after 10 seconds.
 */
#include "mongoose.h"

static const char *s_address = "127.0.0.1:1883";
static const char *s_user_name = NULL;
static const char *s_password = NULL;
static const char *s_topic = "/stuff";
static struct mg_mqtt_topic_expression s_topic_expr = {NULL, 0};
static long s_count = -1; /* messages to forward before exiting; -1: no end */
static int s_done = 0;    /* 1: finished, 2: failed */

static void ev_handler(struct mg_connection *nc, int ev, void *p) {
  struct mg_mqtt_message *msg = (struct mg_mqtt_message *) p;

  switch (ev) {
    case MG_EV_CONNECT: {
      struct mg_send_mqtt_handshake_opts opts;
      if (*(int *) p != 0) {
        printf("Connection to %s failed: %d\n", s_address, *(int *) p);
        s_done = 2;
        break;
      }
      memset(&opts, 0, sizeof(opts));
      opts.flags = MG_MQTT_CLEAN_SESSION;
      opts.user_name = s_user_name;
      opts.password = s_password;
      mg_set_protocol_mqtt(nc);
      mg_send_mqtt_handshake_opt(nc, "mongoose-example", opts);
      break;
    }
    case MG_EV_MQTT_CONNACK:
      if (msg->connack_ret_code != MG_EV_MQTT_CONNACK_ACCEPTED) {
        printf("Got mqtt connection error: %d\n", msg->connack_ret_code);
        s_done = 2;
        break;
      }
      s_topic_expr.topic = s_topic;
      printf("Subscribing to '%s'\n", s_topic);
      mg_mqtt_subscribe(nc, &s_topic_expr, 1, 42);
      break;
    case MG_EV_MQTT_PUBACK:
      printf("Message publishing acknowledged (msg_id: %d)\n", msg->message_id);
      break;
    case MG_EV_MQTT_SUBACK:
      printf("Subscription acknowledged, forwarding to '/test'\n");
      mg_mqtt_publish(nc, s_topic, 65, MG_MQTT_QOS(1), "hello from mongoose",
                      19);
      break;
    case MG_EV_MQTT_PUBLISH:
      printf("Got incoming message %.*s: %.*s\n", (int) msg->topic.len,
             msg->topic.p, (int) msg->payload.len, msg->payload.p);
      printf("Forwarding to /test\n");
      mg_mqtt_publish(nc, "/test", 65, MG_MQTT_QOS(0), msg->payload.p,
                      msg->payload.len);
      if (s_count > 0 && --s_count == 0) {
        mg_mqtt_disconnect(nc);
        nc->flags |= MG_F_SEND_AND_CLOSE;
        s_done = 1;
      }
      break;
    case MG_EV_CLOSE:
      printf("Connection closed\n");
      if (s_done == 0) s_done = 2;
      break;
  }
  fflush(stdout);
}

int main(int argc, char **argv) {
  struct mg_mgr mgr;
  double deadline;

  if (argc > 1) s_address = argv[1];
  if (argc > 2) s_count = strtol(argv[2], NULL, 10);
  deadline = mg_time() + 10;

  mg_mgr_init(&mgr, NULL);
  if (mg_connect(&mgr, s_address, ev_handler) == NULL) {
    fprintf(stderr, "mg_connect(%s) failed\n", s_address);
    return EXIT_FAILURE;
  }
  while (s_done == 0 || (s_done == 1 && mgr.active_connections != NULL)) {
    mg_mgr_poll(&mgr, 100);
    if (s_count >= 0 && mg_time() > deadline) break;
  }
  mg_mgr_free(&mgr);
  return s_done == 1 ? EXIT_SUCCESS : EXIT_FAILURE;
}
