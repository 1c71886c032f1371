/*
 * The frame decoder (RFC 6455 section 5): pure functions of bytes. Headers
 * are read byte by byte, so nothing depends on alignment (ARM).
 */
#include "plugins/ws/internal.h"

int mg__ws_parse_header(const unsigned char *p, size_t n,
                        struct mg__ws_frame *f) {
  size_t h = 2, i;
  uint64_t len;
  if (n < 2) return 0;
  f->fin = (unsigned char) (p[0] >> 7);
  f->rsv = (unsigned char) (p[0] & 0x70);
  f->opcode = (unsigned char) (p[0] & 0x0f);
  f->masked = (unsigned char) (p[1] >> 7);
  len = p[1] & 0x7f;
  if (len == 126) {
    if (n < 4) return 0;
    len = ((uint64_t) p[2] << 8) | p[3];
    h = 4;
  } else if (len == 127) {
    if (n < 10) return 0;
    if (p[2] & 0x80) return -1; /* the most significant bit must be 0 */
    len = 0;
    for (i = 2; i < 10; i++) len = (len << 8) | p[i];
    h = 10;
  }
  memset(f->mask, 0, sizeof(f->mask));
  if (f->masked) {
    if (n < h + 4) return 0;
    memcpy(f->mask, p + h, 4);
    h += 4;
  }
  f->header_len = h;
  f->payload_len = len;
  return (int) h;
}

void mg__ws_mask(unsigned char *p, size_t n, const unsigned char mask[4]) {
  unsigned char m8[8];
  uint64_t m, w;
  size_t i = 0;
  memcpy(m8, mask, 4);
  memcpy(m8 + 4, mask, 4);
  memcpy(&m, m8, 8); /* memcpy: no unaligned loads or stores */
  for (; i + 8 <= n; i += 8) {
    memcpy(&w, p + i, 8);
    w ^= m;
    memcpy(p + i, &w, 8);
  }
  for (; i < n; i++) p[i] ^= mask[i % 4];
}

/* State layout: bits 0-1 continuation bytes still needed, bits 8-15 and
 * 16-23 the range the next one must be in (narrower after E0, ED, F0, F4:
 * no overlongs, no surrogates, nothing above U+10FFFF). */
int mg__utf8_feed(uint32_t *state, const unsigned char *p, size_t n) {
  unsigned int need = *state & 3, lo = (*state >> 8) & 0xff,
               hi = (*state >> 16) & 0xff;
  size_t i = 0;
  while (i < n) {
    unsigned int b = p[i];
    if (need == 0) {
      if (b < 0x80) {
        uint64_t w;
        /* Runs of ASCII, 8 bytes at a time. */
        while (i + 8 <= n &&
               (memcpy(&w, p + i, 8), (w & 0x8080808080808080ULL) == 0)) {
          i += 8;
        }
        if (i < n && p[i] < 0x80) i++;
        continue;
      }
      lo = 0x80;
      hi = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
      } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        if (b == 0xe0) lo = 0xa0;
        if (b == 0xed) hi = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        if (b == 0xf0) lo = 0x90;
        if (b == 0xf4) hi = 0x8f;
      } else {
        return -1;
      }
    } else {
      if (b < lo || b > hi) return -1;
      need--;
      lo = 0x80;
      hi = 0xbf;
    }
    i++;
  }
  *state = need == 0 ? 0 : (uint32_t) (need | (lo << 8) | (hi << 16));
  return 0;
}

int mg__ws_close_code_ok(unsigned int code) {
  return (code >= MG__WS_CLOSE_NORMAL &&
          code <= MG__WS_CLOSE_UNSUPPORTED_DATA) ||
         (code >= MG__WS_CLOSE_INVALID_DATA &&
          code <= MG__WS_CLOSE_BAD_GATEWAY) ||
         (code >= MG__WS_CLOSE_REGISTERED && code <= MG__WS_CLOSE_PRIVATE_LAST);
}

size_t mg__ws_header(unsigned char *out, int op_and_flags, uint64_t len,
                     const unsigned char *mask) {
  size_t h = 2;
  int i;
  out[0] = (unsigned char) (((op_and_flags & WEBSOCKET_DONT_FIN) ? 0 : 0x80) |
                            (op_and_flags & 0x0f));
  if (len < 126) {
    out[1] = (unsigned char) len;
  } else if (len <= 0xffff) {
    out[1] = 126;
    out[2] = (unsigned char) (len >> 8);
    out[3] = (unsigned char) len;
    h = 4;
  } else {
    out[1] = 127;
    for (i = 0; i < 8; i++) out[2 + i] = (unsigned char) (len >> (56 - 8 * i));
    h = 10;
  }
  if (mask != NULL) {
    out[1] |= 0x80;
    memcpy(out + h, mask, 4);
    h += 4;
  }
  return h;
}

static void set_failure(struct mg__ws_item *it, int status) {
  it->kind = MG__WS_FAIL;
  it->status = status;
}

/* Waiting for bytes: drop the gap when that is cheap (little to move) or
 * overdue, so pings inside a long fragmented message do not pile up. */
