/* Private to plugins/ssi. Layers, bottom first: scan.c (pure directive
 * scanner), page.c (a page being produced: the include stack, directives,
 * exec), plugin.c (descriptor and the http extension hooks). */
#ifndef MG_PLUGINS_SSI_INTERNAL_H
#define MG_PLUGINS_SSI_INTERNAL_H

#include "mg/plugin.h"
#include "plugins/http/http_ext.h"
#include "plugins/ssi/ssi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- scan.c: finding directives in bytes (pure) --- */

/* Longest directive, "<!--#" to "-->": a longer one is passed on as text. */
#define MG__SSI_MAX_DIRECTIVE 4096

/* What mg__ssi_scan() found at the start of its input. */
enum mg__ssi_kind {
  MG__SSI_TEXT,      /* len bytes of text */
  MG__SSI_DIRECTIVE, /* a directive of len bytes: name and args */
  MG__SSI_MORE       /* nothing can be decided without more input */
};

/* One token of a page. */
struct mg__ssi_token {
  enum mg__ssi_kind kind; /* what it is */
  size_t len;             /* input bytes it covers */
  struct mg_str name;     /* directive name ("include", "exec", "call") */
  struct mg_str args;     /* the rest of the directive, trimmed */
};

/* Scans the start of buf[0..len). at_eof: no more input follows (a
 * partial directive is then text). Never returns MG__SSI_MORE at_eof or
 * with len >= MG__SSI_MAX_DIRECTIVE. */
void mg__ssi_scan(const char *buf, size_t len, int at_eof,
                  struct mg__ssi_token *t);

/* The include target in args: *kind gets 'v' (virtual=), 'f' (file= or
 * a bare quoted path) or 'a' (abspath=). Returns 0, or -1 if malformed. */
int mg__ssi_include_arg(struct mg_str args, int *kind, struct mg_str *path);

/* The command of an exec directive ("cmd"). Returns 0, or -1. */
int mg__ssi_exec_arg(struct mg_str args, struct mg_str *cmd);

/* --- page.c: a page being produced --- */

struct mg__ssi_page;

/* Starts the SSI page at path for the request hm on nc: sends the head
 * and returns the page to produce, or NULL (an error was answered). */
struct mg__ssi_page *mg__ssi_page_start(struct mg_connection *nc,
                                        struct http_message *hm,
                                        const char *path,
                                        const struct mg_serve_http_opts *o);

/* Appends more of the page to nc. Returns 0 while more is to come, 1 when
 * the page is complete. */
int mg__ssi_page_produce(struct mg_connection *nc, struct mg__ssi_page *p);

/* Frees the page (closes its files, ends a running command). */
void mg__ssi_page_free(struct mg__ssi_page *p);

/* --- plugin.c --- */

/* The ssi plugin's descriptor. */
extern const struct mg_plugin mg_plugin_ssi;

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_SSI_INTERNAL_H */
