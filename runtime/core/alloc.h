/* Allocation of totals to items in proportion to weights (e.g. provincial
 * emissions to counties by night-light sums), with sums exact to rounding. */
#ifndef CB_ALLOC_H
#define CB_ALLOC_H

#include <stddef.h>

#include "cb.h"

/* out[i] = total * w[i] / Σw, for n weights (n >= 1). Σ out equals total as
 * exactly as doubles allow: weights are summed with compensation and the
 * rounding residual goes to the largest share. Weights must be finite and
 * >= 0 (a negative, NaN or infinite weight is an error naming its 1-based
 * index) with a positive sum; total must be finite. out may not alias w.
 * Returns 0, or -1 with e filled (out is then unspecified). */
int cb_alloc(double total, const double *w, size_t n, double *out, cb_err *e);

/* Grouped allocation: item i belongs to group group[i] (0..ng-1) and gets
 * totals[g] * w[i] / Σ_{j in g} w[j]. totals[g] NaN means "no total": an
 * error when the group has items. names[g] names group g in messages (NULL
 * gives "group <g+1>"). A group with a total but no items is skipped with a
 * warning (cb_warn). Same checks and exactness as cb_alloc, per group. */
int cb_alloc_grouped(const double *totals, size_t ng, const size_t *group,
                     const double *w, size_t n, const char *const *names,
                     double *out, cb_err *e);

#endif
