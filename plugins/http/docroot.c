/*
 * mg_serve_http(): maps a request to the file system as the options say:
 * IP ACL, URL rewrites (prefixes, virtual hosts, port redirects, reverse
 * proxy), safe path mapping, hidden files, digest auth, extension hooks,
 * index files and directory listings.
 *
 * Path mapping decodes the URI once, refuses NUL, backslashes and any
 * ".." that would climb above the root, and resolves "." and ".." before
 * the path reaches the file system: no byte outside the root is served.
 */
#include "plugins/http/internal.h"

#include <dirent.h>

#define MAX_PATH_LEN 4096
#define DEFAULT_INDEX "index.html,index.htm,index.shtml,index.cgi,index.php"

/* What one request maps to. */
struct target {
  char root[MAX_PATH_LEN]; /* document root (or a rewrite's target) */
  struct mg_str rel;       /* part of the URI below root */
  char path[MAX_PATH_LEN]; /* file system path */
};

/* Decodes and normalizes uri into out ("/a/b"). Returns 0 or a status. */
static int clean_path(struct mg_str uri, char *out, size_t out_len) {
  char dec[MAX_PATH_LEN];
  int n, i;
  size_t o = 0;
  if (uri.len >= sizeof(dec)) return 414;
  n = mg_url_decode(uri.p, (int) uri.len, dec, (int) sizeof(dec), 0);
  if (n < 0 || memchr(dec, '\0', (size_t) n) != NULL ||
      memchr(dec, '\\', (size_t) n) != NULL) {
    return 400;
  }
  for (i = 0; i < n;) {
    int j = i;
    while (j < n && dec[j] != '/') j++;
    if ((j - i == 2 && dec[i] == '.' && dec[i + 1] == '.')) {
      if (o == 0) return 400; /* above the root */
      while (o > 0 && out[o - 1] != '/') o--;
      if (o > 0) o--;
    } else if (j > i && !(j - i == 1 && dec[i] == '.')) {
      if (o + 1 + (size_t) (j - i) + 1 > out_len) return 414;
      out[o++] = '/';
      memcpy(out + o, dec + i, (size_t) (j - i));
      o += (size_t) (j - i);
    }
    i = j + 1;
  }
  out[o] = '\0';
  return 0;
}

/* Non-zero if the file name is hidden from clients. */
static int is_hidden(struct mg_str name, const struct mg_serve_http_opts *o) {
  if (o->per_directory_auth_file != NULL &&
      mg_vcmp(&name, o->per_directory_auth_file) == 0) {
    return 1;
  }
  return o->hidden_file_pattern != NULL &&
         mg_match_prefix_n(mg_mk_str(o->hidden_file_pattern), name) > 0;
}

/* Non-zero if a component of the clean path p is hidden. */
static int path_hidden(const char *p, const struct mg_serve_http_opts *o) {
  while (*p == '/') {
    const char *e = strchr(p + 1, '/');
    size_t n = e == NULL ? strlen(p + 1) : (size_t) (e - p - 1);
    if (is_hidden(mg_mk_str_n(p + 1, n), o)) return 1;
    if (e == NULL) break;
    p = e;
  }
  return 0;
}

/* The listening port of nc. */
static int local_port(struct mg_connection *nc) {
  char buf[16];
  mg_conn_addr_to_str(nc, buf, sizeof(buf), MG_SOCK_STRINGIFY_PORT);
  return atoi(buf);
}

/* Host header without a port. */
static struct mg_str host_name(struct http_message *hm) {
  struct mg_str *h = mg_get_http_header(hm, "Host"), r = mg_mk_str_n(NULL, 0);
  const char *colon;
  if (h == NULL) return r;
  r = *h;
  colon = mg_strchr(r, ':');
  if (colon != NULL && r.p[0] != '[') r.len = (size_t) (colon - r.p);
  return r;
}

static void set_root(struct target *t, struct mg_str dir) {
  snprintf(t->root, sizeof(t->root), "%.*s", (int) dir.len, dir.p);
}

