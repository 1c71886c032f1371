/*
 * The environment of a CGI script (RFC 3875 section 4.1): built from the
 * request, never inherited wholesale. Of the server's own environment only
 * PATH, TZ, LANG and LC_ALL pass through. Request headers become HTTP_*
 * variables, except Proxy (httpoxy: no HTTP_PROXY is ever made) and the
 * two the RFC gives their own names (Content-Length, Content-Type); a
 * header whose name cannot be an environment name is dropped.
 */
#include "plugins/cgi/internal.h"

#include <ctype.h>

#define MAX_VARS (MG_MAX_HTTP_HEADERS + 40) /* variables at most */

/* The server's variables a script may see. */
static const char *const s_pass[] = {"PATH", "TZ", "LANG", "LC_ALL"};

/* The environment being built. */
struct builder {
  struct mbuf strings;   /* "NAME=value\0" ... */
  size_t offs[MAX_VARS]; /* where each string starts */
  int n;                 /* strings so far */
  int failed;            /* ran out of room or memory */
};

/* Adds NAME=value. */
static void add(struct builder *b, const char *name, struct mg_str value) {
  size_t nl = strlen(name), start = b->strings.len;
  if (b->n >= MAX_VARS ||
      (value.len > 0 && memchr(value.p, 0, value.len) != NULL)) {
    b->failed |= b->n >= MAX_VARS;
    return;
  }
  if (mbuf_append(&b->strings, name, nl) != nl ||
      mbuf_append(&b->strings, "=", 1) != 1 ||
      (value.len > 0 &&
       mbuf_append(&b->strings, value.p, value.len) != value.len) ||
      mbuf_append(&b->strings, "", 1) != 1) {
    b->failed = 1;
    return;
  }
  b->offs[b->n++] = start;
}

static void add_c(struct builder *b, const char *name, const char *value) {
  add(b, name, mg_mk_str(value != NULL ? value : ""));
}

/* The address or port of nc (flags: MG_SOCK_STRINGIFY_*). */
static void add_addr(struct builder *b, const char *name,
                     struct mg_connection *nc, int flags) {
  char buf[64];
  mg_conn_addr_to_str(nc, buf, sizeof(buf), flags);
  add_c(b, name, buf);
}

/* HTTP_NAME for a request header; dropped if the name cannot be one. */
static void add_header(struct builder *b, struct mg_str name,
                       struct mg_str value) {
  char var[128] = "HTTP_";
  size_t i;
  if (name.len == 0 || name.len > sizeof(var) - 6 ||
      mg_vcasecmp(&name, "Proxy") == 0 ||
      mg_vcasecmp(&name, "Content-Length") == 0 ||
      mg_vcasecmp(&name, "Content-Type") == 0) {
    return;
  }
  for (i = 0; i < name.len; i++) {
    int c = (unsigned char) name.p[i];
    if (c == '-') {
      c = '_';
    } else if (!isalnum(c)) {
      return; /* not an environment name */
    }
    var[5 + i] = (char) toupper(c);
  }
  var[5 + i] = '\0';
  add(b, var, value);
}

/* SERVER_NAME: the Host header without its port, else the local address. */
static void add_server_name(struct builder *b,
                            const struct mg__cgi_env_in *in) {
  struct mg_str *host = mg_get_http_header(in->hm, "Host");
  struct mg_str h;
  const char *colon;
  if (host == NULL || host->len == 0) {
    add_addr(b, "SERVER_NAME", in->nc, MG_SOCK_STRINGIFY_IP);
    return;
  }
  h = *host;
  colon = h.p[0] == '[' ? NULL : mg_strchr(h, ':');
  if (colon != NULL) h.len = (size_t) (colon - h.p);
  add(b, "SERVER_NAME", h);
}

/* AUTH_TYPE and REMOTE_USER when the request passed digest auth. */
static void add_auth(struct builder *b, const struct mg__cgi_env_in *in) {
  struct mg_str *a = mg_get_http_header(in->hm, "Authorization");
  char user[256];
  if (a == NULL || (in->opts->global_auth_file == NULL &&
                    in->opts->per_directory_auth_file == NULL)) {
    return;
  }
  if (a->len > 7 && mg_ncasecmp(a->p, "Digest ", 7) == 0 &&
      mg_http_parse_header(a, "username", user, sizeof(user)) > 0) {
    add_c(b, "AUTH_TYPE", "Digest");
    add_c(b, "REMOTE_USER", user);
  }
}

