/*
 * The HTTP extension ABI: how other plugins (ws, ssi, cgi, webdav) hook
 * into request handling and mg_serve_http() without http naming them.
 * Visible to plugins only (Bazel visibility).
 *
 * An extension is a `const struct mg_http_ext` with designated
 * initializers; any hook may be NULL. Its plugin lists mg_plugin_http in
 * `deps` and calls mg_http_ext_register() from its per-manager `init`. Hooks
 * run in registration order; the first that claims a request wins.
 *
 * Phases, in the order a request meets them:
 *   upgrade  server: a request head arrived (body not yet read). Return
 *            non-zero to take the connection (e.g. mg_layer_switch() to a
 *            WebSocket layer): http then leaves nc alone; the hook owns the
 *            bytes in recv_mbuf (the head is hm->message.len bytes).
 *   reply    client: a reply head arrived; non-zero takes the connection
 *            as above (the WebSocket client's 101).
 *   access   mg_serve_http(): path was mapped and passed http's own
 *            checks. Return 0 to go on, or the status code of a response
 *            the hook has sent (the request is then done).
 *   serve    mg_serve_http(): return non-zero if the hook served the
 *            request (an SSI page, a CGI script, a WebDAV method). st is
 *            NULL when path does not exist.
 */
#ifndef MG_PLUGINS_HTTP_HTTP_EXT_H
#define MG_PLUGINS_HTTP_HTTP_EXT_H

#include "mg/plugin.h"
#include "plugins/http/http.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on every incompatible change of struct mg_http_ext. */
#define MG_HTTP_EXT_VERSION 1

/* Most extensions one manager holds. */
#define MG_HTTP_MAX_EXTS 8

/* One extension of the HTTP plugin. */
struct mg_http_ext {
  int version;      /* MG_HTTP_EXT_VERSION at build time */
  const char *name; /* for messages: "ws", "ssi" */
  int (*upgrade)(struct mg_connection *nc, struct mg_layer *http_layer,
                 struct http_message *hm);
  int (*reply)(struct mg_connection *nc, struct mg_layer *http_layer,
               struct http_message *hm);
  int (*access)(struct mg_connection *nc, struct http_message *hm,
                const char *path, const struct mg_serve_http_opts *opts);
  int (*serve)(struct mg_connection *nc, struct http_message *hm,
               const char *path, const cs_stat_t *st,
               const struct mg_serve_http_opts *opts);
};

/* The http plugin's descriptor (for `deps` and mg_layer_find()). */
extern const struct mg_plugin mg_plugin_http;

/* Adds ext to mgr's HTTP plugin. Returns 0, or -1 (version mismatch, table
 * full, http not registered). Registering the same ext twice is harmless. */
int mg_http_ext_register(struct mg_mgr *mgr, const struct mg_http_ext *ext);

/* Delivers an event about the current request to whoever handles it: the
 * matching endpoint's handler (mg_register_http_endpoint), else the layers
 * above http and the user's handler. */
void mg_http_ext_emit(struct mg_connection *nc, struct mg_layer *http_layer,
                      int ev, void *ev_data);

/* The handler of the endpoint (mg_register_http_endpoint) that matches the
 * current request on http_layer, or NULL; *user_data (if not NULL) gets the
 * endpoint's user data (NULL without MG_ENABLE_CALLBACK_USERDATA). For a
 * hook that takes the connection over and keeps delivering events to that
 * handler (the WebSocket upgrade). */
mg_event_handler_t mg_http_ext_endpoint(struct mg_layer *http_layer,
                                        void **user_data);

/* Sends a file's bytes as the body of a response the caller has started:
 * len bytes from offset, streamed from disk as the peer reads. Returns 0,
 * or -1 if the file cannot be opened. */
int mg_http_ext_send_file(struct mg_connection *nc, const char *path,
                          int64_t offset, int64_t len);

/* The MIME type http would use for path under opts. */
struct mg_str mg_http_ext_mime_type(const char *path,
                                    const struct mg_serve_http_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_HTTP_HTTP_EXT_H */
