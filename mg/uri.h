/* URI parsing and assembly. */
#ifndef MG_URI_H
#define MG_URI_H

#include "mg/str.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Parses [scheme://[user_info@]]host[:port][/path][?query][#fragment] into
 * slices of uri (NULL outputs are skipped). `path` keeps its leading slash,
 * `query` loses its `?`. An IPv6 literal host is written in brackets
 * ([::1]:80) and returned without them. Returns 0 on success, -1 on error
 * (bad or out-of-range port, unterminated bracket, empty host with a port
 * marker...).
 */
int mg_parse_uri(const struct mg_str uri, struct mg_str *scheme,
                 struct mg_str *user_info, struct mg_str *host,
                 unsigned int *port, struct mg_str *path, struct mg_str *query,
                 struct mg_str *fragment);

/*
 * Assembles a URI from parts (any may be NULL or empty). With
 * normalize_path, "." and ".." segments are resolved; ".." never climbs
 * above the root. The result in *uri is heap-allocated (free uri->p with
 * MG_FREE). Returns 0 on success, -1 on error.
 */
int mg_assemble_uri(const struct mg_str *scheme, const struct mg_str *user_info,
                    const struct mg_str *host, unsigned int port,
                    const struct mg_str *path, const struct mg_str *query,
                    const struct mg_str *fragment, int normalize_path,
                    struct mg_str *uri);

/* Resolves "." and ".." segments of an absolute path into out (which must be
 * at least in.len bytes). Returns 1 on success, 0 if in is not absolute. */
int mg_normalize_uri_path(const struct mg_str *in, struct mg_str *out);

#ifdef __cplusplus
}
#endif

#endif /* MG_URI_H */
