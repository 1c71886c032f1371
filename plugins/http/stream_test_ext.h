// A test extension of the HTTP extension ABI version 2, used by
// stream_test.cc and stream_rss_test.cc. What it does is chosen by the
// request's URI:
//   /s/count     claims the request, counts and sums the body, answers
//                "bytes=N sum=S" when the body ended
//   /s/slow      claims, takes at most Ctl::slow_take bytes per call and
//                pauses until the test calls mg_http_ext_resume()
//   /s/early     claims, answers 413 at once without reading the body
//   /s/redirect  claims, reads the body, then redirects to /target?x=1
//   /s/loop      claims, redirects to itself until refused, then 500
//   /gen/N       (serve hook, body buffered) answers N chunks of 16 KiB,
//                one per produce call
#ifndef MG_PLUGINS_HTTP_STREAM_TEST_EXT_H
#define MG_PLUGINS_HTTP_STREAM_TEST_EXT_H

#include <stdint.h>

#include <string>

extern "C" {
#include "mg/plugin.h"
#include "plugins/http/http_ext.h"
}

namespace streamtest {

// The extension (defined by STREAMTEST_DEFINE_EXT below).
extern const struct mg_http_ext kStreamExt;

// What the extension saw; reset by each test.
struct Ctl {
  int claims = 0;            // claim hook calls that took a request
  int finishes = 0;          // finish calls
  int aborted = 0;           // ... of which aborted
  int last_calls = 0;        // body calls with last set
  int produce_polls = 0;     // distinct manager polls with a produce call
  long last_poll = -1;       // mgr->num_calls at the last produce
  size_t slow_take = 1000;   // bytes /s/slow takes per call
  size_t max_recv_seen = 0;  // largest recv_mbuf seen in body calls
  struct mg_connection *server = nullptr;  // connection of the last claim
};

inline Ctl &G() {
  static Ctl ctl;
  return ctl;
}

// Per-request state of the extension.
struct Req {
  std::string uri;         // the request's URI
  uint64_t bytes = 0;      // body bytes taken
  uint64_t sum = 0;        // their sum
  bool body_done = false;  // the last body call came
  bool answered = false;   // the response was sent
  int pieces = 0;          // /gen: chunks still to send
};

inline bool Is(const Req *r, const char *uri) { return r->uri == uri; }

inline void Answer(struct mg_connection *nc, int code,
                   const std::string &body) {
  mg_printf(nc, "HTTP/1.1 %d X\r\nContent-Length: %d\r\n\r\n", code,
            static_cast<int>(body.size()));
  mg_send(nc, body.data(), static_cast<int>(body.size()));
}

inline int Claim(struct mg_connection *nc, struct http_message *hm,
                 const char *, const cs_stat_t *,
                 const struct mg_serve_http_opts *) {
  std::string uri(hm->uri.p, hm->uri.len);
  if (uri.compare(0, 3, "/s/") != 0) return 0;
  Req *r = new Req();
  r->uri = uri;
  if (mg_http_ext_hold(nc, &kStreamExt, r) != 0) {
    delete r;
    return 0;
  }
  G().claims++;
  G().server = nc;
  return 1;
}

inline size_t Body(struct mg_connection *nc, void *req, const char *data,
                   size_t len, int last) {
  Req *r = static_cast<Req *>(req);
  if (nc->recv_mbuf.len > G().max_recv_seen)
    G().max_recv_seen = nc->recv_mbuf.len;
  if (Is(r, "/s/slow") && len > G().slow_take) len = G().slow_take, last = 0;
  for (size_t i = 0; i < len; i++)
    r->sum += static_cast<unsigned char>(data[i]);
  r->bytes += len;
  if (last) {
    r->body_done = true;
    G().last_calls++;
  }
  return len;
}

inline int Produce(struct mg_connection *nc, void *req) {
  Req *r = static_cast<Req *>(req);
  if (static_cast<long>(nc->mgr->num_calls) != G().last_poll) {
    G().last_poll = static_cast<long>(nc->mgr->num_calls);
    G().produce_polls++;
  }
  if (r->pieces > 0) {
    std::string piece(16384, static_cast<char>('a' + r->pieces % 26));
    mg_printf(nc, "%x\r\n", static_cast<unsigned>(piece.size()));
    mg_send(nc, piece.data(), static_cast<int>(piece.size()));
    mg_send(nc, "\r\n", 2);
    if (--r->pieces == 0) {
      mg_send(nc, "0\r\n\r\n", 5);
      return 1;
    }
    return 0;
  }
  if (Is(r, "/s/early")) {
    Answer(nc, 413, "too big");
    return 1;
  }
  if (!r->body_done) return 0;
  if (Is(r, "/s/redirect"))
    return mg_http_ext_redirect(nc, "/target?x=1") == 0 ? 0 : -1;
  if (Is(r, "/s/loop")) {
    if (mg_http_ext_redirect(nc, "/s/loop") == 0) return 0;
    Answer(nc, 500, "redirect loop");
    return 1;
  }
  Answer(
      nc, 200,
      "bytes=" + std::to_string(r->bytes) + " sum=" + std::to_string(r->sum));
  return 1;
}

inline void Finish(struct mg_connection *, void *req, int aborted) {
  G().finishes++;
  if (aborted) G().aborted++;
  delete static_cast<Req *>(req);
}

inline int Serve(struct mg_connection *nc, struct http_message *hm,
                 const char *, const cs_stat_t *,
                 const struct mg_serve_http_opts *) {
  std::string uri(hm->uri.p, hm->uri.len);
  if (uri.compare(0, 5, "/gen/") != 0) return 0;
  Req *r = new Req();
  r->uri = uri;
  r->pieces = atoi(uri.c_str() + 5);
  if (r->pieces <= 0 || mg_http_ext_hold(nc, &kStreamExt, r) != 0) {
    delete r;
    return 0;
  }
  mg_printf(nc, "%s", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
  return 1;
}

inline const struct mg_http_ext &Ext() { return kStreamExt; }

inline int Init(struct mg_mgr *mgr, void *) {
  return mg_http_ext_register(mgr, &Ext());
}

inline const struct mg_plugin &Plugin() {
  static const struct mg_plugin *const deps[] = {&mg_plugin_http, nullptr};
  static const struct mg_plugin p = {MG_PLUGIN_ABI_VERSION,
                                     "test_stream_ext",
                                     deps,
                                     0,
                                     0,
                                     0,
                                     0,
                                     Init,
                                     nullptr,
                                     nullptr,
                                     nullptr,
                                     nullptr};
  return p;
}

}  // namespace streamtest

// Defined once, in the test's .cc file: STREAMTEST_DEFINE_EXT.
#define STREAMTEST_DEFINE_EXT                                 \
  namespace streamtest {                                      \
  const struct mg_http_ext kStreamExt = {MG_HTTP_EXT_VERSION, \
                                         "test_stream",       \
                                         nullptr,             \
                                         nullptr,             \
                                         nullptr,             \
                                         Serve,               \
                                         Claim,               \
                                         Body,                \
                                         Produce,             \
                                         Finish};             \
  }

#endif  // MG_PLUGINS_HTTP_STREAM_TEST_EXT_H
