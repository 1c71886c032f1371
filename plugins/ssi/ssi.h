/*
 * Server Side Includes: files matching ssi_pattern of struct
 * mg_serve_http_opts (default "**.shtml$|**.shtm$") are served by
 * mg_serve_http() with their directives replaced:
 *
 *   <!--#include virtual="/path" -->  a file under the document root
 *   <!--#include file="path" -->      relative to the current file
 *   <!--#include "path" -->           the same as file=
 *   <!--#include abspath="path" -->   absolute, or relative to the server's
 *                                     working directory (trusted like the
 *                                     configuration)
 *   <!--#exec "command" -->           its output; only when built with
 *                                     MG_ENABLE_HTTP_SSI_EXEC (off)
 *   <!--#call ARG -->                 MG_EV_SSI_CALL and MG_EV_SSI_CALL_CTX
 *                                     to the handler, which prints into
 *                                     the page with mg_printf()
 *
 * Included files that match ssi_pattern are processed too, nested up to
 * MG_SSI_MAX_DEPTH. Unknown directives are dropped. A program has SSI when
 * its BUILD file picks //plugins/ssi (//:mongoose has it).
 */
#ifndef MG_PLUGINS_SSI_SSI_H
#define MG_PLUGINS_SSI_SSI_H

#include "plugins/http/http.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The plugin's event numbers. */
#define MG_EV_SSI_FIRST 600
#define MG_EV_SSI_LAST 649

/* <!--#call ARG -->: ev_data is ARG, a NUL-terminated const char *. */
#define MG_EV_SSI_CALL 600
/* Right after MG_EV_SSI_CALL, for the same directive: ev_data is a
 * struct mg_ssi_call_ctx * (the request, the file, the argument). */
#define MG_EV_SSI_CALL_CTX 601

/* Includes nested deeper than this end with an error comment. */
#ifndef MG_SSI_MAX_DEPTH
#define MG_SSI_MAX_DEPTH 8
#endif

/* SSI call context. */
struct mg_ssi_call_ctx {
  struct http_message *req; /* The request being processed. */
  struct mg_str file;       /* Filesystem path of the file being processed. */
  struct mg_str arg; /* The argument passed to the tag: <!-- call arg -->. */
};

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_SSI_SSI_H */