/* Applies url_rewrites. Returns 1 if the request was answered (quiet: if
 * it would be, without answering). */
static int rewrite(struct mg_connection *nc, struct http_message *hm,
                   const struct mg_serve_http_opts *o, struct target *t,
                   int quiet) {
  struct mg_str list, k, v, best_k = mg_mk_str_n(NULL, 0), best_v = best_k;
  if (o->url_rewrites == NULL) return 0;
  list = mg_mk_str(o->url_rewrites);
  while (list.len > 0) {
    list = mg_next_comma_list_entry_n(list, &k, &v);
    if (k.len > 1 && k.p[0] == '@') {
      struct mg_str want = mg_mk_str_n(k.p + 1, k.len - 1),
                    host = host_name(hm);
      if (mg_strcasecmp(want, host) == 0) set_root(t, v);
    } else if (k.len > 1 && k.p[0] == '%') {
      if (atoi(k.p + 1) == local_port(nc)) {
        if (quiet) return 1;
        mg_printf(
            nc,
            "HTTP/1.1 301 Moved Permanently\r\nLocation: %.*s%.*s%s%.*s\r\n"
            "Content-Length: 0\r\n\r\n",
            (int) v.len, v.p, (int) hm->uri.len, hm->uri.p,
            hm->query_string.len > 0 ? "?" : "", (int) hm->query_string.len,
            hm->query_string.p);
        return 1;
      }
    } else if (k.len > 0 && mg_str_starts_with(hm->uri, k) &&
               k.len > best_k.len) {
      best_k = k;
      best_v = v;
    }
    if (list.p == NULL) break;
  }
  if (best_k.len == 0) return 0;
  if (best_v.len > 7 && (mg_ncasecmp(best_v.p, "http://", 7) == 0 ||
                         mg_ncasecmp(best_v.p, "https://", 8) == 0)) {
    if (quiet) return 1;
    mg_http_reverse_proxy(nc, hm, best_k, best_v);
    return 1;
  }
  set_root(t, best_v);
  t->rel = mg_mk_str_n(hm->uri.p + best_k.len, hm->uri.len - best_k.len);
  return 0;
}

/* Builds t->path from the root and the cleaned relative URI. */
static int map_path(struct target *t, const struct mg_serve_http_opts *o) {
  char clean[MAX_PATH_LEN];
  int code = clean_path(t->rel, clean, sizeof(clean));
  size_t rl = strlen(t->root);
  if (code != 0) return code;
  if (path_hidden(clean, o)) return 404;
  while (rl > 1 && t->root[rl - 1] == '/') t->root[--rl] = '\0';
  if (snprintf(t->path, sizeof(t->path), "%s%s", t->root, clean) >=
      (int) sizeof(t->path)) {
    return 414;
  }
  return 0;
}

/* Digest auth of the global and the per-directory password files, nonces
 * judged on nc's manager clock. */
static int authorized(struct mg_connection *nc, struct http_message *hm,
                      const struct target *t, int is_dir,
                      const struct mg_serve_http_opts *o) {
  const char *realm = o->auth_domain != NULL ? o->auth_domain : "mongoose";
  double now = mg_mgr_time(nc->mgr);
  if (o->global_auth_file != NULL &&
      !mg__http_is_authorized_at(hm, mg_mk_str(t->path), realm,
                                 o->global_auth_file, 0, now)) {
    return 0;
  }
  return o->per_directory_auth_file == NULL ||
         mg__http_is_authorized_at(hm, mg_mk_str(t->path), realm,
                                   o->per_directory_auth_file,
                                   MG_AUTH_FLAG_PER_DIRECTORY |
                                       (is_dir ? MG_AUTH_FLAG_IS_DIRECTORY : 0),
                                   now);
}

