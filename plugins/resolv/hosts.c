/* The hosts file: "address name [aliases...]" lines, '#' comments. */
#include "plugins/resolv/internal.h"

/* Non-zero if one of the names on the rest of the line is host. */
static int line_names(char **save, const char *host, size_t hlen) {
  char *tok;
  while ((tok = strtok_r(NULL, " \t\r\n", save)) != NULL) {
    size_t n = strlen(tok);
    if (n > 0 && tok[n - 1] == '.') n--;
    if (n == hlen && mg_ncasecmp(tok, host, n) == 0) return 1;
  }
  return 0;
}

/* Parses an address token into usa (port 0). Returns 0 or -1. */
static int parse_addr(const char *tok, union socket_address *usa) {
  memset(usa, 0, sizeof(*usa));
  if (inet_pton(AF_INET, tok, &usa->sin.sin_addr) == 1) {
    usa->sin.sin_family = AF_INET;
    return 0;
  }
#if MG_ENABLE_IPV6
  if (inet_pton(AF_INET6, tok, &usa->sin6.sin6_addr) == 1) {
    usa->sin6.sin6_family = AF_INET6;
    return 0;
  }
#endif
  return -1;
}

int mg__resolv_hosts_lookup(const char *path, const char *host,
                            union socket_address *usa) {
  char line[1024];
  union socket_address v6;
  int have_v6 = 0, skipping = 0, found = 0;
  size_t hlen;
  FILE *fp;
  if (host == NULL || usa == NULL || path == NULL) return -1;
  hlen = strlen(host);
  if (hlen > 0 && host[hlen - 1] == '.') hlen--;
  if (hlen == 0 || (fp = fopen(path, "r")) == NULL) return -1;
  while (!found && fgets(line, sizeof(line), fp) != NULL) {
    size_t len = strlen(line);
    int complete = len > 0 && line[len - 1] == '\n';
    char *save = NULL, *tok;
    union socket_address sa;
    int skip = skipping;
    skipping = !complete && !feof(fp); /* over-long lines are skipped */
    if (skip || skipping) continue;
    line[strcspn(line, "#")] = '\0';
    tok = strtok_r(line, " \t\r\n", &save);
    if (tok == NULL || parse_addr(tok, &sa) != 0 ||
        !line_names(&save, host, hlen)) {
      continue;
    }
    if (sa.sa.sa_family == AF_INET) {
      *usa = sa;
      found = 1;
    } else if (!have_v6) {
      v6 = sa;
      have_v6 = 1;
    }
  }
  fclose(fp);
  if (!found && have_v6) *usa = v6;
  return found || have_v6 ? 0 : -1;
}

int mg_resolve_from_hosts_file(const char *host, union socket_address *usa) {
  return mg__resolv_hosts_lookup(mg__resolv_hosts_path(), host, usa);
}
