/*
 * MQTT load generator on our client: one publisher, N subscribers of one
 * topic, M messages at one QoS; prints the deliveries per second.
 *
 *   mqtt_load HOST:PORT SUBSCRIBERS MESSAGES QOS [PAYLOAD_BYTES]
 *
 * The publisher keeps at most WINDOW messages ahead of the slowest
 * subscriber (and, at QoS 1, of its own PUBACKs), so no broker has to drop
 * or queue without bound. Gives up after 120 seconds.
 * Output: "RESULT qos=Q subs=N msgs=M seconds=S deliveries_per_s=R".
 */
#include "mongoose.h"

#define WINDOW 500
#define MAX_SUBS 1000
#define DEADLINE_S 120.0

struct peer {
  struct mg_connection *nc; /* its connection */
  long received;            /* PUBLISHes received */
  int ready;                /* CONNACK (publisher) or SUBACK (subscriber) */
  int is_pub;               /* the publisher */
};

static struct peer s_subs[MAX_SUBS], s_pub;
static int s_nsubs, s_qos;
static long s_sent, s_acked, s_msgs;
static char s_payload[65536];
static size_t s_payload_len = 64;

static void handler(struct mg_connection *nc, int ev, void *ev_data) {
  struct peer *p = (struct peer *) nc->user_data;
  struct mg_mqtt_message *mm = (struct mg_mqtt_message *) ev_data;
  if (p == NULL) return;
  if (ev == MG_EV_CONNECT) {
    struct mg_send_mqtt_handshake_opts o;
    char id[32];
    if (*(int *) ev_data != 0) {
      fprintf(stderr, "connect failed\n");
      exit(1);
    }
    memset(&o, 0, sizeof(o));
    o.flags = MG_MQTT_CLEAN_SESSION;
    if (p->is_pub) {
      snprintf(id, sizeof(id), "load-pub");
    } else {
      snprintf(id, sizeof(id), "load-%ld", (long) (p - s_subs));
    }
    mg_set_protocol_mqtt(nc);
    mg_send_mqtt_handshake_opt(nc, id, o);
  } else if (ev == MG_EV_MQTT_CONNACK) {
    if (p->is_pub) {
      p->ready = 1;
    } else {
      struct mg_mqtt_topic_expression te;
      te.topic = "bench/t";
      te.qos = (uint8_t) s_qos;
      mg_mqtt_subscribe(nc, &te, 1, 1);
    }
  } else if (ev == MG_EV_MQTT_SUBACK) {
    p->ready = 1;
  } else if (ev == MG_EV_MQTT_PUBLISH) {
    p->received++;
    if (mm->qos == 1) mg_mqtt_puback(nc, mm->message_id);
  } else if (ev == MG_EV_MQTT_PUBACK) {
    s_acked++;
  } else if (ev == MG_EV_CLOSE) {
    p->nc = NULL;
  }
}

static struct mg_connection *open_peer(struct mg_mgr *mgr, const char *addr,
                                       struct peer *p) {
  struct mg_connect_opts o;
  memset(&o, 0, sizeof(o));
  o.user_data = p;
  p->nc = mg_connect_opt(mgr, addr, handler, o);
  return p->nc;
}

static long slowest(void) {
  long min = s_msgs;
  int i;
  for (i = 0; i < s_nsubs; i++) {
    if (s_subs[i].received < min) min = s_subs[i].received;
  }
  return min;
}

static int all_ready(void) {
  int i;
  for (i = 0; i < s_nsubs; i++) {
    if (!s_subs[i].ready) return 0;
  }
  return s_pub.ready;
}

/* Publishes as far as the window allows. */
static void publish_some(void) {
  long limit = slowest() + WINDOW;
  if (s_qos > 0 && s_acked + WINDOW < limit) limit = s_acked + WINDOW;
  while (s_sent < s_msgs && s_sent < limit && s_pub.nc != NULL) {
    uint16_t id = (uint16_t) (s_sent % 65535 + 1);
    mg_mqtt_publish(s_pub.nc, "bench/t", id, MG_MQTT_QOS(s_qos), s_payload,
                    s_payload_len);
    s_sent++;
  }
}

int main(int argc, char **argv) {
  struct mg_mgr mgr;
  double start = 0, end, deadline;
  int i;
  if (argc < 5) {
    fprintf(stderr, "usage: %s HOST:PORT SUBSCRIBERS MESSAGES QOS [BYTES]\n",
            argv[0]);
    return 2;
  }
  s_nsubs = atoi(argv[2]);
  s_msgs = atol(argv[3]);
  s_qos = atoi(argv[4]);
  if (argc > 5) s_payload_len = (size_t) atol(argv[5]);
  if (s_nsubs < 1 || s_nsubs > MAX_SUBS || s_qos < 0 || s_qos > 1 ||
      s_payload_len > sizeof(s_payload)) {
    fprintf(stderr, "bad arguments\n");
    return 2;
  }
  memset(s_payload, 'x', s_payload_len);
  mg_mgr_init(&mgr, NULL);
  s_pub.is_pub = 1;
  for (i = 0; i < s_nsubs; i++) open_peer(&mgr, argv[1], &s_subs[i]);
  open_peer(&mgr, argv[1], &s_pub);
  deadline = mg_time() + DEADLINE_S;
  while (mg_time() < deadline) {
    if (start == 0 && all_ready()) start = mg_time();
    if (start > 0) {
      publish_some();
      if (slowest() >= s_msgs && (s_qos == 0 || s_acked >= s_msgs)) break;
    }
    mg_mgr_poll(&mgr, start > 0 ? 0 : 10);
  }
  end = mg_time();
  if (start == 0 || slowest() < s_msgs) {
    fprintf(stderr, "incomplete: sent %ld, slowest subscriber got %ld\n",
            s_sent, slowest());
    mg_mgr_free(&mgr);
    return 1;
  }
  printf("RESULT qos=%d subs=%d msgs=%ld seconds=%.3f deliveries_per_s=%.0f\n",
         s_qos, s_nsubs, s_msgs, end - start,
         (double) s_msgs * s_nsubs / (end - start));
  mg_mgr_free(&mgr);
  return 0;
}
