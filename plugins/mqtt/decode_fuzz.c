/* libFuzzer target: the MQTT packet decoder on arbitrary bytes. Every
 * decoded packet must lie inside the input, and walking a SUBSCRIBE's or
 * UNSUBSCRIBE's filters must end. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "plugins/mqtt/mqtt.h"

static void check_inside(const uint8_t *data, size_t size, struct mg_str s) {
  if (s.len == 0) return;
  if ((const uint8_t *) s.p < data ||
      (const uint8_t *) s.p + s.len > data + size) {
    abort();
  }
}

static void walk_filters(struct mg_mqtt_message *mm) {
  struct mg_str t;
  uint8_t qos;
  int pos = 0, n = 0;
  while (n++ < 100000) {
    pos = mm->cmd == MG_MQTT_CMD_SUBSCRIBE
              ? mg_mqtt_next_subscribe_topic(mm, &t, &qos, pos)
              : mg_mqtt_next_unsubscribe_topic(mm, &t, pos);
    if (pos < 0) return;
    mg_mqtt_vmatch_topic_expression("a/+/#", t);
  }
  abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t off = 0;
  int i;
  for (i = 0; i < 10000 && off < size; i++) {
    struct mg_mqtt_message mm;
    int n = mg_mqtt_parse(data + off, size - off, &mm);
    if (n <= 0) break;
    if ((size_t) n > size - off) abort();
    check_inside(data, size, mm.topic);
    check_inside(data, size, mm.payload);
    check_inside(data, size, mm.client_id);
    check_inside(data, size, mm.will_message);
    check_inside(data, size, mm.password);
    if (mm.cmd == MG_MQTT_CMD_SUBSCRIBE || mm.cmd == MG_MQTT_CMD_UNSUBSCRIBE) {
      walk_filters(&mm);
    }
    if (mm.topic.len > 0) {
      mg_mqtt_match_topic_expression(mg_mk_str("+/#"), mm.topic);
    }
    off += (size_t) n;
  }
  return 0;
}
