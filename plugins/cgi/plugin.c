/*
 * The cgi plugin: its descriptor and options, and the http extension that
 * finds scripts (cgi_file_pattern, PATH_INFO after the script's name) and
 * runs one per request: at head time with the body streamed when the
 * program declared its serve options, else from mg_serve_http() with the
 * body buffered.
 */
#include "plugins/cgi/internal.h"

#define DEFAULT_PATTERN "**.cgi$|**.php$"

/* Per-manager state. */
struct cgi_mgr {
  struct mg_cgi_opts opts; /* as set, zeros meaning the defaults */
};

static void defaults(struct mg_cgi_opts *o) {
  if (o->timeout == 0) o->timeout = 30;
  if (o->max_header_size == 0) o->max_header_size = 16 * 1024;
}

static struct mg_cgi_opts opts_of(struct mg_mgr *mgr) {
  struct cgi_mgr *m =
      (struct cgi_mgr *) mg_plugin_mgr_state(mgr, &mg_plugin_cgi);
  struct mg_cgi_opts o;
  memset(&o, 0, sizeof(o));
  if (m != NULL) o = m->opts;
  defaults(&o);
  return o;
}

struct mg_cgi_opts mg_cgi_get_options(struct mg_mgr *mgr) {
  return opts_of(mgr);
}

int mg_cgi_set_options(struct mg_mgr *mgr, const struct mg_cgi_opts *opts) {
  struct cgi_mgr *m =
      (struct cgi_mgr *) mg_plugin_mgr_state(mgr, &mg_plugin_cgi);
  if (m == NULL || opts == NULL) return -1;
  m->opts = *opts;
  return 0;
}

static int cgi_claim(struct mg_connection *nc, struct http_message *hm,
                     const char *path, const cs_stat_t *st,
                     const struct mg_serve_http_opts *opts);
static int cgi_serve(struct mg_connection *nc, struct http_message *hm,
                     const char *path, const cs_stat_t *st,
                     const struct mg_serve_http_opts *opts);
static size_t cgi_body(struct mg_connection *nc, void *req, const char *data,
                       size_t len, int last);
static int cgi_produce(struct mg_connection *nc, void *req);
static void cgi_finish(struct mg_connection *nc, void *req, int aborted);

static const struct mg_http_ext cgi_http_ext = {
    .version = MG_HTTP_EXT_VERSION,
    .name = "cgi",
    .upgrade = NULL,
    .reply = NULL,
    .access = NULL,
    .serve = cgi_serve,
    .claim = cgi_claim,
    .body = cgi_body,
    .produce = cgi_produce,
    .finish = cgi_finish,
};

/* Non-zero if path names a script under o. */
static int is_script(const char *path, const cs_stat_t *st,
                     const struct mg_serve_http_opts *o) {
  const char *pat = o->cgi_file_pattern ? o->cgi_file_pattern : DEFAULT_PATTERN;
  return st != NULL && S_ISREG(st->st_mode) &&
         mg_match_prefix(pat, (int) strlen(pat), path) > 0;
}

/* The script path names, or the script a prefix of it names (the rest is
 * PATH_INFO). Returns 0 with script and *info_len, or -1. */
static int find_script(const char *path, const cs_stat_t *st,
                       const struct mg_serve_http_opts *o, char *script,
                       size_t script_len, size_t *info_len) {
  size_t n = strlen(path);
  cs_stat_t s;
  if (n >= script_len) return -1;
  strcpy(script, path);
  *info_len = 0;
  if (is_script(script, st, o)) return 0;
  if (st != NULL) return -1;
  while (n > 1) {
    while (n > 1 && script[n - 1] != '/') n--;
    if (n <= 1) break;
    script[--n] = '\0';
    if (mg_stat(script, &s) == 0) {
      if (!is_script(script, &s, o)) return -1;
      *info_len = strlen(path) - n;
      return 0;
    }
  }
  return -1;
}

/* Starts the script for the request and holds it. Returns 1 if it was a
 * script request (answered one way or another), else 0. */
static int run(struct mg_connection *nc, struct http_message *hm,
               const char *path, const cs_stat_t *st,
               const struct mg_serve_http_opts *o, const struct mg_str *body) {
  char script[4096];
  size_t info_len;
  struct mg__cgi_req *r;
  struct mg_cgi_opts co = opts_of(nc->mgr);
  if (find_script(path, st, o, script, sizeof(script), &info_len) != 0) {
    return 0;
  }
  r = mg__cgi_req_start(nc, hm, script,
                        mg_mk_str_n(path + strlen(path) - info_len, info_len),
                        o, &co, body);
  if (r != NULL && mg_http_ext_hold(nc, &cgi_http_ext, r) != 0) {
    mg__cgi_req_free(r);
    mg_http_send_error(nc, 500, NULL); /* not inside the request's event */
  }
  return 1;
}

static int cgi_claim(struct mg_connection *nc, struct http_message *hm,
                     const char *path, const cs_stat_t *st,
                     const struct mg_serve_http_opts *opts) {
  return run(nc, hm, path, st, opts, NULL);
}

static int cgi_serve(struct mg_connection *nc, struct http_message *hm,
                     const char *path, const cs_stat_t *st,
                     const struct mg_serve_http_opts *opts) {
  return run(nc, hm, path, st, opts, &hm->body);
}

static size_t cgi_body(struct mg_connection *nc, void *req, const char *data,
                       size_t len, int last) {
  (void) nc;
  return mg__cgi_req_input((struct mg__cgi_req *) req, data, len, last);
}

static int cgi_produce(struct mg_connection *nc, void *req) {
  (void) nc;
  return mg__cgi_req_output((struct mg__cgi_req *) req);
}

static void cgi_finish(struct mg_connection *nc, void *req, int aborted) {
  (void) nc;
  (void) aborted;
  mg__cgi_req_free((struct mg__cgi_req *) req);
}

static int cgi_init(struct mg_mgr *mgr, void *state) {
  (void) state;
  return mg_http_ext_register(mgr, &cgi_http_ext);
}

static const struct mg_plugin *const cgi_deps[] = {&mg_plugin_http, NULL};

const struct mg_plugin mg_plugin_cgi = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "cgi",
    .deps = cgi_deps,
    .ev_first = MG_EV_CGI_FIRST,
    .ev_last = MG_EV_CGI_LAST,
    .mgr_state_size = sizeof(struct cgi_mgr),
    .conn_state_size = 0,
    .init = cgi_init,
    .free = NULL,
    .attach = NULL,
    .detach = NULL,
    .event = NULL,
};
