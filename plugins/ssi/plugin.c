/*
 * The ssi plugin: its descriptor, and the http extension whose serve hook
 * takes the files matching ssi_pattern and produces them over many polls.
 */
#include "plugins/ssi/internal.h"

#define SYNC_STEPS 100000 /* bound of a page produced outside a request */

static int ssi_produce(struct mg_connection *nc, void *req) {
  return mg__ssi_page_produce(nc, (struct mg__ssi_page *) req);
}

static void ssi_finish(struct mg_connection *nc, void *req, int aborted) {
  (void) nc;
  (void) aborted;
  mg__ssi_page_free((struct mg__ssi_page *) req);
}

static int ssi_serve(struct mg_connection *nc, struct http_message *hm,
                     const char *path, const cs_stat_t *st,
                     const struct mg_serve_http_opts *opts);

static const struct mg_http_ext ssi_http_ext = {
    .version = MG_HTTP_EXT_VERSION,
    .name = "ssi",
    .upgrade = NULL,
    .reply = NULL,
    .access = NULL,
    .serve = ssi_serve,
    .claim = NULL,
    .body = NULL,
    .produce = ssi_produce,
    .finish = ssi_finish,
};

/* Non-zero if the request is for an SSI page. */
static int wants_ssi(struct http_message *hm, const char *path,
                     const cs_stat_t *st, const struct mg_serve_http_opts *o) {
  const char *pat =
      o->ssi_pattern != NULL ? o->ssi_pattern : "**.shtml$|**.shtm$";
  return st != NULL && S_ISREG(st->st_mode) &&
         (mg_vcmp(&hm->method, "GET") == 0 ||
          mg_vcmp(&hm->method, "HEAD") == 0) &&
         mg_match_prefix(pat, (int) strlen(pat), path) > 0;
}

static int ssi_serve(struct mg_connection *nc, struct http_message *hm,
                     const char *path, const cs_stat_t *st,
                     const struct mg_serve_http_opts *opts) {
  struct mg__ssi_page *p;
  int i;
  if (!wants_ssi(hm, path, st, opts)) return 0;
  p = mg__ssi_page_start(nc, hm, path, opts);
  if (p == NULL) return 1; /* answered with an error */
  if (mg_vcmp(&hm->method, "HEAD") == 0) {
    mg__ssi_page_free(p);
    return 1;
  }
  if (mg_http_ext_hold(nc, &ssi_http_ext, p) == 0) return 1;
  /* Not inside the request's event: produce it all now. */
  for (i = 0; i < SYNC_STEPS && !mg__ssi_page_produce(nc, p); i++) {
  }
  mg__ssi_page_free(p);
  return 1;
}

static int ssi_init(struct mg_mgr *mgr, void *state) {
  (void) state;
  return mg_http_ext_register(mgr, &ssi_http_ext);
}

static const struct mg_plugin *const ssi_deps[] = {&mg_plugin_http, NULL};

const struct mg_plugin mg_plugin_ssi = {
    .abi_version = MG_PLUGIN_ABI_VERSION,
    .name = "ssi",
    .deps = ssi_deps,
    .ev_first = MG_EV_SSI_FIRST,
    .ev_last = MG_EV_SSI_LAST,
    .mgr_state_size = 0,
    .conn_state_size = 0,
    .init = ssi_init,
    .free = NULL,
    .attach = NULL,
    .detach = NULL,
    .event = NULL,
};
