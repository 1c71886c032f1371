/* Topic names and filters: validation and matching (MQTT 3.1.1, 4.7). */
#include "plugins/mqtt/internal.h"

int mg_mqtt_valid_utf8(struct mg_str s) {
  const uint8_t *p = (const uint8_t *) s.p;
  size_t i = 0;
  while (i < s.len) {
    uint32_t c = p[i];
    size_t n, k;
    if (c == 0) return 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1, c &= 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2, c &= 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3, c &= 0x07;
    } else {
      return 0;
    }
    if (s.len - i <= n) return 0;
    for (k = 1; k <= n; k++) {
      if ((p[i + k] & 0xc0) != 0x80) return 0;
      c = (c << 6) | (p[i + k] & 0x3f);
    }
    /* overlong forms, surrogates, beyond U+10FFFF */
    if ((n == 2 && c < 0x800) || (n == 3 && c < 0x10000)) return 0;
    if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff) return 0;
    i += n + 1;
  }
  return 1;
}

/* The level of s starting at *pos; advances *pos past its '/'. Returns 0
 * once every level was read. */
static int next_level(struct mg_str s, size_t *pos, struct mg_str *level) {
  size_t i = *pos;
  if (i > s.len) return 0;
  level->p = s.p + i;
  while (i < s.len && s.p[i] != '/') i++;
  level->len = i - *pos;
  *pos = i + 1;
  return 1;
}

static int is_level(struct mg_str level, char c) {
  return level.len == 1 && level.p[0] == c;
}

int mg_mqtt_valid_topic(struct mg_str s) {
  return s.len > 0 && mg_mqtt_valid_utf8(s) && mg_strchr(s, '+') == NULL &&
         mg_strchr(s, '#') == NULL;
}

int mg_mqtt_valid_filter(struct mg_str s) {
  size_t pos = 0;
  struct mg_str level;
  if (s.len == 0 || !mg_mqtt_valid_utf8(s)) return 0;
  while (next_level(s, &pos, &level)) {
    int wild = mg_strchr(level, '+') != NULL || mg_strchr(level, '#') != NULL;
    if (wild && !is_level(level, '+') && !is_level(level, '#')) return 0;
    if (is_level(level, '#') && pos <= s.len) return 0; /* not the last */
  }
  return 1;
}

int mg_mqtt_match_topic_expression(struct mg_str exp, struct mg_str topic) {
  size_t ep = 0, tp = 0;
  struct mg_str el, tl;
  if (topic.len > 0 && topic.p[0] == '$' && exp.len > 0 &&
      (exp.p[0] == '+' || exp.p[0] == '#')) {
    return 0;
  }
  while (next_level(exp, &ep, &el)) {
    if (is_level(el, '#')) return 1;
    if (!next_level(topic, &tp, &tl)) return 0;
    if (is_level(el, '+')) continue;
    if (el.len != tl.len) return 0;
    if (el.len > 0 && memcmp(el.p, tl.p, el.len) != 0) return 0;
  }
  return tp > topic.len;
}

int mg_mqtt_vmatch_topic_expression(const char *exp, struct mg_str topic) {
  return mg_mqtt_match_topic_expression(mg_mk_str(exp), topic);
}