/* The variables of the request line and the script. */
static void add_request(struct builder *b, const struct mg__cgi_env_in *in) {
  struct http_message *hm = in->hm;
  struct mg_str *ct = mg_get_http_header(hm, "Content-Type");
  struct mg_str *cl = mg_get_http_header(hm, "Content-Length");
  const char *root = in->opts->document_root ? in->opts->document_root : ".";
  char translated[4096];
  add(b, "REQUEST_METHOD", hm->method);
  add(b, "QUERY_STRING", hm->query_string);
  add(b, "REQUEST_URI",
      mg_mk_str_n(hm->uri.p, hm->query_string.len > 0
                                 ? (size_t) (hm->query_string.p +
                                             hm->query_string.len - hm->uri.p)
                                 : hm->uri.len));
  add(b, "SERVER_PROTOCOL", hm->proto);
  add_c(b, "SCRIPT_FILENAME", in->script);
  add(b, "SCRIPT_NAME", in->script_name);
  add_c(b, "DOCUMENT_ROOT", root);
  if (in->path_info.len > 0) {
    add(b, "PATH_INFO", in->path_info);
    snprintf(translated, sizeof(translated), "%s%.*s", root,
             (int) in->path_info.len, in->path_info.p);
    add_c(b, "PATH_TRANSLATED", translated);
  }
  if (cl != NULL) add(b, "CONTENT_LENGTH", *cl);
  if (ct != NULL) add(b, "CONTENT_TYPE", *ct);
}

/* The variables of the server and the connection. */
static void add_server(struct builder *b, const struct mg__cgi_env_in *in) {
  size_t i;
  add_c(b, "GATEWAY_INTERFACE", "CGI/1.1");
  add_c(b, "SERVER_SOFTWARE", "mongoose/" MG_VERSION);
  add_c(b, "REDIRECT_STATUS", "200"); /* php-cgi runs only with it */
  add_server_name(b, in);
  add_addr(b, "SERVER_PORT", in->nc, MG_SOCK_STRINGIFY_PORT);
  add_addr(b, "REMOTE_ADDR", in->nc,
           MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_REMOTE);
  add_addr(b, "REMOTE_PORT", in->nc,
           MG_SOCK_STRINGIFY_PORT | MG_SOCK_STRINGIFY_REMOTE);
  add_c(b, "HTTPS", (in->nc->flags & MG_F_SSL) ? "on" : "off");
  for (i = 0; i < sizeof(s_pass) / sizeof(s_pass[0]); i++) {
    const char *v = getenv(s_pass[i]);
    if (v != NULL) add_c(b, s_pass[i], v);
  }
  if (getenv("PATH") == NULL) add_c(b, "PATH", "/usr/local/bin:/usr/bin:/bin");
}

/* envp pointing into the finished string block. */
static int finish(struct builder *b, struct mg__cgi_env *e) {
  int i;
  e->envp = (char **) MG_CALLOC((size_t) b->n + 1, sizeof(char *));
  if (e->envp == NULL || b->failed) {
    MG_FREE(e->envp);
    mbuf_free(&b->strings);
    return -1;
  }
  e->block = b->strings.buf;
  for (i = 0; i < b->n; i++) e->envp[i] = e->block + b->offs[i];
  return 0;
}

int mg__cgi_env_build(const struct mg__cgi_env_in *in, struct mg__cgi_env *e) {
  struct builder *b = (struct builder *) MG_CALLOC(1, sizeof(*b));
  int i, rc;
  memset(e, 0, sizeof(*e));
  if (b == NULL) return -1;
  mbuf_init(&b->strings, 2048);
  add_server(b, in);
  add_request(b, in);
  add_auth(b, in);
  for (i = 0; i < MG_MAX_HTTP_HEADERS && in->hm->header_names[i].len > 0; i++) {
    add_header(b, in->hm->header_names[i], in->hm->header_values[i]);
  }
  rc = finish(b, e);
  MG_FREE(b);
  return rc;
}

void mg__cgi_env_free(struct mg__cgi_env *e) {
  MG_FREE(e->block);
  MG_FREE(e->envp);
  e->block = NULL;
  e->envp = NULL;
}
