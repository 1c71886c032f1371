/* Private to plugins/cgi. Layers, bottom first: head.c (parses a script's
 * header block, pure), env.c (builds a script's environment), script.c (a
 * running script and its response), plugin.c (descriptor, options and the
 * http extension hooks). */
#ifndef MG_PLUGINS_CGI_INTERNAL_H
#define MG_PLUGINS_CGI_INTERNAL_H

#include "mg/plugin.h"
#include "plugins/cgi/cgi.h"
#include "plugins/http/http_ext.h"

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- head.c: the header block a script prints (pure) --- */

#define MG__CGI_MAX_FIELDS 64 /* header lines of a script kept */

/* What a script's header block says. */
struct mg__cgi_head {
  int status;             /* from Status:, else 0 */
  struct mg_str reason;   /* its reason phrase, or empty */
  struct mg_str location; /* Location:, or empty */
  int has_length;         /* Content-Length: given */
  int64_t length;         /* its value */
  int num_fields;         /* header lines to pass on (not Status) */
  struct mg_str names[MG__CGI_MAX_FIELDS];  /* their names */
  struct mg_str values[MG__CGI_MAX_FIELDS]; /* and values */
};

/* Parses the header block at the start of buf (lines ending in LF or
 * CRLF, up to an empty line). Returns its length, 0 if incomplete, -1 if
 * malformed (a line without a name and a colon, a bad Status or
 * Content-Length, too many lines). */
long mg__cgi_parse_head(const char *buf, size_t len, struct mg__cgi_head *h);

/* --- env.c: the environment of a script (RFC 3875 section 4.1) --- */

/* What the environment is built from. */
struct mg__cgi_env_in {
  struct mg_connection *nc;              /* the client's connection */
  struct http_message *hm;               /* the request (head) */
  const struct mg_serve_http_opts *opts; /* the serve options */
  const char *script;                    /* SCRIPT_FILENAME */
  struct mg_str script_name;             /* SCRIPT_NAME (decoded URI path) */
  struct mg_str path_info;               /* PATH_INFO, or empty */
};

/* A built environment: "NAME=value" strings and the envp array. */
struct mg__cgi_env {
  char *block; /* the strings, NUL-separated (heap) */
  char **envp; /* pointers into block, NULL-terminated (heap) */
};

/* Builds the environment. Returns 0, or -1 when out of memory. */
int mg__cgi_env_build(const struct mg__cgi_env_in *in, struct mg__cgi_env *e);

/* Frees what mg__cgi_env_build() made. */
void mg__cgi_env_free(struct mg__cgi_env *e);

/* --- script.c: a running script --- */

struct mg__cgi_req;

/* Starts the script for the request hm on nc (path: the script file;
 * path_info: what followed it in the URI; co: the plugin's options). body
 * is sent to its input when not NULL (a buffered request); else the input
 * stays open for mg__cgi_req_input(). Returns the request, or NULL
 * (answered 500). */
struct mg__cgi_req *mg__cgi_req_start(struct mg_connection *nc,
                                      struct http_message *hm, const char *path,
                                      struct mg_str path_info,
                                      const struct mg_serve_http_opts *opts,
                                      const struct mg_cgi_opts *co,
                                      const struct mg_str *body);

/* Gives body bytes to the script's input; returns how many it took (fewer
 * while the script's input buffer is full). last: the body ended. */
size_t mg__cgi_req_input(struct mg__cgi_req *r, const char *data, size_t len,
                         int last);

/* Moves the script's output to the client while it has room. Returns 1
 * when the response is complete, 0 while more is to come, -1 to close. */
int mg__cgi_req_output(struct mg__cgi_req *r);

/* Ends the request: the script is killed if it still runs, and reaped. */
void mg__cgi_req_free(struct mg__cgi_req *r);

/* --- plugin.c --- */

/* The cgi plugin's descriptor. */
extern const struct mg_plugin mg_plugin_cgi;

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_CGI_INTERNAL_H */
