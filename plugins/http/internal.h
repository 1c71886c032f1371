/*
 * Private to plugins/http: shared between its files, not a public API.
 * Grouped by layer, bottom first (README.md, "Layers"): a file calls only
 * into files of its own layer below it or of lower layers; a lower layer
 * reaches up only through struct mg__http_hooks.
 */
#ifndef MG_PLUGINS_HTTP_INTERNAL_H
#define MG_PLUGINS_HTTP_INTERNAL_H

#include "mg/plugin.h"
#include "plugins/http/http.h"
#include "plugins/http/http_ext.h"

#include <ctype.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ===== Layer 0: pure parsers (no connection, no state) ===== */

/* --- parser.c --- */

/* How a message's body is delimited (RFC 9112 section 6). */
struct mg__http_frame {
  int chunked;         /* Transfer-Encoding: chunked */
  int has_length;      /* Content-Length given (or implied 0) */
  int64_t length;      /* Content-Length */
  int until_close;     /* reply body ends when the connection does */
  int keep_alive;      /* connection persists after this message */
  int expect_continue; /* Expect: 100-continue */
};

/* mg_parse_http() that also reports framing. Returns the head length, 0
 * if incomplete, -1 if malformed. */
int mg__http_parse(const char *s, size_t n, struct http_message *hm, int is_req,
                   struct mg__http_frame *f);

/* Parses one chunk of chunked coding at s[0..n). Returns the bytes it
 * takes (size line, data, CRLF; for the last chunk also the trailers), 0 if
 * incomplete, -1 if malformed. data_off and data_len locate the data; a
 * last chunk has *data_len == 0. */
long mg__http_parse_chunk(const char *s, size_t n, size_t *data_off,
                          size_t *data_len);

/* Non-zero if the comma-separated token list v contains token t. */
int mg__http_has_token(struct mg_str v, const char *t);

/* --- md5.c (left out when digest authentication is) --- */

#define MG__HTTP_DIGEST (!MG_DISABLE_HTTP_DIGEST_AUTH && !CS_DISABLE_MD5)

/* MD5 (RFC 1321). */
struct mg__md5 {
  uint32_t state[4];     /* A, B, C, D */
  uint64_t bytes;        /* message length so far */
  unsigned char buf[64]; /* pending block */
};
void mg__md5_init(struct mg__md5 *c);
void mg__md5_update(struct mg__md5 *c, const void *data, size_t len);
void mg__md5_final(struct mg__md5 *c, unsigned char digest[16]);
/* Lower-case hex MD5 of the slices joined with ':' into out (33 bytes). */
void mg__md5_hex_join(char out[33], const struct mg_str *parts, int n);

/* --- multipart.c: the streaming multipart/form-data parser --- */

#define MG__MP_MAX_HEAD 8192 /* bytes of part headers accepted */

enum mg__mp_event {
  MG__MP_BEGIN, /* a part starts: var_name, file_name set */
  MG__MP_DATA,  /* bytes of the part; callback returns bytes consumed */
  MG__MP_END,   /* the part ended */
  MG__MP_DONE   /* the closing boundary was seen */
};

struct mg__mp;
/* Receives parser events; for MG__MP_DATA returns how many of the len
 * bytes it consumed (fewer pauses the parser), otherwise 0. */
typedef size_t (*mg__mp_cb)(struct mg__mp *p, int ev, const char *data,
                            size_t len, void *ctx);

/* Streaming parser state. */
struct mg__mp {
  int state;           /* private */
  char boundary[76];   /* "\r\n--" + boundary */
  size_t blen;         /* length of boundary[] used */
  char var_name[256];  /* name= of the current part */
  char file_name[256]; /* filename= of the current part */
  int error;           /* malformed input seen */
};

/* Starts a parser for the boundary in a Content-Type value. Returns 0, or
 * -1 if there is no usable boundary. */
int mg__mp_init(struct mg__mp *p, struct mg_str content_type);

/* Feeds buf: returns the bytes consumed. The caller keeps the rest and
 * feeds it again with more data appended. Stops early when the callback
 * consumes less than offered, on error (p->error) or when done. */
size_t mg__mp_feed(struct mg__mp *p, const char *buf, size_t len, mg__mp_cb cb,
                   void *ctx);

/* Non-zero once the closing boundary was seen. */
int mg__mp_done(const struct mg__mp *p);

/* Non-zero while inside a part (between its BEGIN and END). */
int mg__mp_in_part(const struct mg__mp *p);

/* Extracts name= and filename= of a Content-Disposition value. */
void mg__mp_disposition(struct mg_str v, char *var, size_t var_len, char *file,
                        size_t file_len);

/* ===== Layer 1: state (state.c) ===== */