/* Runs the extensions' access and serve hooks. Returns 1 if handled. */
static int run_hooks(struct mg_connection *nc, struct http_message *hm,
                     const struct target *t, const cs_stat_t *st,
                     const struct mg_serve_http_opts *o) {
  struct mg__http_mgr *m = mg__http_mgr(nc->mgr);
  int i;
  for (i = 0; m != NULL && i < m->num_exts; i++) {
    if (m->exts[i]->access != NULL && m->exts[i]->access(nc, hm, t->path, o)) {
      return 1;
    }
  }
  for (i = 0; m != NULL && i < m->num_exts; i++) {
    if (m->exts[i]->serve != NULL &&
        m->exts[i]->serve(nc, hm, t->path, st, o)) {
      return 1;
    }
  }
  return 0;
}

/* Finds an index file in directory t->path; appends it. Returns 1. */
static int find_index(struct target *t, const struct mg_serve_http_opts *o,
                      cs_stat_t *st) {
  struct mg_str list = mg_mk_str(o->index_files != NULL ? o->index_files
                                                        : DEFAULT_INDEX),
                name, eq;
  size_t base = strlen(t->path);
  while (list.len > 0) {
    list = mg_next_comma_list_entry_n(list, &name, &eq);
    if (base + 1 + name.len < sizeof(t->path) && name.len > 0) {
      snprintf(t->path + base, sizeof(t->path) - base, "/%.*s", (int) name.len,
               name.p);
      if (mg_stat(t->path, st) == 0 && S_ISREG(st->st_mode)) return 1;
    }
    if (list.p == NULL) break;
  }
  t->path[base] = '\0';
  return 0;
}

/* Sends a redirect from a directory URI without its trailing slash. */
static void redirect_slash(struct mg_connection *nc, struct http_message *hm) {
  mg_printf(nc,
            "HTTP/1.1 301 Moved Permanently\r\nLocation: %.*s/%s%.*s\r\n"
            "Content-Length: 0\r\n\r\n",
            (int) hm->uri.len, hm->uri.p, hm->query_string.len > 0 ? "?" : "",
            (int) hm->query_string.len, hm->query_string.p);
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *) a, *(char *const *) b);
}

static void append_str(struct mbuf *m, const char *s) {
  mbuf_append(m, s, strlen(s));
}

/* Appends text to m with HTML escaping. */
static void append_escaped(struct mbuf *m, const char *s) {
  for (; *s != '\0'; s++) {
    const char *e = *s == '<'    ? "&lt;"
                    : *s == '>'  ? "&gt;"
                    : *s == '&'  ? "&amp;"
                    : *s == '"'  ? "&quot;"
                    : *s == '\'' ? "&#39;"
                                 : NULL;
    if (e != NULL) {
      mbuf_append(m, e, strlen(e));
    } else {
      mbuf_append(m, s, 1);
    }
  }
}

/* Appends one listing row for dir/name. */
static void list_row(struct mbuf *m, const char *dir, const char *name) {
  char path[MAX_PATH_LEN], date[40], size[32], line[128];
  cs_stat_t st;
  struct mg_str href;
  int is_dir;
  struct tm tm;
  if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int) sizeof(path) ||
      mg_stat(path, &st) != 0) {
    return;
  }
  is_dir = S_ISDIR(st.st_mode);
  gmtime_r(&st.st_mtime, &tm);
  strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
  if (is_dir) {
    snprintf(size, sizeof(size), "%s", "[DIR]");
  } else {
    snprintf(size, sizeof(size), "%lld", (long long) st.st_size);
  }
  href = mg_url_encode(mg_mk_str(name));
  append_str(m, "<tr><td><a href=\"");
  if (href.p != NULL) append_escaped(m, href.p);
  append_str(m, is_dir ? "/\">" : "\">");
  append_escaped(m, name);
  snprintf(line, sizeof(line), "%s</a></td><td>%s</td><td>%s</td></tr>\n",
           is_dir ? "/" : "", date, size);
  mbuf_append(m, line, strlen(line));
  MG_FREE((void *) href.p);
}

/* The visible entry names of directory dir, sorted; *n gets the count.
 * Returns a heap array of heap strings (NULL if none or on error). */
