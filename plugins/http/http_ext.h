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
 *   claim    (version 2) server, as soon as a request head arrived (its
 *            body not yet read), when the program declared the listener's
 *            serve options with mg_http_set_serve_opts(). path and st are what
 * mg_serve_http() would map the request to; requests it would answer itself (IP
 * ACL, redirect, proxy, unauthorized, a registered endpoint) are never offered.
 *            Return non-zero to take the request: the hook calls
 *            mg_http_ext_hold(), the body then streams to `body` piece by
 *            piece, free of max_body_size and never whole in memory, and
 *            the user's handler sees no MG_EV_HTTP_REQUEST for it.
 *
 * Held requests (version 2). An extension that answers over many polls
 * (a CGI script's output, an SSI page, a WebDAV multistatus) or that took
 * a body calls mg_http_ext_hold() from its claim or serve hook. Until the
 * hold ends, http reads no further request of the connection (pipelined
 * ones wait in recv_mbuf) and calls, with the pointer given to the hold:
 *   body     each piece of a claimed body (chunked coding removed); returns
 *            the bytes it consumed. What it leaves stays in recv_mbuf and
 *            is offered again after mg_http_ext_resume(); reading from the
 *            peer pauses while recv_mbuf is full (MG_HTTP_STREAM_BUFFER), so
 *            a slow consumer pushes back on the client. `last` is non-zero
 *            on the final call (len may be 0 then).
 *   produce  the send buffer has room (less than MG_HTTP_PRODUCE_LOW bytes
 *            queued): append to the response. Returns 0 while more is to
 *            come, 1 when the response is complete, -1 to close the
 *            connection at once (a response that cannot be finished).
 *   finish   the hold ended: the response completed (aborted 0) or the
 *            connection is closing (aborted 1). Called exactly once: the
 *            one place the extension frees its per-request state.
 * A response completes when produce returned 1 (or mg_http_ext_redirect()
 * was called) and the claimed body has ended; body bytes still to come
 * after the response are read and dropped. Then keep-alive and pipelining
 * go on as after any response. An extension whose response is delimited
 * by the connection's close sets MG_F_SEND_AND_CLOSE itself.
 */
#ifndef MG_PLUGINS_HTTP_HTTP_EXT_H
#define MG_PLUGINS_HTTP_HTTP_EXT_H

#include "mg/plugin.h"
#include "plugins/http/http.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on every incompatible change of struct mg_http_ext. */
#define MG_HTTP_EXT_VERSION 2

/* Most extensions one manager holds. */
#define MG_HTTP_MAX_EXTS 8

/* recv_mbuf cap while a claimed body streams: the most body bytes waiting
 * for a slow extension. */
#ifndef MG_HTTP_STREAM_BUFFER
#define MG_HTTP_STREAM_BUFFER (256 * 1024)
#endif

/* produce is called while send_mbuf holds fewer bytes than this. */
#ifndef MG_HTTP_PRODUCE_LOW
#define MG_HTTP_PRODUCE_LOW (64 * 1024)
#endif

/* Internal redirects (mg_http_ext_redirect) one request may go through. */
#define MG_HTTP_MAX_REDIRECTS 10

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
  /* Version 2. */
  int (*claim)(struct mg_connection *nc, struct http_message *hm,
               const char *path, const cs_stat_t *st,
               const struct mg_serve_http_opts *opts);
  size_t (*body)(struct mg_connection *nc, void *req, const char *data,
                 size_t len, int last);
  int (*produce)(struct mg_connection *nc, void *req);
  void (*finish)(struct mg_connection *nc, void *req, int aborted);
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

/* From a claim or serve hook: ext holds the current request of nc, with
 * req as its per-request state (see "Held requests" above). Returns 0, or
 * -1 if nc is not a server connection with a request being handled or a
 * hold is already in place (the caller answers at once and frees req). */
int mg_http_ext_hold(struct mg_connection *nc, const struct mg_http_ext *ext,
                     void *req);

/* The holder is ready for more body: offers what recv_mbuf holds again
 * (at the next poll) and lets reading from the peer go on. */
void mg_http_ext_resume(struct mg_connection *nc);

/* Runs the hold's produce now instead of at nc's next event: for an
 * extension whose response advances on another connection's event (a
 * CGI script's output ending). The request may complete inside, and its
 * finish hook run: the caller must not touch its per-request state after
 * this call. */
void mg_http_ext_wake(struct mg_connection *nc);

/* Ends the held response by handling the current request again as a GET
 * of uri ("/path" with an optional "?query"), with the same headers but no
 * body: a CGI local redirect (RFC 3875 section 6.2.2). The rest of a
 * claimed body is dropped first; finish runs before the new request.
 * Returns 0, or -1 if nc holds no request, uri is not a local path or the
 * request went through MG_HTTP_MAX_REDIRECTS already (answer 500 then). */
int mg_http_ext_redirect(struct mg_connection *nc, const char *uri);

/* The serve options declared for nc's listener (mg_http_set_serve_opts),
 * or NULL. */
const struct mg_serve_http_opts *mg_http_ext_serve_opts(
    struct mg_connection *nc);

/* Maps uri (a path as on the wire: "/dir/page.shtml", percent-encoding
 * allowed, no query) under opts->document_root as mg_serve_http() maps
 * request paths: decoded once, "." and ".." resolved, nothing above the
 * root, hidden files refused; url_rewrites are not applied. Returns 0 with
 * the file system path in out, or an HTTP status (400, 404, 414). */
int mg_http_ext_map_uri(const struct mg_serve_http_opts *opts,
                        struct mg_str uri, char *out, size_t out_len);

/* A heap copy of opts with its strings (one allocation), for a hook that
 * keeps the options past the call; NULL when out of memory. */
struct mg_serve_http_opts *mg_http_ext_opts_dup(
    const struct mg_serve_http_opts *opts);

/* Frees a copy made by mg_http_ext_opts_dup() (NULL is fine). */
void mg_http_ext_opts_free(struct mg_serve_http_opts *opts);

/* The MIME type http would use for path under opts. */
struct mg_str mg_http_ext_mime_type(const char *path,
                                    const struct mg_serve_http_opts *opts);

/*
 * Client URLs, for plugins whose clients connect like mg_connect_http()
 * (ws's mg_connect_ws()): one parser of the URL into the address for
 * mg_connect_opt(), the TLS options and the Host header.
 */

/* The schemes a client takes, besides "mem" (in-memory, for tests). */
struct mg_http_ext_schemes {
  const char *plain;  /* comma list, case-insensitive: "ws,http" */
  const char *tls;    /* comma list of TLS schemes: "wss,https" */
  const char *no_tls; /* error string for a TLS scheme in a build without
                       * TLS: "wss:// needs TLS, which this build does not
                       * have" (static storage) */
};

/* A client URL taken apart. */
struct mg_http_ext_url {
  struct mg_str user_info; /* "user:pass" or empty (slices of the URL) */
  struct mg_str host;      /* host name or address, without brackets */
  struct mg_str path;      /* empty for none (meaning "/") */
  struct mg_str query;     /* without the '?', empty for none */
  unsigned int port;       /* the URL's, else 443 for TLS, else 80 */
  char address[300];       /* for mg_connect_opt(): "tcp://host:port"
                            * ("[v6]:port"), or "mem://host" */
  char host_header[300];   /* Host value: host ("[v6]"), ":port" added
                            * when the URL names one */
};

/* Takes url apart for a client connection. A TLS scheme sets MG_F_SSL in
 * opts->flags and, without opts->ssl_ca_cert, MG_SSL_SYSTEM_CA_FILE (the
 * server is verified, never trusted blindly). Returns 0, or -1 with
 * *opts->error_string (when given) set to "invalid URL" (no host, a host
 * over 255 bytes), "unsupported URL scheme" or schemes->no_tls. */
int mg_http_ext_client_url(const char *url,
                           const struct mg_http_ext_schemes *schemes,
                           struct mg_connect_opts *opts,
                           struct mg_http_ext_url *u);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_HTTP_HTTP_EXT_H */
