/*
 * HTTP: server and client, request parsing, file serving, auth, uploads.
 *
 * mg_set_protocol_http_websocket(nc) puts the HTTP layer on a connection;
 * the user's handler then also gets the MG_EV_HTTP_* events below. The
 * events of WebSocket, SSI, CGI and WebDAV come from their own plugins,
 * which hook into this one (plugins/http/http_ext.h).
 */
#ifndef MG_PLUGINS_HTTP_HTTP_H
#define MG_PLUGINS_HTTP_HTTP_H

#include "mg/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Headers kept per message; more is an error. It sizes struct
 * http_message: change it for the whole build (--copt), not per target. */
#ifndef MG_MAX_HTTP_HEADERS
#define MG_MAX_HTTP_HEADERS 40
#endif

#ifndef MG_MAX_HTTP_REQUEST_SIZE
#define MG_MAX_HTTP_REQUEST_SIZE 16384 /* default limit of a request head */
#endif

#ifndef MG_MAX_HTTP_SEND_MBUF
/* file streaming refills to this */
#define MG_MAX_HTTP_SEND_MBUF (256 * 1024)
#endif

#ifndef MG_ENABLE_HTTP_STREAMING_MULTIPART
/* default of the runtime option */
#define MG_ENABLE_HTTP_STREAMING_MULTIPART 1
#endif

#ifndef MG_DISABLE_HTTP_KEEP_ALIVE
#define MG_DISABLE_HTTP_KEEP_ALIVE 0 /* 1: close after every response */
#endif

/* The reference's flags that leave HTTP Digest authentication (and the MD5
 * it is built on) out of the build. Without it, a request for anything a
 * password file protects is refused (403), never let through, and the
 * client side cannot answer a Digest challenge. */
#ifndef MG_DISABLE_HTTP_DIGEST_AUTH
#define MG_DISABLE_HTTP_DIGEST_AUTH 0
#endif
#ifndef CS_DISABLE_MD5
#define CS_DISABLE_MD5 0
#endif

/* URL rewrites are always built in, so struct mg_serve_http_opts has one
 * layout whatever a program defines. */
#undef MG_ENABLE_HTTP_URL_REWRITES
#define MG_ENABLE_HTTP_URL_REWRITES 1

/* HTTP events (the http plugin owns 100-149). */
#define MG_EV_HTTP_FIRST 100 /* the http plugin's event range */
#define MG_EV_HTTP_LAST 149
#define MG_EV_HTTP_REQUEST 100           /* struct http_message * */
#define MG_EV_HTTP_REPLY 101             /* struct http_message * */
#define MG_EV_HTTP_CHUNK 102             /* struct http_message * */
#define MG_EV_HTTP_MULTIPART_REQUEST 121 /* struct http_message * */
#define MG_EV_HTTP_PART_BEGIN 122        /* struct mg_http_multipart_part */
#define MG_EV_HTTP_PART_DATA 123         /* struct mg_http_multipart_part */
#define MG_EV_HTTP_PART_END 124          /* struct mg_http_multipart_part */
/* struct mg_http_multipart_part */
#define MG_EV_HTTP_MULTIPART_REQUEST_END 125

/* Connection flag (plugin bit 16): the handler of MG_EV_HTTP_CHUNK has
 * consumed the body so far; drop it. */
#define MG_F_DELETE_CHUNK (1 << 16)

/* An HTTP request or reply. Slices point into the connection's receive
 * buffer and are valid during the event only. */
struct http_message {
  struct mg_str message; /* Whole message: request line + headers + body */
  struct mg_str body;    /* Message body. 0-length for requests with no body */

  /* HTTP Request line (or HTTP response line) */
  struct mg_str method; /* "GET" */
  struct mg_str uri;    /* "/my_file.html" */
  struct mg_str proto;  /* "HTTP/1.1" -- for both request and response */

  /* For responses, code and response status message are set */
  int resp_code;                 /* status code of a reply */
  struct mg_str resp_status_msg; /* reason phrase of a reply */

  /* Query-string part of the URI, without the '?' */
  struct mg_str query_string;

  /* Headers; unused entries are empty */
  struct mg_str header_names[MG_MAX_HTTP_HEADERS];  /* as sent */
  struct mg_str header_values[MG_MAX_HTTP_HEADERS]; /* trimmed */
};