static char **read_names(const char *dir, const struct mg_serve_http_opts *o,
                         size_t *n) {
  DIR *d = opendir(dir);
  struct dirent *de;
  char **names = NULL;
  size_t cap = 0;
  *n = 0;
  if (d == NULL) return NULL;
  while ((de = readdir(d)) != NULL && *n < 100000) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
        is_hidden(mg_mk_str(de->d_name), o)) {
      continue;
    }
    if (*n == cap) {
      char **nn =
          (char **) MG_REALLOC(names, (cap = cap * 2 + 16) * sizeof(*names));
      if (nn == NULL) break;
      names = nn;
    }
    names[*n] = (char *) mg_strdup(mg_mk_str(de->d_name)).p;
    if (names[*n] != NULL) (*n)++;
  }
  closedir(d);
  if (*n > 0) qsort(names, *n, sizeof(*names), cmp_names);
  return names;
}

/* Renders the listing page of t->path into m (frees names). */
static void render_listing(struct mbuf *m, struct http_message *hm,
                           const struct target *t, char **names, size_t n) {
  char uri[MAX_PATH_LEN];
  size_t i;
  snprintf(uri, sizeof(uri), "%.*s", (int) hm->uri.len, hm->uri.p);
  append_str(m, "<!DOCTYPE html>\n<html><head><title>Index of ");
  append_escaped(m, uri);
  append_str(m, "</title></head><body><h1>Index of ");
  append_escaped(m, uri);
  append_str(m,
             "</h1><table>\n<tr><th>Name</th><th>Modified</th><th>Size</th>"
             "</tr>\n<tr><td><a href=\"../\">../</a></td><td></td><td></td>"
             "</tr>\n");
  for (i = 0; i < n; i++) {
    list_row(m, t->path, names[i]);
    MG_FREE(names[i]);
  }
  MG_FREE(names);
  append_str(m, "</table></body></html>\n");
}

/* Sends an HTML listing of directory t->path. */
static void list_dir(struct mg_connection *nc, struct http_message *hm,
                     const struct target *t,
                     const struct mg_serve_http_opts *o) {
  size_t n = 0;
  char **names;
  struct mbuf m;
  DIR *d = opendir(t->path);
  if (d == NULL) {
    mg_http_send_error(nc, 403, NULL);
    return;
  }
  closedir(d);
  names = read_names(t->path, o, &n);
  mbuf_init(&m, 1024);
  render_listing(&m, hm, t, names, n);
  mg_printf(nc,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            "Content-Length: %lu\r\n",
            (unsigned long) m.len);
  if (o->extra_headers != NULL) mg_printf(nc, "%s\r\n", o->extra_headers);
  mg_send(nc, "\r\n", 2);
  if (mg_vcmp(&hm->method, "HEAD") != 0) mg_send(nc, m.buf, (int) m.len);
  mbuf_free(&m);
}

/* Serves a directory: redirect, index file, listing or 403. */
static void serve_dir(struct mg_connection *nc, struct http_message *hm,
                      struct target *t, const struct mg_serve_http_opts *o) {
  cs_stat_t st;
  if (hm->uri.len == 0 || hm->uri.p[hm->uri.len - 1] != '/') {
    redirect_slash(nc, hm);
  } else if (find_index(t, o, &st)) {
    if (!run_hooks(nc, hm, t, &st, o)) {
      mg__http_serve_file_st(nc, hm, t->path, &st,
                             mg_http_ext_mime_type(t->path, o),
                             mg_mk_str(o->extra_headers));
    }
  } else if (o->enable_directory_listing != NULL &&
             strcmp(o->enable_directory_listing, "no") == 0) {
    mg_http_send_error(nc, 403, NULL);
  } else {
    list_dir(nc, hm, t, o);
  }
}

/* Non-zero for the methods mg_serve_http() itself serves. */
static int readable_method(struct http_message *hm) {
  return mg_vcmp(&hm->method, "GET") == 0 || mg_vcmp(&hm->method, "HEAD") == 0;
}

