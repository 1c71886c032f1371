// Helpers for the HTTP tests: a server whose handler is a std::function, a
// raw client that records what it receives, and a reply splitter.
#ifndef MG_PLUGINS_HTTP_HTTP_TEST_UTIL_H
#define MG_PLUGINS_HTTP_HTTP_TEST_UTIL_H

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "plugins/http/http.h"
#include "testing/util/test_util.h"

namespace httptest {

using Fn = std::function<void(struct mg_connection *, int, void *)>;

// A scratch directory: the test's own, else /tmp.
inline std::string TmpDir() {
  const char *t = getenv("TEST_TMPDIR");
  return t != nullptr ? t : "/tmp";
}

// What a listener's connections do (the listener's user_data).
struct Server {
  Fn fn;                          // called for every event but MG_EV_POLL
  int requests = 0;               // MG_EV_HTTP_REQUEST count
  std::vector<std::string> uris;  // URIs of the requests
};

inline void ServerCb(struct mg_connection *c, int ev, void *ev_data) {
  Server *s = static_cast<Server *>(c->user_data);
  if (s == nullptr || ev == MG_EV_POLL) return;
  if (ev == MG_EV_HTTP_REQUEST) {
    struct http_message *hm = static_cast<struct http_message *>(ev_data);
    s->requests++;
    s->uris.push_back(std::string(hm->uri.p, hm->uri.len));
  }
  if (s->fn) s->fn(c, ev, ev_data);
}

// A client that records the bytes it gets.
struct Raw {
  std::string data;  // bytes received
  int closed = 0;    // MG_EV_CLOSE seen
  int status = -1;   // MG_EV_CONNECT status
};

inline void RawCb(struct mg_connection *c, int ev, void *ev_data) {
  Raw *r = static_cast<Raw *>(c->user_data);
  if (r == nullptr) return;
  if (ev == MG_EV_RECV) {
    r->data.append(c->recv_mbuf.buf, c->recv_mbuf.len);
    mbuf_remove(&c->recv_mbuf, c->recv_mbuf.len);
  } else if (ev == MG_EV_CLOSE) {
    r->closed++;
  } else if (ev == MG_EV_CONNECT) {
    r->status = *static_cast<int *>(ev_data);
  }
}

// One parsed reply.
struct Reply {
  int code = 0;      // status code
  std::string head;  // status line and headers
  std::string body;  // body (Content-Length framed, or the rest)
  std::string Header(const char *name) const {
    struct http_message hm;
    if (mg_parse_http(head.data(), static_cast<int>(head.size()), &hm, 0) <= 0)
      return "";
    struct mg_str *v = mg_get_http_header(&hm, name);
    return v == nullptr ? "<none>" : std::string(v->p, v->len);
  }
};

// Splits received bytes into replies (100 Continue included).
inline std::vector<Reply> Replies(const std::string &data) {
  std::vector<Reply> out;
  size_t pos = 0;
  for (int i = 0; i < 1000 && pos < data.size(); i++) {
    struct http_message hm;
    int n = mg_parse_http(data.data() + pos,
                          static_cast<int>(data.size() - pos), &hm, 0);
    if (n <= 0) break;
    Reply r;
    r.code = hm.resp_code;
    r.head = data.substr(pos, static_cast<size_t>(n));
    size_t blen = hm.body.len;
    if (mg_get_http_header(&hm, "Content-Length") == nullptr) blen = 0;
    if (r.code >= 200 && r.code != 204 && r.code != 304 &&
        mg_get_http_header(&hm, "Content-Length") == nullptr &&
        mg_get_http_header(&hm, "Transfer-Encoding") == nullptr) {
      blen = data.size() - pos - static_cast<size_t>(n);
    }
    if (pos + static_cast<size_t>(n) + blen > data.size()) break;
    r.body = data.substr(pos + static_cast<size_t>(n), blen);
    pos += static_cast<size_t>(n) + blen;
    out.push_back(r);
  }
  return out;
}

class HttpTest : public ::testing::Test {
 protected:
  void SetUp() override { mg_mgr_init(&mgr_, nullptr); }
  void TearDown() override {
    for (struct mg_connection *c = mg_next(&mgr_, nullptr); c;
         c = mg_next(&mgr_, c)) {
      c->handler = nullptr;
      c->user_data = nullptr;
    }
    mg_mgr_free(&mgr_);
  }

  // Binds an HTTP listener at addr driven by srv.
  struct mg_connection *Listen(const char *addr, Server *srv) {
    struct mg_bind_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = srv;
    const char *err = nullptr;
    o.error_string = &err;
    struct mg_connection *lc = mg_bind_opt(&mgr_, addr, ServerCb, o);
    EXPECT_NE(lc, nullptr) << addr << ": " << (err ? err : "");
    if (lc != nullptr) mg_set_protocol_http_websocket(lc);
    return lc;
  }

  // Connects a raw client to addr and sends bytes.
  struct mg_connection *Send(const std::string &addr, Raw *r,
                             const std::string &bytes) {
    struct mg_connect_opts o;
    memset(&o, 0, sizeof(o));
    o.user_data = r;
    struct mg_connection *c = mg_connect_opt(&mgr_, addr.c_str(), RawCb, o);
    EXPECT_NE(c, nullptr);
    if (c != nullptr && !bytes.empty()) {
      mg_send(c, bytes.data(), static_cast<int>(bytes.size()));
    }
    return c;
  }

  bool Until(const std::function<bool()> &pred, double secs = 10) {
    return mgtest::PollUntil(&mgr_, pred, secs);
  }

  // Sends bytes on a new connection and waits until it closes or n
  // replies arrived. Without out, a connection left open (kept alive)
  // stops recording: its Raw is gone when this returns.
  std::vector<Reply> Exchange(const std::string &addr, const std::string &bytes,
                              size_t n = 1, Raw *out = nullptr) {
    Raw local;
    Raw *r = out != nullptr ? out : &local;
    struct mg_connection *c = Send(addr, r, bytes);
    Until([&] { return r->closed > 0 || Replies(r->data).size() >= n; });
    if (out == nullptr && c != nullptr && r->closed == 0)
      c->user_data = nullptr;
    return Replies(r->data);
  }

  struct mg_mgr mgr_;
};

}  // namespace httptest

#endif  // MG_PLUGINS_HTTP_HTTP_TEST_UTIL_H
