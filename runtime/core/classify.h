/* The mask kernel of zoning rules: one comparison over an array, ANDed
 * with the conditions before it; a missing value (NaN) never satisfies a
 * comparison. The rules themselves (first match wins) are in Lua
 * (lua/cbal/classify.lua). */
#ifndef CB_CLASSIFY_H
#define CB_CLASSIFY_H

#include <stddef.h>

#include "array.h"

/* out[i] = 1 when v[i] op value holds and (within is NULL or within[i] is
 * a non-zero number), else 0. NaN on either side never holds, not even for
 * CB_NE. out may alias within. */
void cb_mask(const double *v, size_t n, cb_cmp op, double value,
             const double *within, double *out);

#endif
