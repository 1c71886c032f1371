/*
 * Platform glue: system headers, sock_t, socket addresses, stat, and the
 * allocator hooks (MG_MALLOC, MG_CALLOC, MG_REALLOC, MG_FREE).
 */
#ifndef MG_PLATFORM_H
#define MG_PLATFORM_H

#if !defined(_XOPEN_SOURCE) && !defined(__cplusplus)
#define _XOPEN_SOURCE 700
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif

#include "mg/features.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef MG_MALLOC
#define MG_MALLOC malloc
#endif
#ifndef MG_CALLOC
#define MG_CALLOC calloc
#endif
#ifndef MG_REALLOC
#define MG_REALLOC realloc
#endif
#ifndef MG_FREE
#define MG_FREE free
#endif

/* A socket descriptor. */
typedef int sock_t;
#ifndef INVALID_SOCKET
#define INVALID_SOCKET (-1)
#endif

/* Result of mg_stat(): a 64-bit stat. */
typedef struct stat cs_stat_t;

/* Any socket address the library handles. */
union socket_address {
  struct sockaddr sa;     /* generic view */
  struct sockaddr_in sin; /* IPv4 */
#if MG_ENABLE_IPV6
  struct sockaddr_in6 sin6; /* IPv6 */
#else
  struct sockaddr sin6; /* placeholder keeping the field name */
#endif
};

#if MG_ENABLE_CALLBACK_USERDATA
#define MG_UD_ARG(x) , x
#define MG_CB(cb, ud) cb, ud
#else
#define MG_UD_ARG(x)
#define MG_CB(cb, ud) cb
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(array) (sizeof(array) / sizeof(array[0]))
#endif

#if defined(__GNUC__)
#define MG_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define MG_PRINTF_LIKE(f, a)
#endif

#endif /* MG_PLATFORM_H */
