/* Non-owning string slices. */
#ifndef MG_STR_H
#define MG_STR_H

#include "mg/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A string slice: not NUL-terminated, not owned. */
struct mg_str {
  const char *p; /* first byte, may be NULL when len is 0 */
  size_t len;    /* length in bytes */
};

/* A slice over a NUL-terminated string (NULL gives an empty slice). */
struct mg_str mg_mk_str(const char *s);

/* A slice over `len` bytes at `s`. */
struct mg_str mg_mk_str_n(const char *s, size_t len);

/* A slice literal: MG_MK_STR("abc"). */
#define MG_MK_STR(str_literal) \
  { str_literal, sizeof(str_literal) - 1 }
#define MG_NULL_STR \
  { NULL, 0 }

/* Compares a slice with a C string like strcmp(). */
int mg_vcmp(const struct mg_str *str2, const char *str1);

/* Case-insensitive mg_vcmp(). */
int mg_vcasecmp(const struct mg_str *str2, const char *str1);

/* Compares two slices like strcmp() (shorter sorts first on a tie). */
int mg_strcmp(const struct mg_str str1, const struct mg_str str2);

/* Compares at most n bytes of two slices. */
int mg_strncmp(const struct mg_str str1, const struct mg_str str2, size_t n);

/* Case-insensitive mg_strcmp(). */
int mg_strcasecmp(const struct mg_str str1, const struct mg_str str2);

/* Heap copy (MG_MALLOC), NUL-terminated; free p with MG_FREE. */
struct mg_str mg_strdup(const struct mg_str s);

/* Like mg_strdup() and always NUL-terminated (the same as mg_strdup here). */
struct mg_str mg_strdup_nul(const struct mg_str s);

/* First occurrence of needle in haystack, or NULL. */
const char *mg_strstr(const struct mg_str haystack, const struct mg_str needle);

/* First occurrence of byte c in s, or NULL. */
const char *mg_strchr(const struct mg_str s, int c);

/* Removes leading and trailing white space. */
struct mg_str mg_strstrip(struct mg_str s);

/* Non-zero if s starts with prefix. */
int mg_str_starts_with(struct mg_str s, struct mg_str prefix);

/* Case-insensitive memcmp-like comparison of two byte ranges. */
int mg_ncasecmp(const char *s1, const char *s2, size_t len);

/* Case-insensitive strcmp(). */
int mg_casecmp(const char *s1, const char *s2);

/* Length of s, at most maxlen. */
size_t c_strnlen(const char *s, size_t maxlen);

/* snprintf()/vsnprintf() that always NUL-terminate and return what the full
 * output would have taken. */
int c_snprintf(char *buf, size_t buflen, const char *fmt, ...)
    MG_PRINTF_LIKE(3, 4);
int c_vsnprintf(char *buf, size_t buflen, const char *fmt, va_list ap);

/* Formats into *buf if it fits in size, else into a new heap buffer that
 * replaces *buf (the caller frees it when it differs from the original).
 * Returns the length, or -1 on allocation failure. */
int mg_asprintf(char **buf, size_t size, const char *fmt, ...)
    MG_PRINTF_LIKE(3, 4);
int mg_avprintf(char **buf, size_t size, const char *fmt, va_list ap);

/* Matches a glob-like pattern (`*` stops at `/`, `**` does not, `?` one
 * char, `$` end anchor, `|` alternatives) against str. Returns the number of
 * bytes matched, or -1 on no match (the reference's mg_match_prefix). */
int mg_match_prefix(const char *pattern, int pattern_len, const char *str);
int mg_match_prefix_n(const struct mg_str pattern, const struct mg_str str);

/* Walks a comma-separated list of `key[=value]` entries. Returns the rest of
 * the list after the entry, or NULL at the end. */
const char *mg_next_comma_list_entry(const char *list, struct mg_str *val,
                                     struct mg_str *eq_val);
struct mg_str mg_next_comma_list_entry_n(struct mg_str list, struct mg_str *val,
                                         struct mg_str *eq_val);

#ifdef __cplusplus
}
#endif

#endif /* MG_STR_H */
