/*
 * WebSocket (RFC 6455): server upgrades of HTTP connections, clients,
 * framing. The plugin stands on http (plugins/http/http.h): a connection
 * with the HTTP layer (mg_set_protocol_http_websocket) accepts WebSocket
 * upgrades when this plugin is linked, and the handler gets the events
 * below.
 *
 * Received data frames are reassembled into whole messages (unless the
 * connection has MG_F_WEBSOCKET_NO_DEFRAG), text is checked to be UTF-8,
 * PINGs are answered with PONGs, and a CLOSE is echoed with its status
 * before the connection closes. A peer that breaks the protocol gets a
 * CLOSE with the matching status (1002 protocol error, 1007 bad UTF-8,
 * 1009 message too big) and the connection is closed.
 */
#ifndef MG_PLUGINS_WS_WS_H
#define MG_PLUGINS_WS_WS_H

#include "mg/core.h"
#include "plugins/http/http.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Default of mg_ws_opts.max_message_size: a message (or, without
 * defragmentation, a frame) longer than this fails with status 1009. */
#ifndef MG_WEBSOCKET_MAX_MESSAGE_SIZE
#define MG_WEBSOCKET_MAX_MESSAGE_SIZE (16 * 1024 * 1024)
#endif

/* Default of mg_ws_opts.ping_interval: an open connection with no traffic
 * for this long gets a PING (as the reference does), which keeps idle
 * connections alive through NATs and proxies. */
#ifndef MG_WEBSOCKET_PING_INTERVAL_SECONDS
#define MG_WEBSOCKET_PING_INTERVAL_SECONDS 5
#endif

/* WebSocket events: the ws plugin owns MG_EV_WS_FIRST to MG_EV_WS_LAST. */
#define MG_EV_WS_FIRST 150
#define MG_EV_WS_LAST 199
/* Server: an upgrade request arrived. struct http_message *. The handler
 * may refuse it (send a response and/or set MG_F_SEND_AND_CLOSE or
 * MG_F_CLOSE_IMMEDIATELY), pick a subprotocol (mg_ws_set_protocol), or
 * send its own complete "HTTP/1.1 101" response. */
#define MG_EV_WEBSOCKET_HANDSHAKE_REQUEST 150
/* The handshake is complete. struct http_message *: the client's request
 * (server) or the server's reply (client). A client whose handshake failed
 * gets it with resp_code other than 101 and is then closed. */
#define MG_EV_WEBSOCKET_HANDSHAKE_DONE 151
/* A data message (or, with MG_F_WEBSOCKET_NO_DEFRAG, a data frame).
 * struct websocket_message *. */
#define MG_EV_WEBSOCKET_FRAME 152
/* A control frame (PING, PONG, CLOSE). struct websocket_message *. */
#define MG_EV_WEBSOCKET_CONTROL_FRAME 153

/* Op codes (the low 4 bits of op_and_flags and of websocket_message.flags). */
#define WEBSOCKET_OP_CONTINUE 0
#define WEBSOCKET_OP_TEXT 1
#define WEBSOCKET_OP_BINARY 2
#define WEBSOCKET_OP_CLOSE 8
#define WEBSOCKET_OP_PING 9
#define WEBSOCKET_OP_PONG 10

/* Flag of op_and_flags: do not set FIN (more fragments follow). */
#define WEBSOCKET_DONT_FIN 0x100

/* Connection flag (plugin bit 17), set by the user: deliver data frames as
 * they arrive instead of whole messages. */
#define MG_F_WEBSOCKET_NO_DEFRAG (1 << 17)

/* A received message or frame. data points into the receive buffer and is
 * valid during the event only. */
struct websocket_message {
  unsigned char *data; /* payload, unmasked */
  size_t size;         /* payload length */
  /* 0x80 (FIN) | op code. A reassembled message has FIN and the op code of
   * its first frame; a raw frame (MG_F_WEBSOCKET_NO_DEFRAG) its own. */
  unsigned char flags;
};

/* Limits of the ws plugin in one manager. */
struct mg_ws_opts {
  /* Largest message accepted (bytes); more: close with 1009. 0 keeps the
   * default, MG_WEBSOCKET_MAX_MESSAGE_SIZE (16 MiB). */
  size_t max_message_size;
  /* Seconds a CLOSE we sent waits for the peer's before the connection is
   * closed anyway. 0 keeps the default (5). */
  double close_timeout;
  /* Seconds without traffic after which an open connection is sent a PING.
   * 0 keeps the default (MG_WEBSOCKET_PING_INTERVAL_SECONDS); negative: no
   * PINGs. */
  double ping_interval;
};