/* A registered endpoint (mg_register_http_endpoint). */
struct mg__http_endpoint {
  struct mg__http_endpoint *next; /* list linkage */
  char *path;                     /* URI prefix, heap */
  size_t len;                     /* strlen(path) */
  mg_event_handler_t handler;     /* its handler */
#if MG_ENABLE_CALLBACK_USERDATA
  void *user_data; /* its user data */
#endif
};

#ifndef MG_HTTP_FILE_CACHE_SLOTS
/* small files cached per manager; 0: off */
#define MG_HTTP_FILE_CACHE_SLOTS 32
#endif
#ifndef MG_HTTP_FILE_CACHE_MAX
#define MG_HTTP_FILE_CACHE_MAX 16384 /* largest file cached, bytes */
#endif

/* One cached small file (cache.c). */
struct mg__http_cached {
  char *path;      /* file system path, heap; NULL: slot free */
  char *data;      /* its contents, heap */
  dev_t dev;       /* identity and version of the file read */
  ino_t ino;       /* ... */
  int64_t size;    /* ... */
  int64_t mtime_s; /* ... */
  long mtime_ns;   /* ... */
  unsigned hits;   /* use count, halved on eviction rounds */
};

/* Per-manager state of the plugin. */
struct mg__http_mgr {
  struct mg_http_opts opts;                         /* limits, timeouts */
  const struct mg_http_ext *exts[MG_HTTP_MAX_EXTS]; /* extensions */
  int num_exts;                                     /* used entries */
  struct mg__http_cached cache[MG_HTTP_FILE_CACHE_SLOTS + 1]; /* files */
};

/* A request held by an extension (hold.c, mg_http_ext_hold()). */
struct mg__http_hold {
  const struct mg_http_ext *ext; /* the holder */
  void *req;                     /* its per-request state */
  int claimed;                   /* the body streams to ext->body */
  int body_ended;                /* no body bytes are still to come */
  int last_given;                /* ext->body got its last call */
  int paused;           /* ext left body bytes unread: wait for resume */
  int done;             /* the response is complete */
  int64_t body_left;    /* Content-Length bytes to come (chunked: -1) */
  int chunk_state;      /* chunked decoder: size, data, CRLF, trailer */
  int64_t chunk_left;   /* data bytes left in the current chunk */
  size_t trailer_bytes; /* trailer bytes seen */
  size_t saved_limit;   /* recv_mbuf_limit before the body streamed */
  char *head;           /* copy of the request head (for redirects) */
  size_t head_len;      /* its length */
  char *redirect;       /* head of the request to handle next, or NULL */
  size_t redirect_len;  /* its length */
};

/* Serve options declared with mg_http_set_serve_opts() (claim.c). */
struct mg__http_shared_opts;

struct mg__http_conn;

/* The calls that go up the layers (see README.md, "Layers"): a lower
 * layer reaches the one above only through this table, which the top
 * (plugin.c) fills and every http connection points at (hc->hooks). */
struct mg__http_hooks {
  /* receive path (recv.c) -> server requests (request.c) */
  int (*request_head)(struct mg_connection *nc, struct mg__http_conn *hc,
                      struct http_message *hm, const struct mg__http_frame *f,
                      size_t n);
  void (*request_whole)(struct mg_connection *nc, struct mg__http_conn *hc,
                        struct http_message *hm, size_t head_len, size_t total);
  int (*multipart_more)(struct mg_connection *nc, struct mg__http_conn *hc);
  /* receive path (recv.c) -> client replies (client.c) */
  int (*reply_head)(struct mg_connection *nc, struct mg__http_conn *hc,
                    struct http_message *hm, const struct mg__http_frame *f,
                    size_t n);
  /* receive path (recv.c) -> held requests (hold.c) */
  int (*held_body)(struct mg_connection *nc, struct mg__http_conn *hc);
  /* file bodies (file_body.c) -> server requests (request.c) */
  void (*response_done)(struct mg_connection *nc);
  /* server requests (request.c) -> claims (claim.c) */
  int (*claim)(struct mg_connection *nc, struct mg__http_conn *hc,
               struct http_message *hm, const struct mg__http_frame *f,
               size_t n);
};