/* One part of a streamed multipart/form-data request. */
struct mg_http_multipart_part {
  const char *file_name; /* filename= of the part, "" if none */
  const char *var_name;  /* name= of the part, "" if none */
  struct mg_str data;    /* PART_DATA: the bytes */
  int status;            /* <0 on error */
  void *user_data;       /* free for the handler, kept across the parts */
  /* Bytes of data the handler consumed; all by default. Less makes the
   * handler see the rest again later (back-pressure). */
  size_t num_data_consumed;
};

/* Options of mg_serve_http(). Leave what is not needed NULL. */
struct mg_serve_http_opts {
  const char *document_root; /* Path to web root directory */
  /* Comma-separated index files; NULL: index.html,index.htm,index.shtml,
   * index.cgi,index.php */
  const char *index_files;
  /* Name of per-directory digest password files (e.g. ".htpasswd"); such a
   * file protects its directory. Never served. */
  const char *per_directory_auth_file;
  const char *auth_domain; /* Authorization realm */
  /* Password file (htdigest format) that protects every URI. */
  const char *global_auth_file;
  const char *enable_directory_listing; /* "no" disables listings */
  const char *ssi_pattern;              /* SSI files ("**.shtml$|**.shtm$") */
  const char *ip_acl; /* IP ACL, e.g. "-0.0.0.0/0,+127.0.0.1"; NULL: all */
  /* Comma-separated `pattern=target`: URI prefix to a directory or file,
   * or to http:// (reverse proxy); `@host=dir` virtual hosts; `%port=url`
   * redirects (the URI is appended). */
  const char *url_rewrites;
  const char *dav_document_root;   /* WebDAV document root (webdav plugin) */
  const char *dav_auth_file;       /* WebDAV password file, "-": no auth */
  const char *hidden_file_pattern; /* Glob of files never served or listed */
  const char *cgi_file_pattern;    /* CGI files, e.g. "**.cgi$" (cgi plugin) */
  const char *cgi_interpreter;     /* Interpreter for every CGI script */
  /* Comma-separated suffix=type overrides: ".txt=text/plain; charset=utf-8" */
  const char *custom_mime_types;
  /* Extra headers for every response (no trailing CRLF). */
  const char *extra_headers;
};

/* Limits and timeouts of the HTTP plugin in one manager. */
struct mg_http_opts {
  size_t max_request_head; /* request line + headers; more: 431 (16 KiB) */
  size_t max_body_size;    /* buffered body; more: 413 (8 MiB) */
  double header_timeout;   /* s to receive a request head, 0: none (30) */
  double idle_timeout;     /* s without I/O on a server connection (60) */
  int streaming_multipart; /* multipart requests as PART events (1) */
};

/* Current options of mgr's HTTP plugin (defaults if never set). */
struct mg_http_opts mg_http_get_options(struct mg_mgr *mgr);

/* Sets the options of mgr's HTTP plugin (start from mg_http_get_options()).
 * Zero sizes and timeouts mean the default; a timeout of -1 disables it.
 * Returns 0, or -1 if http is not registered with mgr. */
int mg_http_set_options(struct mg_mgr *mgr, const struct mg_http_opts *opts);

/* --- Connection --- */

/* Attaches the HTTP layer to nc. On a listener, accepted connections get
 * it too. Server connections then get MG_EV_HTTP_REQUEST (and the
 * multipart events), client connections MG_EV_HTTP_REPLY/CHUNK. WebSocket
 * upgrades work when the ws plugin is linked. */
void mg_set_protocol_http_websocket(struct mg_connection *nc);

/* Handler for requests under uri_path (longest registered prefix wins,
 * matching at a '/' boundary) on listener nc, instead of nc's handler. */
void mg_register_http_endpoint(struct mg_connection *nc, const char *uri_path,
                               MG_CB(mg_event_handler_t handler,
                                     void *user_data));

/* --- Parsing (pure functions of bytes) --- */

/* Parses the head of an HTTP request (is_req) or reply in s[0..n). Returns
 * the head's length (request line and headers), 0 if incomplete, negative
 * if malformed. hm->body.len is the Content-Length (0 for a request
 * without one; for a reply without length, what is there); body.p follows
 * the head. Rejects what allows smuggling: conflicting Content-Length,
 * Content-Length with Transfer-Encoding, codings other than chunked. */
int mg_parse_http(const char *s, int n, struct http_message *hm, int is_req);

