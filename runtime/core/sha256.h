/* SHA-256 of a file, for the manifest's input checksums (FIPS 180-4). */
#ifndef CB_SHA256_H
#define CB_SHA256_H

#include <stddef.h>

#include "cb.h"

/* Writes the lowercase hex digest of the file at path into hex (65 bytes,
 * NUL-terminated) and its size in bytes into *size (may be NULL). Fails
 * naming the path when it cannot be read. */
int cb_sha256_file(const char *path, char hex[65], long long *size, cb_err *e);

/* Hex digest of n bytes in memory. */
void cb_sha256_mem(const void *data, size_t n, char hex[65]);

#endif