/* Per-connection (per-layer) state. */
struct mg__http_conn {
  const struct mg__http_hooks *hooks;  /* calls up the layers */
  struct mg__http_endpoint *endpoints; /* own copy (listener or inherited) */
  struct mg__http_endpoint *cur_ep;    /* endpoint of the current request */
  double head_start; /* when the current head started arriving, or 0 */
  int sent_continue; /* 100 Continue sent for the current request */
  int keep_alive;    /* the current request allows a next one */
  int chunked;       /* decoding a chunked body */
  size_t head_len;   /* head length of the message being decoded */
  size_t body_len;   /* decoded body bytes after the head */
  size_t raw_off;    /* offset of undecoded chunked input */
  struct mg__mp *mp; /* streaming multipart parser, or NULL */
  int64_t mp_left;   /* body bytes of the multipart request left */
  struct mg_http_multipart_part part; /* passed with PART events */
  size_t saved_limit;                 /* recv_mbuf_limit before streaming */
  int file_fd;                /* file being streamed, or -1 (set in attach) */
  int64_t file_off;           /* its next offset */
  int64_t file_left;          /* its bytes still to send */
  int busy;                   /* a response is in progress */
  int close_after;            /* close when the response is done */
  int client_head;            /* client: the request was HEAD */
  struct mg_connection *peer; /* reverse proxy partner */
  struct mg_layer *layer;     /* this layer */
  int need_more;              /* the buffer holds an incomplete message */
  int failed;                 /* an error response went out: drain, close */
  double linger_until;        /* when a failed connection closes */
  int upload_used;            /* mg_file_upload_handler saw this request */
  int upload_refused;         /* ... and refused a file (403 sent) */
  int64_t upload_bytes;       /* ... and stored this many bytes */
  int mp_paused;              /* the handler left multipart data unread */
  double last_io;             /* last RECV or SEND on the connection */
  struct mg__http_hold *hold; /* request held by an extension, or NULL */
  size_t cur_head_len;        /* head length of the request dispatched */
  int dispatching;            /* inside a claim hook or MG_EV_HTTP_REQUEST */
  int redirects;              /* internal redirects of the current request */
  int synthetic;              /* the next head is an internal redirect's */
  struct mg__http_shared_opts *serve_opts; /* declared, or NULL */
};

/* The HTTP state of nc, or NULL when it has no http layer. */
struct mg__http_conn *mg__http_conn(struct mg_connection *nc);

/* The plugin's per-manager state (registers http if needed). */
struct mg__http_mgr *mg__http_mgr(struct mg_mgr *mgr);

/* The limits and timeouts of nc's manager (mg_http_set_options). */
const struct mg_http_opts *mg__http_opts(struct mg_connection *nc);

/* Non-zero for a connection accepted by a listener (it reads requests). */
int mg__http_is_server(const struct mg_connection *nc);

/* Non-zero while a claimed body is still being read. */
int mg__http_streaming(const struct mg__http_conn *hc);

/* ===== Layer 2: framing ===== */

/* --- response.c: status lines, heads, errors --- */

/* Standard reason phrase of a status code. */
const char *mg__http_reason(int code);

/* After an error response a server connection drains input this long at
 * most before it closes. */
#define MG__HTTP_LINGER_SECONDS 2.0

/* Answers code, then drains input and closes (no smuggling past it). */
void mg__http_fail(struct mg_connection *nc, struct mg__http_conn *hc,
                   int code);

/* --- file_body.c: file bytes as a body --- */

/* Sends len bytes of the open file fd from offset as a response body:
 * small ones at once, large ones streamed as the peer reads. Takes fd. */
void mg__http_send_body(struct mg_connection *nc, int fd, int64_t offset,
                        int64_t len);

/* Sends file bytes as the peer reads (called on SEND and POLL). */
void mg__http_pump_file(struct mg_connection *nc, struct mg__http_conn *hc);

/* --- recv.c: the receive path shared by server and client --- */

/* Parses and dispatches what recv_mbuf holds, message by message. */
void mg__http_process(struct mg_connection *nc, struct mg__http_conn *hc);

/* ===== Layer 3: request and reply life cycles ===== */

/* --- request.c: server connections --- */

/* A request head of n bytes is in recv_mbuf. Returns 1 to go on with the
 * buffer, 0 to stop (incomplete, busy, taken or failed). */
int mg__http_on_request(struct mg_connection *nc, struct mg__http_conn *hc,
                        struct http_message *hm, const struct mg__http_frame *f,
                        size_t n);

/* Delivers MG_EV_HTTP_REQUEST for the whole request hm (head_len bytes
 * of head at the start of recv_mbuf, total bytes in all), then drops it
 * (unless an extension holds it). */
void mg__http_deliver(struct mg_connection *nc, struct mg__http_conn *hc,
                      struct http_message *hm, size_t head_len, size_t total);

/* A whole request of total bytes was handled: drop it, keep-alive rules. */
void mg__http_request_done(struct mg_connection *nc, struct mg__http_conn *hc,
                           size_t total);

/* Feeds the streaming multipart parser. Returns 1 to go on, 0 to wait. */
int mg__http_mp_continue(struct mg_connection *nc, struct mg__http_conn *hc);

/* The connection closes in the middle of a multipart request. */
void mg__http_mp_abort(struct mg_connection *nc, struct mg__http_conn *hc);