/* The value of header name (case-insensitive), or NULL. */
struct mg_str *mg_get_http_header(struct http_message *hm, const char *name);

/* Finds var_name in a header like `Digest a="b", c=d` or a cookie list and
 * copies its value (unquoted) to *buf. If buf_size is too small, *buf is
 * replaced by a heap buffer the caller frees. Returns the value's length,
 * 0 if not found. */
int mg_http_parse_header2(struct mg_str *hdr, const char *var_name, char **buf,
                          size_t buf_size);

/* Deprecated: mg_http_parse_header2() into a fixed buffer; 0 if the value
 * does not fit. */
int mg_http_parse_header(struct mg_str *hdr, const char *var_name, char *buf,
                         size_t buf_size);

/* Fetches form variable name from a urlencoded buf into dst (always
 * NUL-terminated). Returns its length, 0 if absent, negative if dst is too
 * small or arguments are bad. */
int mg_get_http_var(const struct mg_str *buf, const char *name, char *dst,
                    size_t dst_len);

/* Percent-decodes src into dst (NUL-terminated); '+' is a space when
 * is_form_url_encoded. Returns the length, or -1 if dst is too small or a
 * %-escape is malformed. */
int mg_url_decode(const char *src, int src_len, char *dst, int dst_len,
                  int is_form_url_encoded);

/* Parses the next part of a buffered multipart/form-data body at buf.
 * Returns the bytes to skip to the next part, 0 when there is none. */
size_t mg_parse_multipart(const char *buf, size_t buf_len, char *var_name,
                          size_t var_name_len, char *file_name,
                          size_t file_name_len, const char **chunk,
                          size_t *chunk_len);

/* --- Authentication --- */

/* User and password of the request's Basic Authorization header. Returns
 * 0, or -1 if there is none or it is malformed. */
int mg_get_http_basic_auth(struct http_message *hm, char *user, size_t user_len,
                           char *pass, size_t pass_len);

/* Parses an "Authorization: Basic ..." value. Returns 0 or -1. */
int mg_parse_http_basic_auth(struct mg_str *hdr, char *user, size_t user_len,
                             char *pass, size_t pass_len);

/* Writes an "Authorization: Digest ...\r\n" header (qop=auth) for a client
 * request into buf. Returns its length (as snprintf). */
int mg_http_create_digest_auth_header(char *buf, size_t buf_len,
                                      const char *method, const char *uri,
                                      const char *auth_domain, const char *user,
                                      const char *passwd, const char *nonce);

/* Checks digest response parameters against an htdigest file fp
 * (user:realm:HA1 lines). Returns 1 if they match, 0 otherwise. */
int mg_check_digest_auth(struct mg_str method, struct mg_str uri,
                         struct mg_str username, struct mg_str cnonce,
                         struct mg_str response, struct mg_str qop,
                         struct mg_str nc, struct mg_str nonce,
                         struct mg_str auth_domain, FILE *fp);

/* Checks the request's Digest Authorization header against fp. Returns 1
 * if authenticated, 0 otherwise (also for a stale or foreign nonce). With
 * no manager at hand, nonce age is judged on mg_time(); mg_serve_http()
 * judges it on the manager's clock (mg_mgr_time()), which also stamps the
 * nonces mg_http_send_digest_auth_request() issues. */
int mg_http_check_digest_auth(struct http_message *hm, const char *auth_domain,
                              FILE *fp);

/* Flags of mg_http_is_authorized(). */
#define MG_AUTH_FLAG_IS_DIRECTORY (1 << 0) /* path names a directory */
/* passwords_file is a file name in path's directory; none there: allowed */
#define MG_AUTH_FLAG_PER_DIRECTORY (1 << 1)
#define MG_AUTH_FLAG_ALLOW_MISSING_FILE (1 << 2) /* no file: allowed */

/* 1 if hm is authorized by the htdigest passwords_file for realm domain
 * (always 1 when either is NULL), else 0. With flags 0 passwords_file is
 * the file itself and a missing file refuses. */
int mg_http_is_authorized(struct http_message *hm, struct mg_str path,
                          const char *domain, const char *passwords_file,
                          int flags);

/* Sends a 401 with a Digest challenge for realm domain; the nonce is
 * stamped with mg_mgr_time(c->mgr) and good for an hour. */
void mg_http_send_digest_auth_request(struct mg_connection *c,
                                      const char *domain);

