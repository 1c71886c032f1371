/*
 * CGI/1.1 (RFC 3875) for mg_serve_http(): a file whose path matches
 * cgi_file_pattern of struct mg_serve_http_opts (NULL: "**.cgi$|**.php$")
 * is run, the request body on its standard input and its output turned
 * into the response. The interpreter is cgi_interpreter when set, else the
 * script's "#!" line, else the script itself. A program has CGI when its
 * BUILD file picks //plugins/cgi (//:mongoose has it).
 *
 * Scripts run as children of the server, each on a socket pair that is a
 * connection of the manager: a slow script never stalls other clients.
 * With mg_http_set_serve_opts() the request body streams to the script as
 * it arrives (no size limit); otherwise it is buffered first
 * (max_body_size of the http plugin).
 */
#ifndef MG_PLUGINS_CGI_CGI_H
#define MG_PLUGINS_CGI_CGI_H

#include "plugins/http/http.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The plugin's event numbers (it raises none so far). */
#define MG_EV_CGI_FIRST 650
#define MG_EV_CGI_LAST 699

/* Options of the CGI plugin in one manager. */
struct mg_cgi_opts {
  double timeout;         /* s a script may run, then killed (30); -1: none */
  size_t max_header_size; /* bytes of a script's header block (16 KiB) */
};

/* Current options of mgr's CGI plugin (defaults if never set). */
struct mg_cgi_opts mg_cgi_get_options(struct mg_mgr *mgr);

/* Sets them (start from mg_cgi_get_options()); 0 means the default.
 * Returns 0, or -1 if the cgi plugin cannot be registered with mgr. */
int mg_cgi_set_options(struct mg_mgr *mgr, const struct mg_cgi_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_CGI_CGI_H */
