/*
 * Claims (HTTP extension ABI version 2): the serve options a listener
 * declared (mg_http_set_serve_opts), and each request head offered, mapped
 * as mg_serve_http() would map it, to the extensions' claim hooks before
 * its body is read. A claimed request is held (hold.c).
 */
#include "plugins/http/internal.h"

#include <stddef.h>

/* --- Declared serve options (mg_http_set_serve_opts) --- */

/* Serve options shared by a listener and the connections it accepted. */
struct mg__http_shared_opts {
  int refs;                    /* holders */
  struct mg_serve_http_opts o; /* the options; strings follow the struct */
};

/* The string fields of struct mg_serve_http_opts. */
static const size_t s_opt_fields[] = {
    offsetof(struct mg_serve_http_opts, document_root),
    offsetof(struct mg_serve_http_opts, index_files),
    offsetof(struct mg_serve_http_opts, per_directory_auth_file),
    offsetof(struct mg_serve_http_opts, auth_domain),
    offsetof(struct mg_serve_http_opts, global_auth_file),
    offsetof(struct mg_serve_http_opts, enable_directory_listing),
    offsetof(struct mg_serve_http_opts, ssi_pattern),
    offsetof(struct mg_serve_http_opts, ip_acl),
    offsetof(struct mg_serve_http_opts, url_rewrites),
    offsetof(struct mg_serve_http_opts, dav_document_root),
    offsetof(struct mg_serve_http_opts, dav_auth_file),
    offsetof(struct mg_serve_http_opts, hidden_file_pattern),
    offsetof(struct mg_serve_http_opts, cgi_file_pattern),
    offsetof(struct mg_serve_http_opts, cgi_interpreter),
    offsetof(struct mg_serve_http_opts, custom_mime_types),
    offsetof(struct mg_serve_http_opts, extra_headers),
};
#define NUM_OPT_FIELDS (sizeof(s_opt_fields) / sizeof(s_opt_fields[0]))

static const char **opt_field(struct mg_serve_http_opts *o, size_t i) {
  return (const char **) (void *) ((char *) o + s_opt_fields[i]);
}

/* A heap copy of src with its strings, one reference. */
static struct mg__http_shared_opts *copy_opts(
    const struct mg_serve_http_opts *src) {
  struct mg_serve_http_opts tmp = *src;
  struct mg__http_shared_opts *s;
  size_t i, total = sizeof(*s);
  char *p;
  for (i = 0; i < NUM_OPT_FIELDS; i++) {
    const char *v = *opt_field(&tmp, i);
    if (v != NULL) total += strlen(v) + 1;
  }
  s = (struct mg__http_shared_opts *) MG_MALLOC(total);
  if (s == NULL) return NULL;
  s->refs = 1;
  s->o = *src;
  p = (char *) (s + 1);
  for (i = 0; i < NUM_OPT_FIELDS; i++) {
    const char **f = opt_field(&s->o, i);
    if (*f != NULL) {
      size_t n = strlen(*f) + 1;
      memcpy(p, *f, n);
      *f = p;
      p += n;
    }
  }
  return s;
}

struct mg_serve_http_opts *mg_http_ext_opts_dup(
    const struct mg_serve_http_opts *opts) {
  struct mg__http_shared_opts *s = opts == NULL ? NULL : copy_opts(opts);
  return s == NULL ? NULL : &s->o;
}

void mg_http_ext_opts_free(struct mg_serve_http_opts *opts) {
  if (opts != NULL) {
    MG_FREE((char *) opts - offsetof(struct mg__http_shared_opts, o));
  }
}

struct mg__http_shared_opts *mg__http_serve_opts_ref(
    struct mg__http_shared_opts *s) {
  if (s != NULL) s->refs++;
  return s;
}

void mg__http_serve_opts_free(struct mg__http_conn *hc) {
  struct mg__http_shared_opts *s = hc->serve_opts;
  hc->serve_opts = NULL;
  if (s != NULL && --s->refs == 0) MG_FREE(s);
}