/* --- Responses --- */

/* Sends "HTTP/1.1 CODE REASON\r\n" and extra_headers (no trailing CRLF)
 * with a CRLF appended. */
void mg_send_response_line(struct mg_connection *nc, int status_code,
                           const char *extra_headers);

/* Sends the status line, extra_headers, and Content-Length (or, when
 * content_length < 0, Transfer-Encoding: chunked), then the blank line. */
void mg_send_head(struct mg_connection *n, int status_code,
                  int64_t content_length, const char *extra_headers);

/* Sends buf as one chunk; len 0 is the last chunk. */
void mg_send_http_chunk(struct mg_connection *nc, const char *buf, size_t len);

/* printf() into one chunk. */
void mg_printf_http_chunk(struct mg_connection *nc, const char *fmt, ...)
    MG_PRINTF_LIKE(2, 3);

/* printf() into one chunk with <, >, &, " and ' HTML-escaped. */
void mg_printf_html_escape(struct mg_connection *nc, const char *fmt, ...)
    MG_PRINTF_LIKE(2, 3);

/* Sends a complete error response (reason NULL: the standard phrase). */
void mg_http_send_error(struct mg_connection *nc, int code, const char *reason);

/* Sends a redirect to location with optional extra_headers (no CRLF). */
void mg_http_send_redirect(struct mg_connection *nc, int status_code,
                           const struct mg_str location,
                           const struct mg_str extra_headers);

/* Serves file path with mime_type: Range, conditional requests, HEAD;
 * streamed from disk. */
void mg_http_serve_file(struct mg_connection *nc, struct http_message *hm,
                        const char *path, const struct mg_str mime_type,
                        const struct mg_str extra_headers);

/* Serves hm from the file system as opts say (see the struct). */
void mg_serve_http(struct mg_connection *nc, struct http_message *hm,
                   struct mg_serve_http_opts opts);

/* Declares that listener nc (or the listener of connection nc) serves its
 * requests with opts (the strings are copied), so that plugins which
 * stream a request body as it arrives (a CGI script's stdin, a WebDAV PUT
 * to disk) may take a request as soon as its head is in: such a request
 * never sits whole in memory, is not limited by max_body_size, and does
 * not reach the handler as MG_EV_HTTP_REQUEST (requests for a registered
 * endpoint always do). Guard those paths with the options (auth files,
 * ip_acl), not in the handler. Without this call bodies are buffered and
 * plugins act only when the handler calls mg_serve_http(). */
void mg_http_set_serve_opts(struct mg_connection *nc,
                            struct mg_serve_http_opts opts);

/* Forwards hm to upstream (http://host[:port][/prefix]) with mount
 * stripped from the URI, and relays the reply back on nc. */
void mg_http_reverse_proxy(struct mg_connection *nc,
                           const struct http_message *hm, struct mg_str mount,
                           struct mg_str upstream);

/* --- Uploads --- */

/* Maps a client's file name to a local path: return fname itself, a heap
 * string (MG_MALLOC, freed by the caller), or p == NULL to refuse (403). */
typedef struct mg_str (*mg_fu_fname_fn)(struct mg_connection *nc,
                                        struct mg_str fname);

/* Stores the file parts of a streamed multipart request (PART_BEGIN/DATA/
 * END events) in local files named by local_name_fn, then answers 200. */
void mg_file_upload_handler(struct mg_connection *nc, int ev, void *ev_data,
                            mg_fu_fname_fn local_name_fn
                                MG_UD_ARG(void *user_data));

/* --- Client --- */

/* Connects to url (http://host[:port]/path; https:// once TLS exists) and
 * sends a GET, or a POST of post_data when it is not NULL. extra_headers
 * end with CRLF. Returns NULL on a bad URL. */
struct mg_connection *mg_connect_http(
    struct mg_mgr *mgr,
    MG_CB(mg_event_handler_t event_handler, void *user_data), const char *url,
    const char *extra_headers, const char *post_data);

/* mg_connect_http() with connection options (reason of a NULL result in
 * opts.error_string). */
struct mg_connection *mg_connect_http_opt(
    struct mg_mgr *mgr, MG_CB(mg_event_handler_t ev_handler, void *user_data),
    struct mg_connect_opts opts, const char *url, const char *extra_headers,
    const char *post_data);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_HTTP_HTTP_H */
