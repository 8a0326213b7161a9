/* Base64 (RFC 4648, standard alphabet, padded), for figures embedded in
 * self-contained HTML reports. */
#ifndef CB_BASE64_H
#define CB_BASE64_H

#include <stddef.h>

/* Bytes needed to encode n bytes (without a terminating NUL). */
size_t cb_base64_len(size_t n);

/* Encodes n bytes of src into dst (room for cb_base64_len(n) bytes; no NUL
 * is written). */
void cb_base64(const unsigned char *src, size_t n, char *dst);

#endif
