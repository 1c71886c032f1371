/* Private to plugins/ws: shared between its files, not a public API. What
 * the plugins standing on ws may call is in ws_ext.h. */
#ifndef MG_PLUGINS_WS_INTERNAL_H
#define MG_PLUGINS_WS_INTERNAL_H

#include "mg/plugin.h"
#include "plugins/http/http_ext.h"
#include "plugins/ws/ws.h"
#include "plugins/ws/ws_ext.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- sha1.c: SHA-1 (FIPS 180-4), for the handshake --- */

struct mg__sha1 {
  uint32_t h[5];         /* intermediate hash H0..H4 */
  uint64_t bytes;        /* message length so far */
  unsigned char buf[64]; /* pending block */
};
void mg__sha1_init(struct mg__sha1 *c);
void mg__sha1_update(struct mg__sha1 *c, const void *data, size_t len);
void mg__sha1_final(struct mg__sha1 *c, unsigned char digest[20]);

/* Sec-WebSocket-Accept for key: base64(SHA-1(key GUID)), 28 chars + NUL. */
void mg__ws_accept_key(struct mg_str key, char out[29]);

/* --- frame.c: the frame decoder (pure functions of bytes) --- */

/* A frame header. */
struct mg__ws_frame {
  unsigned char fin;     /* FIN bit */
  unsigned char rsv;     /* RSV1..3 bits, in place (byte0 & 0x70) */
  unsigned char opcode;  /* op code */
  unsigned char masked;  /* MASK bit */
  unsigned char mask[4]; /* masking key (when masked) */
  size_t header_len;     /* 2 to 14 bytes */
  uint64_t payload_len;  /* as sent */
};

/* Parses a frame header at p[0..n) byte by byte (no alignment needed).
 * Returns its length, 0 if incomplete, -1 if the 64-bit length has its
 * most significant bit set. */
int mg__ws_parse_header(const unsigned char *p, size_t n,
                        struct mg__ws_frame *f);

/* XORs n bytes at p with mask, starting at mask byte 0. */
void mg__ws_mask(unsigned char *p, size_t n, const unsigned char mask[4]);

/* Incremental UTF-8 validation (RFC 3629: no overlongs, surrogates or
 * code points above U+10FFFF). *state starts at 0. Returns 0 while valid,
 * -1 on the first invalid byte. A sequence is complete when *state is 0. */
int mg__utf8_feed(uint32_t *state, const unsigned char *p, size_t n);

/* Close status codes (RFC 6455 section 7.4; 1012-1014 from the IANA
 * registry). The reference API has no names for them: they stay here. */
enum mg__ws_close_code {
  MG__WS_CLOSE_NORMAL = 1000,           /* normal closure */
  MG__WS_CLOSE_GOING_AWAY = 1001,       /* the endpoint goes away */
  MG__WS_CLOSE_PROTOCOL_ERROR = 1002,   /* the peer broke the protocol */
  MG__WS_CLOSE_UNSUPPORTED_DATA = 1003, /* a type of data not accepted */
  MG__WS_CLOSE_NO_STATUS = 1005,        /* never sent: CLOSE had no status */
  MG__WS_CLOSE_ABNORMAL = 1006,         /* never sent: closed without CLOSE */
  MG__WS_CLOSE_INVALID_DATA = 1007,     /* data not of its type (UTF-8) */
  MG__WS_CLOSE_POLICY = 1008,           /* a policy was violated */
  MG__WS_CLOSE_TOO_BIG = 1009,          /* a message too big to take */
  MG__WS_CLOSE_NO_EXTENSION = 1010,     /* client: an extension is missing */
  MG__WS_CLOSE_SERVER_ERROR = 1011,     /* server: an unexpected condition */
  MG__WS_CLOSE_BAD_GATEWAY = 1014,      /* the last code defined below 3000 */
  MG__WS_CLOSE_TLS = 1015,              /* never sent: TLS handshake failed */
  MG__WS_CLOSE_REGISTERED = 3000,       /* 3000-3999: libraries, frameworks */
  MG__WS_CLOSE_PRIVATE_LAST = 4999      /* 4000-4999: private use */
};

