/* Configuration: nameserver strings, resolv.conf, the files' paths. */
#include "plugins/resolv/internal.h"

/* glibc's limits for the options (resolv.conf(5)). */
#define MAX_NDOTS 15
#define MAX_TIMEOUT 30
#define MAX_ATTEMPTS 5

const char *mg__resolv_conf_path(void) {
  const char *p = getenv("MG_RESOLV_CONF");
  return p != NULL && *p != '\0' ? p : "/etc/resolv.conf";
}

const char *mg__resolv_hosts_path(void) {
  const char *p = getenv("MG_HOSTS_FILE");
  return p != NULL && *p != '\0' ? p : "/etc/hosts";
}

int mg__resolv_is_loopback(const union socket_address *sa) {
  if (sa->sa.sa_family == AF_INET) {
    return (ntohl(sa->sin.sin_addr.s_addr) >> 24) == 127;
  }
#if MG_ENABLE_IPV6
  if (sa->sa.sa_family == AF_INET6) {
    const struct in6_addr *a = &sa->sin6.sin6_addr;
    return IN6_IS_ADDR_LOOPBACK(a) ||
           (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
  }
#endif
  return 0;
}

/* A decimal port 1-65535, or -1. */
static long parse_port(const char *s) {
  long v = 0;
  int n = 0;
  for (; *s >= '0' && *s <= '9' && n < 6; s++, n++) v = v * 10 + (*s - '0');
  return (*s != '\0' || n == 0 || v < 1 || v > 65535) ? -1 : v;
}

/* Fills sa from a literal address and a port. Returns 0 or -1. */
static int set_addr(union socket_address *sa, const char *host, long port,
                    int v6_only) {
  memset(sa, 0, sizeof(*sa));
  if (port < 0) return -1;
  if (!v6_only && inet_pton(AF_INET, host, &sa->sin.sin_addr) == 1) {
    sa->sin.sin_family = AF_INET;
    sa->sin.sin_port = htons((uint16_t) port);
    return 0;
  }
#if MG_ENABLE_IPV6
  if (inet_pton(AF_INET6, host, &sa->sin6.sin6_addr) == 1) {
    sa->sin6.sin6_family = AF_INET6;
    sa->sin6.sin6_port = htons((uint16_t) port);
    return 0;
  }
#endif
  return -1;
}

int mg__resolv_parse_ns(const char *s, size_t len, struct mg__resolv_ns *ns) {
  char buf[128], *p = buf, *colon;
  memset(ns, 0, sizeof(*ns));
  if (s == NULL || len == 0 || len >= sizeof(buf)) return -1;
  memcpy(buf, s, len);
  buf[len] = '\0';
  if (strncmp(p, "udp://", 6) == 0) {
    p += 6;
  } else if (strncmp(p, "tcp://", 6) == 0) {
    ns->tcp = 1;
    p += 6;
  }
  if (*p == '[') { /* [v6] or [v6]:port */
    char *end = strchr(p, ']');
    if (end == NULL || (end[1] != '\0' && end[1] != ':')) return -1;
    *end = '\0';
    return set_addr(&ns->sa, p + 1, end[1] ? parse_port(end + 2) : 53, 1);
  }
  colon = strchr(p, ':');
  if (colon != NULL && strchr(colon + 1, ':') == NULL) { /* host:port */
    *colon = '\0';
    return set_addr(&ns->sa, p, parse_port(colon + 1), 0);
  }
  return set_addr(&ns->sa, p, 53, 0); /* a bare v4 or v6 address */
}

int mg__resolv_parse_ns_list(const char *s, struct mg__resolv_ns *ns, int max) {
  int n = 0;
  while (s != NULL && *s != '\0') {
    size_t len = strcspn(s, ", \t");
    if (len > 0) {
      struct mg__resolv_ns one;
      if (mg__resolv_parse_ns(s, len, &one) != 0) return -1;
      if (n < max) ns[n++] = one;
    }
    s += len;
    if (*s != '\0') s++;
  }
  return n;
}

/* Adds a search domain (a trailing dot dropped) if it encodes. */
static void add_search(struct mg__resolv_conf *conf, const char *d) {
  unsigned char wire[MG__DNS_NAME_MAX];
  size_t len = strlen(d);
  if (len > 0 && d[len - 1] == '.') len--;
  if (len == 0 || conf->num_search >= MG__RESOLV_MAX_SEARCH ||
      mg__dns_name_to_wire(d, len, wire) < 0) {
    return;
  }
  memcpy(conf->search[conf->num_search], d, len);
  conf->search[conf->num_search][len] = '\0';
  conf->num_search++;
}

/* "name:N" with N in 0..max into *v; other options are ignored. */
static void set_option(const char *tok, const char *name, int *v, int min,
                       int max) {
  size_t n = strlen(name);
  if (strncmp(tok, name, n) == 0 && tok[n] == ':') {
    long x = 0;
    const char *p = tok + n + 1;
    if (*p == '\0') return;
    for (; *p >= '0' && *p <= '9' && x <= 1000; p++) x = x * 10 + (*p - '0');
    if (*p != '\0') return;
    *v = x < min ? min : x > max ? max : (int) x;
  }
}

/* Applies one line (comments already cut). */
static void apply_line(struct mg__resolv_conf *conf, char *line) {
  char *save = NULL, *key = strtok_r(line, " \t\r\n", &save), *tok;
  if (key == NULL) return;
  if (strcmp(key, "nameserver") == 0) {
    tok = strtok_r(NULL, " \t\r\n", &save);
    if (tok != NULL && conf->num_ns < MG__RESOLV_MAX_NS &&
        mg__resolv_parse_ns(tok, strlen(tok), &conf->ns[conf->num_ns]) == 0) {
      conf->num_ns++;
    }
  } else if (strcmp(key, "search") == 0 || strcmp(key, "domain") == 0) {
    int only_one = key[0] == 'd';
    conf->num_search = 0; /* the last search or domain line wins */
    while ((tok = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
      add_search(conf, tok);
      if (only_one) break;
    }
  } else if (strcmp(key, "options") == 0) {
    while ((tok = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
      set_option(tok, "ndots", &conf->ndots, 0, MAX_NDOTS);
      set_option(tok, "timeout", &conf->timeout, 1, MAX_TIMEOUT);
      set_option(tok, "attempts", &conf->attempts, 1, MAX_ATTEMPTS);
    }
  }
}

/* Reads lines of fp into conf; over-long lines are skipped whole. */
static void read_conf(FILE *fp, struct mg__resolv_conf *conf) {
  char line[1024];
  int skipping = 0;
  while (fgets(line, sizeof(line), fp) != NULL) {
    size_t len = strlen(line);
    int complete = len > 0 && line[len - 1] == '\n';
    if (!skipping && (complete || feof(fp))) {
      line[strcspn(line, "#;")] = '\0';
      apply_line(conf, line);
    }
    skipping = !complete && !feof(fp);
  }
}

void mg__resolv_load_conf(const char *path, struct mg__resolv_conf *conf) {
  FILE *fp = path != NULL ? fopen(path, "r") : NULL;
  memset(conf, 0, sizeof(*conf));
  conf->ndots = 1;
  if (fp != NULL) {
    read_conf(fp, conf);
    fclose(fp);
  }
  if (conf->num_ns == 0) { /* the reference's default, as a last resort */
    mg__resolv_parse_ns("8.8.8.8", 7, &conf->ns[0]);
    conf->num_ns = 1;
  }
}
