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

#endif
