// Helpers for the WebSocket tests: frames built by hand (so tests can
// break every rule) and a decoder driver.
#ifndef MG_PLUGINS_WS_WS_TEST_UTIL_H
#define MG_PLUGINS_WS_WS_TEST_UTIL_H

#include <string>
#include <vector>

extern "C" {
#include "plugins/ws/internal.h"
}

namespace wstest {

// One frame: op code (with FIN unless fin is false), payload, optional mask
// key, extra RSV bits.
inline std::string Frame(int op, const std::string &payload, bool fin = true,
                         const char *mask = nullptr, int rsv = 0) {
  std::string out;
  out += static_cast<char>((fin ? 0x80 : 0) | rsv | op);
  uint64_t n = payload.size();
  int m = mask != nullptr ? 0x80 : 0;
  if (n < 126) {
    out += static_cast<char>(m | static_cast<int>(n));
  } else if (n <= 0xffff) {
    out += static_cast<char>(m | 126);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n & 0xff);
  } else {
    out += static_cast<char>(m | 127);
    for (int i = 0; i < 8; i++)
      out += static_cast<char>((n >> (56 - 8 * i)) & 0xff);
  }
  std::string p = payload;
  if (mask != nullptr) {
    out.append(mask, 4);
    for (size_t i = 0; i < p.size(); i++)
      p[i] = static_cast<char>(p[i] ^ mask[i % 4]);
  }
  return out + p;
}

// A client's frame (masked).
inline std::string Masked(int op, const std::string &payload, bool fin = true) {
  return Frame(op, payload, fin, "\x12\x34\x56\x78");
}

// A close payload: status and reason.
inline std::string ClosePayload(int status, const std::string &reason = "") {
  std::string p;
  p += static_cast<char>(status >> 8);
  p += static_cast<char>(status & 0xff);
  return p + reason;
}

// What the decoder produced.
struct Item {
  int kind;
  int flags;
  std::string payload;
  int status;
};

// Feeds bytes to a decoder (server side unless told), in pieces of `step`
// bytes, and returns every item until the input is used up or it fails.
class Decoder {
 public:
  explicit Decoder(bool server = true, uint64_t max = 1 << 24,
                   bool no_defrag = false) {
    memset(&d_, 0, sizeof(d_));
    d_.expect_masked = server ? 1 : 0;
    d_.max_size = max;
    d_.no_defrag = no_defrag ? 1 : 0;
  }
  std::vector<Item> Feed(const std::string &bytes, size_t step = 1 << 30) {
    std::vector<Item> out;
    size_t fed = 0;
    for (int i = 0; i < 10000000; i++) {
      if (fed < bytes.size() && (i == 0 || more_)) {
        size_t n = std::min(step, bytes.size() - fed);
        buf_.append(bytes, fed, n);
        fed += n;
      }
      size_t len = buf_.size();
      struct mg__ws_item it;
      mg__ws_decode(&d_, reinterpret_cast<unsigned char *>(&buf_[0]), &len,
                    &it);
      buf_.resize(len);
      more_ = it.kind == MG__WS_MORE;
      if (it.kind == MG__WS_MORE) {
        if (fed >= bytes.size()) break;
        continue;
      }
      out.push_back({it.kind, it.flags,
                     it.kind == MG__WS_FAIL ? "" : buf_.substr(it.off, it.len),
                     it.status});
      if (it.kind == MG__WS_FAIL) break;
      buf_.erase(0, it.consumed);
    }
    return out;
  }
  size_t buffered() const { return buf_.size(); }
  struct mg__ws_decoder d_;

 private:
  std::string buf_;
  bool more_ = false;
};

}  // namespace wstest

#endif  // MG_PLUGINS_WS_WS_TEST_UTIL_H
