/*
 * Build options. The reference's MG_ENABLE_* / MG_DISABLE_* flags keep their
 * meaning. Options that change a struct or a signature (MG_ENABLE_SSL,
 * MG_ENABLE_CALLBACK_USERDATA, MG_ENABLE_IPV6) are Bazel build settings that
 * reach every target through `defines` (see //mg:BUILD), so the library and
 * the program always agree.
 */
#ifndef MG_FEATURES_H
#define MG_FEATURES_H

#ifndef MG_ENABLE_IPV6
#define MG_ENABLE_IPV6 1
#endif

#ifndef MG_ENABLE_SSL
#define MG_ENABLE_SSL 0
#endif

/* Seconds an accepted TLS connection may take to finish its handshake. */
#ifndef MG_SSL_HANDSHAKE_TIMEOUT
#define MG_SSL_HANDSHAKE_TIMEOUT 30
#endif

/* CA bundle for https:// and wss:// URLs when the program gives none. */
#ifndef MG_SSL_SYSTEM_CA_FILE
#define MG_SSL_SYSTEM_CA_FILE "/etc/ssl/certs/ca-certificates.crt"
#endif

#ifndef MG_ENABLE_CALLBACK_USERDATA
#define MG_ENABLE_CALLBACK_USERDATA 0
#endif

#ifndef MG_ENABLE_BROADCAST
#ifdef __EMSCRIPTEN__
#define MG_ENABLE_BROADCAST 0 /* no socketpair() in the browser */
#else
#define MG_ENABLE_BROADCAST 1
#endif
#endif

#ifndef MG_ENABLE_HEXDUMP
#define MG_ENABLE_HEXDUMP 1
#endif

#ifndef MG_ENABLE_THREADS
#define MG_ENABLE_THREADS 1
#endif

#ifndef MG_ENABLE_FILESYSTEM
#define MG_ENABLE_FILESYSTEM 1
#endif

#ifndef MG_ENABLE_GETADDRINFO
#define MG_ENABLE_GETADDRINFO 1
#endif

/* Maximum payload of one mg_broadcast() message. */
#ifndef MG_CTL_MSG_MESSAGE_SIZE
#define MG_CTL_MSG_MESSAGE_SIZE 8192
#endif

/* How long mg_broadcast() waits for room in the control channel, in ms. */
#ifndef MG_BROADCAST_TIMEOUT_MS
#define MG_BROADCAST_TIMEOUT_MS 1000
#endif

/* Bytes read from a socket per recv() call. */
#ifndef MG_TCP_RECV_BUFFER_SIZE
#define MG_TCP_RECV_BUFFER_SIZE 16384
#endif

/* Largest UDP datagram accepted. */
#ifndef MG_UDP_RECV_BUFFER_SIZE
#define MG_UDP_RECV_BUFFER_SIZE 1500
#endif

/* Listen backlog for TCP listeners. */
#ifndef MG_LISTEN_BACKLOG
#define MG_LISTEN_BACKLOG 4096
#endif

#endif /* MG_FEATURES_H */
