/* Outputs appear whole or not at all: write to a temporary file beside the
 * target, then rename over it. */
#ifndef CB_ATOMIC_H
#define CB_ATOMIC_H

#include <stddef.h>

#include "cb.h"

/* Fills tmp with a fresh temporary path in the target's folder that keeps
 * the target's extension (GDAL picks drivers by extension), e.g.
 * "out/.fig5.12345-1.tmp.pdf". Fails naming the folder when it does not
 * exist or is not writable. */
int cb_atomic_tmpname(const char *target, char *tmp, size_t tmplen, cb_err *e);

/* Renames tmp over target; on failure removes tmp and fills e. */
int cb_atomic_commit(const char *tmp, const char *target, cb_err *e);

/* Removes tmp (after a failed write); ignores errors. */
void cb_atomic_abort(const char *tmp);

/* Creates a new folder named prefix + 6 random characters, exclusively
 * (mkdtemp: never an existing folder, whatever the address randomisation),
 * mode 0700, and copies its path into out. Fails naming the parent folder. */
int cb_atomic_mkdtemp(const char *prefix, char *out, size_t outlen, cb_err *e);

/* Swaps the paths a and b in one step (renameat2 RENAME_EXCHANGE): both
 * must exist. Returns 0 when swapped, 1 when the kernel or the file system
 * cannot exchange (nothing changed; the caller falls back to renames), -1
 * with e filled on any other failure. */
int cb_atomic_exchange(const char *a, const char *b, cb_err *e);

#endif