/* The request mapped to t: auth, hooks, then the file or directory. */
static void serve_target(struct mg_connection *nc, struct http_message *hm,
                         struct target *t, const struct mg_serve_http_opts *o) {
  cs_stat_t st;
  int exists = mg_stat(t->path, &st) == 0;
  if (!authorized(nc, hm, t, exists && S_ISDIR(st.st_mode), o)) {
    mg_http_send_digest_auth_request(
        nc, o->auth_domain != NULL ? o->auth_domain : "mongoose");
    return;
  }
  if (run_hooks(nc, hm, t, exists ? &st : NULL, o)) return;
  if (!readable_method(hm)) {
    mg_http_send_error(nc, 405, NULL);
  } else if (!exists) {
    mg_http_send_error(nc, 404, NULL);
  } else if (S_ISDIR(st.st_mode)) {
    serve_dir(nc, hm, t, o);
  } else if (S_ISREG(st.st_mode)) {
    mg__http_serve_file_st(nc, hm, t->path, &st,
                           mg_http_ext_mime_type(t->path, o),
                           mg_mk_str(o->extra_headers));
  } else {
    mg_http_send_error(nc, 403, NULL);
  }
}

void mg_serve_http(struct mg_connection *nc, struct http_message *hm,
                   struct mg_serve_http_opts opts) {
  struct target *t;
  int code;
  if (opts.ip_acl != NULL && mg_check_ip_acl_sa(opts.ip_acl, &nc->sa) != 1) {
    mg_http_send_error(nc, 403, NULL);
    return;
  }
  t = (struct target *) MG_MALLOC(sizeof(*t)); /* no need to zero 8 KiB */
  if (t == NULL) {
    mg_http_send_error(nc, 500, NULL);
    return;
  }
  t->path[0] = '\0';
  set_root(t, mg_mk_str(opts.document_root != NULL ? opts.document_root : "."));
  t->rel = hm->uri;
  if (!rewrite(nc, hm, &opts, t, 0)) {
    code = map_path(t, &opts);
    if (code != 0) {
      mg_http_send_error(nc, code, NULL);
    } else {
      serve_target(nc, hm, t, &opts);
    }
  }
  MG_FREE(t);
}

int mg__http_map_quiet(struct mg_connection *nc, struct http_message *hm,
                       const struct mg_serve_http_opts *o, char *path,
                       size_t path_len, cs_stat_t *st, int *exists) {
  struct target *t;
  int ok;
  if (o->ip_acl != NULL && mg_check_ip_acl_sa(o->ip_acl, &nc->sa) != 1) {
    return -1;
  }
  t = (struct target *) MG_MALLOC(sizeof(*t));
  if (t == NULL) return -1;
  t->path[0] = '\0';
  set_root(t, mg_mk_str(o->document_root != NULL ? o->document_root : "."));
  t->rel = hm->uri;
  ok = !rewrite(nc, hm, o, t, 1) && map_path(t, o) == 0 &&
       strlen(t->path) < path_len;
  if (ok) {
    *exists = mg_stat(t->path, st) == 0;
    ok = authorized(nc, hm, t, *exists && S_ISDIR(st->st_mode), o);
    strcpy(path, t->path);
  }
  MG_FREE(t);
  return ok ? 0 : -1;
}

int mg_http_ext_map_uri(const struct mg_serve_http_opts *opts,
                        struct mg_str uri, char *out, size_t out_len) {
  struct target *t = (struct target *) MG_MALLOC(sizeof(*t));
  int code;
  if (t == NULL) return 500;
  t->path[0] = '\0';
  set_root(t,
           mg_mk_str(opts->document_root != NULL ? opts->document_root : "."));
  t->rel = uri;
  code = map_path(t, opts);
  if (code == 0 && strlen(t->path) >= out_len) code = 414;
  if (code == 0) strcpy(out, t->path);
  MG_FREE(t);
  return code;
}
