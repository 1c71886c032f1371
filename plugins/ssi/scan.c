/*
 * Finding SSI directives in page bytes: a pure function of its input, so a
 * directive split across reads is found once the rest arrives.
 */
#include "plugins/ssi/internal.h"

#include <ctype.h>

static const char s_open[] = "<!--#";
#define OPEN_LEN 5

/* Offset of the first "<!--#" in buf, or len. */
static size_t find_open(const char *buf, size_t len) {
  size_t i;
  for (i = 0; i + OPEN_LEN <= len; i++) {
    if (buf[i] == '<' && memcmp(buf + i, s_open, OPEN_LEN) == 0) return i;
  }
  return len;
}

/* Bytes at the end of buf that could start "<!--#" once more arrives. */
static size_t partial_open(const char *buf, size_t len) {
  size_t k;
  for (k = OPEN_LEN - 1; k > 0; k--) {
    if (k <= len && memcmp(buf + len - k, s_open, k) == 0) return k;
  }
  return 0;
}

/* Offset of "-->" in buf[from..len), or len. */
static size_t find_close(const char *buf, size_t len, size_t from) {
  size_t i;
  for (i = from; i + 3 <= len; i++) {
    if (buf[i] == '-' && buf[i + 1] == '-' && buf[i + 2] == '>') return i;
  }
  return len;
}

static struct mg_str trim(struct mg_str s) {
  while (s.len > 0 && isspace((unsigned char) s.p[0])) s.p++, s.len--;
  while (s.len > 0 && isspace((unsigned char) s.p[s.len - 1])) s.len--;
  return s;
}

/* Fills t for the directive buf[0..end+3) ("<!--#name args -->"). */
static void directive(const char *buf, size_t end, struct mg__ssi_token *t) {
  size_t i = OPEN_LEN;
  while (i < end && (isalnum((unsigned char) buf[i]) || buf[i] == '_')) i++;
  t->kind = MG__SSI_DIRECTIVE;
  t->len = end + 3;
  t->name = mg_mk_str_n(buf + OPEN_LEN, i - OPEN_LEN);
  t->args = trim(mg_mk_str_n(buf + i, end - i));
}

void mg__ssi_scan(const char *buf, size_t len, int at_eof,
                  struct mg__ssi_token *t) {
  size_t at = find_open(buf, len), end;
  memset(t, 0, sizeof(*t));
  if (at > 0) { /* text up to a directive, or up to a possible one */
    t->kind = MG__SSI_TEXT;
    t->len = at < len || at_eof ? at : len - partial_open(buf, len);
    if (t->len == 0) t->kind = MG__SSI_MORE;
    return;
  }
  if (len == 0) {
    t->kind = at_eof ? MG__SSI_TEXT : MG__SSI_MORE;
    return;
  }
  end = find_close(
      buf, len < MG__SSI_MAX_DIRECTIVE ? len : MG__SSI_MAX_DIRECTIVE, OPEN_LEN);
  if (end + 3 <= len && end + 3 <= MG__SSI_MAX_DIRECTIVE) {
    directive(buf, end, t);
  } else if (at_eof || len >= MG__SSI_MAX_DIRECTIVE) {
    t->kind = MG__SSI_TEXT; /* never closed: the "<" is just text */
    t->len = 1;
  } else {
    t->kind = MG__SSI_MORE;
  }
}

/* A quoted string at the start of s ('"' or '\''): its contents. */
static int quoted(struct mg_str s, struct mg_str *out) {
  const char *q;
  if (s.len < 2 || (s.p[0] != '"' && s.p[0] != '\'')) return -1;
  q = (const char *) memchr(s.p + 1, s.p[0], s.len - 1);
  if (q == NULL || q == s.p + 1) return -1;
  if (trim(mg_mk_str_n(q + 1, (size_t) (s.p + s.len - q - 1))).len != 0) {
    return -1; /* something after the closing quote */
  }
  *out = mg_mk_str_n(s.p + 1, (size_t) (q - s.p - 1));
  return 0;
}

/* If s starts with key=, the rest after the '=' (spaces allowed). */
static int keyed(struct mg_str s, const char *key, struct mg_str *rest) {
  size_t n = strlen(key);
  if (s.len <= n || mg_ncasecmp(s.p, key, n) != 0) return 0;
  s = trim(mg_mk_str_n(s.p + n, s.len - n));
  if (s.len == 0 || s.p[0] != '=') return 0;
  *rest = trim(mg_mk_str_n(s.p + 1, s.len - 1));
  return 1;
}

int mg__ssi_include_arg(struct mg_str args, int *kind, struct mg_str *path) {
  struct mg_str rest;
  if (keyed(args, "virtual", &rest)) {
    *kind = 'v';
  } else if (keyed(args, "file", &rest)) {
    *kind = 'f';
  } else if (keyed(args, "abspath", &rest)) {
    *kind = 'a';
  } else {
    *kind = 'f';
    rest = args;
  }
  if (quoted(rest, path) != 0) return -1;
  return memchr(path->p, '\0', path->len) == NULL ? 0 : -1;
}

int mg__ssi_exec_arg(struct mg_str args, struct mg_str *cmd) {
  if (quoted(args, cmd) != 0) return -1;
  return memchr(cmd->p, '\0', cmd->len) == NULL ? 0 : -1;
}
