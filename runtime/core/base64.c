/* Base64 encoding. */
#include "base64.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t cb_base64_len(size_t n) { return (n + 2) / 3 * 4; }

void cb_base64(const unsigned char *src, size_t n, char *dst) {
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    unsigned v = (unsigned)src[i] << 16 | (unsigned)src[i + 1] << 8 | src[i + 2];
    *dst++ = alphabet[v >> 18];
    *dst++ = alphabet[(v >> 12) & 63];
    *dst++ = alphabet[(v >> 6) & 63];
    *dst++ = alphabet[v & 63];
  }
  if (i < n) {
    unsigned v = (unsigned)src[i] << 16 | (i + 1 < n ? (unsigned)src[i + 1] << 8 : 0);
    *dst++ = alphabet[v >> 18];
    *dst++ = alphabet[(v >> 12) & 63];
    *dst++ = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
    *dst++ = '=';
  }
}