void mg_http_set_serve_opts(struct mg_connection *nc,
                            struct mg_serve_http_opts opts) {
  struct mg__http_conn *hc;
  struct mg__http_shared_opts *s;
  if (nc == NULL) return;
  mg_set_protocol_http_websocket(nc);
  hc = mg__http_conn(nc);
  s = copy_opts(&opts);
  if (hc == NULL || s == NULL) {
    MG_FREE(s);
    return;
  }
  mg__http_serve_opts_free(hc);
  hc->serve_opts = s;
}

const struct mg_serve_http_opts *mg_http_ext_serve_opts(
    struct mg_connection *nc) {
  struct mg__http_conn *hc = mg__http_conn(nc);
  return hc == NULL || hc->serve_opts == NULL ? NULL : &hc->serve_opts->o;
}

/* --- Claims --- */

/* The holder of a request whose claim hook answered without holding: the
 * body is dropped and the response is complete. */
static size_t drop_body(struct mg_connection *nc, void *req, const char *data,
                        size_t len, int last) {
  (void) nc;
  (void) req;
  (void) data;
  (void) last;
  return len;
}

static int drop_produce(struct mg_connection *nc, void *req) {
  (void) nc;
  (void) req;
  return 1;
}

static void drop_finish(struct mg_connection *nc, void *req, int aborted) {
  (void) nc;
  (void) req;
  (void) aborted;
}

static const struct mg_http_ext s_drop = {
    .version = MG_HTTP_EXT_VERSION,
    .name = "drop",
    .upgrade = NULL,
    .reply = NULL,
    .access = NULL,
    .serve = NULL,
    .claim = NULL,
    .body = drop_body,
    .produce = drop_produce,
    .finish = drop_finish,
};

/* Non-zero if an extension has a claim hook. */
static int any_claim_hook(const struct mg__http_mgr *m) {
  int i;
  for (i = 0; m != NULL && i < m->num_exts; i++) {
    if (m->exts[i]->claim != NULL) return 1;
  }
  return 0;
}

/* Runs the claim hooks on the mapped request. Returns 1 if one took it. */
static int run_claims(struct mg_connection *nc, struct mg__http_conn *hc,
                      struct http_message *hm, const char *path,
                      const cs_stat_t *st) {
  struct mg__http_mgr *m = mg__http_mgr(nc->mgr);
  const struct mg_serve_http_opts *o = &hc->serve_opts->o;
  int i, taken = 0;
  hc->dispatching = 1;
  for (i = 0; i < m->num_exts && !taken && !hc->layer->dead; i++) {
    if (m->exts[i]->claim != NULL) {
      taken = m->exts[i]->claim(nc, hm, path, st, o);
    }
  }
  if (taken && hc->hold == NULL && !hc->layer->dead &&
      mg_http_ext_hold(nc, &s_drop, NULL) != 0) {
    nc->flags |= MG_F_CLOSE_IMMEDIATELY; /* out of memory */
  }
  hc->dispatching = 0;
  return taken;
}

int mg__http_try_claim(struct mg_connection *nc, struct mg__http_conn *hc,
                       struct http_message *hm, const struct mg__http_frame *f,
                       size_t n) {
  char path[4096];
  cs_stat_t st;
  int exists = 0;
  if (hc->serve_opts == NULL || hc->cur_ep != NULL ||
      !any_claim_hook(mg__http_mgr(nc->mgr)) ||
      mg__http_map_quiet(nc, hm, &hc->serve_opts->o, path, sizeof(path), &st,
                         &exists) != 0) {
    return 0;
  }
  hc->cur_head_len = n;
  if (!run_claims(nc, hc, hm, path, exists ? &st : NULL)) return 0;
  if (hc->layer->dead || hc->hold == NULL) return 1;
  mg__http_hold_body(nc, hc, f, n,
                     f->expect_continue && hc->hold->ext != &s_drop);
  return 1;
}