/* Frees the multipart parser state. */
void mg__http_mp_free(struct mg_connection *nc, struct mg__http_conn *hc);

/* MG_EV_POLL work of a server connection: timeouts, lingering close. */
void mg__http_server_poll(struct mg_connection *nc, struct mg__http_conn *hc);

/* The current response is complete: close or continue with the next. */
void mg__http_response_done(struct mg_connection *nc);

/* --- client.c: replies --- */

/* A reply head of n bytes is in recv_mbuf. Returns as on_request. */
int mg__http_on_reply(struct mg_connection *nc, struct mg__http_conn *hc,
                      struct http_message *hm, const struct mg__http_frame *f,
                      size_t n);

/* The connection closes: deliver a reply whose body ran until the close. */
void mg__http_client_close(struct mg_connection *nc, struct mg__http_conn *hc);

/* --- hold.c: requests held by extensions --- */

/* The request just claimed (head of n bytes, framed as f) is held: its
 * body streams to the holder; answer_continue answers Expect:
 * 100-continue. Drops the head from recv_mbuf. */
void mg__http_hold_body(struct mg_connection *nc, struct mg__http_conn *hc,
                        const struct mg__http_frame *f, size_t n,
                        int answer_continue);

/* Feeds the claimed body to its holder. Returns 1 to go on, 0 to wait. */
int mg__http_stream_continue(struct mg_connection *nc,
                             struct mg__http_conn *hc);

/* Lets the holder produce while the send buffer has room; completes the
 * held request when it is done. */
void mg__http_hold_pump(struct mg_connection *nc, struct mg__http_conn *hc);

/* The connection or layer goes away: ends a hold with finish(aborted). */
void mg__http_hold_abort(struct mg_connection *nc, struct mg__http_conn *hc);

/* ===== Layer 4: features ===== */

/* --- cache.c --- */

/* The cached contents of path if they match st, else NULL. */
const char *mg__http_cache_get(struct mg__http_mgr *m, const char *path,
                               const cs_stat_t *st);
/* Remembers st->st_size bytes of data as path's contents for st. */
void mg__http_cache_put(struct mg__http_mgr *m, const char *path,
                        const cs_stat_t *st, const char *data);
/* Drops every entry. */
void mg__http_cache_free(struct mg__http_mgr *m);

/* --- auth.c --- */

/* A fresh server nonce (hex) into buf, issued at now (mg_mgr_time()). */
void mg__http_nonce(char *buf, size_t len, double now);

/* mg_http_check_digest_auth() with nonce expiry judged at now. */
int mg__http_check_digest_auth_at(struct http_message *hm,
                                  const char *auth_domain, FILE *fp,
                                  double now);

/* mg_http_is_authorized() with nonce expiry judged at now. */
int mg__http_is_authorized_at(struct http_message *hm, struct mg_str path,
                              const char *domain, const char *passwords_file,
                              int flags, double now);

/* --- proxy.c --- */

/* nc is closing: detach its reverse proxy partner. */
void mg__http_proxy_unlink(struct mg_connection *nc, struct mg__http_conn *hc);

/* --- file.c: one file --- */

/* mg_http_serve_file() for a path already stat()ed into st. */
void mg__http_serve_file_st(struct mg_connection *nc, struct http_message *hm,
                            const char *path, const cs_stat_t *st,
                            struct mg_str mime_type, struct mg_str extra);

/* --- docroot.c: mg_serve_http() --- */

/* Maps hm as mg_serve_http() would, without answering: 0 and the path
 * (with *st and *exists) when it maps plainly to the file system, -1 when
 * mg_serve_http() would answer itself (ACL, rewrite to a redirect or a
 * proxy, bad path, unauthorized). */
int mg__http_map_quiet(struct mg_connection *nc, struct http_message *hm,
                       const struct mg_serve_http_opts *o, char *path,
                       size_t path_len, cs_stat_t *st, int *exists);

/* --- claim.c: declared serve options, claims --- */

/* Offers the request head of n bytes to the extensions' claim hooks.
 * Returns 1 if one took it (the head is then consumed), else 0. */
int mg__http_try_claim(struct mg_connection *nc, struct mg__http_conn *hc,
                       struct http_message *hm, const struct mg__http_frame *f,
                       size_t n);

/* Another reference to declared serve options s (NULL stays NULL). */
struct mg__http_shared_opts *mg__http_serve_opts_ref(
    struct mg__http_shared_opts *s);

/* Drops hc's reference to its declared serve options. */
void mg__http_serve_opts_free(struct mg__http_conn *hc);

/* ===== Layer 5: plugin.c (descriptor, options, hooks table) ===== */

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_HTTP_INTERNAL_H */