static void compact(struct mg__ws_decoder *d, unsigned char *buf, size_t *len) {
  size_t start = d->msg_len + d->gap, tail = *len - start;
  if (d->gap == 0 || (tail > d->gap && d->gap < 65536)) return;
  memmove(buf + d->msg_len, buf + start, tail);
  *len = d->msg_len + tail;
  d->gap = 0;
}

/* Checks a frame header against the protocol and the decoder's state.
 * Returns 0 or a close status. */
static int check_frame(const struct mg__ws_decoder *d,
                       const struct mg__ws_frame *f) {
  const int bad = MG__WS_CLOSE_PROTOCOL_ERROR;
  int control = (f->opcode & 8) != 0;
  if (f->rsv != 0) return bad; /* no extension was negotiated */
  if (f->opcode > WEBSOCKET_OP_BINARY && f->opcode < WEBSOCKET_OP_CLOSE)
    return bad;
  if (f->opcode > WEBSOCKET_OP_PONG) return bad;
  if (f->masked != (d->expect_masked ? 1 : 0)) return bad;
  if (control) return (!f->fin || f->payload_len > 125) ? bad : 0;
  if (f->opcode == WEBSOCKET_OP_CONTINUE && !d->in_msg) return bad;
  if (f->opcode != WEBSOCKET_OP_CONTINUE && d->in_msg) return bad;
  if (f->payload_len > d->max_size ||
      f->payload_len > d->max_size - (d->no_defrag ? 0 : d->msg_len)) {
    return MG__WS_CLOSE_TOO_BIG;
  }
  return 0;
}

/* Status for a CLOSE payload: 0 if fine. */
static int check_close(const unsigned char *p, size_t n) {
  uint32_t st = 0;
  if (n == 0) return 0;
  if (n == 1) return MG__WS_CLOSE_PROTOCOL_ERROR;
  if (!mg__ws_close_code_ok(((unsigned int) p[0] << 8) | p[1])) {
    return MG__WS_CLOSE_PROTOCOL_ERROR;
  }
  if (mg__utf8_feed(&st, p + 2, n - 2) != 0 || st != 0) {
    return MG__WS_CLOSE_INVALID_DATA;
  }
  return 0;
}

void mg__ws_decode(struct mg__ws_decoder *d, unsigned char *buf, size_t *len,
                   struct mg__ws_item *it) {
  memset(it, 0, sizeof(*it));
  for (;;) {
    size_t start = d->msg_len + d->gap, avail = *len - start, h, plen;
    struct mg__ws_frame f;
    unsigned char *payload, op;
    int n = mg__ws_parse_header(buf + start, avail, &f), status;
    if (n < 0) {
      set_failure(it, MG__WS_CLOSE_PROTOCOL_ERROR);
      return;
    }
    if (n == 0) {
      compact(d, buf, len);
      return;
    }
    if ((status = check_frame(d, &f)) != 0) {
      set_failure(it, status);
      return;
    }
    h = (size_t) n;
    if (f.payload_len > (uint64_t) (avail - h)) {
      compact(d, buf, len);
      return;
    }
    plen = (size_t) f.payload_len;
    payload = buf + start + h;
    if (f.masked) mg__ws_mask(payload, plen, f.mask);
    if (f.opcode & 8) {
      if (f.opcode == WEBSOCKET_OP_CLOSE &&
          (status = check_close(payload, plen)) != 0) {
        set_failure(it, status);
        return;
      }
      it->kind = MG__WS_CONTROL;
      it->flags = (unsigned char) (0x80 | f.opcode);
      it->off = start + h;
      it->len = plen;
      if (start > 0) {
        d->gap += h + plen; /* inside a fragmented message */
      } else {
        it->consumed = h + plen;
      }
      return;
    }
    if (f.opcode != WEBSOCKET_OP_CONTINUE) {
      d->op = f.opcode;
      d->utf8 = 0;
    }
    op = d->op;
    if (op == WEBSOCKET_OP_TEXT &&
        (mg__utf8_feed(&d->utf8, payload, plen) != 0 ||
         (f.fin && d->utf8 != 0))) {
      set_failure(it, MG__WS_CLOSE_INVALID_DATA);
      return;
    }
    d->in_msg = !f.fin;
    if (d->no_defrag || (f.fin && start == 0)) {
      it->kind = MG__WS_DATA;
      it->flags =
          (unsigned char) ((f.fin ? 0x80 : 0) | (d->no_defrag ? f.opcode : op));
      it->off = start + h;
      it->len = plen;
      it->consumed = start + h + plen;
      return;
    }
    memmove(buf + d->msg_len, payload, plen); /* join the message */
    d->msg_len += plen;
    d->gap += h;
    if (f.fin) {
      it->kind = MG__WS_DATA;
      it->flags = (unsigned char) (0x80 | op);
      it->off = 0;
      it->len = d->msg_len;
      it->consumed = d->msg_len + d->gap;
      d->msg_len = d->gap = 0;
      return;
    }
  }
}
