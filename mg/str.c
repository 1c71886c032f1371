/* String slices, comparisons, formatting, glob matching and list walking. */
#include "mg/internal.h"

/* ASCII lower-casing, independent of the locale. */
static int mg__lower(int c) {
  return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

struct mg_str mg_mk_str(const char *s) {
  struct mg_str r;
  r.p = s;
  r.len = s == NULL ? 0 : strlen(s);
  return r;
}

struct mg_str mg_mk_str_n(const char *s, size_t len) {
  struct mg_str r;
  r.p = s;
  r.len = len;
  return r;
}

/* memcmp() that accepts NULL pointers when n is 0. */
static int mg__memcmp(const char *a, const char *b, size_t n) {
  return n == 0 ? 0 : memcmp(a, b, n);
}

/* Orders two lengths like strcmp() orders a prefix before its extension. */
static int mg__len_cmp(size_t a, size_t b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

int mg_vcmp(const struct mg_str *str2, const char *str1) {
  size_t n1 = strlen(str1), n = n1 < str2->len ? n1 : str2->len;
  int r = mg__memcmp(str2->p, str1, n);
  return r != 0 ? r : mg__len_cmp(str2->len, n1);
}

int mg_vcasecmp(const struct mg_str *str2, const char *str1) {
  size_t n1 = strlen(str1), n = n1 < str2->len ? n1 : str2->len;
  int r = mg_ncasecmp(str2->p, str1, n);
  return r != 0 ? r : mg__len_cmp(str2->len, n1);
}

int mg_strcmp(const struct mg_str str1, const struct mg_str str2) {
  size_t n = str1.len < str2.len ? str1.len : str2.len;
  int r = mg__memcmp(str1.p, str2.p, n);
  return r != 0 ? r : mg__len_cmp(str1.len, str2.len);
}

int mg_strncmp(const struct mg_str str1, const struct mg_str str2, size_t n) {
  struct mg_str a = str1, b = str2;
  if (a.len > n) a.len = n;
  if (b.len > n) b.len = n;
  return mg_strcmp(a, b);
}

int mg_strcasecmp(const struct mg_str str1, const struct mg_str str2) {
  size_t i, n = str1.len < str2.len ? str1.len : str2.len;
  for (i = 0; i < n; i++) {
    int d = mg__lower((unsigned char) str1.p[i]) -
            mg__lower((unsigned char) str2.p[i]);
    if (d != 0) return d;
  }
  return mg__len_cmp(str1.len, str2.len);
}

struct mg_str mg_strdup(const struct mg_str s) {
  struct mg_str r = {NULL, 0};
  char *p = (char *) MG_MALLOC(s.len + 1);
  if (p == NULL) return r;
  if (s.len > 0) memcpy(p, s.p, s.len);
  p[s.len] = '\0';
  r.p = p;
  r.len = s.len;
  return r;
}

struct mg_str mg_strdup_nul(const struct mg_str s) {
  return mg_strdup(s);
}

const char *mg_strstr(const struct mg_str haystack,
                      const struct mg_str needle) {
  size_t i;
  if (needle.len == 0) return haystack.p;
  if (needle.len > haystack.len) return NULL;
  for (i = 0; i <= haystack.len - needle.len; i++) {
    if (haystack.p[i] == needle.p[0] &&
        memcmp(haystack.p + i, needle.p, needle.len) == 0) {
      return haystack.p + i;
    }
  }
  return NULL;
}

const char *mg_strchr(const struct mg_str s, int c) {
  if (s.len == 0) return NULL;
  return (const char *) memchr(s.p, c, s.len);
}

/* White space as isspace() defines it in the C locale. */
static int mg__is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

struct mg_str mg_strstrip(struct mg_str s) {
  while (s.len > 0 && mg__is_space(s.p[0])) {
    s.p++;
    s.len--;
  }
  while (s.len > 0 && mg__is_space(s.p[s.len - 1])) s.len--;
  return s;
}

int mg_str_starts_with(struct mg_str s, struct mg_str prefix) {
  return s.len >= prefix.len && mg__memcmp(s.p, prefix.p, prefix.len) == 0;
}

/* Compares up to len bytes case-insensitively; like strncasecmp() it stops
 * early where both strings end (a NUL in both at the same place). */
int mg_ncasecmp(const char *s1, const char *s2, size_t len) {
  size_t i;
  for (i = 0; i < len; i++) {
    int c1 = mg__lower((unsigned char) s1[i]);
    int c2 = mg__lower((unsigned char) s2[i]);
    if (c1 != c2) return c1 - c2;
    if (c1 == '\0') break;
  }
  return 0;
}

int mg_casecmp(const char *s1, const char *s2) {
  return mg_ncasecmp(s1, s2, (size_t) -1);
}

size_t c_strnlen(const char *s, size_t maxlen) {
  size_t n = 0;
  while (n < maxlen && s[n] != '\0') n++;
  return n;
}

int c_vsnprintf(char *buf, size_t buflen, const char *fmt, va_list ap) {
  int n = vsnprintf(buf, buflen, fmt, ap);
  if (n < 0 && buflen > 0) buf[0] = '\0';
  return n;
}

int c_snprintf(char *buf, size_t buflen, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = c_vsnprintf(buf, buflen, fmt, ap);
  va_end(ap);
  return n;
}

int mg_avprintf(char **buf, size_t size, const char *fmt, va_list ap) {
  va_list ap_copy;
  char *p;
  int len;
  va_copy(ap_copy, ap);
  len = vsnprintf(*buf, size, fmt, ap_copy);
  va_end(ap_copy);
  if (len < 0 || (size_t) len < size) return len;
  p = (char *) MG_MALLOC((size_t) len + 1);
  if (p == NULL) return -1;
  va_copy(ap_copy, ap);
  len = vsnprintf(p, (size_t) len + 1, fmt, ap_copy);
  va_end(ap_copy);
  *buf = p;
  return len;
}

int mg_asprintf(char **buf, size_t size, const char *fmt, ...) {
  va_list ap;
  int len;
  va_start(ap, fmt);
  len = mg_avprintf(buf, size, fmt, ap);
  va_end(ap);
  return len;
}

static int mg__match(const char *pat, size_t plen, const char *s, size_t slen);

/* Matches pat after a `*` (any = 0) or `**` (any = 1) at offset j of s:
 * tries the longest run first, then shorter ones. */
static int mg__match_star(const char *pat, size_t plen, const char *s,
                          size_t slen, size_t j, int any) {
  size_t run = 0;
  while (j + run < slen && (any || s[j + run] != '/')) run++;
  if (plen == 0 || (plen == 1 && pat[0] == '$' && j + run == slen)) {
    return (int) (j + run);
  }
  for (;;) {
    int r = mg__match(pat, plen, s + j + run, slen - j - run);
    if (r >= 0) return (int) (j + run) + r;
    if (run == 0) return -1;
    run--;
  }
}

/* One alternative (no `|`): bytes of s matched by a prefix match, or -1. */
static int mg__match(const char *pat, size_t plen, const char *s, size_t slen) {
  size_t i = 0, j = 0;
  for (; i < plen; i++, j++) {
    if (pat[i] == '$') return j == slen ? (int) j : -1;
    if (pat[i] == '*') {
      int any = i + 1 < plen && pat[i + 1] == '*';
      size_t skip = any ? 2 : 1;
      return mg__match_star(pat + i + skip, plen - i - skip, s, slen, j, any);
    }
    if (j >= slen) return -1;
    if (pat[i] != '?' &&
        mg__lower((unsigned char) pat[i]) != mg__lower((unsigned char) s[j])) {
      return -1;
    }
  }
  return (int) j;
}

/* Tries each `|`-separated alternative in order: the first one matching a
 * non-empty prefix wins; an empty match counts if nothing better matches. */
int mg_match_prefix_n(const struct mg_str pattern, const struct mg_str str) {
  const char *p = pattern.p, *end = pattern.p + pattern.len;
  int best = -1;
  if (pattern.len == 0) return 0;
  if (str.p == NULL) return mg_match_prefix_n(pattern, mg_mk_str(""));
  for (;;) {
    const char *bar = (const char *) memchr(p, '|', (size_t) (end - p));
    const char *alt_end = bar == NULL ? end : bar;
    int r = mg__match(p, (size_t) (alt_end - p), str.p, str.len);
    if (r > 0) return r;
    if (r == 0) best = 0;
    if (bar == NULL) return best;
    p = bar + 1;
  }
}

int mg_match_prefix(const char *pattern, int pattern_len, const char *str) {
  struct mg_str p =
      mg_mk_str_n(pattern, pattern_len < 0 ? 0 : (size_t) pattern_len);
  return mg_match_prefix_n(p, mg_mk_str(str == NULL ? "" : str));
}

struct mg_str mg_next_comma_list_entry_n(struct mg_str list, struct mg_str *val,
                                         struct mg_str *eq_val) {
  const char *comma, *eq;
  struct mg_str rest;
  if (list.len == 0) return mg_mk_str_n(NULL, 0);
  comma = mg_strchr(list, ',');
  *val = list;
  if (comma != NULL) {
    val->len = (size_t) (comma - list.p);
    rest = mg_mk_str_n(comma + 1, list.len - val->len - 1);
  } else {
    rest = mg_mk_str_n(list.p + list.len, 0);
  }
  if (eq_val != NULL) {
    eq = mg_strchr(*val, '=');
    *eq_val = mg_mk_str_n(NULL, 0);
    if (eq != NULL) {
      eq_val->p = eq + 1;
      eq_val->len = (size_t) (val->p + val->len - eq_val->p);
      val->len = (size_t) (eq - val->p);
    }
  }
  return rest;
}

/* After the last entry this returns a pointer to the list's terminating
 * NUL, and the call after that returns NULL. */
const char *mg_next_comma_list_entry(const char *list, struct mg_str *val,
                                     struct mg_str *eq_val) {
  return mg_next_comma_list_entry_n(mg_mk_str(list), val, eq_val).p;
}

void mg__log(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("mg: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}