/* Current options of mgr's ws plugin (the defaults if never set). */
struct mg_ws_opts mg_ws_get_options(struct mg_mgr *mgr);

/* Sets the options of mgr's ws plugin; zero fields keep the default.
 * Returns 0, or -1 if ws cannot be registered with mgr. */
int mg_ws_set_options(struct mg_mgr *mgr, const struct mg_ws_opts *opts);

/* Server, in MG_EV_WEBSOCKET_HANDSHAKE_REQUEST: answer with
 * "Sec-WebSocket-Protocol: protocol" (one of the client's offers). Without
 * it the 101 names no subprotocol. */
void mg_ws_set_protocol(struct mg_connection *nc, const char *protocol);

/* --- Client --- */

/* Connects to url (ws://host[:port]/path, wss:// with TLS, or
 * mem://NAME/path) and sends the handshake, with Host, Basic auth for
 * user:pass@ in the URL, "Sec-WebSocket-Protocol: protocol" when protocol
 * is not NULL, and extra_headers (each ending in CRLF, or NULL). The
 * handler then gets MG_EV_WEBSOCKET_HANDSHAKE_DONE. Returns NULL on a bad
 * URL. */
struct mg_connection *mg_connect_ws(struct mg_mgr *mgr,
                                    MG_CB(mg_event_handler_t event_handler,
                                          void *user_data),
                                    const char *url, const char *protocol,
                                    const char *extra_headers);

/* mg_connect_ws() with connection options (TLS options for wss://; without
 * ssl_ca_cert the server is verified against MG_SSL_SYSTEM_CA_FILE). The
 * reason of a NULL result goes to opts.error_string. */
struct mg_connection *mg_connect_ws_opt(
    struct mg_mgr *mgr, MG_CB(mg_event_handler_t ev_handler, void *user_data),
    struct mg_connect_opts opts, const char *url, const char *protocol,
    const char *extra_headers);

/* Deprecated: sends a handshake for uri with extra_headers (which must hold
 * Host). */
void mg_send_websocket_handshake(struct mg_connection *nc, const char *uri,
                                 const char *extra_headers);

/* Sends a client handshake on a connected nc: path, Host host (NULL to
 * omit), Sec-WebSocket-Protocol protocol (NULL to omit), extra_headers
 * (NULL or CRLF-terminated lines). Puts the HTTP layer on nc if needed. */
void mg_send_websocket_handshake2(struct mg_connection *nc, const char *path,
                                  const char *host, const char *protocol,
                                  const char *extra_headers);

/* mg_send_websocket_handshake2() with Basic auth for user/pass (user NULL:
 * none). */
void mg_send_websocket_handshake3(struct mg_connection *nc, const char *path,
                                  const char *host, const char *protocol,
                                  const char *extra_headers, const char *user,
                                  const char *pass);

/* mg_send_websocket_handshake3() with strings that need not be
 * NUL-terminated (an empty slice omits the part). */
void mg_send_websocket_handshake3v(struct mg_connection *nc,
                                   const struct mg_str path,
                                   const struct mg_str host,
                                   const struct mg_str protocol,
                                   const struct mg_str extra_headers,
                                   const struct mg_str user,
                                   const struct mg_str pass);

/* --- Frames --- */

/* Sends one frame: op_and_flags is an op code, optionally |
 * WEBSOCKET_DONT_FIN. A client masks it with a fresh random key. Sending
 * CLOSE starts the close handshake: the connection closes when the peer
 * answers (or after mg_ws_opts.close_timeout). */
void mg_send_websocket_frame(struct mg_connection *nc, int op_and_flags,
                             const void *data, size_t data_len);

/* Like mg_send_websocket_frame() with the payload in num_strings pieces. */
void mg_send_websocket_framev(struct mg_connection *nc, int op_and_flags,
                              const struct mg_str *strings, int num_strings);

/* Like mg_send_websocket_frame() with a printf()-formatted payload. */
void mg_printf_websocket_frame(struct mg_connection *nc, int op_and_flags,
                               const char *fmt, ...) MG_PRINTF_LIKE(3, 4);

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_WS_WS_H */