/* Non-zero if a CLOSE frame may carry status code. */
int mg__ws_close_code_ok(unsigned int code);

/* Decoder state of one direction of a connection. The window it works on
 * starts with the reassembled message (msg_len bytes), then `gap` bytes
 * already consumed (headers, control frames), then undecoded bytes. */
struct mg__ws_decoder {
  int expect_masked; /* server side: client frames must be masked */
  int no_defrag;     /* deliver data frames as they come */
  uint64_t max_size; /* largest message (or frame with no_defrag) */
  int in_msg;        /* inside a fragmented message */
  unsigned char op;  /* op code of the message being received */
  size_t msg_len;    /* reassembled bytes at the start of the window */
  size_t gap;        /* consumed bytes after them */
  uint32_t utf8;     /* UTF-8 state of the current text message */
};

/* What mg__ws_decode() found. */
enum mg__ws_kind {
  MG__WS_MORE = 0, /* needs more bytes */
  MG__WS_DATA,     /* a data message (or frame with no_defrag) */
  MG__WS_CONTROL,  /* a control frame */
  MG__WS_FAIL      /* the peer broke the protocol: close with status */
};

struct mg__ws_item {
  int kind;            /* enum mg__ws_kind */
  unsigned char flags; /* FIN | op code, as websocket_message.flags */
  size_t off;          /* payload at window + off ... */
  size_t len;          /* ... of len bytes (unmasked) */
  size_t consumed;     /* bytes to drop from the window's start after use */
  int status;          /* MG__WS_FAIL: close status (PROTOCOL_ERROR,
                        * INVALID_DATA, TOO_BIG of enum mg__ws_close_code) */
};

/* Decodes the next item of the window buf[0..*len): unmasks and moves
 * payloads in place and may shrink *len (dropping consumed bytes in the
 * middle). The caller handles the item, then drops it->consumed bytes
 * from the window's start. Deterministic, no allocation. */
void mg__ws_decode(struct mg__ws_decoder *d, unsigned char *buf, size_t *len,
                   struct mg__ws_item *it);

/* The frame header encoder, mg__ws_header(), is in ws_ext.h. */

/* --- plugin.c (the descriptor mg_plugin_ws: ws_ext.h) --- */

/* Connection state of a ws layer. */
struct mg__ws_conn {
  struct mg__ws_decoder dec; /* receive side */
  int open;                  /* handshake done: frames flow */
  int close_sent;            /* we sent CLOSE */
  int close_received;        /* the peer sent CLOSE */
  int failed;                /* we failed the connection */
  double close_deadline;     /* close_sent: when to give up waiting */
  double last_io;            /* last RECV or SEND once open (idle PINGs) */
  char key[25];              /* client: Sec-WebSocket-Key sent */
  char protocols[256];       /* client: Sec-WebSocket-Protocol sent, or "" */
};

/* Per-manager state. */
struct mg__ws_mgr {
  struct mg_ws_opts opts;          /* limits */
  struct mg_connection *upgrading; /* nc in HANDSHAKE_REQUEST, or NULL */
  char protocol[128];              /* mg_ws_set_protocol() for upgrading */
  unsigned char pool[256];         /* random bytes for masking keys */
  size_t pool_left;                /* unused bytes at the end of pool */
};

/* --- state.c: per-manager state, randomness --- */

/* The plugin's per-manager state. */
struct mg__ws_mgr *mg__ws_mgr(struct mg_mgr *mgr);

/* Fills out with n random bytes (kernel randomness, pooled). */
void mg__ws_random(struct mg_mgr *mgr, unsigned char *out, size_t n);

/* --- conn.c: an open connection --- */

/* The handshake is done on nc (layer l): frames flow from now on; any
 * bytes in recv_mbuf are processed. */
void mg__ws_open(struct mg_connection *nc, struct mg_layer *l);

/* Processes recv_mbuf of an open connection. */
void mg__ws_process(struct mg_connection *nc, struct mg_layer *l);

/* --- handshake.c --- */

/* The http extension: server upgrades and client replies. */
extern const struct mg_http_ext mg__ws_http_ext;

#ifdef __cplusplus
}
#endif

#endif /* MG_PLUGINS_WS_INTERNAL_H */
