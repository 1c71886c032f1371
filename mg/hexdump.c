/* hexdump(1)-like dumps: "0010  41 42 ...  AB..\n", 16 bytes a line. */
#include "mg/util.h"

/* Longest line: 8 offset digits, 16 * 3 hex, 2 + 16 ASCII, newline, NUL. */
#define MG__HEXDUMP_LINE 96

/* Formats the line for the n (1..16) bytes at p, which sit at offset off.
 * Returns the line's length. */
static int mg__hexdump_line(const unsigned char *p, int n, int off,
                            char *line) {
  static const char hex[] = "0123456789abcdef";
  int i, k = snprintf(line, MG__HEXDUMP_LINE, "%04x ", (unsigned int) off);
  for (i = 0; i < 16; i++) {
    line[k++] = ' ';
    line[k++] = i < n ? hex[p[i] >> 4] : ' ';
    line[k++] = i < n ? hex[p[i] & 15] : ' ';
  }
  line[k++] = ' ';
  line[k++] = ' ';
  for (i = 0; i < n; i++) {
    line[k++] = (p[i] < 0x20 || p[i] > 0x7e) ? '.' : (char) p[i];
  }
  line[k++] = '\n';
  line[k] = '\0';
  return k;
}

int mg_hexdump(const void *buf, int len, char *dst, int dst_len) {
  const unsigned char *p = (const unsigned char *) buf;
  char line[MG__HEXDUMP_LINE];
  int off, n, total = 0;
  if (dst != NULL && dst_len > 0) dst[0] = '\0';
  for (off = 0; off < len; off += n) {
    int k;
    n = len - off < 16 ? len - off : 16;
    k = mg__hexdump_line(p + off, n, off, line);
    if (dst != NULL && dst_len > 0 && total < dst_len - 1) {
      int room = dst_len - 1 - total, m = k < room ? k : room;
      memcpy(dst + total, line, (size_t) m);
      dst[total + m] = '\0';
    }
    total += k;
  }
  return total;
}

void mg_hexdumpf(FILE *fp, const void *buf, int len) {
  const unsigned char *p = (const unsigned char *) buf;
  char line[MG__HEXDUMP_LINE];
  int off, n;
  for (off = 0; off < len; off += n) {
    int k;
    n = len - off < 16 ? len - off : 16;
    k = mg__hexdump_line(p + off, n, off, line);
    fwrite(line, 1, (size_t) k, fp);
  }
}
